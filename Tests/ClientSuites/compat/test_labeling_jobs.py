"""Ground Truth labeling jobs through boto3 (spec: sagemaker-api.md §7.8): the course's CreateLabelingJob, images
labeled with `ctl labels apply` on the daemon's own label store, the output manifest read back from S3 in Ground
Truth's line format, StopLabelingJob, ListLabelingJobs filters and the error paths.

Needs APIARY_CTL (the ctl binary) and APIARY_HOME (the daemon's data directory), as LiveDaemon sets them."""
import datetime
import json
import os
import re
import subprocess
import shutil
import urllib.parse
import urllib.request

import pytest
from botocore.exceptions import ClientError

from conftest import URL, error_code

CTL = os.environ.get("APIARY_CTL")
HOME = os.environ.get("APIARY_HOME")
pytestmark = pytest.mark.skipif(not CTL or not HOME, reason="needs APIARY_CTL and APIARY_HOME (the daemon's home)")

LABELS = {"document-version": "2018-11-28", "labels": [{"label": "bee"}]}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Four sample bee photos and their boxes, by file name: `ctl datasets generate-sample`."""
    folder = tmp_path_factory.mktemp("bees")
    subprocess.run([CTL, "datasets", "generate-sample", str(folder), "--count", "4", "--test-count", "1"], check=True,
                   capture_output=True)
    boxes = {}
    for line in (folder / "output.manifest").read_text().splitlines():
        item = json.loads(line)
        boxes[item["source-ref"].split("/")[-1]] = item["bees-500"]
    return folder, boxes


@pytest.fixture
def uploaded(s3, bucket, sample):
    """The photos, an input manifest and the label category config in the bucket; returns the photos' names."""
    folder, boxes = sample
    names = sorted(boxes)
    for name in names:
        s3.put_object(Bucket=bucket, Key=f"bees/images/{name}", Body=(folder / "images" / name).read_bytes())
    manifest = "".join(json.dumps({"source-ref": f"s3://{bucket}/bees/images/{name}"}) + "\n" for name in names)
    s3.put_object(Bucket=bucket, Key="bees/input.manifest", Body=manifest.encode())
    s3.put_object(Bucket=bucket, Key="bees/class_labels.json", Body=json.dumps(LABELS).encode())
    return names


def create_request(bucket, name, **extra):
    """The course's bounding-box job: one private worker, the us-east-1 PRE-/ACS-BoundingBox lambdas."""
    request = {
        "LabelingJobName": name,
        "LabelAttributeName": "bees",
        "InputConfig": {
            "DataSource": {"S3DataSource": {"ManifestS3Uri": f"s3://{bucket}/bees/input.manifest"}},
            "DataAttributes": {"ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation", "FreeOfAdultContent"]},
        },
        "OutputConfig": {"S3OutputPath": f"s3://{bucket}/labels"},
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20190516T000000",
        "LabelCategoryConfigS3Uri": f"s3://{bucket}/bees/class_labels.json",
        "StoppingConditions": {"MaxPercentageOfInputDatasetLabeled": 100},
        "HumanTaskConfig": {
            "WorkteamArn": "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/bees-team",
            "UiConfig": {"UiTemplateS3Uri": f"s3://{bucket}/bees/instructions.template"},
            "PreHumanTaskLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:PRE-BoundingBox",
            "TaskKeywords": ["Images", "bounding box", "object detection"],
            "TaskTitle": "Bees",
            "TaskDescription": "Draw a box around every bee",
            "NumberOfHumanWorkersPerDataObject": 1,
            "TaskTimeLimitInSeconds": 300,
            "TaskAvailabilityLifetimeInSeconds": 21600,
            "MaxConcurrentTaskCount": 1000,
            "AnnotationConsolidationConfig": {
                "AnnotationConsolidationLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:ACS-BoundingBox"
            },
        },
        "Tags": [{"Key": "course", "Value": "bees"}],
    }
    request.update(extra)
    return request


