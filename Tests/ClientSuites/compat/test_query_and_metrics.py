"""What notebooks call beside SageMaker, with unmodified boto3 and the aws CLI: `sts get-caller-identity` answers
the daemon's account; services Apiary does not serve (IAM, other STS actions) answer an error in their own query
protocol's XML; CloudWatch metrics (JSON 1.0, as botocore's model picks) answer and refuse as CloudWatch does."""
import datetime
import json
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import URL, client, error_code

CLI_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="AKIAAPIARYTEST000000", AWS_SECRET_ACCESS_KEY="apiary-test-secret",
               AWS_DEFAULT_REGION="us-east-1")


def aws(*arguments):
    return subprocess.run(["aws", *arguments, "--endpoint-url", URL], capture_output=True, text=True, env=CLI_ENV)


def daemon_account(sm, name):
    arn = sm.create_model(ModelName=name, ExecutionRoleArn="arn:aws:iam::123456789012:role/R",
                          PrimaryContainer={"Image": "i", "ModelDataUrl": "s3://b/k"})["ModelArn"]
    sm.delete_model(ModelName=name)
    return arn.split(":")[4]


def test_sts_get_caller_identity_answers_the_daemons_account(sm, name):
    account = daemon_account(sm, name)
    identity = client("sts").get_caller_identity()
    assert identity["Account"] == account and identity["Arn"] == f"arn:aws:iam::{account}:root"
    run = aws("sts", "get-caller-identity")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["Account"] == account


def test_services_apiary_does_not_serve_answer_query_protocol_errors():
    with pytest.raises(ClientError) as raised:
        client("iam").get_role(RoleName="AmazonSageMaker-ExecutionRole")
    assert error_code(raised) == "InvalidAction" and "iam GetRole" in raised.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as raised:
        client("sts").assume_role(RoleArn="arn:aws:iam::123456789012:role/R", RoleSessionName="notebook")
    assert error_code(raised) == "InvalidAction"
    run = aws("iam", "list-roles")
    assert run.returncode != 0 and "InvalidAction" in run.stderr and "XML" not in run.stderr, run.stderr


def test_cloudwatch_metrics_of_an_unknown_job_are_empty():
    cloudwatch = client("cloudwatch")
    now = datetime.datetime.now(datetime.timezone.utc)
    answer = cloudwatch.get_metric_statistics(
        Namespace="/aws/sagemaker/TrainingJobs", MetricName="validation:mAP",
        Dimensions=[{"Name": "Host", "Value": "no-such-job/algo-1"}], StartTime=now - datetime.timedelta(hours=1),
        EndTime=now, Period=60, Statistics=["Average"])
    assert answer["Datapoints"] == [] and answer["Label"] == "validation:mAP"
    listed = cloudwatch.list_metrics(Namespace="/aws/sagemaker/TrainingJobs",
                                     Dimensions=[{"Name": "TrainingJobName", "Value": "no-such-job"}])
    assert listed["Metrics"] == []
    data = cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "m", "MetricStat": {"Metric": {
            "Namespace": "/aws/sagemaker/TrainingJobs", "MetricName": "validation:mAP",
            "Dimensions": [{"Name": "TrainingJobName", "Value": "no-such-job"}]}, "Period": 60, "Stat": "Maximum"}}],
        StartTime=now - datetime.timedelta(hours=1), EndTime=now)
    [result] = data["MetricDataResults"]
    assert (result["Id"], result["Label"], result["Timestamps"], result["Values"], result["StatusCode"]) == \
        ("m", "validation:mAP", [], [], "Complete")


def test_cloudwatch_refuses_what_cloudwatch_refuses():
    cloudwatch = client("cloudwatch")
    now = datetime.datetime.now(datetime.timezone.utc)
    request = dict(Namespace="/aws/sagemaker/TrainingJobs", MetricName="validation:mAP",
                   StartTime=now - datetime.timedelta(hours=1), EndTime=now)
    for extra, code in [(dict(Period=7, Statistics=["Average"]), "InvalidParameterValue"),
                        (dict(Period=60), "InvalidParameterCombination"),
                        (dict(Period=60, Statistics=["Median"]), "InvalidParameterValue"),
                        (dict(Period=60, Statistics=["Average"], StartTime=now), "InvalidParameterValue")]:
        with pytest.raises(ClientError) as raised:
            cloudwatch.get_metric_statistics(**{**request, **extra})
        assert error_code(raised) == code, extra
    with pytest.raises(ClientError) as raised:
        cloudwatch.get_metric_data(MetricDataQueries=[{"Id": "e", "Expression": "SUM(METRICS())"}],
                                   StartTime=now - datetime.timedelta(hours=1), EndTime=now)
    assert error_code(raised) == "ValidationError"
    with pytest.raises(ClientError) as raised:
        cloudwatch.put_metric_data(Namespace="n", MetricData=[{"MetricName": "m", "Value": 1}])
    assert error_code(raised) == "UnknownOperationException"
