"""The S3 wire pitfalls of s3-api.md (issue 6): 100-continue, aws-chunked bodies, checksums, ETags, XML errors."""
import base64
import hashlib
import logging
import socket
import urllib.parse

import pytest
from botocore.exceptions import ClientError
from boto3.s3.transfer import TransferConfig

from conftest import URL, error_code
from s3_wire import aws_chunked, crc32_b64, reflected_crc_b64, request, signed_headers


def test_expect_100_continue_is_answered_before_the_body(bucket):
    parsed = urllib.parse.urlparse(URL)
    body = b"continued"
    headers = signed_headers("UNSIGNED-PAYLOAD", {"Host": parsed.netloc, "Content-Length": str(len(body)), "Expect": "100-continue"})
    head = f"PUT /{bucket}/continued HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
        sock.sendall(head.encode())
        # The body is held back until the server says to go on (botocore waits a second otherwise).
        interim = sock.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim
        sock.sendall(body)
        final = b""
        while b"\r\n\r\n" not in final:
            final += sock.recv(4096)
        assert final.startswith(b"HTTP/1.1 200"), final
    _, _, stored = request("GET", f"/{bucket}/continued", headers=signed_headers("UNSIGNED-PAYLOAD"))
    assert stored == body


def test_boto3_sees_100_continue(s3, bucket, caplog):
    # botocore logs which way its wait for "100 Continue" ended; the other way costs every put a second.
    with caplog.at_level(logging.DEBUG, logger="botocore.awsrequest"):
        s3.put_object(Bucket=bucket, Key="continued", Body=b"x" * 1000)
        s3.upload_part(Bucket=bucket, Key="continued", PartNumber=1, Body=b"x",
                       UploadId=s3.create_multipart_upload(Bucket=bucket, Key="continued")["UploadId"])
    messages = [record.getMessage() for record in caplog.records]
    assert messages.count("100 Continue response seen, now sending request body.") == 2, messages
    assert not any("No response seen from server" in m for m in messages)


@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("size", [0, 11, 70_000, 1_048_576 + 17])
def test_aws_chunked_bodies_store_only_the_payload(bucket, signed, size):
    payload = bytes(i * 7 % 251 for i in range(size))
    mode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" if signed else "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    trailer = {"x-amz-checksum-crc32": crc32_b64(payload)}
    if signed:
        trailer["x-amz-trailer-signature"] = "b" * 64
    headers = signed_headers(mode, {
        "Content-Encoding": "aws-chunked,gzip", "X-Amz-Trailer": "x-amz-checksum-crc32", "X-Amz-Decoded-Content-Length": str(size),
        "x-amz-sdk-checksum-algorithm": "CRC32"})
    status, response_headers, body = request("PUT", f"/{bucket}/chunked", aws_chunked(payload, trailer=trailer, signed=signed), headers)
    assert status == 200, body
    assert response_headers["ETag"] == '"%s"' % hashlib.md5(payload).hexdigest()
    assert response_headers["x-amz-checksum-crc32"] == crc32_b64(payload)
    status, response_headers, stored = request("GET", f"/{bucket}/chunked", headers=signed_headers("UNSIGNED-PAYLOAD"))
    assert stored == payload
    assert response_headers["Content-Encoding"] == "gzip"  # aws-chunked is framing, not stored


def test_aws_chunked_errors(bucket):
    payload = b"hello world"
    base = {"Content-Encoding": "aws-chunked", "X-Amz-Trailer": "x-amz-checksum-crc32", "X-Amz-Decoded-Content-Length": "11"}
    def put(body, **extra):
        headers = signed_headers("STREAMING-UNSIGNED-PAYLOAD-TRAILER", {**base, **extra})
        return request("PUT", f"/{bucket}/bad", body, headers)
    status, _, body = put(aws_chunked(payload, trailer={"x-amz-checksum-crc32": "AAAAAA=="}))
    assert status == 400 and b"<Code>BadDigest</Code>" in body and b"The CRC32 you specified did not match" in body
    status, _, body = put(aws_chunked(payload))
    assert status == 400 and b"<Code>InvalidRequest</Code>" in body
    status, _, body = put(aws_chunked(payload, trailer={"x-amz-checksum-crc32": crc32_b64(payload)}), **{"X-Amz-Decoded-Content-Length": "12"})
    assert status == 400 and b"<Code>IncompleteBody</Code>" in body
    status, _, body = put(b"zz\r\nhello\r\n0\r\n\r\n")
    assert status == 400 and b"<Code>IncompleteBody</Code>" in body
    status, _, _ = request("HEAD", f"/{bucket}/bad", headers=signed_headers("UNSIGNED-PAYLOAD"))
    assert status == 404  # nothing stored by a failed upload


