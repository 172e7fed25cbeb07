"""The SageMaker Python SDK v2, unchanged, against a live daemon: `Estimator.fit()` of the built-in Object Detection
algorithm on augmented-manifest channels with its logs, `Estimator.attach`, `TrainingJobAnalytics(...).dataframe()`
from CloudWatch metrics (one row per epoch), the same metrics through boto3 and the aws CLI, batch transform with the
SDK's `Transformer` (and a job failing on a bad image), `deploy()` and the endpoint's log group after a ModelError. The SDK reaches CloudWatch and CloudWatch Logs through its boto session,
so the daemon is named by AWS_ENDPOINT_URL, as a user pointing unmodified code at Apiary would.

Needs APIARY_CTL (to generate the sample bees). Run: APIARY_URL=… APIARY_CTL=… pytest Tests/ClientSuites/compat/sdk_flows.py"""
import datetime
import json
import os
import struct
import subprocess
import uuid

import pytest

from conftest import URL, upload_sample_bees

CTL = os.environ.get("APIARY_CTL")
pytestmark = pytest.mark.skipif(not CTL, reason="needs APIARY_CTL (the ctl binary)")
os.environ.update(AWS_ENDPOINT_URL=URL, AWS_ACCESS_KEY_ID="AKIAAPIARYTEST000000", AWS_SECRET_ACCESS_KEY="apiary-test-secret",
                  AWS_DEFAULT_REGION="us-east-1", SAGEMAKER_SUPPRESS_V2_WARNING="1")

import boto3  # noqa: E402  (after AWS_ENDPOINT_URL is set)
import botocore.exceptions  # noqa: E402
import sagemaker  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from sagemaker.analytics import TrainingJobAnalytics  # noqa: E402
from sagemaker.estimator import Estimator  # noqa: E402
from sagemaker.inputs import TrainingInput  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/ApiarySageMakerRole"
EPOCHS = 2
METRICS = ["train:progress", "train:smooth_l1", "train:cross_entropy", "train:throughput", "validation:mAP"]


@pytest.fixture(scope="module")
def session():
    return sagemaker.Session(boto_session=boto3.Session(region_name="us-east-1"))


@pytest.fixture(scope="module")
def trained(session, tmp_path_factory):
    """A small job trained with `Estimator.fit()`: 64 sample bees, 2 for validation, 2 epochs at 300 px — epochs long
    enough (16 batches, about 2 s) that their validation lines fall in different seconds for `period=1`."""
    folder = tmp_path_factory.mktemp("bees")
    subprocess.run([CTL, "datasets", "generate-sample", str(folder), "--count", "66", "--test-count", "1", "--seed", "5"],
                   check=True, capture_output=True)
    s3 = boto3.client("s3")
    bucket = upload_sample_bees(s3, folder, "sdk", 64)
    estimator = Estimator(
        image_uri=sagemaker.image_uris.retrieve("object-detection", "us-east-1"), role=ROLE, instance_count=1,
        instance_type="ml.p3.2xlarge", volume_size=50, max_run=3600, input_mode="Pipe", sagemaker_session=session,
        output_path=f"s3://{bucket}/output",
        hyperparameters={"base_network": "apiary-mobile", "use_pretrained_model": "0", "num_classes": "1",
                         "mini_batch_size": "4", "epochs": str(EPOCHS), "image_shape": "300", "optimizer": "adam",
                         "num_training_samples": "64"})
    channels = {c: TrainingInput(f"s3://{bucket}/{c}.manifest", distribution="FullyReplicated",
                                 content_type="application/x-recordio", s3_data_type="AugmentedManifestFile",
                                 attribute_names=["source-ref", "bees-500"], record_wrapping="RecordIO", input_mode="Pipe")
                for c in ("train", "validation")}
    job = "sdk-" + uuid.uuid4().hex[:10]
    estimator.fit(channels, job_name=job, logs="All")
    yield job, bucket, folder
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"])
    s3.delete_bucket(Bucket=bucket)


