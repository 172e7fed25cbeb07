"""API Gateway REST v1 with unmodified boto3 and plain HTTP: an AWS_PROXY integration to a Lambda function, the
proxy event and response formats, binary media types, the invoke URL forms, and AWS's 403/502 answers."""
import base64
import concurrent.futures
import io
import json
import urllib.error
import urllib.request
import zipfile

import pytest
from botocore.exceptions import ClientError

from conftest import URL, client

ECHO = '''
import base64, json

def handler(event, context):
    if event["path"].endswith("/fail"):
        raise ValueError("no bees here")
    if event["path"].endswith("/malformed"):
        return {"statusCode": 200, "bogus": True}
    if event["path"].endswith("/png"):
        return {"statusCode": 200, "headers": {"Content-Type": "image/png"}, "isBase64Encoded": True,
                "body": base64.b64encode(b"\\x89PNG raw").decode()}
    return {"statusCode": 201, "headers": {"X-Bee": "yes"}, "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
            "body": json.dumps({key: event[key] for key in ["resource", "path", "httpMethod", "pathParameters",
                                "queryStringParameters", "body", "isBase64Encoded"]} | {"stage": event["requestContext"]["stage"],
                                "contentType": event["headers"].get("Content-Type")})}
'''


def package(text):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("echo.py", text)
    return buffer.getvalue()


def call(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def api(name):
    lam, gateway = client("lambda"), client("apigateway")
    arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::123456789012:role/r",
                              Handler="echo.handler", Code={"ZipFile": package(ECHO)})["FunctionArn"]
    api_id = gateway.create_rest_api(name=name, binaryMediaTypes=["image/jpeg"])["id"]
    root = [r for r in gateway.get_resources(restApiId=api_id)["items"] if r["path"] == "/"][0]["id"]
    items = gateway.create_resource(restApiId=api_id, parentId=root, pathPart="items")["id"]
    item = gateway.create_resource(restApiId=api_id, parentId=items, pathPart="{item}")["id"]
    proxy = gateway.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")["id"]
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"
    for resource, verb in [(item, "POST"), (proxy, "ANY")]:
        gateway.put_method(restApiId=api_id, resourceId=resource, httpMethod=verb, authorizationType="NONE")
        gateway.put_integration(restApiId=api_id, resourceId=resource, httpMethod=verb, type="AWS_PROXY",
                                integrationHttpMethod="POST", uri=uri)
    gateway.update_rest_api(restApiId=api_id, patchOperations=[{"op": "add", "path": "/binaryMediaTypes/image~1png"}])
    gateway.create_deployment(restApiId=api_id, stageName="prod")
    yield api_id
    gateway.delete_rest_api(restApiId=api_id)
    lam.delete_function(FunctionName=name)


def test_control_plane(api):
    gateway = client("apigateway")
    described = gateway.get_rest_api(restApiId=api)
    assert described["binaryMediaTypes"] == ["image/jpeg", "image/png"] and len(api) == 10
    paths = sorted(r["path"] for r in gateway.get_resources(restApiId=api)["items"])
    assert paths == ["/", "/items", "/items/{item}", "/{proxy+}"]
    assert [s["stageName"] for s in gateway.get_stages(restApiId=api)["item"]] == ["prod"]
    with pytest.raises(ClientError) as missing:
        gateway.get_rest_api(restApiId="nope")
    assert missing.value.response["Error"]["Code"] == "NotFoundException"


def test_proxy_event_and_response(api):
    status, headers, body = call(f"{URL}/_aws/execute-api/{api}/prod/items/42?threshold=0.6", data=b'{"x": 1}',
                                 headers={"Content-Type": "application/json"})
    assert status == 201 and headers["X-Bee"] == "yes"
    event = json.loads(body)
    assert event == {"resource": "/items/{item}", "path": "/items/42", "httpMethod": "POST", "pathParameters": {"item": "42"},
                     "queryStringParameters": {"threshold": "0.6"}, "body": '{"x": 1}', "isBase64Encoded": False,
                     "stage": "prod", "contentType": "application/json"}
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x80, 0x81])
    for url in [f"{URL}/restapis/{api}/prod/_user_request_/a/b", f"{URL}/_aws/execute-api/{api}/prod/a/b"]:
        status, _, body = call(url, data=jpeg, headers={"Content-Type": "image/jpeg"}, method="PUT")
        event = json.loads(body)
        assert status == 201 and event["resource"] == "/{proxy+}" and event["pathParameters"] == {"proxy": "a/b"}
        assert event["isBase64Encoded"] and base64.b64decode(event["body"]) == jpeg
    host = URL.split("//")[1]
    status, _, body = call(f"{URL}/prod/a", headers={"Host": f"{api}.execute-api.localhost:{host.split(':')[1]}"})
    assert status == 201 and json.loads(body)["path"] == "/a" and json.loads(body)["body"] is None
    status, headers, body = call(f"{URL}/_aws/execute-api/{api}/prod/png", headers={"Accept": "image/png"})
    assert status == 200 and body == b"\x89PNG raw" and headers["Content-Type"] == "image/png"


def test_gateway_errors(api):
    status, headers, body = call(f"{URL}/_aws/execute-api/{api}/prod/items")
    assert status == 403 and json.loads(body) == {"message": "Missing Authentication Token"}
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert call(f"{URL}/_aws/execute-api/{api}/dev/items/1", data=b"{}")[0] == 403
    for path in ["fail", "malformed"]:
        status, _, body = call(f"{URL}/_aws/execute-api/{api}/prod/{path}")
        assert status == 502 and json.loads(body) == {"message": "Internal server error"}


def test_two_hundred_concurrent_calls(api):
    def one(index):
        return call(f"{URL}/_aws/execute-api/{api}/prod/items/{index}", data=b"{}", headers={"Content-Type": "application/json"})

    with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
        answers = list(pool.map(one, range(200)))
    assert [status for status, _, _ in answers] == [201] * 200
    assert sorted(json.loads(body)["pathParameters"]["item"] for _, _, body in answers) == sorted(str(i) for i in range(200))
