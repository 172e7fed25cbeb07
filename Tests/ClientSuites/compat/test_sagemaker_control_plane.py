"""Every SageMaker control-plane operation Apiary serves, driven by unmodified boto3, including the error paths
real SageMaker answers (spec: sagemaker-api.md §4, §6, §7). Run against a live daemon: APIARY_URL=... pytest."""
import datetime
import re
import time

import pytest
from botocore.exceptions import ClientError, ParamValidationError

IMAGE = "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"
ROLE = "arn:aws:iam::123456789012:role/ApiarySageMakerRole"


def training_request(name, **overrides):
    request = {
        "TrainingJobName": name,
        "HyperParameters": {"num_classes": "1", "num_training_samples": "4", "epochs": "1", "mini_batch_size": "2"},
        "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "Pipe"},
        "RoleArn": ROLE,
        "InputDataConfig": [
            {"ChannelName": c, "DataSource": {"S3DataSource": {"S3DataType": "AugmentedManifestFile",
                                                               "S3Uri": f"s3://missing-bucket/{c}.manifest",
                                                               "AttributeNames": ["source-ref", "bees"]}},
             "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO", "InputMode": "Pipe"}
            for c in ("train", "validation")],
        "OutputDataConfig": {"S3OutputPath": "s3://missing-bucket/output/"},
        "ResourceConfig": {"InstanceType": "ml.p3.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "Tags": [{"Key": "project", "Value": "bees"}],
    }
    request.update(overrides)
    return request


def error(call, **kwargs):
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400, response
    return response["Error"]["Code"], response["Error"]["Message"]


def echoes(answer, request):
    """Whether `answer` holds every member of `request` unchanged (SageMaker adds its defaults beside them)."""
    if isinstance(request, dict):
        return isinstance(answer, dict) and all(k in answer and echoes(answer[k], v) for k, v in request.items())
    if isinstance(request, list):
        return isinstance(answer, list) and len(answer) == len(request) and all(map(echoes, answer, request))
    return answer == request


def wait_for(sm, name, statuses, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = sm.describe_training_job(TrainingJobName=name)
        if job["TrainingJobStatus"] in statuses:
            return job
        time.sleep(0.5)
    raise AssertionError(f"{name} never reached {statuses}: {job['TrainingJobStatus']}")


# MARK: training jobs

def test_create_describe_training_job_echoes_the_request(sm, name):
    arn = sm.create_training_job(**training_request(name))["TrainingJobArn"]
    assert re.fullmatch(rf"arn:aws:sagemaker:us-east-1:\d{{12}}:training-job/{name}", arn)
    job = sm.describe_training_job(TrainingJobName=name)
    request = training_request(name)
    for member in ("HyperParameters", "AlgorithmSpecification", "RoleArn", "InputDataConfig", "OutputDataConfig",
                   "ResourceConfig", "StoppingCondition"):
        assert echoes(job[member], request[member]), member
    assert "Tags" not in job
    assert job["OutputDataConfig"]["KmsKeyId"] == "" and job["OutputDataConfig"]["CompressionType"] == "GZIP"
    assert [d["Name"] for d in job["AlgorithmSpecification"]["MetricDefinitions"]] == [
        "train:progress", "train:smooth_l1", "train:cross_entropy", "train:throughput", "validation:mAP"]
    assert job["EnableNetworkIsolation"] is False and job["ProfilingStatus"] == "Disabled"
    assert job["InputDataConfig"][0]["CompressionType"] == "None"
    assert job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3DataDistributionType"] == "FullyReplicated"
    assert job["TrainingJobArn"] == arn
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == f"s3://missing-bucket/output/{name}/output/model.tar.gz"
    assert isinstance(job["CreationTime"], datetime.datetime)
    assert job["SecondaryStatusTransitions"][0]["Status"] == "Starting"


def test_a_job_with_missing_data_fails_with_a_client_error(sm, name):
    sm.create_training_job(**training_request(name))
    job = wait_for(sm, name, {"Failed"})
    assert job["FailureReason"].startswith("ClientError: "), job["FailureReason"]
    assert job["SecondaryStatus"] == "Failed"
    assert job["TrainingEndTime"] >= job["CreationTime"]
    statuses = [t["Status"] for t in job["SecondaryStatusTransitions"]]
    assert statuses[0] == "Starting" and statuses[-1] == "Failed"
    assert all("EndTime" in t for t in job["SecondaryStatusTransitions"])


def test_an_unknown_image_is_accepted_and_the_job_fails_with_the_reason(sm, name):
    sm.create_training_job(**training_request(name, AlgorithmSpecification={
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-custom-algo:latest", "TrainingInputMode": "File"}))
    job = wait_for(sm, name, {"Failed"})
    assert "unsupported training image" in job["FailureReason"], job["FailureReason"]


def test_duplicate_training_job_is_resource_in_use(sm, name):
    sm.create_training_job(**training_request(name))
    with pytest.raises(sm.exceptions.ResourceInUse):
        sm.create_training_job(**training_request(name))


def test_describe_unknown_training_job(sm, name):
    assert error(sm.describe_training_job, TrainingJobName=name) == ("ValidationException", "Requested resource not found.")


def test_bad_training_job_name_gets_the_pattern_message(sm):
    code, message = error(sm.create_training_job, **training_request("bad_name"))
    assert code == "ValidationException"
    assert "Value 'bad_name' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern" in message


def test_bad_instance_type_gets_the_enum_message(sm, name):
    request = training_request(name, ResourceConfig={"InstanceType": "ml.banana.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50})
    code, message = error(sm.create_training_job, **request)
    assert code == "ValidationException" and "resourceConfig.instanceType" in message and "enum value set" in message


def test_missing_stopping_condition_is_rejected(sm, name):
    request = training_request(name)
    del request["StoppingCondition"]
    code, message = error(sm.create_training_job, **request)
    assert code == "ValidationException" and "stoppingCondition" in message


def test_stop_a_job_and_stop_errors(sm, name):
    sm.create_training_job(**training_request(name, AlgorithmSpecification={
        "TrainingImage": IMAGE, "TrainingInputMode": "Pipe"}))
    try:
        sm.stop_training_job(TrainingJobName=name)
    except ClientError as e:  # it may already have failed (missing data): then Stop is refused as the real service does
        assert "status Failed" in e.response["Error"]["Message"]
    job = wait_for(sm, name, {"Stopped", "Failed"})
    assert job["TrainingJobStatus"] in {"Stopped", "Failed"}
    code, message = error(sm.stop_training_job, TrainingJobName=name)
    assert code == "ValidationException" and "status" in message
    assert error(sm.stop_training_job, TrainingJobName=name + "x")[0] == "ValidationException"


def test_list_training_jobs_filters_sorts_and_pages(sm, name):
    names = [f"{name}-{i}" for i in range(5)]
    for n in names:
        sm.create_training_job(**training_request(n))
    listed = sm.list_training_jobs(NameContains=name, SortBy="Name", SortOrder="Descending")["TrainingJobSummaries"]
    assert [s["TrainingJobName"] for s in listed] == sorted(names, reverse=True)
    pages = sm.get_paginator("list_training_jobs").paginate(NameContains=name, SortBy="Name", PaginationConfig={"PageSize": 2})
    seen = [s["TrainingJobName"] for page in pages for s in page["TrainingJobSummaries"]]
    assert seen == sorted(names)
    first = sm.list_training_jobs(NameContains=name, MaxResults=2)
    assert len(first["TrainingJobSummaries"]) == 2 and "NextToken" in first
    summary = first["TrainingJobSummaries"][0]
    assert {"TrainingJobName", "TrainingJobArn", "CreationTime", "TrainingJobStatus"} <= summary.keys()
    assert sm.list_training_jobs(NameContains=name, CreationTimeAfter=datetime.datetime(2100, 1, 1))["TrainingJobSummaries"] == []
    assert sm.list_training_jobs(NameContains=name + "zzz")["TrainingJobSummaries"] == []
    assert "NextToken" not in sm.list_training_jobs(NameContains=name, MaxResults=100)


def test_list_rejects_bad_input(sm, name):
    assert error(sm.list_training_jobs, MaxResults=101)[0] == "ValidationException"
    assert error(sm.list_training_jobs, SortBy="Size")[0] == "ValidationException"
    assert error(sm.list_training_jobs, NextToken="garbage")[0] == "ValidationException"
    with pytest.raises(ParamValidationError):
        sm.list_training_jobs(MaxResults=0)


# MARK: models

def model_request(name, **overrides):
    request = {"ModelName": name, "ExecutionRoleArn": ROLE,
               "PrimaryContainer": {"Image": IMAGE, "ModelDataUrl": "s3://bees/output/job/output/model.tar.gz"}}
    request.update(overrides)
    return request


def test_model_lifecycle(sm, name):
    arn = sm.create_model(**model_request(name, Tags=[{"Key": "k", "Value": "v"}]))["ModelArn"]
    assert arn.endswith(f":model/{name}")
    model = sm.describe_model(ModelName=name)
    assert model["ModelName"] == name and model["ModelArn"] == arn
    assert model["PrimaryContainer"] == model_request(name)["PrimaryContainer"]
    assert model["ExecutionRoleArn"] == ROLE
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    code, message = error(sm.create_model, **model_request(name))
    assert (code, message) == ("ValidationException", f'Cannot create already existing model "{arn}".')
    sm.delete_model(ModelName=name)
    assert error(sm.describe_model, ModelName=name) == ("ValidationException", f'Could not find model "{arn}".')
    assert error(sm.delete_model, ModelName=name)[0] == "ValidationException"
    sm.create_model(**model_request(name))  # names are reusable after deletion


def test_model_needs_a_container_and_a_valid_name(sm, name):
    code, message = error(sm.create_model, ModelName=name, ExecutionRoleArn=ROLE)
    assert code == "ValidationException"
    assert error(sm.create_model, **model_request("under_score"))[0] == "ValidationException"
    assert error(sm.create_model, **model_request(name, ExecutionRoleArn="not-a-role-arn-at-all"))[0] == "ValidationException"


def test_list_models_newest_first_and_paged(sm, name):
    names = [f"{name}-{i}" for i in range(3)]
    for n in names:
        sm.create_model(**model_request(n))
        time.sleep(0.01)
    listed = [m["ModelName"] for m in sm.list_models(NameContains=name)["Models"]]
    assert listed == list(reversed(names))
    pages = sm.get_paginator("list_models").paginate(NameContains=name, PaginationConfig={"PageSize": 1})
    assert [m["ModelName"] for p in pages for m in p["Models"]] == list(reversed(names))


# MARK: endpoint configs

def config_request(name, model, **overrides):
    request = {"EndpointConfigName": name, "ProductionVariants": [
        {"VariantName": "AllTraffic", "ModelName": model, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large",
         "InitialVariantWeight": 1.0}]}
    request.update(overrides)
    return request


def test_endpoint_config_lifecycle(sm, name):
    sm.create_model(**model_request(name))
    arn = sm.create_endpoint_config(**config_request(name, name))["EndpointConfigArn"]
    assert arn.endswith(f":endpoint-config/{name}")
    config = sm.describe_endpoint_config(EndpointConfigName=name)
    assert config["ProductionVariants"] == config_request(name, name)["ProductionVariants"]
    assert error(sm.create_endpoint_config, **config_request(name, name)) == (
        "ValidationException", f'Cannot create already existing endpoint configuration "{arn}".')
    assert name in [c["EndpointConfigName"] for c in sm.list_endpoint_configs(NameContains=name)["EndpointConfigs"]]
    sm.delete_endpoint_config(EndpointConfigName=name)
    assert error(sm.describe_endpoint_config, EndpointConfigName=name) == (
        "ValidationException", f'Could not find endpoint configuration "{arn}".')


def test_endpoint_config_errors(sm, name):
    code, message = error(sm.create_endpoint_config, **config_request(name, name + "-nomodel"))
    assert code == "ValidationException" and message.startswith("Could not find model")
    sm.create_model(**model_request(name))
    bad = config_request(name, name)
    bad["ProductionVariants"][0]["InstanceType"] = "ml.t1.nano"
    assert error(sm.create_endpoint_config, **bad)[0] == "ValidationException"
    assert error(sm.delete_endpoint_config, EndpointConfigName=name)[0] == "ValidationException"


# MARK: tags

def test_tags(sm, name):
    arn = sm.create_model(**model_request(name))["ModelArn"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    sm.delete_tags(ResourceArn=arn, TagKeys=["a"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    assert error(sm.list_tags, ResourceArn=arn.replace(name, name + "x"))[0] == "ValidationException"
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    with pytest.raises(ClientError):
        sm.add_tags(ResourceArn=arn, Tags=too_many)


# MARK: protocol

def test_unknown_operation_answers_the_aws_error_shape():
    import json
    import urllib.request
    from conftest import URL
    request = urllib.request.Request(URL + "/", data=b"{}", method="POST", headers={
        "X-Amz-Target": "SageMaker.CreateHyperParameterTuningJob", "Content-Type": "application/x-amz-json-1.1",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sagemaker/aws4_request, "
                         "SignedHeaders=host, Signature=" + "0" * 64, "X-Amz-Date": "20260101T000000Z"})
    try:
        urllib.request.urlopen(request)
        raise AssertionError("expected an error")
    except urllib.error.HTTPError as e:
        assert e.code == 400
        assert json.loads(e.read())["__type"] == "UnknownOperationException"


def test_region_from_the_signature_names_the_arn(name):
    import conftest
    sm = conftest.boto3.client("sagemaker", endpoint_url=conftest.URL, region_name="eu-west-1",
                               aws_access_key_id="AKIAAPIARYTEST000000", aws_secret_access_key="x")
    arn = sm.create_model(**model_request(name))["ModelArn"]
    assert arn.startswith("arn:aws:sagemaker:eu-west-1:")
