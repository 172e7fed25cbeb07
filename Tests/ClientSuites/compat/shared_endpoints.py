#!/usr/bin/env python3
"""An endpoint on two daemons sharing one PostgreSQL database and one object store directory, driven by unmodified
boto3: daemon A deploys it; an UpdateEndpoint made through daemon B reaches A (A's next InvokeEndpoint answers from
the new deployment, named by its variant), and so does a DeleteEndpoint made through B (A answers the runtime's
ValidationError for an unknown endpoint, and its /metrics no longer show the endpoint). Tiny untrained models: only
which deployment answers is looked at. Last line: "N passed, N failed"; exit status 0 only when nothing failed.

Environment: APIARY_URL (daemon A), APIARY_URL_B (daemon B), APIARY_MODEL_FIRST and APIARY_MODEL_SECOND (two
model.tar.gz files), APIARY_IMAGE (a JPEG to send).
"""
import os
import sys
import time
import urllib.request

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shared_database import check, client, results  # noqa: E402

IMAGE = "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
ENDPOINT = "shared-bees"


def invoked_variant(runtime, body):
    """The variant that answered, or the error's code and message."""
    try:
        return runtime.invoke_endpoint(EndpointName=ENDPOINT, ContentType="image/jpeg", Body=body)["InvokedProductionVariant"]
    except ClientError as error:
        return (error.response["Error"]["Code"], error.response["Error"]["Message"])


def wait_in_service(sm, config):
    """DescribeEndpoint (as daemon `sm` sees it) once the endpoint is InService on `config`, or its last answer."""
    deadline = time.time() + 120
    while True:
        endpoint = sm.describe_endpoint(EndpointName=ENDPOINT)
        if (endpoint["EndpointStatus"] == "InService" and endpoint["EndpointConfigName"] == config) or time.time() > deadline:
            return endpoint
        time.sleep(0.5)


def metrics_text(url):
    with urllib.request.urlopen(url + "/metrics") as response:
        return response.read().decode()


def main():
    url_a, url_b = os.environ["APIARY_URL"], os.environ["APIARY_URL_B"]
    a, b = client("sagemaker", url_a), client("sagemaker", url_b)
    runtime_a, runtime_b = client("sagemaker-runtime", url_a), client("sagemaker-runtime", url_b)
    with open(os.environ["APIARY_IMAGE"], "rb") as f:
        jpeg = f.read()

    # Both models go in through A's S3 API, into the object store directory both daemons share.
    s3 = client("s3", url_a)
    s3.create_bucket(Bucket="shared-models")
    for name in ("first", "second"):
        with open(os.environ["APIARY_MODEL_" + name.upper()], "rb") as f:
            s3.put_object(Bucket="shared-models", Key=f"{name}/model.tar.gz", Body=f.read())
        a.create_model(
            ModelName=name, ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": IMAGE, "ModelDataUrl": f"s3://shared-models/{name}/model.tar.gz"})
        a.create_endpoint_config(
            EndpointConfigName=f"{name}-config",
            ProductionVariants=[{"VariantName": name, "ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])

    a.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="first-config")
    created = wait_in_service(a, "first-config")
    check("A deploys the endpoint", created["EndpointStatus"] == "InService", created.get("FailureReason", created["EndpointStatus"]))
    check("A answers from its deployment", invoked_variant(runtime_a, jpeg) == "first", invoked_variant(runtime_a, jpeg))
    check("B answers from the same deployment, loaded on its first invocation", invoked_variant(runtime_b, jpeg) == "first")

    b.update_endpoint(EndpointName=ENDPOINT, EndpointConfigName="second-config")
    updated = wait_in_service(b, "second-config")
    check("B updates the endpoint", updated["EndpointConfigName"] == "second-config", updated)
    check("A describes the update", a.describe_endpoint(EndpointName=ENDPOINT)["EndpointConfigName"] == "second-config")
    check("A answers from the deployment B's update made, without a restart", invoked_variant(runtime_a, jpeg) == "second",
          invoked_variant(runtime_a, jpeg))
    check("B answers from it too", invoked_variant(runtime_b, jpeg) == "second")
    check("A's /metrics show the endpoint while it serves", f'endpoint="{ENDPOINT}"' in metrics_text(url_a))

    b.delete_endpoint(EndpointName=ENDPOINT)
    not_found = ("ValidationError", f"Endpoint {ENDPOINT} of account 123456789012 not found.")
    check("A answers ValidationError for the endpoint B deleted", invoked_variant(runtime_a, jpeg) == not_found, invoked_variant(runtime_a, jpeg))
    check("B answers the same", invoked_variant(runtime_b, jpeg) == not_found)
    check("A let the endpoint go: its /metrics no longer show it", f'endpoint="{ENDPOINT}"' not in metrics_text(url_a))

    print(f"{results['passed']} passed, {results['failed']} failed", flush=True)
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
