"""Helper of Tests/ctlTests/S3AuthTests.swift, not a test itself: against a daemon started with `--auth verify
--credentials AKIAAPIARYTEST000000:apiary-test-secret`, real SigV4 signatures (header and presigned, odd keys,
multipart) pass; a wrong secret, a body that is not the signed one, or a SigV2 URL is refused. Prints PASS or raises."""
import hashlib
import http.client
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import REGION, URL, client


def code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


s3 = client("s3")
s3.create_bucket(Bucket="verified")
for key in ["plain.txt", "with space+plus=eq.txt", "ünï/cödé", "a//b/../c", "~tilde*star"]:
    s3.put_object(Bucket="verified", Key=key, Body=b"signed")
    assert s3.get_object(Bucket="verified", Key=key)["Body"].read() == b"signed"
assert s3.list_objects_v2(Bucket="verified", Prefix="w", Delimiter="/")["KeyCount"] == 1
upload = s3.create_multipart_upload(Bucket="verified", Key="mp")["UploadId"]
part = s3.upload_part(Bucket="verified", Key="mp", UploadId=upload, PartNumber=1, Body=b"part")["ETag"]
s3.complete_multipart_upload(Bucket="verified", Key="mp", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part}]})

v4 = boto3.client("s3", endpoint_url=URL, region_name=REGION, aws_access_key_id="AKIAAPIARYTEST000000",
                  aws_secret_access_key="apiary-test-secret", config=Config(signature_version="s3v4"))
with urllib.request.urlopen(v4.generate_presigned_url("get_object", Params={"Bucket": "verified", "Key": "ünï/cödé"})) as response:
    assert response.read() == b"signed"

wrong = boto3.client("s3", endpoint_url=URL, region_name=REGION, aws_access_key_id="AKIAAPIARYTEST000000",
                     aws_secret_access_key="not-the-secret", config=Config(retries={"max_attempts": 1}))
assert code(lambda: wrong.get_object(Bucket="verified", Key="plain.txt")) == "SignatureDoesNotMatch"
unknown = boto3.client("s3", endpoint_url=URL, region_name=REGION, aws_access_key_id="AKIAUNKNOWN", aws_secret_access_key="x",
                       config=Config(retries={"max_attempts": 1}))
assert code(lambda: unknown.list_buckets()) == "InvalidAccessKeyId"
# A signed request whose body is not the one its X-Amz-Content-SHA256 (and so its signature) names.
signed = AWSRequest(method="PUT", url=f"{URL}/verified/swapped", data=b"abc")
S3SigV4Auth(Credentials("AKIAAPIARYTEST000000", "apiary-test-secret"), "s3", REGION).add_auth(signed)
assert signed.headers["X-Amz-Content-SHA256"] == hashlib.sha256(b"abc").hexdigest()
parsed = urllib.parse.urlparse(URL)
connection = http.client.HTTPConnection(parsed.hostname, parsed.port)
connection.request("PUT", "/verified/swapped", body=b"abd", headers=dict(signed.headers.items()))
response = connection.getresponse()
assert response.status == 400 and b"<Code>XAmzContentSHA256Mismatch</Code>" in response.read()
assert code(lambda: s3.head_object(Bucket="verified", Key="swapped")) == "404"
try:
    urllib.request.urlopen(s3.generate_presigned_url("get_object", Params={"Bucket": "verified", "Key": "plain.txt"}))
    raise AssertionError("a SigV2 URL was accepted in verify mode")
except urllib.error.HTTPError as error:
    assert error.code == 403
print("PASS")
