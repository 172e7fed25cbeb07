#!/usr/bin/env python3
"""PostgreSQL restarted under load: two daemons on one database (`ctl serve --database`) take CreateTrainingJob,
DescribeTrainingJob and AddTags calls from unmodified boto3 in a loop (no retries, so every answer is seen) and run
the short jobs (their output bucket is missing: each run fails at once, leaving one log line), while the database is
restarted (`pg_ctl restart -m fast`) and then stopped until both daemons have answered a call with an error and the
worker holding a long training job has failed to renew its lease, then started again. Then: every call answered
200 is visible on both daemons (no acknowledged write lost); every call that failed failed with an AWS error shape
(ServiceUnavailable or InternalFailure with a message); a call left unanswered (15 s) is printed as "HUNG n …"
for the caller to judge; both daemons answer
and run jobs again; and every job ran once (one log stream, one run's lines). The long job is checked by the caller.
Last line: "N passed, N failed"; exit status 0 only when nothing failed.

Environment: APIARY_URL, APIARY_URL_B (the daemons), APIARY_LOG, APIARY_LOG_B (their logs), APIARY_TEST_PG_CTL
(pg_ctl on the cluster), APIARY_LONG_JOB (the training job running meanwhile).
"""
import os
import subprocess
import sys
import threading
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shared_database import check, events, results, streams, wait_until_ended  # noqa: E402
from test_sagemaker_control_plane import training_request  # noqa: E402

# One attempt per call, a deadline on each: a retry would hide the answer, a hang must show as one.
CONFIG = Config(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=15)
PG_CTL = os.environ["APIARY_TEST_PG_CTL"]


def client(service, url):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", config=CONFIG)


class Load:
    """One thread per daemon creating, describing and tagging jobs until stopped, recording every answer."""

    def __init__(self, label, url):
        self.label, self.sm = label, client("sagemaker", url)
        self.lock = threading.Lock()
        self.created, self.tagged, self.errors, self.broken = [], [], [], []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def call(self, operation, **kwargs):
        """The answer, or None after recording how the call failed."""
        try:
            return getattr(self.sm, operation)(**kwargs)
        except ClientError as error:
            with self.lock:
                self.errors.append((operation, error.response["ResponseMetadata"].get("HTTPStatusCode"), error.response["Error"]))
        except Exception as error:  # noqa: BLE001: a dropped connection or a timeout is what this test looks for
            with self.lock:
                self.broken.append((operation, repr(error)))
        return None

    def run(self):
        index = 0
        # A steady load (a cycle every 0.3 s, refused or not), not a flood the one free worker cannot keep up with.
        while not self.stopping.wait(0.3):
            name = f"load-{self.label}-{index:04d}"
            index += 1
            if self.call("create_training_job", **training_request(name)) is None:
                continue
            with self.lock:
                self.created.append(name)
            job = self.call("describe_training_job", TrainingJobName=name)
            if job is not None and self.call("add_tags", ResourceArn=job["TrainingJobArn"], Tags=[{"Key": "n", "Value": str(index)}]) is not None:
                with self.lock:
                    self.tagged.append((job["TrainingJobArn"], str(index)))

    def count(self, what):
        with self.lock:
            return len(getattr(self, what))


