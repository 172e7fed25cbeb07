"""Lambda with unmodified boto3: the control plane, Invoke (RequestResponse, Event, DryRun), tail logs, handler
errors, init errors, timeouts and MemorySize, function logs in CloudWatch Logs, run by warm python3 execution
environments over the Runtime API, and provided.* runtimes running a bash `bootstrap`."""
import base64
import io
import json
import os
import re
import urllib.request
import zipfile

import pytest
from botocore.exceptions import ClientError

from conftest import client

ROLE = "arn:aws:iam::123456789012:role/lambda-role"

HANDLER = '''
import json, os, time
import boto3

CALLS = {"count": 0}
print("initializing the hive")

def handler(event, context):
    CALLS["count"] += 1
    action = event.get("action")
    if action == "fail":
        raise RuntimeError("the hive is empty")
    if action == "crash":
        os._exit(3)
    if action == "sleep":
        time.sleep(event["seconds"])
    if action == "allocate":
        return len(b"\x01" * (event["megabytes"] << 20))
    if action == "env":
        return {key: os.environ.get(key) for key in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
                "AWS_ENDPOINT_URL", "HOME", "TMPDIR", "AWS_PROFILE", "ENDPOINT_NAME", "AWS_LAMBDA_LOG_STREAM_NAME"]}
    if action == "callback":
        return {"functions": [f["FunctionName"] for f in boto3.client("lambda").list_functions()["Functions"]]}
    print("handling", json.dumps(event))
    return {"echo": event, "calls": CALLS["count"], "requestId": context.aws_request_id,
            "remaining": context.get_remaining_time_in_millis() > 0}
'''


def package(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return buffer.getvalue()


def tail(answer):
    return base64.b64decode(answer["LogResult"]).decode()


def max_memory_used(log):
    return int(re.search(r"Max Memory Used: (\d+) MB", log).group(1))


@pytest.fixture
def lam():
    return client("lambda")


@pytest.fixture
def function(lam, name):
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": package({"app.py": HANDLER})}, Timeout=2,
                        Environment={"Variables": {"ENDPOINT_NAME": "bees"}})
    yield name
    lam.delete_function(FunctionName=name)


def invoke(lam, name, event, **extra):
    answer = lam.invoke(FunctionName=name, Payload=json.dumps(event).encode(), **extra)
    return answer, json.loads(answer["Payload"].read() or b"null")