def apply(job, edits):
    """Labels the job's images as a worker tool does: `ctl labels apply`, through the daemon's label API."""
    run = subprocess.run([CTL, "labels", "apply", "--endpoint-url", URL, "--dataset", f"labeling-job/{job}"],
                         input="".join(json.dumps(e) + "\n" for e in edits), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def box_edits(name, label):
    """The photo's boxes as `ctl labels apply` edits, then the task's submission, as a worker does (a photo with
    no bee is submitted with none)."""
    image = f"bees/images/{name}"
    return [[{"op": "add", "image": image, "class": "bee", "box": [b["left"], b["top"], b["width"], b["height"]]}
             for b in label["annotations"]] + [{"op": "submit", "image": image}]]


def output_manifest(s3, bucket, job):
    body = s3.get_object(Bucket=bucket, Key=f"labels/{job}/manifests/output/output.manifest")["Body"].read().decode()
    return body.splitlines()


def test_course_job_is_labeled_and_writes_ground_truths_output_manifest(sm, s3, bucket, sample, uploaded, name):
    _, boxes = sample
    request = create_request(bucket, name)
    arn = sm.create_labeling_job(**request)["LabelingJobArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:123456789012:labeling-job/{name}"

    job = sm.describe_labeling_job(LabelingJobName=name)
    assert job["LabelingJobStatus"] == "InProgress"
    assert job["LabelCounters"] == {"TotalLabeled": 0, "HumanLabeled": 0, "MachineLabeled": 0,
                                    "FailedNonRetryableError": 0, "Unlabeled": 4}
    for member in ["LabelingJobName", "LabelAttributeName", "InputConfig", "OutputConfig", "RoleArn",
                   "LabelCategoryConfigS3Uri", "StoppingConditions", "HumanTaskConfig", "Tags"]:
        assert job[member] == request[member], member
    assert job["LabelingJobArn"] == arn and job["JobReferenceCode"]
    assert "LabelingJobOutput" not in job

    # Three photos get their bees' boxes; the last is submitted with none ("no bee here").
    for image in uploaded[:3]:
        apply(name, box_edits(image, boxes[image]))
    assert sm.describe_labeling_job(LabelingJobName=name)["LabelCounters"]["Unlabeled"] == 1
    apply(name, [{"op": "submit", "image": f"bees/images/{uploaded[3]}"}])

    job = sm.describe_labeling_job(LabelingJobName=name)
    assert job["LabelingJobStatus"] == "Completed"
    assert job["LabelCounters"] == {"TotalLabeled": 4, "HumanLabeled": 4, "MachineLabeled": 0,
                                    "FailedNonRetryableError": 0, "Unlabeled": 0}
    output = f"s3://{bucket}/labels/{name}/manifests/output/output.manifest"
    assert job["LabelingJobOutput"] == {"OutputDatasetS3Uri": output}

    lines = output_manifest(s3, bucket, name)
    assert len(lines) == 4
    for image, line in zip(uploaded, lines):
        assert line.startswith('{"source-ref": "s3://')
        item = json.loads(line)
        assert list(item) == ["source-ref", "bees", "bees-metadata"]
        assert item["source-ref"] == f"s3://{bucket}/bees/images/{image}"
        label, metadata = item["bees"], item["bees-metadata"]
        assert list(label) == ["annotations", "image_size"]
        assert label["image_size"] == boxes[image]["image_size"]
        expected = boxes[image]["annotations"] if image != uploaded[3] else []
        assert label["annotations"] == expected
        assert list(metadata) == ["job-name", "class-map", "human-annotated", "objects", "creation-date", "type"]
        assert metadata["job-name"] == f"labeling-job/{name}"
        assert metadata["class-map"] == {"0": "bee"}
        assert metadata["human-annotated"] == "yes"
        assert metadata["objects"] == [{"confidence": 0.0}] * len(expected)
        assert metadata["type"] == "groundtruth/object-detection"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}", metadata["creation-date"])

    listed = sm.list_labeling_jobs(NameContains=name)["LabelingJobSummaryList"]
    assert [(j["LabelingJobName"], j["LabelingJobStatus"], j["LabelingJobOutput"]["OutputDatasetS3Uri"]) for j in listed] \
        == [(name, "Completed", output)]


def submit(job, image):
    """Submits one task as `ctl labels submit` does, through the daemon's label API."""
    run = subprocess.run([CTL, "labels", "submit", "--endpoint-url", URL, "--dataset", f"labeling-job/{job}", image],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def annotation_keys(s3, bucket, job):
    prefix = f"labels/{job}/annotations/"
    return sorted(o["Key"][len(prefix):] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def test_worker_and_consolidation_responses_appear_at_submission(sm, s3, bucket, sample, uploaded, name):
    _, boxes = sample
    sm.create_labeling_job(**create_request(bucket, name))
    for image in uploaded[:2]:
        apply(name, [box_edits(image, boxes[image])[0][:-1]])  # boxes drawn, not yet submitted
    assert annotation_keys(s3, bucket, name) == []
    # Submitted one task at a time, as workers do; no Describe (or List) call until the end.
    for image in uploaded[:2]:
        submit(name, f"bees/images/{image}")
    keys = annotation_keys(s3, bucket, name)
    responses = [k for k in keys if k.startswith("worker-response/iteration-1/")]
    assert [k.split("/")[-2] for k in responses] == ["0", "1"], keys
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.json", k.split("/")[-1]) for k in responses), keys
    answers = {}
    for key, image in zip(responses, uploaded[:2]):
        [answer] = json.loads(s3.get_object(Bucket=bucket, Key=f"labels/{name}/annotations/{key}")["Body"].read())["answers"]
        content = answer["answerContent"]["boundingBox"]
        assert [(b["label"], b["left"], b["top"]) for b in content["boundingBoxes"]] == \
            [("bee", a["left"], a["top"]) for a in boxes[image]["annotations"]]
        assert content["inputImageProperties"]["width"] == boxes[image]["image_size"][0]["width"]
        assert answer["workerId"] and answer["submissionTime"]
        answers[key.split("/")[-2]] = answer
    # One consolidation batch per submission: the post-annotation Lambda's payload, and its answer.
    requests = [k for k in keys if k.startswith("consolidated-annotation/consolidation-request/iteration-1/")]
    consolidations = [k for k in keys if k.startswith("consolidated-annotation/consolidation-response/iteration-1/")]
    assert len(requests) == len(consolidations) == 2, keys
    ids = []
    for request_key, response_key in zip(requests, consolidations):
        assert request_key.split("/")[-1] == response_key.split("/")[-1]
        [request] = json.loads(s3.get_object(Bucket=bucket, Key=f"labels/{name}/annotations/{request_key}")["Body"].read())
        image = uploaded[int(request["datasetObjectId"])]
        assert request["dataObject"] == {"s3Uri": f"s3://{bucket}/bees/images/{image}"}
        [worker] = request["annotations"]
        assert worker["workerId"] == answers[request["datasetObjectId"]]["workerId"]
        assert json.loads(worker["annotationData"]["content"]) == answers[request["datasetObjectId"]]["answerContent"]
        [item] = json.loads(s3.get_object(Bucket=bucket, Key=f"labels/{name}/annotations/{response_key}")["Body"].read())
        assert item["datasetObjectId"] == request["datasetObjectId"]
        assert set(item["consolidatedAnnotation"]["content"]) == {"bees", "bees-metadata"}
        ids.append(item["datasetObjectId"])
    assert sorted(ids) == ["0", "1"]
    # Describe and List write nothing twice.
    sm.describe_labeling_job(LabelingJobName=name)
    sm.list_labeling_jobs(NameContains=name)
    assert annotation_keys(s3, bucket, name) == keys
    # A worker tool's apply that submits writes the next object's responses at once too.
    apply(name, box_edits(uploaded[2], boxes[uploaded[2]]))
    keys_after = annotation_keys(s3, bucket, name)
    assert sum(k.startswith("worker-response/iteration-1/2/") for k in keys_after) == 1 and len(keys_after) == len(keys) + 3


def label_ui(method, path, body=None, token=None):
    """The worker UI's JSON API (`/label/api/…`), as its page calls it: same origin, with the page's session token."""
    request = urllib.request.Request(f"{URL}/label/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Origin": URL,
                                              **({"X-Apiary-Label-Token": token} if token else {})})
    with urllib.request.urlopen(request) as response:
        text = response.read().decode()
    return text if path == "" else json.loads(text)


def test_the_worker_uis_submit_writes_the_worker_response(sm, s3, bucket, uploaded, name):
    sm.create_labeling_job(**create_request(bucket, name))
    token = re.search(r'name="apiary-label-token" content="([0-9a-f]+)"', label_ui("GET", "")).group(1)
    image = label_ui("GET", "api/queue?" + urllib.parse.urlencode({"job": name}))["images"][1]
    revision = label_ui("GET", f"api/images/{image['id']}")["revision"]
    label_ui("POST", f"api/images/{image['id']}/edits",
             {"revision": revision, "edits": [{"op": "add", "classId": 0, "box": [10, 10, 40, 30]}, {"op": "submit"}]}, token)
    [response] = [k for k in annotation_keys(s3, bucket, name) if k.startswith("worker-response/")]
    assert response.split("/")[2] == "1"
    [answer] = json.loads(s3.get_object(Bucket=bucket, Key=f"labels/{name}/annotations/{response}")["Body"].read())["answers"]
    assert [(b["label"], b["left"], b["top"], b["width"], b["height"]) for b in answer["answerContent"]["boundingBox"]["boundingBoxes"]] \
        == [("bee", 10, 10, 40, 30)]


def test_describe_writes_the_responses_a_submission_left_out(sm, s3, bucket, sample, uploaded, name):
    _, boxes = sample
    sm.create_labeling_job(**create_request(bucket, name))
    apply(name, box_edits(uploaded[0], boxes[uploaded[0]]))
    [response] = [k for k in annotation_keys(s3, bucket, name) if k.startswith("worker-response/")]
    s3.delete_object(Bucket=bucket, Key=f"labels/{name}/annotations/{response}")  # as if the daemon died before it
    sm.describe_labeling_job(LabelingJobName=name)
    assert response in annotation_keys(s3, bucket, name)


@pytest.mark.parametrize("config", [
    {"labels": [{"label": "Bird"}]},  # what the Ground Truth notebooks write: no document-version
    {"document-version": "2018-11-28",
     "categoryGlobalAttributes": [{"name": "occluded", "type": "string", "enum": ["yes", "no"]}],
     "labels": [{"label": "bee", "attributes": [{"name": "pose", "type": "string", "enum": ["flying", "sitting"]}]},
                {"label": "wasp"}],
     "instructions": {"shortInstruction": "<p>Box every bee</p>", "fullInstruction": "<p>Tight boxes.</p>"}},
])
def test_every_label_category_file_shape_ground_truth_accepts(sm, s3, bucket, uploaded, name, config):
    s3.put_object(Bucket=bucket, Key="bees/notebook_labels.json", Body=json.dumps(config).encode())
    sm.create_labeling_job(**create_request(bucket, name, LabelCategoryConfigS3Uri=f"s3://{bucket}/bees/notebook_labels.json"))
    assert sm.describe_labeling_job(LabelingJobName=name)["LabelingJobStatus"] == "InProgress"
    sm.stop_labeling_job(LabelingJobName=name)


def test_label_category_files_ground_truth_refuses_name_the_problem(sm, s3, bucket, uploaded, name):
    for config, words in [({"labels": []}, "1 to 50 labels"), ({"labels": [{"name": "bee"}]}, '"label" is missing'),
                          ({"labels": [{"label": "bee"}, {"label": "bee"}]}, "appears twice")]:
        s3.put_object(Bucket=bucket, Key="bees/bad_labels.json", Body=json.dumps(config).encode())
        with pytest.raises(ClientError) as raised:
            sm.create_labeling_job(**create_request(bucket, name, LabelCategoryConfigS3Uri=f"s3://{bucket}/bees/bad_labels.json"))
        assert error_code(raised) == "ValidationException" and words in raised.value.response["Error"]["Message"], config


def test_stop_writes_the_labels_so_far(sm, s3, bucket, sample, uploaded, name):
    _, boxes = sample
    sm.create_labeling_job(**create_request(bucket, name))
    apply(name, box_edits(uploaded[1], boxes[uploaded[1]]))
    assert sm.stop_labeling_job(LabelingJobName=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    job = sm.describe_labeling_job(LabelingJobName=name)
    assert job["LabelingJobStatus"] == "Stopped"
    assert job["LabelCounters"]["TotalLabeled"] == 1 and job["LabelCounters"]["Unlabeled"] == 3
    lines = [json.loads(line) for line in output_manifest(s3, bucket, name)]
    assert [("bees" in line) for line in lines] == [False, True, False, False]
    assert lines[0] == {"source-ref": f"s3://{bucket}/bees/images/{uploaded[0]}"}
    # Labels written after the stop change nothing.
    apply(name, [{"op": "submit", "image": f"bees/images/{uploaded[0]}"}])
    assert sm.describe_labeling_job(LabelingJobName=name)["LabelCounters"]["TotalLabeled"] == 1


def test_list_filters_sorts_and_pages(sm, bucket, uploaded, name):
    names = [f"{name}-{suffix}" for suffix in ("a", "b", "c")]
    for job in names:
        sm.create_labeling_job(**create_request(bucket, job))
    sm.stop_labeling_job(LabelingJobName=names[1])

    def listed(**filters):
        pages = sm.get_paginator("list_labeling_jobs").paginate(NameContains=name, PaginationConfig={"PageSize": 2},
                                                                **filters)
        return [j["LabelingJobName"] for page in pages for j in page["LabelingJobSummaryList"]]

    assert listed() == names
    assert listed(SortBy="Name", SortOrder="Descending") == names[::-1]
    assert listed(StatusEquals="Stopped") == [names[1]]
    assert listed(StatusEquals="InProgress") == [names[0], names[2]]
    # botocore sends timestamps in whole seconds, so bound them a minute away.
    minute_ago = sm.describe_labeling_job(LabelingJobName=names[0])["CreationTime"] - datetime.timedelta(minutes=1)
    assert listed(CreationTimeAfter=minute_ago, LastModifiedTimeAfter=minute_ago) == names
    assert listed(CreationTimeBefore=minute_ago) == []
    summary = sm.list_labeling_jobs(NameContains=names[0])["LabelingJobSummaryList"][0]
    assert summary["WorkteamArn"] == "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/bees-team"
    assert summary["LabelCounters"]["Unlabeled"] == 4


def test_errors_are_awss(sm, bucket, uploaded, name):
    sm.create_labeling_job(**create_request(bucket, name))
    with pytest.raises(ClientError) as duplicate:
        sm.create_labeling_job(**create_request(bucket, name))
    assert error_code(duplicate) == "ResourceInUse"
    with pytest.raises(ClientError) as unknown:
        sm.describe_labeling_job(LabelingJobName=name + "-nope")
    assert error_code(unknown) == "ValidationException"
    assert unknown.value.response["Error"]["Message"] == f"Could not find requested job with name {name}-nope"
    with pytest.raises(ClientError) as stop_unknown:
        sm.stop_labeling_job(LabelingJobName=name + "-nope")
    assert error_code(stop_unknown) == "ValidationException"
    missing = create_request(bucket, name + "-m")
    missing["InputConfig"]["DataSource"]["S3DataSource"]["ManifestS3Uri"] = f"s3://{bucket}/bees/none.manifest"
    with pytest.raises(ClientError) as no_manifest:
        sm.create_labeling_job(**missing)
    assert error_code(no_manifest) == "ValidationException"
    assert "no such object" in no_manifest.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as bad_name:
        sm.create_labeling_job(**create_request(bucket, "bees_1"))
    assert error_code(bad_name) == "ValidationException"


@pytest.mark.skipif(shutil.which("aws") is None, reason="needs the aws CLI")
def test_aws_cli_describes_a_labeling_job(sm, bucket, uploaded, name):
    sm.create_labeling_job(**create_request(bucket, name))
    run = subprocess.run(["aws", "sagemaker", "describe-labeling-job", "--labeling-job-name", name, "--endpoint-url", URL],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    job = json.loads(run.stdout)
    assert job["LabelingJobStatus"] == "InProgress" and job["LabelCounters"]["Unlabeled"] == 4
    run = subprocess.run(["aws", "sagemaker", "list-labeling-jobs", "--name-contains", name, "--endpoint-url", URL],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert [j["LabelingJobName"] for j in json.loads(run.stdout)["LabelingJobSummaryList"]] == [name]


def test_ctl_imports_images_from_s3(s3, bucket, uploaded, name):
    """`ctl datasets import s3://…` reads through the daemon's S3 API; source-refs are the objects' URIs."""
    s3.put_object(Bucket=bucket, Key="bees/images/notes.txt", Body=b"not an image")
    s3.put_object(Bucket=bucket, Key="bees/images/../escape.jpg", Body=b"x")
    run = subprocess.run([CTL, "datasets", "import", f"s3://{bucket}/bees/images", "--dataset", name,
                          "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert sorted(image["fileName"] for image in report["added"]) == uploaded
    assert {image["sourceRef"] for image in report["added"]} == {f"s3://{bucket}/bees/images/{n}" for n in uploaded}
    assert sorted(skipped["fileName"] for skipped in report["skipped"]) == ["bees/images/../escape.jpg", "notes.txt"]
    run = subprocess.run([CTL, "datasets", "import", f"s3://{bucket}-missing/x/", "--dataset", name],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "NoSuchBucket" in run.stderr


def test_adjustment_job_starts_from_the_previous_boxes(sm, s3, bucket, sample, uploaded, name, tmp_path):
    """Ground Truth's review: a bounding-box adjustment job over a finished job's output manifest — its boxes
    pre-drawn, the worker's changes under a new label attribute with adjustment-status."""
    _, boxes = sample
    sm.create_labeling_job(**create_request(bucket, name))
    for image in uploaded:
        apply(name, box_edits(image, boxes[image]))
    assert sm.describe_labeling_job(LabelingJobName=name)["LabelingJobStatus"] == "Completed"
    previous = "".join(line + "\n" for line in output_manifest(s3, bucket, name))
    s3.put_object(Bucket=bucket, Key="bees/adjust.manifest", Body=previous.encode())

    review = name + "-adjust"
    request = create_request(bucket, review)
    request["LabelAttributeName"] = "bees-adjusted"
    request["InputConfig"]["DataSource"]["S3DataSource"]["ManifestS3Uri"] = f"s3://{bucket}/bees/adjust.manifest"
    request["HumanTaskConfig"]["PreHumanTaskLambdaArn"] = "arn:aws:lambda:us-east-1:432418664414:function:PRE-AdjustmentBoundingBox"
    request["HumanTaskConfig"]["AnnotationConsolidationConfig"]["AnnotationConsolidationLambdaArn"] = \
        "arn:aws:lambda:us-east-1:432418664414:function:ACS-AdjustmentBoundingBox"
    sm.create_labeling_job(**request)
    assert sm.describe_labeling_job(LabelingJobName=review)["LabelCounters"]["Unlabeled"] == 4

    # The worker sees the previous boxes, moves one box of the first photo, and submits every task.
    shown = subprocess.run([CTL, "labels", "show", f"bees/images/{uploaded[0]}", "--dataset", f"labeling-job/{review}",
                            "--endpoint-url", URL, "--json"], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    drawn = json.loads(shown.stdout)["boxes"]
    as_rows = lambda annotations: [[a["left"], a["top"], a["width"], a["height"]] for a in annotations]
    assert [[b["left"], b["top"], b["width"], b["height"]] for b in drawn] == as_rows(boxes[uploaded[0]]["annotations"])
    moved = drawn[0]
    apply(review, [{"op": "update", "id": moved["id"], "box": [moved["left"] + 1, moved["top"], moved["width"], moved["height"]]}])
    apply(review, [[{"op": "submit", "image": f"bees/images/{image}"} for image in uploaded]])

    assert sm.describe_labeling_job(LabelingJobName=review)["LabelingJobStatus"] == "Completed"
    lines = [json.loads(line) for line in output_manifest(s3, bucket, review)]
    assert [list(item) for item in lines] == [["source-ref", "bees", "bees-metadata", "bees-adjusted", "bees-adjusted-metadata"]] * 4
    assert [item["bees-adjusted-metadata"]["adjustment-status"] for item in lines] == ["adjusted", "unadjusted", "unadjusted", "unadjusted"]
    assert [item["bees"] for item in lines] == [boxes[image] for image in uploaded]
    expected = as_rows(boxes[uploaded[0]]["annotations"])
    expected[0][0] += 1
    assert as_rows(lines[0]["bees-adjusted"]["annotations"]) == expected
    assert lines[0]["bees-adjusted-metadata"]["job-name"] == f"labeling-job/{review}"

    # `ctl labels import` of a manifest with s3:// source-refs: the daemon reads the images from its object store.
    (tmp_path / "output.manifest").write_text(previous)
    run = subprocess.run([CTL, "labels", "import", "--format", "manifest", str(tmp_path / "output.manifest"), "--dataset", name + "-copy",
                          "--endpoint-url", URL, "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["imagesAdded"] == 4