def wait(label, condition, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline and not condition():
        time.sleep(0.1)
    return check(label, condition())


def log_text(variable):
    with open(os.environ[variable], encoding="utf-8", errors="replace") as file:
        return file.read()


def pg_ctl(*arguments):
    run = subprocess.run([PG_CTL, "-w", *arguments], capture_output=True, text=True, timeout=120)
    return check(f"pg_ctl {' '.join(arguments)}", run.returncode == 0, run.stdout + run.stderr)


def main():
    urls = {"a": os.environ["APIARY_URL"], "b": os.environ["APIARY_URL_B"]}
    sm = {label: client("sagemaker", url) for label, url in urls.items()}
    logs = client("logs", urls["a"])
    long_job = os.environ["APIARY_LONG_JOB"]
    loads = [Load(label, url) for label, url in urls.items()]
    for load in loads:
        load.thread.start()

    wait("both daemons acknowledge jobs before the restart", lambda: all(load.count("created") >= 5 for load in loads))
    before = [load.count("created") for load in loads]
    pg_ctl("-m", "fast", "restart")
    wait("both daemons acknowledge jobs after the restart", lambda: all(load.count("created") >= n + 5 for load, n in zip(loads, before)))

    # Down long enough to be seen: every daemon refuses a call, and the long job's worker fails to renew its lease.
    job = sm["a"].describe_training_job(TrainingJobName=long_job)
    check("the long job still runs when the database stops", job["TrainingJobStatus"] == "InProgress", job["TrainingJobStatus"])
    refused = [load.count("errors") + load.count("broken") for load in loads]
    pg_ctl("-m", "fast", "stop")
    wait("each daemon answers a call with an error (or leaves one unanswered) while the database is down",
         lambda: all(load.count("errors") + load.count("broken") > n for load, n in zip(loads, refused)), timeout=60)
    wait("the long job's worker fails to renew its lease while the database is down",
         lambda: "cannot renew a training job's lease; trying again" in log_text("APIARY_LOG") + log_text("APIARY_LOG_B"), timeout=60)
    pg_ctl("start")
    after = [load.count("created") for load in loads]
    wait("both daemons acknowledge jobs once the database is back", lambda: all(load.count("created") >= n + 5 for load, n in zip(loads, after)))
    for load in loads:
        load.stopping.set()
    for load in loads:
        load.thread.join(timeout=120)
    check("the load ended", not any(load.thread.is_alive() for load in loads))

    broken = [entry for load in loads for entry in load.broken]
    # Reported apart (the caller holds it as a known issue): a call left unanswered while the database was away.
    print(f"HUNG {len(broken)} {broken[:3]}" if broken else "no call lost its connection or hung", flush=True)
    errors = [entry for load in loads for entry in load.errors]
    unclean = [e for e in errors if e[2].get("Code") not in ("ServiceUnavailable", "InternalFailure") or not e[2].get("Message") or (e[1] or 0) < 500]
    check("every refused call got an AWS error shape (ServiceUnavailable / InternalFailure, a message, 5xx)", not unclean, unclean[:5])
    print(f"refused calls: {len(errors)}, e.g. {errors[:1]}", flush=True)

    created = [name for load in loads for name in load.created]
    for label, daemon in sm.items():
        missing = [n for n in created if not exists(daemon, n)]
        check(f"every acknowledged job is there on daemon {label.upper()}", not missing, missing[:5])
    tagged = [entry for load in loads for entry in load.tagged]
    lost_tags = [(arn, n) for arn, n in tagged if {"Key": "n", "Value": n} not in sm["b"].list_tags(ResourceArn=arn)["Tags"]]
    check("every acknowledged tag is there", not lost_tags, lost_tags[:5])

    ended = wait_until_ended(sm["b"], created, timeout=600)
    stuck = sorted(set(created) - set(ended))
    check("every acknowledged job was run to its end", not stuck, [describe_and_log_lines(sm["b"], name) for name in stuck[:2]])
    failed = [n for n, job in ended.items() if job["TrainingJobStatus"] != "Failed" or "missing-bucket" not in job.get("FailureReason", "")]
    check("each ended as its one run does", not failed, failed[:5])
    # A run leaves one stream with one run's lines (a log line written while the database was down may be missing);
    # a second run would add its lines, or a second stream.
    single = max((len(events(logs, s["logStreamName"])) for s in streams(logs, created[0])), default=1)
    twice = [n for n in created if len(streams(logs, n)) > 1 or any(len(events(logs, s["logStreamName"])) > single for s in streams(logs, n))]
    check("no job ran twice", not twice, twice[:5])

    print(f"{results['passed']} passed, {results['failed']} failed", flush=True)
    return 1 if results["failed"] else 0


def describe_and_log_lines(sm, name):
    """What a job that never ended looks like: its status, secondary transitions and every daemon log line naming it."""
    job = sm.describe_training_job(TrainingJobName=name)
    transitions = [(t["Status"], t.get("StatusMessage", "")) for t in job.get("SecondaryStatusTransitions", [])]
    lines = [f"{label}: {line}" for label, variable in (("A", "APIARY_LOG"), ("B", "APIARY_LOG_B"))
             for line in log_text(variable).splitlines() if f"job={name} " in line or f'"{name}"' in line]
    return {"name": name, "status": job["TrainingJobStatus"], "secondary": job.get("SecondaryStatus"),
            "transitions": transitions, "log": lines[-20:]}


def exists(sm, name):
    try:
        return sm.describe_training_job(TrainingJobName=name)["TrainingJobName"] == name
    except ClientError:
        return False


if __name__ == "__main__":
    sys.exit(main())
