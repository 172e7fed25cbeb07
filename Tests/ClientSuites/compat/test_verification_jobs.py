"""Ground Truth bounding-box verification jobs through boto3: a job chained on a finished bounding-box job's output
manifest (PRE-VerificationBoundingBox), its tasks answered good or bad through the daemon's label API
(`ctl labels apply`), and the output manifest and intermediate files read back over S3 in Ground Truth's shape.

Needs APIARY_CTL and APIARY_HOME, as LiveDaemon sets them."""
import json
import re
import subprocess

from conftest import URL
from test_labeling_jobs import CTL, apply, box_edits, create_request, output_manifest, pytestmark, sample, uploaded  # noqa: F401

VERIFY_PRE = "arn:aws:lambda:us-east-1:432418664414:function:PRE-VerificationBoundingBox"
VERIFY_ACS = "arn:aws:lambda:us-east-1:432418664414:function:ACS-VerificationBoundingBox"


def ctl(*args):
    return subprocess.run([CTL, *args, "--endpoint-url", URL], capture_output=True, text=True)


def test_verification_job_over_a_finished_jobs_output(sm, s3, bucket, sample, uploaded, name):
    _, boxes = sample
    sm.create_labeling_job(**create_request(bucket, name))
    for image in uploaded:
        apply(name, box_edits(image, boxes[image]))
    assert sm.describe_labeling_job(LabelingJobName=name)["LabelingJobStatus"] == "Completed"
    previous = output_manifest(s3, bucket, name)
    s3.put_object(Bucket=bucket, Key="bees/verify.manifest", Body="".join(line + "\n" for line in previous).encode())

    job = name + "-verify"
    request = create_request(bucket, job)
    request["LabelAttributeName"] = "bees-verified"
    request["InputConfig"]["DataSource"]["S3DataSource"]["ManifestS3Uri"] = f"s3://{bucket}/bees/verify.manifest"
    request["HumanTaskConfig"]["PreHumanTaskLambdaArn"] = VERIFY_PRE
    request["HumanTaskConfig"]["AnnotationConsolidationConfig"]["AnnotationConsolidationLambdaArn"] = VERIFY_ACS
    sm.create_labeling_job(**request)
    described = sm.describe_labeling_job(LabelingJobName=job)
    assert described["LabelingJobStatus"] == "InProgress" and described["LabelCounters"]["Unlabeled"] == 4
    assert described["HumanTaskConfig"]["PreHumanTaskLambdaArn"] == VERIFY_PRE

    # The worker sees the previous boxes, and cannot change them.
    first = f"bees/images/{uploaded[0]}"
    shown = ctl("labels", "show", first, "--dataset", f"labeling-job/{job}", "--json")
    assert shown.returncode == 0, shown.stderr
    assert [[b["left"], b["top"], b["width"], b["height"]] for b in json.loads(shown.stdout)["boxes"]] == \
        [[a["left"], a["top"], a["width"], a["height"]] for a in boxes[uploaded[0]]["annotations"]]
    refused = ctl("labels", "add", first, "--dataset", f"labeling-job/{job}", "--class", "bee", "--box", "1,1,5,5")
    assert refused.returncode != 0 and "read-only" in refused.stderr, refused.stderr

    # One task bad with a comment, the others good, through the label API.
    comment = "the second bee has no box"
    apply(job, [{"op": "verify", "image": first, "answer": "bad", "comment": comment}])
    assert sm.describe_labeling_job(LabelingJobName=job)["LabelCounters"]["HumanLabeled"] == 1
    apply(job, [[{"op": "verify", "image": f"bees/images/{image}", "answer": "good"} for image in uploaded[1:]]])
    described = sm.describe_labeling_job(LabelingJobName=job)
    assert described["LabelingJobStatus"] == "Completed"
    assert described["LabelCounters"] == {"TotalLabeled": 4, "HumanLabeled": 4, "MachineLabeled": 0, "FailedNonRetryableError": 0, "Unlabeled": 0}

    lines = output_manifest(s3, bucket, job)
    # Each line is the input line, byte for byte, then the verdict.
    assert all(line.startswith(before[:-1] + ", ") for line, before in zip(lines, previous))
    items = [json.loads(line) for line in lines]
    assert [list(item) for item in items] == [["source-ref", "bees", "bees-metadata", "bees-verified", "bees-verified-metadata"]] * 4
    assert [item["bees-verified"] for item in items] == ["1", "0", "0", "0"]
    metadata = items[0]["bees-verified-metadata"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}", metadata.pop("creation-date"))
    assert metadata == {"class-name": "bad", "confidence": 0.0, "type": "groundtruth/label-verification", "job-name": f"labeling-job/{job}",
                        "human-annotated": "yes", "worker-feedback": [{"comment": comment}]}
    assert [list(item["bees-verified-metadata"]) for item in items[1:]] == \
        [["class-name", "confidence", "type", "job-name", "human-annotated", "creation-date"]] * 3
    assert {item["bees-verified-metadata"]["class-name"] for item in items[1:]} == {"good"}

    # The intermediate files, as for the other task types.
    prefix = f"labels/{job}/annotations/"
    keys = sorted(o["Key"][len(prefix):] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"])
    [response] = [k for k in keys if k.startswith("worker-response/iteration-1/0/")]
    [answer] = json.loads(s3.get_object(Bucket=bucket, Key=prefix + response)["Body"].read())["answers"]
    assert answer["answerContent"] == {"verification": {"label": "bad"}, "comment": comment}
    consolidated = []
    for key in (k for k in keys if k.startswith("consolidated-annotation/consolidation-response/")):
        consolidated += json.loads(s3.get_object(Bucket=bucket, Key=prefix + key)["Body"].read())
    by_id = {item["datasetObjectId"]: item["consolidatedAnnotation"]["content"] for item in consolidated}
    assert sorted(by_id) == ["0", "1", "2", "3"]
    assert by_id["0"]["bees-verified"] == "1" and by_id["0"]["bees-verified-metadata"]["worker-feedback"] == [{"comment": comment}]
