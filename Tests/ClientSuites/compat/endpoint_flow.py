#!/usr/bin/env python3
"""The course's deployment, with unmodified boto3: model → endpoint config → endpoint → waiter → invoke (JPEG,
PNG, application/x-image) → update under load with zero failed requests → 1,000 invocations with 10% garbage →
delete → waiter; on the way, `/metrics` parsed by prometheus_client's Prometheus and OpenMetrics parsers and
compared with the JSON figures ctl reads. Needs a trained model.tar.gz in the daemon's store.

Usage: endpoint_flow.py MODEL_DATA_URL IMAGE.jpg IMAGE.png      (APIARY_URL names the daemon)
Last line: "N passed, N failed"; exit status 0 only when nothing failed.
"""
import concurrent.futures
import json
import os
import random
import struct
import sys
import threading
import uuid
import zlib

import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families as prometheus_families

URL = os.environ.get("APIARY_URL", "http://127.0.0.1:4566")
IMAGE = "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"
ROLE = "arn:aws:iam::123456789012:role/ApiarySageMakerRole"
config = Config(retries={"max_attempts": 1}, max_pool_connections=32, read_timeout=120)
sm = boto3.client("sagemaker", endpoint_url=URL, region_name="us-east-1", config=config)
rt = boto3.client("sagemaker-runtime", endpoint_url=URL, region_name="us-east-1", config=config)
results = {"passed": 0, "failed": 0}


def check(label, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'PASS' if ok else 'FAIL'} {label}" + (f": {detail}" if detail != "" else ""), flush=True)


def png_bomb(width, height):
    """A PNG header declaring width×height RGB pixels, with an empty zlib stream for its data: 65 bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def valid_prediction(body):
    rows = json.loads(body)["prediction"]
    return all(len(r) == 6 and 0 <= r[1] <= 1 and 0 <= r[2] <= r[4] <= 1 and 0 <= r[3] <= r[5] <= 1 for r in rows) and \
        [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)


def get(path, headers=None, sign=False):
    """GET `path` on the daemon (SigV4-signed like botocore signs, when asked): status, headers, body text."""
    request = AWSRequest(method="GET", url=URL + path, headers=headers or {})
    if sign:
        SigV4Auth(Credentials("test", "test"), "sagemaker", "us-east-1").add_auth(request)
    with urllib.request.urlopen(urllib.request.Request(URL + path, headers=dict(request.headers))) as answer:
        return answer.status, answer.headers, answer.read().decode()


def families(parse, text):
    """{family name: (type, [samples])}; a text the parser refuses is no families."""
    try:
        return {family.name: (family.type, family.samples) for family in parse(text)}
    except ValueError as error:
        print(f"parser refused: {error}\n{text}", flush=True)
        return {}


def check_metrics(name):
    """`/metrics` in both exposition formats, parsed by prometheus_client, against the endpoint's JSON figures."""
    _, plain_headers, plain = get("/metrics")
    _, open_headers, open_text = get("/metrics", {"Accept": "application/openmetrics-text; version=1.0.0,text/plain;q=0.5"})
    status, _, figures_text = get(f"/_apiary/endpoints/{name}/metrics", sign=True)
    figures = json.loads(figures_text)
    check("GET /_apiary/endpoints/{name}/metrics: JSON figures", status == 200 and figures["Invocations"] > 1000, figures_text[:300])
    for label, parse, text, content_type in [
            ("Prometheus text", prometheus_families, plain, "text/plain; version=0.0.4"),
            ("OpenMetrics", openmetrics_families, open_text, "application/openmetrics-text")]:
        headers = plain_headers if label == "Prometheus text" else open_headers
        parsed = families(parse, text)
        invocations = [s for s in parsed.get("apiary_endpoint_invocations", ("", []))[1] if s.labels == {"endpoint": name}]
        errors = {s.labels.get("code"): s.value for s in parsed.get("apiary_endpoint_errors", ("", []))[1]
                  if s.labels.get("endpoint") == name and s.name.endswith("_total")}
        latency_count = [s.value for s in parsed.get("apiary_endpoint_latency_seconds", ("", []))[1]
                         if s.name.endswith("_count") and s.labels == {"endpoint": name}]
        batch_type = parsed.get("apiary_endpoint_batch_size", ("",))[0]
        check(f"/metrics as {label}: parsed, a counter and histograms per endpoint, figures as the JSON says",
              headers["Content-Type"].startswith(content_type) and parsed.get("apiary_endpoint_invocations", ("",))[0] == "counter"
              and [s.value for s in invocations] == [figures["Invocations"]] and errors == {k: float(v) for k, v in figures["Errors"].items()}
              and latency_count == [figures["LatencySeconds"]["Count"]] and batch_type == "histogram",
              f"{headers['Content-Type']} {sorted(parsed)} {invocations} {errors} {latency_count}")


