"""The S3 API through unmodified boto3: buckets, objects, metadata, copies, ranges, conditionals, listings."""
import hashlib
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import urllib.request
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REGION, URL, client, error_code


def test_bucket_lifecycle(s3):
    name = "b-" + uuid.uuid4().hex[:16]
    s3.create_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)  # us-east-1: creating your own bucket again succeeds
    assert s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] is None
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=name)
    assert error_code(e) == "BucketNotEmpty"
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket=name)
    assert error_code(e) == "404"
    with pytest.raises(s3.exceptions.NoSuchBucket):
        s3.list_objects_v2(Bucket=name)
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket="Not_Valid")
    assert error_code(e) == "InvalidBucketName"


def test_bucket_regions():
    eu = boto3.client("s3", endpoint_url=URL, region_name="eu-west-1", aws_access_key_id="AKIAAPIARYTEST000000",
                      aws_secret_access_key="apiary-test-secret")
    name = "b-" + uuid.uuid4().hex[:16]
    with pytest.raises(ClientError) as e:
        eu.create_bucket(Bucket=name)
    assert error_code(e) == "IllegalLocationConstraintException"
    eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert eu.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    with pytest.raises(ClientError) as e:
        eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error_code(e) == "BucketAlreadyOwnedByYou"
    eu.delete_bucket(Bucket=name)


def test_put_get_head_with_metadata(s3, bucket):
    body = b"hello world"
    put = s3.put_object(Bucket=bucket, Key="a/b.txt", Body=body, ContentType="text/plain", Metadata={"Color": "yellow"},
                        CacheControl="no-cache", ContentDisposition="inline")
    assert put["ETag"] == '"5eb63bbbe01eeed093cb22bb8f5acdc3"'
    assert put["ChecksumCRC32"] == "DUoRhQ=="
    got = s3.get_object(Bucket=bucket, Key="a/b.txt", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/plain" and got["Metadata"] == {"color": "yellow"}
    assert got["CacheControl"] == "no-cache" and got["ContentDisposition"] == "inline"
    assert got["ChecksumCRC32"] == "DUoRhQ==" and got["ETag"] == put["ETag"]
    head = s3.head_object(Bucket=bucket, Key="a/b.txt")
    assert head["ContentLength"] == 11 and head["AcceptRanges"] == "bytes"
    default = s3.put_object(Bucket=bucket, Key="plain", Body=b"")
    assert default["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    assert s3.get_object(Bucket=bucket, Key="plain")["ContentType"] == "binary/octet-stream"
    overridden = s3.get_object(Bucket=bucket, Key="a/b.txt", ResponseContentType="application/json")
    assert overridden["ContentType"] == "application/json"


def test_missing_keys_and_buckets(s3, bucket):
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket=bucket, Key="nope")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="nope")
    assert error_code(e) == "404"
    with pytest.raises(s3.exceptions.NoSuchBucket):
        s3.put_object(Bucket="no-such-bucket-here", Key="k", Body=b"x")
    s3.delete_object(Bucket=bucket, Key="never-existed")  # 204 all the same


def test_keys_are_data(s3, bucket):
    keys = ["../escape", "/absolute", "a//b", "a/./b", "sp ace+plus=eq?q#h%p", "ünïcödé/ключ", "k" * 1024, "t/" * 300]
    for i, key in enumerate(keys):
        s3.put_object(Bucket=bucket, Key=key, Body=str(i).encode())
    for i, key in enumerate(keys):
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == str(i).encode()
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == sorted(keys, key=lambda k: k.encode())
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert error_code(e) == "KeyTooLongError"


def test_ranges(s3, bucket):
    s3.put_object(Bucket=bucket, Key="r", Body=b"0123456789")
    def get(r):
        return s3.get_object(Bucket=bucket, Key="r", Range=r)
    first = get("bytes=0-4")
    assert first["Body"].read() == b"01234" and first["ContentRange"] == "bytes 0-4/10"
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert get("bytes=-3")["Body"].read() == b"789"
    assert get("bytes=7-")["Body"].read() == b"789"
    assert get("bytes=8-100")["ContentRange"] == "bytes 8-9/10"
    assert get("bytes=0-1,4-5")["ResponseMetadata"]["HTTPStatusCode"] == 200  # multi-range: whole object
    with pytest.raises(ClientError) as e:
        get("bytes=10-")
    assert error_code(e) == "InvalidRange"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416


def test_conditionals(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"abc")["ETag"]
    assert s3.get_object(Bucket=bucket, Key="c", IfMatch=etag)["Body"].read() == b"abc"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfMatch='"0000"')
    assert error_code(e) == "PreconditionFailed"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag)
    assert error_code(e) == "304"
    future = datetime.now(timezone.utc) + timedelta(days=1)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=future)
    assert error_code(e) == "304"
    past = datetime.now(timezone.utc) - timedelta(days=1)
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="c", IfUnmodifiedSince=past)
    assert error_code(e) == "412"


