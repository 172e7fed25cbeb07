#!/usr/bin/env python3
"""What a Lambda function's process can reach (issue 23), probed from inside a function on a live daemon.

Usage: lambda_sandbox.py probe     every check below, from the function's own report
       lambda_sandbox.py orphan    a function leaves a child behind; prints its pid (the caller kills the daemon)
APIARY_URL names the daemon, APIARY_HOME its data directory. Last line of `probe`: "N passed, N failed".
"""
import io
import json
import os
import sys
import zipfile

import boto3

URL = os.environ.get("APIARY_URL", "http://127.0.0.1:4566")
HOME = os.environ["APIARY_HOME"]

PROBE = r'''
import json, os

def attempt(action):
    try:
        action()
        return "allowed"
    except OSError as error:
        return type(error).__name__

def handler(event, context):
    home = event["home"]
    def write():
        with open(os.path.join(home, "s3", event["bucket"], "planted"), "w") as f:
            f.write("x")
    return {
        "uid": os.getuid(),
        "cwd": os.getcwd(),
        "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
        "environment": sorted(os.environ),
        "state": attempt(lambda: open(os.path.join(home, "state.sqlite"), "rb").read(1)),
        "labels": attempt(lambda: open(os.path.join(home, "labels.sqlite"), "rb").read(1)),
        "buckets": attempt(lambda: os.listdir(os.path.join(home, "s3"))),
        "bucket": attempt(lambda: os.listdir(os.path.join(home, "s3", event["bucket"]))),
        "plant": attempt(write),
        "home": attempt(lambda: os.listdir(home)),
        "tmp": attempt(lambda: open(os.path.join(os.environ["TMPDIR"], "scratch"), "w").write("ok")),
    }
'''

ORPHAN = r'''
import subprocess

def handler(event, context):
    return {"pid": subprocess.Popen(["sleep", "600"], start_new_session=False).pid}
'''

# What Lambda defines (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
# plus Apiary's AWS_ENDPOINT_URL and the runtime's own PYTHONPATH/PYTHONUNBUFFERED.
LAMBDA_VARIABLES = {
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "LANG", "PATH", "TZ", "HOME", "TMPDIR", "AWS_ENDPOINT_URL", "PYTHONPATH",
    "PYTHONUNBUFFERED", "LC_CTYPE",
}
results = {"passed": 0, "failed": 0}


def check(label, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + label + ("" if ok else f"  ({detail})"))


def function(name, source):
    lam = boto3.client("lambda", endpoint_url=URL, region_name="us-east-1")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("f.py", source)
    lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::123456789012:role/r", Handler="f.handler",
                        Code={"ZipFile": buffer.getvalue()}, Timeout=30)
    return lam


def invoke(lam, name, event):
    answer = lam.invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return json.loads(answer["Payload"].read())


def probe():
    s3 = boto3.client("s3", endpoint_url=URL, region_name="us-east-1")
    s3.create_bucket(Bucket="someone-elses")
    s3.put_object(Bucket="someone-elses", Key="secret.txt", Body=b"secret")
    lam = function("probe", PROBE)
    report = invoke(lam, "probe", {"home": HOME, "bucket": "someone-elses"})
    print(json.dumps(report, indent=1))
    root = os.geteuid() == 0
    check("the function runs as an unprivileged user (the daemon is root)", not root or report.get("uid", 0) != 0, report.get("uid"))
    check("no descriptor of the daemon is inherited (only 0, 1, 2 and the listing's own)", len(report.get("fds", [])) <= 4, report.get("fds"))
    check("it runs in its own code directory", report.get("cwd", "").endswith("/task"), report.get("cwd"))
    extra = set(report.get("environment", [])) - LAMBDA_VARIABLES
    check("only Lambda's environment", not extra, extra)
    for key in ["state", "labels", "buckets", "bucket", "plant", "home"]:
        check(f"{key}: refused", report.get(key) == "PermissionError", report.get(key))
    check("its own TMPDIR is writable", report.get("tmp") == "allowed", report.get("tmp"))
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="someone-elses").get("Contents", [])]
    check("nothing planted in the other bucket", keys == ["secret.txt"], keys)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


def orphan():
    lam = function("orphan", ORPHAN)
    print(invoke(lam, "orphan", {})["pid"])
    return 0


if __name__ == "__main__":
    sys.exit(probe() if sys.argv[1] == "probe" else orphan())
