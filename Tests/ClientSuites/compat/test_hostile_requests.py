"""Single requests that once took the daemon down (issue 23), sent over loopback to a live daemon: each gets an answer
in its protocol's error shape, and the daemon keeps answering afterwards."""
import json
import socket
import time
import urllib.parse

import pytest
from botocore.exceptions import ClientError

from conftest import URL, client
from s3_wire import request, signed_headers
from test_apigateway import api, call  # noqa: F401 (the fixture)
from test_sagemaker_control_plane import training_request, wait_for

HOST = urllib.parse.urlparse(URL)


def still_serving():
    assert "TrainingJobSummaries" in client("sagemaker").list_training_jobs()


def json11(target, body, service="sagemaker"):
    """A JSON 1.1 call with a well-formed (unverified) signature, over plain HTTP."""
    now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1", "X-Amz-Date": now,
               "Authorization": f"AWS4-HMAC-SHA256 Credential=AKIAAPIARYTEST000000/{now[:8]}/us-east-1/{service}/aws4_request, "
               f"SignedHeaders=host;x-amz-date, Signature={'0' * 64}"}
    status, _, data = request("POST", "/", body=body, headers=headers)
    return status, json.loads(data)


def test_a_query_of_only_an_equals_sign_reaches_the_function(api):  # noqa: F811
    for query in ["=", "=&threshold=0.5", "&&="]:
        status, _, body = call(f"{URL}/_aws/execute-api/{api}/prod/items/7?{query}", data=b"{}")
        assert status == 201, (query, body)
        assert json.loads(body)["queryStringParameters"][""] == ""
    still_serving()


def test_log_tokens_at_the_ends_of_int64(sm, logs, name):
    sm.create_training_job(**training_request(name))
    wait_for(sm, name, {"Failed"})
    group = "/aws/sagemaker/TrainingJobs"
    stream = logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=name + "/")["logStreams"][0]["logStreamName"]
    ahead = logs.get_log_events(logGroupName=group, logStreamName=stream, nextToken="f/9223372036854775807")
    assert ahead["events"] == []
    for token in ["b/-9223372036854775808", "f/-1"]:
        with pytest.raises(ClientError) as refused:
            logs.get_log_events(logGroupName=group, logStreamName=stream, nextToken=token)
        assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert logs.describe_log_streams(logGroupName=group, nextToken="9223372036854775807")["logStreams"] == []
    still_serving()


def test_signed_chunk_sizes_are_refused_and_end_the_connection(s3, bucket):
    for size in [b"-5", b"-8000000000000", b"+3"]:
        body = size + b"\r\nabc\r\n0\r\n\r\n"
        sock = socket.create_connection((HOST.hostname, HOST.port), timeout=30)
        headers = signed_headers("STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                                 {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "3",
                                  "Content-Length": str(len(body)), "Host": HOST.netloc})
        head = f"PUT /{bucket}/k HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode() + body)
        answer = b""
        while chunk := sock.recv(65536):  # the daemon closes the connection after its answer
            answer += chunk
        sock.close()
        assert answer.startswith(b"HTTP/1.1 400") and b"<Code>IncompleteBody</Code>" in answer, answer
        assert b"connection: close" in answer.lower()
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="k")
    still_serving()


def test_deeply_nested_json_is_a_serialization_error():
    depth = 200_000
    status, error = json11("SageMaker.ListModels", b'{"a":' + b"[" * depth + b"]" * depth + b"}")
    assert status == 400 and error["__type"].endswith("SerializationException") and "deeper than" in error["message"], error
    status, error = json11("Logs_20140328.DescribeLogGroups", b"{" * depth, service="logs")
    assert status == 400 and error["__type"].endswith("SerializationException"), error
    still_serving()


def test_an_oversized_xml_body_is_answered_and_the_connection_closed(bucket):
    body = b"<Delete>" + b"<Object><Key>k</Key></Object>" * 110_000 + b"</Delete>"  # over S3's 2 MiB XML limit
    sock = socket.create_connection((HOST.hostname, HOST.port), timeout=30)
    headers = signed_headers("UNSIGNED-PAYLOAD", {"Content-Length": str(len(body)), "Host": HOST.netloc,
                                                  "Content-Type": "application/xml"})
    head = f"POST /{bucket}?delete HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    try:
        sock.sendall(head.encode() + body)
    except OSError:
        pass  # the daemon stopped reading once it had its answer; the answer is still there to read
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except ConnectionResetError:
        pass
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400") and b"MaxMessageLengthExceeded" in answer, answer[:300]
    assert b"connection: close" in answer.lower()
    still_serving()


def test_lambda_markers_out_of_range():
    """Found by Tests/ClientSuites/fuzz/wire_fuzz.py (seed 10): a negative Marker trapped in the list's slice."""
    lam = client("lambda")
    with pytest.raises(ClientError) as refused:
        lam.list_functions(Marker="-5")
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert lam.list_functions(Marker="9223372036854775807")["Functions"] == []
    still_serving()