def test_copy_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"data", ContentType="text/plain", Metadata={"a": "1"})
    copied = s3.copy_object(Bucket=bucket, Key="dir/copy of src", CopySource={"Bucket": bucket, "Key": "src"})
    assert copied["CopyObjectResult"]["ETag"] == '"%s"' % hashlib.md5(b"data").hexdigest()
    head = s3.head_object(Bucket=bucket, Key="dir/copy of src")
    assert head["ContentType"] == "text/plain" and head["Metadata"] == {"a": "1"}
    s3.copy_object(Bucket=bucket, Key="src", CopySource=f"{bucket}/src", MetadataDirective="REPLACE", ContentType="image/png",
                   Metadata={"b": "2"})
    head = s3.head_object(Bucket=bucket, Key="src")
    assert head["ContentType"] == "image/png" and head["Metadata"] == {"b": "2"}
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="src", CopySource=f"{bucket}/src")
    assert error_code(e) == "InvalidRequest"
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.copy_object(Bucket=bucket, Key="x", CopySource=f"{bucket}/missing")
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="x", CopySource=f"{bucket}/src", CopySourceIfMatch='"0000"')
    assert error_code(e) == "PreconditionFailed"
    etag = s3.head_object(Bucket=bucket, Key="src")["ETag"]
    s3.copy_object(Bucket=bucket, Key="x", CopySource=f"{bucket}/src", CopySourceIfMatch=etag)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="x", CopySource=f"{bucket}/src", CopySourceIfNoneMatch=etag)
    assert error_code(e) == "PreconditionFailed"


def test_delete_objects(s3, bucket):
    for key in ["a", "b", "c"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "absent"}]})
    assert sorted(d["Key"] for d in result["Deleted"]) == ["a", "absent", "b"]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "c"}], "Quiet": True})
    assert "Deleted" not in quiet and "Errors" not in quiet
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    with pytest.raises(ClientError) as e:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": str(i)} for i in range(1001)]})
    assert error_code(e) == "MalformedXML"


def test_list_pagination_over_2500_keys_with_a_delimiter(s3, bucket):
    keys = [f"flat/{i:04d}.jpg" for i in range(2000)] + [f"dirs/d{i:03d}/x{j}" for i in range(250) for j in range(2)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b""), keys))

    seen, prefixes, pages = [], [], 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Delimiter="/", Prefix="flat/", PaginationConfig={"PageSize": 700}):
        seen += [o["Key"] for o in page.get("Contents", [])]
        pages += 1
    assert seen == sorted(k for k in keys if k.startswith("flat/")) and pages == 3

    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Delimiter="/", Prefix="dirs/", PaginationConfig={"PageSize": 100}):
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        assert "Contents" not in page
    assert prefixes == [f"dirs/d{i:03d}/" for i in range(250)]

    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["dirs/", "flat/"] and top["KeyCount"] == 2

    everything = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page["Contents"]]
    assert everything == sorted(keys)

    # ListObjects v1, as boto3 resources and the SageMaker SDK use it (markers).
    resource = boto3.resource("s3", endpoint_url=URL, region_name=REGION, aws_access_key_id="AKIAAPIARYTEST000000",
                              aws_secret_access_key="apiary-test-secret")
    v1 = [o.key for o in resource.Bucket(bucket).objects.filter(Prefix="dirs/")]
    assert v1 == sorted(k for k in keys if k.startswith("dirs/"))
    v1_prefixes = []
    for page in s3.get_paginator("list_objects").paginate(Bucket=bucket, Delimiter="/", Prefix="dirs/", PaginationConfig={"PageSize": 99}):
        v1_prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    assert v1_prefixes == prefixes


def test_listing_encodes_odd_keys(s3, bucket):
    keys = ["img/with space+plus.jpg", "img/ü&<>.jpg", "img/%41.jpg", "img/tab\there"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"")
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="img/")
    assert listed["EncodingType"] == "url"
    assert [o["Key"] for o in listed["Contents"]] == sorted(keys, key=lambda k: k.encode())
    v1 = s3.list_objects(Bucket=bucket, Prefix="img/w", Delimiter="+")
    assert [p["Prefix"] for p in v1["CommonPrefixes"]] == ["img/with space+"]
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="!!!")
    assert error_code(e) == "InvalidArgument"


@pytest.mark.parametrize("version", ["s3", "s3v4"])  # botocore presigns with SigV2 unless asked for SigV4
def test_presigned_urls(bucket, version):
    signer = boto3.client("s3", endpoint_url=URL, region_name=REGION, aws_access_key_id="AKIAAPIARYTEST000000",
                          aws_secret_access_key="apiary-test-secret", config=Config(signature_version=version))
    put_url = signer.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=600)
    assert ("X-Amz-Credential" in put_url) == (version == "s3v4")
    with urllib.request.urlopen(urllib.request.Request(put_url, data=b"presigned", method="PUT")) as response:
        assert response.status == 200
    get_url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=600)
    with urllib.request.urlopen(get_url) as response:
        assert response.read() == b"presigned"


def test_unsigned_requests_are_denied():
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(URL + "/")
    assert e.value.code == 403 and b"<Code>AccessDenied</Code>" in e.value.read()


def test_unserved_operations_say_not_implemented(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_code(e) == "NotImplemented"
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", PartNumber=1)
    assert error_code(e) == "NotImplemented"
