"""Execution environment lifecycle, for a daemon started with APIARY_LAMBDA_IDLE_SECONDS=2 and
APIARY_LAMBDA_INIT_SECONDS=2 (run by Tests/ctlTests/LambdaLifecycleTests.swift): idle environments are stopped
(their process is gone) and the next invoke cold-starts; a runtime that misses the init phase is retried inside
the invoke, within the function's timeout."""
import time

import pytest

from conftest import client
from test_lambda import ROLE, invoke, package, tail

IDLE_SECONDS = 2

HANDLER = '''
import os, time
time.sleep(float(os.environ.get("INIT_SLEEP", "0")))
CALLS = {"count": 0}

def handler(event, context):
    CALLS["count"] += 1
    return {"pid": os.getpid(), "calls": CALLS["count"]}
'''


@pytest.fixture
def lam():
    return client("lambda")


def create(lam, name, timeout, init_sleep=0):
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": package({"app.py": HANDLER})}, Timeout=timeout,
                        Environment={"Variables": {"INIT_SLEEP": str(init_sleep)}})


def running(pid):
    """Whether pid is a live process (not gone, not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_idle_environments_are_reaped(lam, name):
    create(lam, name, timeout=3)
    try:
        _, first = invoke(lam, name, {})
        _, second = invoke(lam, name, {})
        assert second == {"pid": first["pid"], "calls": 2}, "warm while in use"
        assert running(first["pid"])
        deadline = time.time() + IDLE_SECONDS + 5
        while running(first["pid"]) and time.time() < deadline:
            time.sleep(0.2)
        assert not running(first["pid"]), "the idle runtime process is stopped"
        answer, third = invoke(lam, name, {}, LogType="Tail")
        assert third["calls"] == 1 and third["pid"] != first["pid"], "the next invoke cold-starts"
        assert "Init Duration: " in tail(answer)
    finally:
        lam.delete_function(FunctionName=name)


def test_init_phase_limit(lam, name):
    logs = client("logs")
    create(lam, name, timeout=1, init_sleep=3)
    try:
        started = time.time()
        answer, error = invoke(lam, name, {})
        assert answer["FunctionError"] == "Unhandled" and error["errorType"] == "Sandbox.Timedout", error
        assert time.time() - started < 8, "init phase (2 s) + one retry within the timeout (1 s)"
        events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}", filterPattern='"Phase: init"')["events"]
        assert len(events) == 1 and events[0]["message"].startswith("INIT_REPORT Init Duration: ")
        assert events[0]["message"].endswith("\tPhase: init\tStatus: timeout")
        lam.update_function_configuration(FunctionName=name, Timeout=6)
        answer, answered = invoke(lam, name, {})
        assert "FunctionError" not in answer and answered["calls"] == 1, "the retried init may use the function's timeout"
    finally:
        lam.delete_function(FunctionName=name)
