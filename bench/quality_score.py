"""Scores a deployed Apiary endpoint on held-out images with pycocotools (the COCO evaluation every detector quotes).

Usage: quality_score.py URL ENDPOINT TEST_MANIFEST TEST_DIR  → {"map50": …, "map50_95": …} on stdout.
Ground truth is the test manifest (Ground Truth's bounding-box label, attribute bees-500); predictions are the
endpoint's own InvokeEndpoint answers ([class, score, xmin, ymin, xmax, ymax], normalised), every one of them.
"""
import json, os, sys

import boto3
from quality_coco import score


def main():
    url, endpoint, manifest, folder = sys.argv[1:5]
    runtime = boto3.client("sagemaker-runtime", endpoint_url=url, region_name="us-east-1",
                           aws_access_key_id="bench", aws_secret_access_key="bench")
    images, truth, detections = [], [], []
    for image_id, line in enumerate(open(manifest)):
        record = json.loads(line)
        label = record["bees-500"]
        width, height = label["image_size"][0]["width"], label["image_size"][0]["height"]
        path = os.path.join(folder, os.path.basename(record["source-ref"]))
        images.append({"id": image_id, "width": width, "height": height})
        truth += [(image_id, a["left"], a["top"], a["width"], a["height"]) for a in label["annotations"]]
        body = open(path, "rb").read()
        answer = json.loads(runtime.invoke_endpoint(EndpointName=endpoint, ContentType="image/jpeg", Body=body)["Body"].read())
        for _, confidence, xmin, ymin, xmax, ymax in answer["prediction"]:
            detections.append((image_id, xmin * width, ymin * height, (xmax - xmin) * width, (ymax - ymin) * height, confidence))
    print(json.dumps(score(images, truth, detections)))


if __name__ == "__main__":
    main()
