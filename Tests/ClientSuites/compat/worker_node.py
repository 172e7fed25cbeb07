"""A worker node (`ctl worker`) runs what a daemon queues: a training job created through unmodified boto3 on a daemon
that runs no jobs itself (`ctl serve --database … --training-concurrency 0 --object-store DIR`) is run by a worker on
the same database — it completes, its log stream is read through the daemon, its checkpoint and model are in the
daemon's object store and fetched through the daemon's S3; a batch transform job with that model writes its outputs
there too; a job on two instances runs its ranks on the worker over the same object store. The worker reaches the objects through the shared directory (APIARY_OBJECT_STORE set: the model must be
there as a file) or through the daemon's S3 API alone (`ctl worker --endpoint-url`; APIARY_OBJECT_STORE unset).

Run by ctlTests' WorkerNodeTests: APIARY_URL (the daemon), APIARY_CTL, APIARY_OBJECT_STORE (the shared directory, if any)."""
import json
import os
import urllib.parse
import uuid

from multi_instance_training import GROUP, IMAGE, ROLE, bees, logs, messages, request, s3, sm, wait_for  # noqa: F401 (bees: the fixture)


def completed(bucket, instances):
    """A one-epoch job on `instances` instances, created on the daemon and run by the worker: its name and Describe
    answer, once it is Completed."""
    name = f"worker-{instances}-" + uuid.uuid4().hex[:10]
    sm.create_training_job(**request(name, bucket, instances))
    job = wait_for(sm, name, {"Completed", "Failed", "Stopped"}, timeout=600)
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    return name, job


def test_the_worker_runs_the_daemons_job(bees):
    bucket, _ = bees
    name, job = completed(bucket, 1)

    streams = [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=name + "/")["logStreams"]]
    assert len(streams) == 1 and streams[0].startswith(name + "/algo-1-"), streams
    assert any("validation mAP <score>=(" in m for m in messages(streams[0])), messages(streams[0])

    # The model, fetched through the daemon: a gzip archive.
    key = job["ModelArtifacts"]["S3ModelArtifacts"].removeprefix(f"s3://{bucket}/")
    assert key.endswith("model.tar.gz"), key
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read()[:2] == b"\x1f\x8b"
    # The checkpoint's stored copy (no CheckpointConfig: beside output/): training finished after its one epoch.
    progress = json.loads(s3.get_object(Bucket=bucket, Key=f"output/{name}/checkpoints/progress.json")["Body"].read())
    assert (progress["completedEpochs"], progress["finished"], progress["job"]) == (1, True, name), progress
    assert s3.head_object(Bucket=bucket, Key=f"output/{name}/checkpoints/checkpoint-1.apiary")["ContentLength"] > 0
    if "APIARY_OBJECT_STORE" in os.environ:
        # One file per object in the bucket's directory, named by its key percent-encoded.
        shared = os.listdir(os.path.join(os.environ["APIARY_OBJECT_STORE"], bucket))
        assert urllib.parse.quote(key, safe="-_~").replace(".", "%2E") in shared, shared

    # A batch transform job on the worker: the model and the images read, the outputs written, all through the store.
    model = "worker-model-" + uuid.uuid4().hex[:8]
    sm.create_model(ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE, "ModelDataUrl": job["ModelArtifacts"]["S3ModelArtifacts"]})
    transform = "worker-transform-" + uuid.uuid4().hex[:8]
    sm.create_transform_job(
        TransformJobName=transform, ModelName=model,
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/images/"}}, "ContentType": "image/jpeg"},
        TransformOutput={"S3OutputPath": f"s3://{bucket}/transformed"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})
    sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName=transform, WaiterConfig={"Delay": 1, "MaxAttempts": 600})
    described = sm.describe_transform_job(TransformJobName=transform)
    assert described["TransformJobStatus"] == "Completed", described.get("FailureReason")
    images = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="images/")["Contents"]]
    outputs = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="transformed/")["Contents"]]
    assert sorted(outputs) == sorted("transformed/" + k.removeprefix("images/") + ".out" for k in images), outputs
    assert "prediction" in json.loads(s3.get_object(Bucket=bucket, Key=outputs[0])["Body"].read())
    sm.delete_model(ModelName=model)


def test_a_two_instance_job_on_the_worker(bees):
    """InstanceCount 2 on the worker: its ranks reach the same object store as the worker (a directory, or the S3 API)."""
    bucket, _ = bees
    name, job = completed(bucket, 2)
    streams = sorted(s["logStreamName"] for s in logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=name + "/")["logStreams"])
    assert [s.split("/")[1].rsplit("-", 1)[0] for s in streams] == ["algo-1", "algo-2"], streams
    key = job["ModelArtifacts"]["S3ModelArtifacts"].removeprefix(f"s3://{bucket}/")
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read()[:2] == b"\x1f\x8b"
    progress = json.loads(s3.get_object(Bucket=bucket, Key=f"output/{name}/checkpoints/progress.json")["Body"].read())
    assert (progress["completedEpochs"], progress["finished"]) == (1, True), progress
