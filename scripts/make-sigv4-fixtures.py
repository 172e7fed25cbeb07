#!/usr/bin/env python3
"""Generate Tests/AWSProtocolTests/Fixtures/sigv4.json: requests signed by real botocore.

Usage (from the repository root; needs botocore, `pip install botocore`):

    python3 scripts/make-sigv4-fixtures.py            # writes the fixture
    python3 scripts/make-sigv4-fixtures.py --check    # fails if the committed fixture differs

Each request is signed by botocore's own `SigV4Auth` (or `S3SigV4Auth`) with fixed credentials at a fixed
time, so Apiary's verifier and signer are checked against the reference implementation, not against a
re-derivation of the algorithm. Per request the fixture holds:

- `headersBeforeSigning`: what botocore was given to sign (the Swift signer gets these plus `Host`);
- `wireHeaders`: what an HTTP client then sends: the signed headers, `Host` (botocore derives it from the URL
  while signing), and headers that botocore adds after signing or never signs (`amz-sdk-*`, `Content-Length`,
  `Accept-Encoding`, `User-Agent`);
- `rawPath` / `rawQuery`: the request target exactly as sent (percent-encoded once);
- `canonicalRequest` and `authorization`: botocore's canonical request and `Authorization` header.
"""

import argparse
import base64
import datetime
import json
import pathlib
import sys
from unittest import mock
from urllib.parse import urlsplit

import botocore.auth
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "Tests/AWSProtocolTests/Fixtures/sigv4.json"
SIGNING_TIME = datetime.datetime(2026, 11, 29, 14, 43, 17)
HOST = "localhost:4566"
ACCESS_KEY, SECRET_KEY = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_ACCESS_KEY, SESSION_SECRET_KEY = "ASIAEXAMPLESESSION01", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQExampleSessionToken="
# Headers that boto3 and urllib3 add after signing (spec §1's capture).
WIRE_ONLY = [
    ("Accept-Encoding", "identity"),
    ("amz-sdk-invocation-id", "6fc9e53f-7c1a-4d39-9d6e-6a3f1c2b8e10"),
    ("amz-sdk-request", "attempt=1"),
]
# Not a real JPEG, but bytes that are not UTF-8 either (SOI marker, JFIF header, a 0x00 and 0xFF run).
IMAGE = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + b"JFIF\x00" + bytes(range(256)) + bytes([0xFF, 0xD9])


def capturing(auth_class):
    """`auth_class` that remembers the canonical request it signed."""

    class Capturing(auth_class):
        def canonical_request(self, request):
            self.captured = super().canonical_request(request)
            return self.captured

    return Capturing


def sign(name, method, path, headers, body=b"", query="", service="sagemaker", s3=False, session=False,
         unsigned_payload=False):
    url = f"http://{HOST}{path}" + (f"?{query}" if query else "")
    before = list(headers) + [("User-Agent", "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux")]
    request = AWSRequest(method=method, url=url, headers=dict(before), data=body)
    if unsigned_payload:
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    if session:
        credentials = Credentials(SESSION_ACCESS_KEY, SESSION_SECRET_KEY, SESSION_TOKEN)
    else:
        credentials = Credentials(ACCESS_KEY, SECRET_KEY)
    auth = capturing(S3SigV4Auth if s3 else SigV4Auth)(credentials, service, "us-east-1")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=SIGNING_TIME):
        auth.add_auth(request)
    wire = list(request.headers.items()) + [("Host", HOST), ("Content-Length", str(len(body)))] + WIRE_ONLY
    return {
        "name": name,
        "method": method,
        "rawPath": urlsplit(url).path,
        "rawQuery": urlsplit(url).query,
        "service": service,
        "region": "us-east-1",
        "s3": s3,
        "accessKeyId": credentials.access_key,
        "sessionToken": credentials.token,
        "headersBeforeSigning": [list(h) for h in before],
        "wireHeaders": [list(h) for h in wire],
        "bodyBase64": base64.b64encode(body).decode(),
        "canonicalRequest": auth.captured,
        "authorization": request.headers["Authorization"],
    }


def fixtures():
    json_headers = [("X-Amz-Target", "SageMaker.ListTrainingJobs"), ("Content-Type", "application/x-amz-json-1.1")]
    list_body = b'{"MaxResults": 1, "CreationTimeAfter": 1704067200, "SortBy": "CreationTime"}'
    runtime_headers = [
        ("Content-Type", "image/jpeg"),
        ("Accept", "application/json"),
        # Leading, trailing and inner runs of spaces: the canonical form trims and collapses them.
        ("X-Amzn-SageMaker-Custom-Attributes", "  a=b,   c=d  "),
        ("X-Amzn-SageMaker-Target-Variant", "AllTraffic"),
    ]
    requests = [
        sign("control plane", "POST", "/", json_headers, list_body),
        sign("runtime invocation", "POST", "/endpoints/bees/invocations", runtime_headers, IMAGE),
        sign("path needing encoding", "POST", "/endpoints/caf%C3%A9%20bees%2Fv1%3A2/invocations",
             runtime_headers[:2], IMAGE),
        sign("path with dot segments and empty segments", "GET", "/a/./b/../c//d%7E/", []),
        sign("query string", "GET", "/list",
             [("Accept", "application/json")],
             query="max-keys=2&prefix=train%2Fimages%20a&b=x~y&a=2&a=1&flag&empty="),
        sign("session token", "POST", "/",
             [("X-Amz-Target", "SageMaker.DescribeTrainingJob"), ("Content-Type", "application/x-amz-json-1.1")],
             b'{"TrainingJobName": "bees-1"}', session=True),
        sign("s3 single-encoded path", "PUT", "/bees/train/images%20v2/a%2Bb~c.jpg",
             [("Content-Type", "image/jpeg")], IMAGE, service="s3", s3=True),
        sign("s3 unsigned payload", "PUT", "/bees/dir//x%20y.jpg", [("Content-Type", "image/jpeg")], IMAGE,
             query="x-id=PutObject", service="s3", s3=True, unsigned_payload=True),
    ]
    return {
        "signingTime": SIGNING_TIME.strftime("%Y%m%dT%H%M%SZ"),
        "credentials": {ACCESS_KEY: SECRET_KEY, SESSION_ACCESS_KEY: SESSION_SECRET_KEY},
        "requests": requests,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed fixture differs")
    args = parser.parse_args()
    text = json.dumps(fixtures(), indent=1, sort_keys=True) + "\n"
    if args.check:
        if FIXTURE.read_text() != text:
            sys.exit(f"{FIXTURE} is stale: run scripts/make-sigv4-fixtures.py")
        return
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(text)
    print(f"wrote {FIXTURE} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