def rec_file(lines, folder):
    """An im2rec-style RecordIO file, following MXNet's documented layout: per record the magic 0xced7230a, the
    length, an IRHeader (flag = label count, label, id, id2), the labels [2, 5, class, xmin, ymin, xmax, ymax, …]
    normalised to the image, the JPEG bytes, zero padding to 4 bytes."""
    out = bytearray()
    for index, line in enumerate(lines):
        label = line["bees-500"]
        size = label["image_size"][0]
        w, h = size["width"], size["height"]
        values = [2, 5]
        for a in label["annotations"]:
            values += [a["class_id"], a["left"] / w, a["top"] / h, (a["left"] + a["width"]) / w, (a["top"] + a["height"]) / h]
        image = (folder / "images" / line["source-ref"].rsplit("/", 1)[-1]).read_bytes()
        payload = struct.pack("<IfQQ", len(values), 0.0, index, 0) + struct.pack(f"<{len(values)}f", *values) + image
        out += struct.pack("<II", 0xCED7230A, len(payload)) + payload + b"\0" * (-len(payload) % 4)
    return bytes(out)


@pytest.mark.parametrize("mode", ["File", "Pipe"])
def test_fit_on_recordio_channels(session, trained, mode):
    _, bucket, folder = trained
    s3 = boto3.client("s3")
    lines = [json.loads(line) for line in (folder / "output.manifest").read_text().splitlines()]
    for channel, part in [("train", lines[:64]), ("validation", lines[64:])]:
        s3.put_object(Bucket=bucket, Key=f"rec/{channel}/{channel}.rec", Body=rec_file(part, folder))
    estimator = Estimator(
        image_uri=sagemaker.image_uris.retrieve("object-detection", "us-east-1"), role=ROLE, instance_count=1,
        instance_type="ml.p3.2xlarge", input_mode=mode, sagemaker_session=session, output_path=f"s3://{bucket}/rec-output",
        hyperparameters={"base_network": "apiary-mobile", "use_pretrained_model": "0", "num_classes": "1",
                         "mini_batch_size": "4", "epochs": "1", "image_shape": "300", "num_training_samples": "8"})
    channels = {c: TrainingInput(f"s3://{bucket}/rec/{c}/", content_type="application/x-recordio", s3_data_type="S3Prefix")
                for c in ("train", "validation")}
    estimator.fit(channels, logs=False)
    described = boto3.client("sagemaker").describe_training_job(TrainingJobName=estimator.latest_training_job.name)
    assert described["TrainingJobStatus"] == "Completed", described.get("FailureReason")
    assert described["AlgorithmSpecification"]["TrainingInputMode"] == mode
    assert "validation:mAP" in [m["MetricName"] for m in described["FinalMetricDataList"]]


def test_a_malformed_record_fails_the_job_naming_it(session, trained):
    _, bucket, folder = trained
    s3, sm = boto3.client("s3"), boto3.client("sagemaker")
    lines = [json.loads(line) for line in (folder / "output.manifest").read_text().splitlines()]
    s3.put_object(Bucket=bucket, Key="badrec/train/train.rec", Body=rec_file(lines[:2], folder) + b"\x0a\x23\xd7\xce\xff\xff")
    s3.put_object(Bucket=bucket, Key="badrec/validation/validation.rec", Body=rec_file(lines[8:], folder))
    estimator = Estimator(
        image_uri=sagemaker.image_uris.retrieve("object-detection", "us-east-1"), role=ROLE, instance_count=1,
        instance_type="ml.p3.2xlarge", input_mode="Pipe", sagemaker_session=session, output_path=f"s3://{bucket}/rec-output",
        hyperparameters={"num_classes": "1", "num_training_samples": "2", "epochs": "1", "base_network": "apiary-mobile"})
    with pytest.raises(sagemaker.exceptions.UnexpectedStatusException):
        estimator.fit({c: TrainingInput(f"s3://{bucket}/badrec/{c}/", content_type="application/x-recordio") for c in ("train", "validation")},
                      logs=False)
    reason = sm.describe_training_job(TrainingJobName=estimator.latest_training_job.name)["FailureReason"]
    assert reason.startswith("ClientError: Unable to parse record.") and f"s3://{bucket}/badrec/train/train.rec" in reason, reason
    assert "record 2" in reason, reason


def test_estimator_attach_reads_the_finished_job(session, trained):
    job, bucket, _ = trained
    attached = Estimator.attach(job, sagemaker_session=session)
    assert attached.latest_training_job.name == job
    assert attached.model_data == f"s3://{bucket}/output/{job}/output/model.tar.gz"
    assert attached.output_kms_key == "" and attached.output_path == f"s3://{bucket}/output"
    assert attached.hyperparameters()["epochs"] == str(EPOCHS)
    assert attached.instance_type == "ml.p3.2xlarge" and attached.input_mode == "Pipe"


