#!/usr/bin/env python3
"""Gang scheduling across worker nodes: a training job on two instances, created through unmodified boto3 on a daemon
that runs no jobs itself, waits for two `ctl worker` nodes (each `--concurrency 1`) to lease a slot each, then runs
its ranks from a hostfile of both workers' advertised hosts, and holds both workers until it ends.

Run by ctlTests' WorkerNodeTests in two phases, a worker node started before each:
  create  (one worker up)  sample bees in a bucket, the two-instance job created; it must show
                           "Waiting for 1 more instance (1 of 2 leased)" in Describe and in its algo-1 log stream.
  finish  (two workers up) the gang starts the job; a one-instance job queued then must start only after the
                           two-instance job ended (neither worker took it meanwhile); both complete, the first with one
                           log stream per host and, in algo-1's, mpirun's hostfile naming both hosts (GANG_HOSTS).
Environment: APIARY_URL (the daemon), APIARY_CTL, GANG_HOSTS (the hostfile's lines, joined by ", ")."""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conftest import upload_sample_bees  # noqa: E402
from multi_instance_training import CTL, GROUP, messages, request, s3, sm, wait_for, logs  # noqa: E402

PAIR, SINGLE = "gang-pair", "gang-single"


def until(what, probe, timeout=300):
    """Polls `probe()` every half second until it holds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if probe():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}: {pair()}")


def pair():
    return sm.describe_training_job(TrainingJobName=PAIR)


def streams(name):
    found = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=name + "/")["logStreams"]
    return sorted(s["logStreamName"] for s in found)


def create():
    folder = Path(tempfile.mkdtemp())
    subprocess.run([CTL, "datasets", "generate-sample", str(folder), "--count", "10", "--test-count", "1", "--seed", "3"],
                   check=True, capture_output=True)
    bucket = upload_sample_bees(s3, folder, "gang", 8)
    sm.create_training_job(**request(PAIR, bucket, 2))
    waiting = "Waiting for 1 more instance (1 of 2 leased)"
    until("the job to wait for its second instance", lambda: pair()["SecondaryStatusTransitions"][-1].get("StatusMessage", "").startswith(waiting + ": "))
    job = pair()
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("InProgress", "Starting"), job
    until("the waiting line in algo-1's log", lambda: streams(PAIR) and any(waiting in m for m in messages(streams(PAIR)[0])))
    print("create: the two-instance job waits for its second instance")


def finish():
    until("the gang to start the job", lambda: pair()["SecondaryStatus"] != "Starting")
    job = pair()
    bucket = job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"].removeprefix("s3://").split("/", 1)[0]
    sm.create_training_job(**request(SINGLE, bucket, 1))
    ended = wait_for(sm, PAIR, {"Completed", "Failed", "Stopped"}, timeout=600)
    single = wait_for(sm, SINGLE, {"Completed", "Failed", "Stopped"}, timeout=600)
    assert ended["TrainingJobStatus"] == "Completed", ended.get("FailureReason")
    assert single["TrainingJobStatus"] == "Completed", single.get("FailureReason")
    assert single["TrainingStartTime"] >= ended["TrainingEndTime"], (single["TrainingStartTime"], ended["TrainingEndTime"])

    names = streams(PAIR)
    assert [s.split("/")[1].rsplit("-", 1)[0] for s in names] == ["algo-1", "algo-2"], names
    launch = f"Starting 2 instances under mpirun on the gang's hosts: {os.environ['GANG_HOSTS']}"
    assert any(launch in m for m in messages(names[0])), messages(names[0])
    assert any("host=algo-2, epoch=0, batch=" in m for m in messages(names[1])), messages(names[1])
    print("finish: the gang ran the two-instance job, then a worker ran the one-instance job")


if __name__ == "__main__":
    {"create": create, "finish": finish}[sys.argv[1]]()
