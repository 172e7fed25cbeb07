#!/usr/bin/env python3
"""Two daemons on one PostgreSQL database (`ctl serve --database`), driven by unmodified boto3: what one
acknowledges the other serves — a training job created on A is described and listed on B, its name is refused on B
with ResourceInUse, tags and log events are the same on both — and 20 jobs queued across both daemons each run
exactly once through the daemons' own workers (jobs whose output bucket is missing: each run fails at once, leaving
one log stream). Last line: "N passed, N failed"; exit status 0 only when nothing failed.

Environment: APIARY_URL (daemon A), APIARY_URL_B (daemon B).
"""
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_sagemaker_control_plane import training_request  # noqa: E402

GROUP = "/aws/sagemaker/TrainingJobs"
results = {"passed": 0, "failed": 0}


def check(label, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'PASS' if ok else 'FAIL'} {label}" + (f": {detail}" if detail != "" else ""), flush=True)
    return ok


def client(service, url):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1")


def wait_until_ended(sm, names, timeout=300):
    """Each job's Describe answer once it has left InProgress (as daemon `sm` sees it)."""
    deadline, ended = time.time() + timeout, {}
    while time.time() < deadline and len(ended) < len(names):
        for name in names:
            if name not in ended:
                job = sm.describe_training_job(TrainingJobName=name)
                if job["TrainingJobStatus"] != "InProgress":
                    ended[name] = job
        time.sleep(0.5)
    return ended


def streams(logs, name):
    return logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=name + "/")["logStreams"]


def events(logs, stream):
    return [(e["timestamp"], e["message"]) for e in logs.get_log_events(logGroupName=GROUP, logStreamName=stream)["events"]]


def main():
    a, b = client("sagemaker", os.environ["APIARY_URL"]), client("sagemaker", os.environ["APIARY_URL_B"])
    logs_a, logs_b = client("logs", os.environ["APIARY_URL"]), client("logs", os.environ["APIARY_URL_B"])

    created = a.create_training_job(**training_request("shared-one"))
    described = b.describe_training_job(TrainingJobName="shared-one")
    check("B describes A's job", described["TrainingJobArn"] == created["TrainingJobArn"], described["TrainingJobArn"])
    listed = [j["TrainingJobName"] for j in b.list_training_jobs()["TrainingJobSummaries"]]
    check("B lists A's job", "shared-one" in listed, listed)
    try:
        b.create_training_job(**training_request("shared-one"))
        check("the same name on B is refused", False, "it was created")
    except ClientError as error:
        check("the same name on B is refused with ResourceInUse", error.response["Error"]["Code"] == "ResourceInUse", error.response["Error"])
    b.add_tags(ResourceArn=created["TrainingJobArn"], Tags=[{"Key": "added-on", "Value": "b"}])
    tags_a = sorted((t["Key"], t["Value"]) for t in a.list_tags(ResourceArn=created["TrainingJobArn"])["Tags"])
    tags_b = sorted((t["Key"], t["Value"]) for t in b.list_tags(ResourceArn=created["TrainingJobArn"])["Tags"])
    check("tags are the same on both", tags_a == tags_b == [("added-on", "b"), ("project", "bees")], (tags_a, tags_b))
    ended = wait_until_ended(b, ["shared-one"])
    status = ended.get("shared-one", {}).get("TrainingJobStatus")
    check("the job ended", status == "Failed", status)
    streams_a, streams_b = streams(logs_a, "shared-one"), streams(logs_b, "shared-one")
    names_a = [s["logStreamName"] for s in streams_a]
    check("its log stream is the same on both", streams_a == streams_b and len(names_a) == 1, (streams_a, streams_b))
    if names_a:
        check("its log events are the same on both", events(logs_a, names_a[0]) == events(logs_b, names_a[0]) != [], names_a)

    names = [f"shared-{n:02d}" for n in range(20)]
    for index, name in enumerate(names):
        (a if index % 2 == 0 else b).create_training_job(**training_request(name))
    ended = wait_until_ended(a, names)
    check("all 20 jobs ended", sorted(ended) == names, sorted(set(names) - set(ended)))
    failed = [n for n, job in ended.items() if job["TrainingJobStatus"] != "Failed" or "missing-bucket" not in job.get("FailureReason", "")]
    check("each ended as its one run does", not failed, failed)
    # One run leaves one stream; a second run of a job would start another (or add its lines to the first).
    single = len(events(logs_a, streams(logs_a, "shared-one")[0]["logStreamName"])) if names_a else 0
    twice = [n for n in names if len(streams(logs_a, n)) != 1 or len(events(logs_a, streams(logs_a, n)[0]["logStreamName"])) != single]
    check("each of the 20 ran exactly once", not twice, twice)

    print(f"{results['passed']} passed, {results['failed']} failed", flush=True)
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
