"""Shared fixtures: boto3 clients pointed at a running Apiary daemon (APIARY_URL)."""
import json
import os
import uuid

import boto3
import pytest
from botocore.config import Config

URL = os.environ.get("APIARY_URL", "http://127.0.0.1:4566")
REGION = "us-east-1"


def error_code(excinfo):
    """The AWS error code of a `pytest.raises(ClientError)` capture."""
    return excinfo.value.response["Error"]["Code"]


def client(service):
    return boto3.client(service, endpoint_url=URL, region_name=REGION, aws_access_key_id="AKIAAPIARYTEST000000",
                        aws_secret_access_key="apiary-test-secret",
                        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30))


@pytest.fixture
def sm():
    return client("sagemaker")


@pytest.fixture
def logs():
    return client("logs")


@pytest.fixture
def name():
    """A fresh resource name per test."""
    return "t-" + uuid.uuid4().hex[:12]


@pytest.fixture
def s3():
    return client("s3")


@pytest.fixture
def bucket(s3):
    """A fresh, empty bucket; emptied and deleted afterwards."""
    name = "b-" + uuid.uuid4().hex[:16]
    s3.create_bucket(Bucket=name)
    yield name
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=name, Delete={"Objects": keys, "Quiet": True})
    s3.delete_bucket(Bucket=name)


def upload_sample_bees(s3, folder, prefix, train_count):
    """Puts the images `ctl datasets generate-sample` wrote into `folder` in a new bucket named `prefix-<random>`, and
    its manifest as two channels: the first `train_count` lines as `train.manifest`, the rest as `validation.manifest`
    (source-refs rewritten to the bucket). Returns the bucket's name."""
    bucket = prefix + "-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=bucket)
    lines = [json.loads(line) for line in (folder / "output.manifest").read_text().splitlines()]
    for line in lines:
        key = "images/" + line["source-ref"].rsplit("/", 1)[-1]
        s3.upload_file(str(folder / key), bucket, key)
        line["source-ref"] = f"s3://{bucket}/{key}"
    for channel, part in [("train", lines[:train_count]), ("validation", lines[train_count:])]:
        s3.put_object(Bucket=bucket, Key=f"{channel}.manifest", Body="".join(json.dumps(l) + "\n" for l in part).encode())
    return bucket
