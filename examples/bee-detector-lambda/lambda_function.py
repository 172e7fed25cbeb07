"""Bee detector: API Gateway (REST API, Lambda proxy integration) -> SageMaker endpoint.

POST /predict with either
  * the raw image bytes (Content-Type: image/jpeg or image/png; the REST API must list
    that type in binaryMediaTypes so API Gateway hands the body over base64-encoded), or
  * JSON {"image": "<base64 of the image>"} (works without binaryMediaTypes).
Returns JSON with the detections above MIN_SCORE.
"""
import base64
import binascii
import json
import os

import boto3
from botocore.exceptions import ClientError

ENDPOINT_NAME = os.environ.get("ENDPOINT_NAME", "bees-object-detection")
MODEL_CONTENT_TYPE = os.environ.get("MODEL_CONTENT_TYPE", "image/jpeg")
MIN_SCORE = float(os.environ.get("MIN_SCORE", "0.5"))
LABELS = os.environ.get("LABELS", "bee").split(",")

# Built once per execution environment and reused while it stays warm.
# No endpoint_url here: boto3 reads AWS_ENDPOINT_URL (set by the emulator),
# so the same file deploys unchanged to AWS and to the local emulator.
sagemaker_runtime = boto3.client("sagemaker-runtime")


def _reply(status, document):
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": "application/json",
            "Access-Control-Allow-Origin": "*",
        },
        "body": json.dumps(document),
        "isBase64Encoded": False,
    }


def _image_from(event):
    body = event.get("body")
    if not body:
        raise ValueError("empty request body")
    if event.get("isBase64Encoded"):
        return base64.b64decode(body, validate=True)
    try:
        return base64.b64decode(json.loads(body)["image"], validate=True)
    except (ValueError, KeyError, TypeError):
        raise ValueError(
            'send image bytes with Content-Type image/jpeg, or JSON {"image": "<base64>"}'
        )


def _label(index):
    index = int(index)
    return LABELS[index] if 0 <= index < len(LABELS) else str(index)


def lambda_handler(event, context):
    try:
        image = _image_from(event)
    except (ValueError, binascii.Error) as exc:
        return _reply(400, {"message": str(exc)})

    try:
        result = sagemaker_runtime.invoke_endpoint(
            EndpointName=ENDPOINT_NAME,
            ContentType=MODEL_CONTENT_TYPE,
            Accept="application/json",
            Body=image,
        )
    except ClientError as exc:
        error = exc.response.get("Error", {})
        print(f"invoke_endpoint failed: {error}")
        return _reply(502, {"message": "model call failed",
                            "code": error.get("Code"), "detail": error.get("Message")})

    # SageMaker object detection answers {"prediction": [[class, score, x0, y0, x1, y1], ...]}
    # with box corners as fractions of the image width/height.
    raw = json.loads(result["Body"].read())
    detections = [
        {"label": _label(c), "score": round(float(s), 4),
         "box": {"xmin": x0, "ymin": y0, "xmax": x1, "ymax": y1}}
        for c, s, x0, y0, x1, y1 in raw.get("prediction", [])
        if float(s) >= MIN_SCORE
    ]
    print(f"{len(detections)} detection(s) above {MIN_SCORE} from {ENDPOINT_NAME}")
    return _reply(200, {
        "endpoint": ENDPOINT_NAME,
        "count": len(detections),
        "detections": detections,
        "requestId": context.aws_request_id,
    })
