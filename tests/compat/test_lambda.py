"""Lambda with unmodified boto3: the control plane, Invoke (RequestResponse, Event, DryRun), tail logs, handler
errors, init errors and timeouts, run by warm python3 execution environments over the Runtime API."""
import base64
import io
import json
import zipfile

import pytest
from botocore.exceptions import ClientError

from conftest import client

ROLE = "arn:aws:iam::123456789012:role/lambda-role"

HANDLER = '''
import json, os, time
import boto3

CALLS = {"count": 0}

def handler(event, context):
    CALLS["count"] += 1
    action = event.get("action")
    if action == "fail":
        raise RuntimeError("the hive is empty")
    if action == "crash":
        os._exit(3)
    if action == "sleep":
        time.sleep(event["seconds"])
    if action == "env":
        return {key: os.environ.get(key) for key in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
                "AWS_ENDPOINT_URL", "HOME", "TMPDIR", "AWS_PROFILE", "ENDPOINT_NAME"]}
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
    assert got["Code"]["Location"].endswith(f"/{function}/code.zip")
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
    assert "/lambda/environments/" in environment["HOME"] and environment["TMPDIR"] != "/tmp"
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