def main():
    model_data, jpeg_path, png_path = sys.argv[1:4]
    jpeg, png = open(jpeg_path, "rb").read(), open(png_path, "rb").read()
    name = "bees-" + uuid.uuid4().hex[:8]
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE, "ModelDataUrl": model_data})
    sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.t2.medium"}])
    arn = sm.create_endpoint(EndpointName=name, EndpointConfigName=name)["EndpointArn"]
    check("create_endpoint returns the ARN", arn.endswith(f":endpoint/{name}"), arn)
    sm.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    described = sm.describe_endpoint(EndpointName=name)
    check("endpoint is InService with its variant", described["EndpointStatus"] == "InService"
          and described["ProductionVariants"][0]["VariantName"] == "AllTraffic", described["EndpointStatus"])

    for label, body, content_type in [("JPEG", jpeg, "image/jpeg"), ("PNG", png, "image/png"), ("x-image", jpeg, "application/x-image")]:
        answer = rt.invoke_endpoint(EndpointName=name, ContentType=content_type, Body=body)
        check(f"invoke {label}: prediction rows as SageMaker shapes them",
              answer["ContentType"] == "application/json" and answer["InvokedProductionVariant"] == "AllTraffic"
              and valid_prediction(answer["Body"].read()))
    answer = rt.invoke_endpoint(EndpointName=name, Body=jpeg)
    check("invoke without ContentType sniffs the image", valid_prediction(answer["Body"].read()))

    try:
        rt.invoke_endpoint(EndpointName=name + "-missing", ContentType="image/jpeg", Body=jpeg)
        check("unknown endpoint -> ValidationError", False, "no error")
    except ClientError as e:
        check("unknown endpoint -> ValidationError", e.response["Error"]["Code"] == "ValidationError", e.response["Error"])
    try:
        rt.invoke_endpoint(EndpointName=name, ContentType="image/jpeg", Body=b"not an image at all")
        check("garbage -> ModelError 424", False, "no error")
    except ClientError as e:
        check("garbage -> ModelError 424", e.response["Error"]["Code"] == "ModelError"
              and e.response["ResponseMetadata"]["HTTPStatusCode"] == 424, e.response["Error"])
    try:
        rt.invoke_endpoint(EndpointName=name, ContentType="text/csv", Body=b"1,2,3")
        check("unsupported content type -> ModelError", False, "no error")
    except ClientError as e:
        check("unsupported content type -> ModelError", e.response["Error"]["Code"] == "ModelError", e.response["Error"])

    # Once crashes (issue 23): an empty Content-Type header, and a 65-byte PNG declaring 100000×100000 pixels.
    def empty_content_type(request, **_):
        request.headers["Content-Type"] = ""
    rt.meta.events.register("before-send.sagemaker-runtime.InvokeEndpoint", empty_content_type)
    try:
        rt.invoke_endpoint(EndpointName=name, ContentType="image/jpeg", Body=jpeg)
        check("empty Content-Type -> ModelError 415", False, "no error")
    except ClientError as e:
        check("empty Content-Type -> ModelError 415", e.response["Error"]["Code"] == "ModelError"
              and "(415)" in e.response["Error"]["Message"], e.response["Error"])
    rt.meta.events.unregister("before-send.sagemaker-runtime.InvokeEndpoint", empty_content_type)
    try:
        rt.invoke_endpoint(EndpointName=name, ContentType="image/png", Body=png_bomb(100_000, 100_000))
        check("PNG bomb -> ModelError 400", False, "no error")
    except ClientError as e:
        check("PNG bomb -> ModelError 400", e.response["Error"]["Code"] == "ModelError"
              and "100000×100000" in e.response["Error"]["Message"], e.response["Error"])

    # Update under load: a second config on the same model, swapped while 4 threads keep invoking.
    sm.create_endpoint_config(EndpointConfigName=name + "-v2", ProductionVariants=[
        {"VariantName": "Blue", "ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
    stop, failures, answered, variants = threading.Event(), [], [0], set()

    def load():
        while not stop.is_set():
            try:
                a = rt.invoke_endpoint(EndpointName=name, ContentType="image/jpeg", Body=jpeg)
                a["Body"].read()
                variants.add(a["InvokedProductionVariant"])
                answered[0] += 1
            except Exception as e:  # noqa: BLE001 - every failure counts
                failures.append(repr(e))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    sm.update_endpoint(EndpointName=name, EndpointConfigName=name + "-v2")
    sm.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    after = answered[0]
    while answered[0] < after + 8 and not failures:
        pass
    stop.set()
    for t in threads:
        t.join()
    check("update under load: zero failed requests, both configurations served",
          not failures and variants == {"AllTraffic", "Blue"} and sm.describe_endpoint(EndpointName=name)["EndpointConfigName"] == name + "-v2",
          f"{answered[0]} answered, failures {failures[:3]}, variants {variants}")

    # 1,000 requests, 10% garbage: good ones answered correctly, bad ones 4xx in the runtime's shape.
    random.seed(7)
    payloads = [(b"\xff\xd8garbage" + bytes(random.randrange(256) for _ in range(64)), True) if i % 10 == 0 else (jpeg, False)
                for i in range(1000)]

    def send(item):
        body, bad = item
        try:
            a = rt.invoke_endpoint(EndpointName=name, ContentType="image/jpeg", Body=body)
            return (not bad) and valid_prediction(a["Body"].read())
        except ClientError as e:
            return bad and e.response["Error"]["Code"] == "ModelError" and 400 <= e.response["ResponseMetadata"]["HTTPStatusCode"] < 500

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(send, payloads))
    check("1,000 requests with 10% garbage: each answered as it should be", all(outcomes), f"{outcomes.count(False)} wrong")
    check("the daemon is still healthy", valid_prediction(rt.invoke_endpoint(EndpointName=name, ContentType="image/jpeg", Body=jpeg)["Body"].read()))
    check_metrics(name)

    sm.delete_endpoint(EndpointName=name)
    sm.get_waiter("endpoint_deleted").wait(EndpointName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    try:
        sm.describe_endpoint(EndpointName=name)
        check("deleted endpoint -> ValidationException", False)
    except ClientError as e:
        check("deleted endpoint -> ValidationException", e.response["Error"]["Code"] == "ValidationException")
    _, _, plain = get("/metrics")
    check("a deleted endpoint's series leave /metrics", f'endpoint="{name}"' not in plain, plain[:300])
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