def test_control_plane(lam, function):
    configuration = lam.get_function_configuration(FunctionName=function)
    assert configuration["State"] == "Active" and configuration["Runtime"] == "python3.12"
    assert configuration["FunctionArn"] == f"arn:aws:lambda:us-east-1:123456789012:function:{function}"
    assert configuration["Timeout"] == 2 and configuration["MemorySize"] == 128 and configuration["CodeSize"] > 0
    got = lam.get_function(FunctionName=configuration["FunctionArn"])
    assert got["Configuration"]["CodeSha256"] == configuration["CodeSha256"]
    assert got["Code"]["Location"].split("?")[0].endswith(f"/{function}/code.zip"), "a link signed for this daemon run, as AWS presigns it"
    with urllib.request.urlopen(got["Code"]["Location"], timeout=30) as download:
        assert download.read()[:2] == b"PK"
    assert function in [f["FunctionName"] for f in lam.get_paginator("list_functions").paginate().build_full_result()["Functions"]]
    lam.get_waiter("function_active_v2").wait(FunctionName=function)
    with pytest.raises(ClientError) as duplicate:
        lam.create_function(FunctionName=function, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": package({"app.py": HANDLER})})
    assert duplicate.value.response["Error"]["Code"] == "ResourceConflictException"
    with pytest.raises(ClientError) as missing:
        lam.get_function(FunctionName="no-such-function")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as runtime:
        lam.create_function(FunctionName=function + "-node", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                            Code={"ZipFile": package({"index.js": ""})})
    assert runtime.value.response["Error"]["Code"] == "InvalidParameterValueException"
    with pytest.raises(ClientError) as reserved:
        lam.update_function_configuration(FunctionName=function, Environment={"Variables": {"AWS_REGION": "x"}})
    assert reserved.value.response["Error"]["Code"] == "InvalidParameterValueException"


def test_invoke_is_warm_and_tails_logs(lam, function):
    answer, first = invoke(lam, function, {"bee": 1}, LogType="Tail")
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer and answer["ExecutedVersion"] == "$LATEST"
    assert first["echo"] == {"bee": 1} and first["remaining"]
    log = base64.b64decode(answer["LogResult"]).decode()
    assert log.startswith(f"START RequestId: {first['requestId']}") and 'handling {"bee": 1}' in log and "REPORT RequestId" in log
    _, second = invoke(lam, function, {"bee": 2})
    assert second["calls"] == 2, "the second invoke reuses the warm environment"
    _, environment = invoke(lam, function, {"action": "env"})
    assert environment["AWS_REGION"] == environment["AWS_DEFAULT_REGION"] == "us-east-1"
    assert environment["AWS_ACCESS_KEY_ID"] == "test" and environment["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    assert environment["AWS_PROFILE"] is None and environment["ENDPOINT_NAME"] == "bees"
    assert "/environments/" in environment["HOME"] and environment["TMPDIR"] != "/tmp"
    _, called = invoke(lam, function, {"action": "callback"})
    assert function in called["functions"], "the handler reaches the daemon through AWS_ENDPOINT_URL"


def test_function_errors_are_200_with_the_error_header(lam, function):
    answer, error = invoke(lam, function, {"action": "fail"}, LogType="Tail")
    assert answer["StatusCode"] == 200 and answer["FunctionError"] == "Unhandled"
    assert error["errorType"] == "RuntimeError" and error["errorMessage"] == "the hive is empty"
    assert "[ERROR] RuntimeError: the hive is empty" in base64.b64decode(answer["LogResult"]).decode()
    answer, timed_out = invoke(lam, function, {"action": "sleep", "seconds": 30}, LogType="Tail")
    assert answer["FunctionError"] == "Unhandled" and timed_out["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 2.00 seconds" in base64.b64decode(answer["LogResult"]).decode()
    _, after = invoke(lam, function, {"bee": 3})
    assert after["calls"] == 1, "a timed-out environment is replaced by a fresh one"
    answer, crashed = invoke(lam, function, {"action": "crash"})
    assert answer["FunctionError"] == "Unhandled" and crashed["errorType"] == "Runtime.ExitError"
    assert "exit status 3" in crashed["errorMessage"]
    assert invoke(lam, function, {"bee": 4})[1]["calls"] == 1, "a crashed runtime is replaced"


def test_init_errors_and_updates(lam, function):
    lam.update_function_configuration(FunctionName=function, Handler="nope.handler")
    answer, error = invoke(lam, function, {})
    assert answer["FunctionError"] == "Unhandled" and error["errorType"] == "Runtime.ImportModuleError"
    lam.update_function_configuration(FunctionName=function, Handler="app.handler", Timeout=5)
    lam.update_function_code(FunctionName=function, ZipFile=package({"app.py": "def handler(event, context):\n    return 'v2'\n"}))
    assert invoke(lam, function, {})[1] == "v2"


def test_invocation_types_and_limits(lam, function):
    assert lam.invoke(FunctionName=function, InvocationType="DryRun")["StatusCode"] == 204
    assert lam.invoke(FunctionName=function, InvocationType="Event", Payload=b"{}")["StatusCode"] == 202
    with pytest.raises(ClientError) as large:
        lam.invoke(FunctionName=function, Payload=b'"' + b"x" * 6_291_456 + b'"')
    assert large.value.response["Error"]["Code"] == "RequestTooLargeException"
    with pytest.raises(ClientError) as bad:
        lam.invoke(FunctionName=function, Payload=b"not json")
    assert bad.value.response["Error"]["Code"] == "InvalidRequestContentException"


def test_permissions_are_stored(lam, function):
    statement = json.loads(lam.add_permission(FunctionName=function, StatementId="apigw", Action="lambda:InvokeFunction",
                                              Principal="apigateway.amazonaws.com")["Statement"])
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert json.loads(lam.get_policy(FunctionName=function)["Policy"])["Statement"][0]["Sid"] == "apigw"
    with pytest.raises(ClientError) as duplicate:
        lam.add_permission(FunctionName=function, StatementId="apigw", Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com")
    assert duplicate.value.response["Error"]["Code"] == "ResourceConflictException"
    lam.remove_permission(FunctionName=function, StatementId="apigw")


def test_memory_size_is_enforced(lam, function):
    answer, small = invoke(lam, function, {"action": "allocate", "megabytes": 30}, LogType="Tail")
    assert small == 30 << 20 and "FunctionError" not in answer, "a normal handler runs within 128 MB"
    assert 30 < max_memory_used(tail(answer)) < 128, tail(answer)
    answer, error = invoke(lam, function, {"action": "allocate", "megabytes": 300}, LogType="Tail")
    assert answer["StatusCode"] == 200 and answer["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.OutOfMemory", error
    assert error["errorMessage"].endswith("Error: Runtime exited with error: signal: killed")
    log = tail(answer)
    assert "Runtime.OutOfMemory" in log and "Memory Size: 128 MB\tMax Memory Used: 128 MB" in log, log
    answer, after = invoke(lam, function, {"bee": 5}, LogType="Tail")
    assert after["calls"] == 1, "the killed environment is replaced"
    assert "Init Duration: " in tail(answer), "a fresh environment reports its init"


def test_function_logs_go_to_cloudwatch(lam, function):
    logs = client("logs")
    _, first = invoke(lam, function, {"bee": "logged"})
    _, environment = invoke(lam, function, {"action": "env"})
    group = f"/aws/lambda/{function}"
    assert group in [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]]
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert [s["logStreamName"] for s in streams] == [environment["AWS_LAMBDA_LOG_STREAM_NAME"]]
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", streams[0]["logStreamName"])
    events = logs.get_log_events(logGroupName=group, logStreamName=streams[0]["logStreamName"], startFromHead=True)["events"]
    messages = [e["message"] for e in events]
    request = first["requestId"]
    assert messages[:4] == ["initializing the hive", f"START RequestId: {request} Version: $LATEST", 'handling {"bee": "logged"}',
                            f"END RequestId: {request}"], "init output comes before START"
    assert messages[4].startswith(f"REPORT RequestId: {request}\tDuration: ") and "\tInit Duration: " in messages[4]
    assert len([m for m in messages if m.startswith("REPORT")]) == 2
    reports = logs.filter_log_events(logGroupName=group, filterPattern="REPORT")["events"]
    assert [e["logStreamName"] for e in reports] == [streams[0]["logStreamName"]] * 2
    assert logs.filter_log_events(logGroupName=group, filterPattern='"handling" -nothing')["events"][0]["message"].startswith("handling")
    paged = logs.get_paginator("filter_log_events").paginate(logGroupName=group, PaginationConfig={"PageSize": 3}).build_full_result()
    assert [e["message"] for e in paged["events"]] == messages
    with pytest.raises(ClientError) as missing:
        logs.filter_log_events(logGroupName="/aws/lambda/no-such-function")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    for wrong in [{"logStreamNames": ["a"], "logStreamNamePrefix": "b"}, {"filterPattern": "{ $.level = \"ERROR\" }"}]:
        with pytest.raises(ClientError) as refused:
            logs.filter_log_events(logGroupName=group, **wrong)
        assert refused.value.response["Error"]["Code"] == "InvalidParameterException"


BOOTSTRAP = r"""#!/bin/bash
set -euo pipefail
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
echo "bootstrap for ${_HANDLER} in ${AWS_EXECUTION_ENV}"
if [ "${FAIL_INIT:-}" = "yes" ]; then
  curl -sS -X POST "$API/init/error" -H "Lambda-Runtime-Function-Error-Type: Runtime.InitError" \
    -d '{"errorMessage": "no configuration", "errorType": "Runtime.InitError"}' >/dev/null
  exit 1
fi
HEADERS="$TMPDIR/headers"
while true; do
  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")
  ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')
  echo "handling $ID"
  curl -sS -X POST "$API/invocation/$ID/response" -d "{\"echo\": $EVENT, \"env\": \"$AWS_EXECUTION_ENV\", \"pid\": $$}" >/dev/null
done
"""


def bootstrap_package():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        archive.writestr(info, BOOTSTRAP)
    return buffer.getvalue()


@pytest.mark.parametrize("runtime", ["provided.al2023", "provided.al2"])
def test_provided_runtime_runs_its_bootstrap(lam, name, runtime):
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="function.handler",
                        Code={"ZipFile": bootstrap_package()}, Timeout=5)
    try:
        answer, first = invoke(lam, name, {"bee": 1}, LogType="Tail")
        assert "FunctionError" not in answer, first
        assert first["echo"] == {"bee": 1} and first["env"] == f"AWS_Lambda_{runtime}"
        assert "handling " in tail(answer)
        _, second = invoke(lam, name, {"bee": 2})
        assert second["echo"] == {"bee": 2} and second["pid"] == first["pid"], "the bootstrap stays warm"
        lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"FAIL_INIT": "yes"}})
        answer, error = invoke(lam, name, {})
        assert answer["FunctionError"] == "Unhandled"
        assert error == {"errorMessage": "no configuration", "errorType": "Runtime.InitError"}, "/runtime/init/error is the invoke's error"
    finally:
        lam.delete_function(FunctionName=name)


