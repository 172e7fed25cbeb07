"""A worker node (`ctl worker`) runs what a daemon queues: a training job created through unmodified boto3 on a daemon
that runs no jobs itself (`ctl serve --database … --training-concurrency 0 --object-store DIR`) is run by a worker on
the same database and object store directory — it completes, its log stream is read through the daemon, and its
model is in the shared directory (and served by the daemon's S3).

Run by ctlTests' WorkerNodeTests: APIARY_URL (the daemon), APIARY_CTL, APIARY_OBJECT_STORE (the shared directory)."""
import os
import urllib.parse
import uuid

from multi_instance_training import GROUP, bees, logs, messages, request, s3, sm, wait_for  # noqa: F401 (bees: the fixture)


def test_the_worker_runs_the_daemons_job(bees):
    bucket, _ = bees
    name = "worker-" + uuid.uuid4().hex[:10]
    sm.create_training_job(**request(name, bucket, 1))
    job = wait_for(sm, name, {"Completed", "Failed", "Stopped"}, timeout=600)
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")

    streams = [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=name + "/")["logStreams"]]
    assert len(streams) == 1 and streams[0].startswith(name + "/algo-1-"), streams
    assert any("validation mAP <score>=(" in m for m in messages(streams[0])), messages(streams[0])

    key = job["ModelArtifacts"]["S3ModelArtifacts"].removeprefix(f"s3://{bucket}/")
    assert key.endswith("model.tar.gz"), key
    assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] > 0
    # One file per object in the bucket's directory, named by its key percent-encoded.
    shared = os.listdir(os.path.join(os.environ["APIARY_OBJECT_STORE"], bucket))
    assert urllib.parse.quote(key, safe="-_~").replace(".", "%2E") in shared, shared