def test_training_job_analytics_has_one_row_per_epoch(session, trained):
    job, _, _ = trained
    everything = TrainingJobAnalytics(job, sagemaker_session=session).dataframe()
    assert sorted(set(everything["metric_name"])) == sorted(METRICS)
    mAP = TrainingJobAnalytics(job, metric_names=["validation:mAP"], sagemaker_session=session, period=1).dataframe()
    final = boto3.client("sagemaker").describe_training_job(TrainingJobName=job)["FinalMetricDataList"]
    assert len(mAP) == EPOCHS, mAP
    assert list(mAP["timestamp"]) == sorted(mAP["timestamp"]) and mAP["timestamp"].iloc[0] == 0
    last = next(m["Value"] for m in final if m["MetricName"] == "validation:mAP")
    assert abs(mAP["value"].iloc[-1] - last) < 1e-6


def test_cloudwatch_serves_the_jobs_metrics_to_boto3_and_the_aws_cli(trained):
    job, _, _ = trained
    cloudwatch = boto3.client("cloudwatch")
    listed = cloudwatch.list_metrics(Namespace="/aws/sagemaker/TrainingJobs", Dimensions=[{"Name": "Host", "Value": f"{job}/algo-1"}])
    assert sorted(m["MetricName"] for m in listed["Metrics"]) == sorted(METRICS)
    described = boto3.client("sagemaker").describe_training_job(TrainingJobName=job)
    start, end = described["TrainingStartTime"], described["TrainingEndTime"] + datetime.timedelta(minutes=1)
    data = cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "progress", "MetricStat": {"Metric": {
            "Namespace": "/aws/sagemaker/TrainingJobs", "MetricName": "train:progress",
            "Dimensions": [{"Name": "Host", "Value": f"{job}/algo-1"}]}, "Period": 3600, "Stat": "Maximum"}}],
        StartTime=start - datetime.timedelta(hours=1), EndTime=end)
    assert max(data["MetricDataResults"][0]["Values"]) == 100
    run = subprocess.run(
        ["aws", "cloudwatch", "get-metric-statistics", "--namespace", "/aws/sagemaker/TrainingJobs", "--metric-name",
         "validation:mAP", "--dimensions", f"Name=Host,Value={job}/algo-1", "--statistics", "SampleCount",
         "--start-time", (start - datetime.timedelta(hours=1)).isoformat(), "--end-time", end.isoformat(),
         "--period", "86400", "--endpoint-url", URL], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert sum(p["SampleCount"] for p in json.loads(run.stdout)["Datapoints"]) == EPOCHS


def test_transformer_writes_one_out_object_per_image(session, trained):
    job, bucket, folder = trained
    s3, sm = boto3.client("s3"), boto3.client("sagemaker")
    images = sorted((folder / "images").iterdir())[:3]
    for path in images:
        s3.upload_file(str(path), bucket, f"batch/in/{path.name}")
    transformer = Estimator.attach(job, sagemaker_session=session).transformer(
        instance_count=1, instance_type="ml.m5.large", output_path=f"s3://{bucket}/batch/out")
    transformer.transform(f"s3://{bucket}/batch/in/", content_type="image/jpeg", split_type=None, wait=True, logs=True)
    name = transformer.latest_transform_job.name
    described = sm.describe_transform_job(TransformJobName=name)
    assert described["TransformJobStatus"] == "Completed" and described["ModelName"] == transformer.model_name
    assert described["TransformStartTime"] <= described["TransformEndTime"]
    for path in images:
        rows = json.loads(s3.get_object(Bucket=bucket, Key=f"batch/out/{path.name}.out")["Body"].read())["prediction"]
        assert all(len(r) == 6 and 0 <= r[1] <= 1 for r in rows)
    logs = boto3.client("logs")
    [stream] = logs.describe_log_streams(logGroupName="/aws/sagemaker/TransformJobs", logStreamNamePrefix=f"{name}/")["logStreams"]
    events = logs.get_log_events(logGroupName="/aws/sagemaker/TransformJobs", logStreamName=stream["logStreamName"])["events"]
    assert sum(".out: " in e["message"] for e in events) == len(images)
    assert name in [j["TransformJobName"] for j in sm.list_transform_jobs(NameContains=name)["TransformJobSummaries"]]


def test_a_bad_image_fails_the_transform_job_naming_it(trained):
    job, bucket, folder = trained
    s3, sm = boto3.client("s3"), boto3.client("sagemaker")
    model = "sdk-" + uuid.uuid4().hex[:10]
    artifacts = sm.describe_training_job(TrainingJobName=job)["ModelArtifacts"]["S3ModelArtifacts"]
    sm.create_model(ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer={
        "Image": sagemaker.image_uris.retrieve("object-detection", "us-east-1"), "ModelDataUrl": artifacts})
    s3.upload_file(str(next((folder / "images").iterdir())), bucket, "bad/in/a-good.jpg")
    s3.put_object(Bucket=bucket, Key="bad/in/broken.jpg", Body=b"not a jpeg")
    name = "bad-" + uuid.uuid4().hex[:10]
    sm.create_transform_job(
        TransformJobName=name, ModelName=model,
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/bad/in/"}},
                        "ContentType": "image/jpeg"},
        TransformOutput={"S3OutputPath": f"s3://{bucket}/bad/out"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})
    with pytest.raises(botocore.exceptions.WaiterError):
        sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 300})
    described = sm.describe_transform_job(TransformJobName=name)
    assert described["TransformJobStatus"] == "Failed"
    assert f"s3://{bucket}/bad/in/broken.jpg" in described["FailureReason"], described["FailureReason"]
    with pytest.raises(ClientError) as raised:
        sm.create_transform_job(
            TransformJobName=name + "-x", ModelName="no-such-model",
            TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/bad/in/"}}},
            TransformOutput={"S3OutputPath": f"s3://{bucket}/bad/out"},
            TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})
    assert raised.value.response["Error"]["Code"] == "ValidationException"

    # A manifest of 200 images: StopTransformJob lands long before the last, and the job ends Stopped.
    s3.put_object(Bucket=bucket, Key="bad/many.manifest", Body=json.dumps([{"prefix": f"s3://{bucket}/bad/in/"}] + ["a-good.jpg"] * 200).encode())
    sm.create_transform_job(
        TransformJobName=name + "-stop", ModelName=model,
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "ManifestFile", "S3Uri": f"s3://{bucket}/bad/many.manifest"}},
                        "ContentType": "image/jpeg"},
        TransformOutput={"S3OutputPath": f"s3://{bucket}/bad/stopped"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})
    sm.stop_transform_job(TransformJobName=name + "-stop")
    sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName=name + "-stop", WaiterConfig={"Delay": 1, "MaxAttempts": 300})
    assert sm.describe_transform_job(TransformJobName=name + "-stop")["TransformJobStatus"] == "Stopped"
    sm.delete_model(ModelName=model)