def with_links(links, files=None, files_after=None, compression=zipfile.ZIP_STORED):
    """A zip holding `files`, symbolic links path → target (Unix mode 0o120777 in the entry's external attributes)
    stored with `compression`, then `files_after`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in (files or {}).items():
            archive.writestr(path, text)
        for path, target in links.items():
            entry = zipfile.ZipInfo(path)
            entry.create_system = 3
            entry.external_attr = 0o120777 << 16
            entry.compress_type = compression
            archive.writestr(entry, target)
        for path, text in (files_after or {}).items():
            archive.writestr(path, text)
    return buffer.getvalue()


def test_links_and_entries_out_of_the_package_are_refused(lam, name):
    # Symbolic links are refused wherever they point, before anything is unpacked: a deflated link, a link followed by
    # a file to be written through it, a link that stays inside the package.
    for linked in [with_links({"leak": "/etc/passwd"}, {"app.py": "x = 1\n"}),
                    with_links({"leak": "../" * 40 + "etc/passwd"}, compression=zipfile.ZIP_DEFLATED),
                    with_links({"leak": "/tmp"}, {"app.py": "x = 1\n"}, {"leak/planted.txt": "planted"}),
                    with_links({"leak": "lib/real.py"}, {"lib/real.py": "def handler(e, c):\n    return 7\n"})]:
        with pytest.raises(ClientError) as refused:
            lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler", Code={"ZipFile": linked})
        assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
        assert "symbolic link 'leak'" in refused.value.response["Error"]["Message"]
    assert not os.path.exists("/tmp/planted.txt")
    # Zip-slip: an entry whose path is absolute or climbs out with '..'.
    planted = f"tmp/apiary-zip-slip-{name}"
    for path in ["../" * 40 + planted, "/" + planted, "lib/../../" + "../" * 40 + planted]:
        with pytest.raises(ClientError) as refused:
            lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": package({"app.py": "x = 1\n", path: "planted"})})
        assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException", path
        assert f"entry '{path}' is outside the function's directory" in refused.value.response["Error"]["Message"]
    assert not os.path.exists("/" + planted)
    # Not a zip at all.
    with pytest.raises(ClientError) as refused:
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler", Code={"ZipFile": b"PK\x03\x04 no zip"})
    assert refused.value.response["Error"] == {"Code": "InvalidParameterValueException",
                                               "Message": "Could not unzip uploaded file. Please check your file, then try to upload again."}
    # UpdateFunctionCode refuses the same, and the function keeps its code.
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": package({"app.py": "def handler(e, c):\n    return 7\n"})})
    try:
        for bad in [with_links({"app.py": "/etc/passwd"}), package({"../" * 40 + planted: "planted"})]:
            with pytest.raises(ClientError) as refused:
                lam.update_function_code(FunctionName=name, ZipFile=bad)
            assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
        assert not os.path.exists("/" + planted)
        assert invoke(lam, name, {})[1] == 7
    finally:
        lam.delete_function(FunctionName=name)
