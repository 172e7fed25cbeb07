"""A training job on two instances (`ResourceConfig.InstanceCount: 2`) through unmodified boto3: the daemon runs its
ranks algo-1 and algo-2 under mpirun; the job completes with rank 0's metrics, keeps InstanceCount in Describe,
writes one CloudWatch log stream per host, and its model deploys; asking for more instances than the daemon's slots
is ResourceLimitExceeded naming the option; StopTrainingJob before an epoch has completed ends the ranks, the job
Stopped with no model (as a one-instance job).

Needs APIARY_CTL (to generate sample bees). Run: APIARY_URL=… APIARY_CTL=… pytest Tests/ClientSuites/compat/multi_instance_training.py"""
import json
import os
import subprocess
import time
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import URL, upload_sample_bees
from test_sagemaker_control_plane import wait_for

CTL = os.environ.get("APIARY_CTL")
pytestmark = pytest.mark.skipif(not CTL, reason="needs APIARY_CTL (the ctl binary)")
IMAGE = "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"
ROLE = "arn:aws:iam::123456789012:role/ApiarySageMakerRole"
GROUP = "/aws/sagemaker/TrainingJobs"
config = Config(retries={"max_attempts": 1}, read_timeout=120)
sm = boto3.client("sagemaker", endpoint_url=URL, region_name="us-east-1", config=config)
s3 = boto3.client("s3", endpoint_url=URL, region_name="us-east-1", config=config)
logs = boto3.client("logs", endpoint_url=URL, region_name="us-east-1", config=config)
rt = boto3.client("sagemaker-runtime", endpoint_url=URL, region_name="us-east-1", config=config)


@pytest.fixture(scope="module")
def bees(tmp_path_factory):
    """Ten sample bees in a bucket: eight to train on, two to validate."""
    folder = tmp_path_factory.mktemp("bees")
    subprocess.run([CTL, "datasets", "generate-sample", str(folder), "--count", "10", "--test-count", "1", "--seed", "3"],
                   check=True, capture_output=True)
    bucket = upload_sample_bees(s3, folder, "multi", 8)
    yield bucket, folder
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"])
    s3.delete_bucket(Bucket=bucket)


def request(name, bucket, instances, epochs=1, mini_batch_size=2):
    channels = [{"ChannelName": c, "DataSource": {"S3DataSource": {
        "S3DataType": "AugmentedManifestFile", "S3Uri": f"s3://{bucket}/{c}.manifest", "S3DataDistributionType": "FullyReplicated",
        "AttributeNames": ["source-ref", "bees-500"]}}, "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO"}
        for c in ("train", "validation")]
    return dict(
        TrainingJobName=name, RoleArn=ROLE, AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "Pipe"},
        HyperParameters={"base_network": "apiary-mobile", "num_classes": "1", "mini_batch_size": str(mini_batch_size), "epochs": str(epochs),
                         "image_shape": "300", "optimizer": "adam", "num_training_samples": "8"},
        InputDataConfig=channels, OutputDataConfig={"S3OutputPath": f"s3://{bucket}/output"},
        ResourceConfig={"InstanceType": "ml.p3.2xlarge", "InstanceCount": instances, "VolumeSizeInGB": 50},
        StoppingCondition={"MaxRuntimeInSeconds": 3600})


def messages(stream):
    return [e["message"] for e in logs.get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True)["events"]]


def test_two_instances_train_log_per_host_and_deploy(bees):
    bucket, folder = bees
    name = "multi-" + uuid.uuid4().hex[:10]
    sm.create_training_job(**request(name, bucket, 2))
    job = wait_for(sm, name, {"Completed", "Failed", "Stopped"}, timeout=600)
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    assert job["ResourceConfig"]["InstanceCount"] == 2
    metrics = {m["MetricName"]: m["Value"] for m in job["FinalMetricDataList"]}
    assert "validation:mAP" in metrics and "train:smooth_l1" in metrics, metrics
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]][-1] == "Completed"

    streams = sorted(s["logStreamName"] for s in logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=name + "/")["logStreams"])
    assert [s.split("/")[1].rsplit("-", 1)[0] for s in streams] == ["algo-1", "algo-2"], streams
    first, second = messages(streams[0]), messages(streams[1])
    assert any("host=algo-1, epoch=0, validation mAP <score>=(" in m for m in first), first
    assert any("host=algo-2, epoch=0, batch=" in m for m in second), second
    assert not any("validation mAP" in m for m in second), second

    model = name + "-model"
    sm.create_model(ModelName=model, ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": IMAGE, "ModelDataUrl": job["ModelArtifacts"]["S3ModelArtifacts"]})
    sm.create_endpoint_config(EndpointConfigName=model, ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": model, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
    sm.create_endpoint(EndpointName=model, EndpointConfigName=model)
    try:
        sm.get_waiter("endpoint_in_service").wait(EndpointName=model, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        image = sorted((folder / "images").iterdir())[0].read_bytes()
        answer = json.loads(rt.invoke_endpoint(EndpointName=model, ContentType="image/jpeg", Body=image)["Body"].read())
        assert isinstance(answer["prediction"], list)
    finally:
        sm.delete_endpoint(EndpointName=model)
        sm.delete_endpoint_config(EndpointConfigName=model)
        sm.delete_model(ModelName=model)


def test_more_instances_than_slots_is_resource_limit_exceeded(bees):
    with pytest.raises(ClientError) as raised:
        sm.create_training_job(**request("multi-" + uuid.uuid4().hex[:10], bees[0], 3))
    error = raised.value.response["Error"]
    assert error["Code"] == "ResourceLimitExceeded" and "--instance-slots" in error["Message"], error


def test_stop_before_an_epoch_ends_the_ranks_without_a_model(bees):
    name = "multi-" + uuid.uuid4().hex[:10]
    # One image a rank a step: an epoch is four steps, so the stop reaches the ranks well before the first one ends.
    sm.create_training_job(**request(name, bees[0], 2, epochs=200, mini_batch_size=1))
    deadline = time.time() + 300
    while time.time() < deadline and sm.describe_training_job(TrainingJobName=name)["SecondaryStatus"] != "Training":
        time.sleep(0.1)
    sm.stop_training_job(TrainingJobName=name)
    job = wait_for(sm, name, {"Completed", "Failed", "Stopped"})
    assert job["TrainingJobStatus"] == "Stopped", job.get("FailureReason")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bees[0], Prefix=f"output/{name}/").get("Contents", [])]
    assert not any(key.endswith("model.tar.gz") for key in keys), keys
    ranks = subprocess.run(["pgrep", "-f", f"training-rank .*{name}"], capture_output=True, text=True).stdout.split()
    assert ranks == [], ranks
