#!/usr/bin/env python3
"""The one door of every surface (issue 23), against a live daemon started with --test-hooks.

Usage: door_check.py verify   (daemon: --auth verify --credentials AKIAAPIARYTEST000000:apiary-test-secret)
       door_check.py local    (daemon: default parse mode, reached over loopback)
       door_check.py remote ADDRESS   (daemon: --allow-remote --host 0.0.0.0, reached at a non-loopback ADDRESS)
APIARY_URL names the daemon. Last line: "N passed, N failed"; exit status 0 only when nothing failed.
"""
import http.client
import io
import json
import os
import re
import sys
import urllib.parse
import zipfile

import boto3
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

URL = os.environ.get("APIARY_URL", "http://127.0.0.1:4566")
KEY, SECRET = "AKIAAPIARYTEST000000", "apiary-test-secret"
results = {"passed": 0, "failed": 0}


def check(label, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + label + ("" if ok else f"  ({detail})"))


def send(method, path, body=b"", headers=None, sign=None, host=None, base=URL):
    """One request on its own connection; `sign` = (service, secret) signs it with SigV4 for `host`."""
    parsed = urllib.parse.urlparse(base)
    headers = dict(headers or {})
    headers["Host"] = host or parsed.netloc
    if sign:
        request = AWSRequest(method=method, url=f"http://{headers['Host']}{path}", data=body, headers=headers)
        signer = S3SigV4Auth if sign[0] == "s3" else SigV4Auth
        signer(Credentials(KEY, sign[1]), sign[0], "us-east-1").add_auth(request)
        headers = dict(request.headers.items())
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def make_function(name):
    lam = boto3.client("lambda", endpoint_url=URL, region_name="us-east-1", aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("f.py", "def handler(event, context):\n    return 1\n")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::123456789012:role/r", Handler="f.handler",
                        Code={"ZipFile": buffer.getvalue()})
    return lam.get_function(FunctionName=name)["Code"]["Location"]


UNSIGNED_SURFACES = [("GET", "/label/"), ("GET", "/label/api/sources"), ("GET", "/metrics"),
                     ("GET", "/_apiary/lambda/door/code.zip"), ("POST", "/moto-api/reset")]


def verify_mode():
    location = make_function("door")
    for method, path in UNSIGNED_SURFACES:
        status, headers, body = send(method, path)
        check(f"unsigned {method} {path} -> 401", status == 401, f"{status} {body[:120]!r}")
    status, headers, body = send("GET", "/label/")
    check("the UI page offers the sign-in form", b'action="/_apiary/session"' in body, body[:200])
    status, _, body = send("GET", "/metrics", sign=("sagemaker", SECRET))
    check("signed GET /metrics -> 200", status == 200, f"{status} {body[:200]!r}")
    status, _, body = send("GET", "/metrics", sign=("sagemaker", "wrong"))
    check("GET /metrics signed with a wrong secret -> 401", status == 401, status)
    status, _, body = send("GET", "/_apiary/lambda/door/code.zip", sign=("lambda", SECRET))
    check("signed code download -> the zip", status == 200 and body[:2] == b"PK", status)
    path = urllib.parse.urlparse(location)
    status, _, body = send("GET", path.path + "?" + path.query)
    check("GetFunction's Code.Location works unsigned", status == 200 and body[:2] == b"PK", f"{status} {location}")
    status, _, _ = send("GET", path.path + "?token=" + "0" * 64)
    check("a made-up code token -> 401", status == 401, status)

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = send("POST", "/_apiary/session", body=f"access_key_id={KEY}&secret_access_key=wrong".encode(), headers=form)
    check("sign-in with a wrong secret -> 403", status == 403, status)
    status, headers, _ = send("POST", "/_apiary/session", body=f"access_key_id={KEY}&secret_access_key={SECRET}&next=/label/".encode(),
                              headers=form)
    cookie = re.match(r"([^;]+)", headers.get("set-cookie", ""))
    check("sign-in with the credentials -> 303 and an HttpOnly, SameSite=Strict cookie",
          status == 303 and cookie is not None and "HttpOnly" in headers["set-cookie"] and "SameSite=Strict" in headers["set-cookie"],
          f"{status} {headers}")
    session = {"Cookie": cookie.group(1)} if cookie else {}
    status, _, body = send("GET", "/label/", headers=session)
    check("the UI page with the session -> 200", status == 200 and b"<html" in body.lower(), status)
    status, _, body = send("GET", "/label/api/sources", headers=session)
    check("the UI's API with the session -> 200", status == 200 and "datasets" in json.loads(body), status)
    status, _, _ = send("GET", "/label/api/sources", headers={"Cookie": "apiary-session=" + "0" * 64})
    check("a made-up session -> 401", status == 401, status)

    target = {"X-Amz-Target": "SageMaker.ListModels", "Content-Type": "application/x-amz-json-1.1"}
    for label, args in [("SageMaker", dict(method="POST", path="/", body=b"{}", headers=target, sign=("sagemaker", SECRET))),
                        ("S3", dict(method="GET", path="/", sign=("s3", SECRET))),
                        ("Lambda", dict(method="GET", path="/2015-03-31/functions/", sign=("lambda", SECRET))),
                        ("UI", dict(method="GET", path="/label/", headers=session)),
                        ("metrics", dict(method="GET", path="/metrics", sign=("sagemaker", SECRET)))]:
        status, _, body = send(**args, host="attacker.example")
        check(f"{label} signed for Host attacker.example -> 403", status == 403, f"{status} {body[:200]!r}")
        status, _, body = send(**args)
        check(f"{label} signed for the daemon's own host -> 200", status == 200, f"{status} {body[:200]!r}")
    status, _, _ = send("POST", "/moto-api/reset", sign=("sagemaker", SECRET))
    check("signed reset -> 200", status == 200, status)


def local_mode():
    target = {"X-Amz-Target": "SageMaker.ListModels", "Content-Type": "application/x-amz-json-1.1"}
    for method, path in UNSIGNED_SURFACES[:3]:
        status, _, body = send(method, path)
        check(f"loopback {method} {path} -> 200", status == 200, status)
        status, _, body = send(method, path, host="attacker.example")
        check(f"{method} {path} with Host attacker.example -> 403", status == 403, status)
    for label, headers in [("CreateFunction", {}), ("ListModels", target)]:
        path = "/2015-03-31/functions" if label == "CreateFunction" else "/"
        status, _, body = send("POST", path, body=b"{}", headers=headers, sign=("lambda" if label == "CreateFunction" else "sagemaker", "any"),
                               host="attacker.example:80")
        check(f"{label} with any signature for Host attacker.example -> 403", status == 403, f"{status} {body[:200]!r}")
    status, _, _ = send("GET", "/metrics", host="127.0.0.1.attacker.example")
    check("Host 127.0.0.1.attacker.example -> 403", status == 403, status)
    status, _, _ = send("GET", "/metrics", host="localhost")
    check("Host localhost -> 200", status == 200, status)


def remote_mode(address):
    base = f"http://{address}:{urllib.parse.urlparse(URL).port}"
    for method, path in UNSIGNED_SURFACES[:3]:
        for host in [f"{address}", "127.0.0.1"]:
            status, _, body = send(method, path, base=base, host=host)
            check(f"from {address}, {method} {path} with Host {host} -> 403", status == 403, f"{status} {body[:120]!r}")
    status, _, _ = send("GET", "/metrics")
    check("the same daemon over loopback -> 200", status == 200, status)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "verify":
        verify_mode()
    elif mode == "local":
        local_mode()
    else:
        remote_mode(sys.argv[2])
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(0 if results["failed"] == 0 else 1)