def test_deploy_and_the_endpoint_log_after_a_model_error(session, trained):
    job, _, folder = trained
    attached = Estimator.attach(job, sagemaker_session=session)
    endpoint = "sdk-" + uuid.uuid4().hex[:10]
    predictor = attached.deploy(initial_instance_count=1, instance_type="ml.m5.large", endpoint_name=endpoint)
    try:
        first = sorted((folder / "images").iterdir())[0]
        answer = predictor.predict(first.read_bytes(), initial_args={"ContentType": "image/jpeg"})
        # Batch transform (the test above) wrote the same JSON InvokeEndpoint answers.
        out = boto3.client("s3").get_object(Bucket=trained[1], Key=f"batch/out/{first.name}.out")["Body"].read()
        assert json.loads(answer) == json.loads(out)
        with pytest.raises(ClientError) as raised:
            boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName=endpoint, ContentType="image/jpeg", Body=b"no image")
        error = raised.value.response
        assert error["Error"]["Code"] == "ModelError" and f"/aws/sagemaker/Endpoints/{endpoint}" in error["Error"]["Message"]
        logs = boto3.client("logs")
        [stream] = logs.describe_log_streams(logGroupName=f"/aws/sagemaker/Endpoints/{endpoint}")["logStreams"]
        assert error["LogStreamArn"].endswith(f":log-group:/aws/sagemaker/Endpoints/{endpoint}:log-stream:{stream['logStreamName']}")
        events = logs.get_log_events(logGroupName=f"/aws/sagemaker/Endpoints/{endpoint}", logStreamName=stream["logStreamName"])
        assert any("Unable to decode the request body as an image" in e["message"] for e in events["events"])
    finally:
        predictor.delete_model()  # reads the endpoint config, which delete_endpoint deletes
        predictor.delete_endpoint()
