"""CloudWatch Logs reads of training-job logs, the way notebooks and the SageMaker SDK make them."""
import time

import pytest
from botocore.exceptions import ClientError

from test_sagemaker_control_plane import training_request, wait_for

GROUP = "/aws/sagemaker/TrainingJobs"


def test_a_failed_jobs_log_is_readable(sm, logs, name):
    sm.create_training_job(**training_request(name))
    wait_for(sm, name, {"Failed"})
    streams = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=name + "/")["logStreams"]
    assert len(streams) == 1 and streams[0]["logStreamName"].startswith(name + "/algo-1-")
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=streams[0]["logStreamName"], startFromHead=True)
    messages = [e["message"] for e in events["events"]]
    assert any("ClientError" in m for m in messages), messages
    again = logs.get_log_events(logGroupName=GROUP, logStreamName=streams[0]["logStreamName"], nextToken=events["nextForwardToken"])
    assert again["events"] == [] and again["nextForwardToken"] == events["nextForwardToken"]


def test_missing_group_and_stream(logs, name):
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.describe_log_streams(logGroupName="/aws/sagemaker/Nope")
    with pytest.raises(ClientError):
        logs.get_log_events(logGroupName=GROUP, logStreamName=name + "/algo-1-0")