@pytest.mark.parametrize("algorithm", ["CRC32", "SHA1", "SHA256"])
def test_flexible_checksums_are_verified_and_returned(s3, bucket, algorithm):
    body = b"checksummed " * 1000
    put = s3.put_object(Bucket=bucket, Key="sum", Body=body, ChecksumAlgorithm=algorithm)
    value = put[f"Checksum{algorithm}"]
    got = s3.get_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")  # botocore recomputes and compares
    assert got["Body"].read() == body and got[f"Checksum{algorithm}"] == value
    assert "ChecksumCRC32" not in s3.get_object(Bucket=bucket, Key="sum", Range="bytes=0-3", ChecksumMode="ENABLED")
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="sum", Body=b"other", **{f"Checksum{algorithm}": value})
    assert error_code(e) == "BadDigest"
    assert s3.get_object(Bucket=bucket, Key="sum")["Body"].read() == body  # the failed put changed nothing


@pytest.mark.parametrize("name,polynomial,width", [("crc32c", 0x82F63B78, 4), ("crc64nvme", 0x9A6C9329AC4BC9B5, 8)])
def test_crc32c_and_crc64nvme(bucket, name, polynomial, width):
    body = b"castagnoli and nvme"
    value = reflected_crc_b64(body, polynomial, width)
    status, headers, _ = request("PUT", f"/{bucket}/crc", body, signed_headers("UNSIGNED-PAYLOAD", {f"x-amz-checksum-{name}": value}))
    assert status == 200 and headers[f"x-amz-checksum-{name}"] == value
    status, headers, stored = request("GET", f"/{bucket}/crc", headers=signed_headers("UNSIGNED-PAYLOAD", {"x-amz-checksum-mode": "ENABLED"}))
    assert stored == body and headers[f"x-amz-checksum-{name}"] == value
    status, _, error = request("PUT", f"/{bucket}/crc", b"x" + body, signed_headers("UNSIGNED-PAYLOAD", {f"x-amz-checksum-{name}": value}))
    assert status == 400 and b"<Code>BadDigest</Code>" in error


def test_content_md5_is_checked(s3, bucket):
    good = base64.b64encode(hashlib.md5(b"abc").digest()).decode()
    s3.put_object(Bucket=bucket, Key="md5", Body=b"abc", ContentMD5=good)
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="md5", Body=b"abd", ContentMD5=good)
    assert error_code(e) == "BadDigest"


def test_multipart_etag_is_md5_of_md5s(s3, bucket, tmp_path):
    data = bytes(range(256)) * (9 * 4096 + 17)  # 9 MiB + 4 KiB: two 8 MiB-threshold parts … at 5 MiB parts
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    five = 5 * 1024 * 1024
    s3.upload_file(str(source), bucket, "big.bin", Config=TransferConfig(multipart_threshold=five, multipart_chunksize=five))
    digests = b"".join(hashlib.md5(data[i:i + five]).digest() for i in range(0, len(data), five))
    head = s3.head_object(Bucket=bucket, Key="big.bin", ChecksumMode="ENABLED")
    assert head["ETag"] == '"%s-2"' % hashlib.md5(digests).hexdigest()
    assert head["ChecksumCRC32"].endswith("-2") and head["ChecksumType"] == "COMPOSITE"
    target = tmp_path / "back.bin"
    s3.download_file(bucket, "big.bin", str(target), Config=TransferConfig(multipart_threshold=five, multipart_chunksize=five))
    assert target.read_bytes() == data


def test_multipart_errors(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    p1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"small")["ETag"]
    p2 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=2, Body=b"last")["ETag"]
    def complete(parts):
        with pytest.raises(ClientError) as e:
            s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": parts})
        return error_code(e)
    assert complete([{"PartNumber": 1, "ETag": p1}, {"PartNumber": 2, "ETag": p2}]) == "EntityTooSmall"
    assert complete([{"PartNumber": 2, "ETag": p2}, {"PartNumber": 1, "ETag": p1}]) == "InvalidPartOrder"
    assert complete([{"PartNumber": 1, "ETag": p2}]) == "InvalidPart"
    assert complete([{"PartNumber": 3, "ETag": p2}]) == "InvalidPart"
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=10001, Body=b"x")
    assert error_code(e) == "InvalidArgument"
    s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload)
    with pytest.raises(s3.exceptions.NoSuchUpload):
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload)
    assert error_code(e) == "NoSuchUpload"
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="mp")
    assert error_code(e) == "404"


def test_upload_part_copy(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"0123456789")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    part = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1, CopySource=f"{bucket}/src",
                               CopySourceRange="bytes=3-5")
    s3.complete_multipart_upload(Bucket=bucket, Key="dst", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"345"


def test_xml_error_shape(bucket):
    status, headers, body = request("GET", f"/{bucket}/nope", headers=signed_headers("UNSIGNED-PAYLOAD"))
    assert status == 404 and headers["Content-Type"] == "application/xml"
    assert b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>nope</Key>" in body
    assert b"<RequestId>" in body and headers["x-amz-request-id"]
    status, _, body = request("POST", f"/{bucket}?delete", b"<Delete><Object>", signed_headers("UNSIGNED-PAYLOAD"))
    assert status == 400 and b"<Code>MalformedXML</Code>" in body
    status, _, body = request("POST", f"/{bucket}/key", b"", signed_headers("UNSIGNED-PAYLOAD"))
    assert status == 405 and b"<Code>MethodNotAllowed</Code>" in body
    status, _, body = request("GET", "/%ff%fe/x", headers=signed_headers("UNSIGNED-PAYLOAD"))
    assert status == 400 and b"<Code>InvalidURI</Code>" in body


def test_list_parts_and_uploads(s3, bucket):
    first = s3.create_multipart_upload(Bucket=bucket, Key="up/a", ChecksumAlgorithm="CRC32")["UploadId"]
    second = s3.create_multipart_upload(Bucket=bucket, Key="up/b")["UploadId"]
    s3.create_multipart_upload(Bucket=bucket, Key="other")
    for number in (3, 1, 2):
        s3.upload_part(Bucket=bucket, Key="up/a", UploadId=first, PartNumber=number, Body=b"p" * number, ChecksumAlgorithm="CRC32")
    parts = s3.list_parts(Bucket=bucket, Key="up/a", UploadId=first, MaxParts=2)
    assert [p["PartNumber"] for p in parts["Parts"]] == [1, 2] and parts["IsTruncated"] and parts["NextPartNumberMarker"] == 2
    assert parts["Parts"][1]["Size"] == 2 and parts["Parts"][1]["ETag"] == '"%s"' % hashlib.md5(b"pp").hexdigest()
    rest = s3.list_parts(Bucket=bucket, Key="up/a", UploadId=first, PartNumberMarker=2)
    assert [p["PartNumber"] for p in rest["Parts"]] == [3] and not rest["IsTruncated"]
    listed = s3.list_multipart_uploads(Bucket=bucket, Prefix="up/")
    assert [(u["Key"], u["UploadId"]) for u in listed["Uploads"]] == [("up/a", first), ("up/b", second)]
    page = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1)
    assert page["IsTruncated"] and [u["Key"] for u in page["Uploads"]] == ["other"]
    after = s3.list_multipart_uploads(Bucket=bucket, KeyMarker=page["NextKeyMarker"], UploadIdMarker=page["NextUploadIdMarker"])
    assert [u["UploadId"] for u in after["Uploads"]] == [first, second]
    with pytest.raises(s3.exceptions.NoSuchUpload):
        s3.list_parts(Bucket=bucket, Key="up/b", UploadId=first)


def test_virtual_host_addressing(bucket):
    port = urllib.parse.urlparse(URL).port
    headers = signed_headers("UNSIGNED-PAYLOAD", {"Host": f"{bucket}.localhost:{port}"})
    status, _, _ = request("PUT", "/dir/virtual%20key", b"virtual", headers)
    assert status == 200
    _, _, stored = request("GET", f"/{bucket}/dir/virtual%20key", headers=signed_headers("UNSIGNED-PAYLOAD"))
    assert stored == b"virtual"
    status, _, listing = request("GET", "/?list-type=2", headers=signed_headers("UNSIGNED-PAYLOAD", {"Host": f"{bucket}.s3.localhost:{port}"}))
    assert status == 200 and b"<Key>dir/virtual key</Key>" in listing
