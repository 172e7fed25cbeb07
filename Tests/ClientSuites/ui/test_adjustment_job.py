"""A bounding-box adjustment job (Ground Truth's PRE-AdjustmentBoundingBox) made with boto3 and done in the worker UI:
the previous job's boxes are drawn when each task opens, the worker adds a box to one image and submits both, and
the output manifest has the new attribute with adjustment-status. Run by Tests/ctlTests/LabelUITests.swift."""

import json
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from labelui import URL, create_bounding_box_job, put_reviewed_images, drag, image_id, keys, open_page, page, queue, saved, shot, shown, wait

if "APIARY_LABEL_JOB" not in os.environ:
    pytest.skip("run by Tests/ctlTests/LabelUITests.swift, which prepares the daemon and its job", allow_module_level=True)

JOB = "bees-adjust"
PREVIOUS = [[(0, [30, 40, 60, 60])], [(0, [10, 10, 50, 40]), (0, [100, 90, 40, 30])]]


@pytest.fixture(scope="module")
def job():
    """Two photos in S3, labeled by an earlier job `bees`, and an adjustment job over that output."""
    sm, s3 = put_reviewed_images("ui-review", PREVIOUS)
    create_bounding_box_job(sm, JOB, "ui-review", "bees-adjusted", "AdjustmentBoundingBox", "Check the bees", "Fix the boxes around every bee")
    return sm, s3


def test_previous_boxes_are_drawn_and_adjustments_are_recorded(driver, job):
    sm, s3 = job
    first, second = [image["id"] for image in queue(JOB)["images"]]
    open_page(driver, page(first, job=JOB))
    wait(driver, lambda d: shown(d) == PREVIOUS[0], "the previous box is drawn")
    assert sm.describe_labeling_job(LabelingJobName=JOB)["LabelCounters"]["Unlabeled"] == 2

    # The worker adds the bee the first job missed and submits; the second image is right as it is.
    keys(driver, "d", "1")
    drag(driver, (150, 60), (220, 140))
    shot(driver, "label-ui-adjustment.png")
    keys(driver, Keys.ENTER)
    wait(driver, lambda d: image_id(d) == second, "the next task opens")
    wait(driver, lambda d: shown(d) == PREVIOUS[1], "its previous boxes are drawn")
    keys(driver, Keys.ENTER)
    saved(driver)
    wait(driver, lambda d: "Completed" in d.find_element(By.ID, "job-status").text, "the job completes")

    assert sm.describe_labeling_job(LabelingJobName=JOB)["LabelingJobStatus"] == "Completed"  # writes the output
    body = s3.get_object(Bucket="ui-review", Key=f"labels/{JOB}/manifests/output/output.manifest")["Body"].read().decode()
    lines = [json.loads(line) for line in body.splitlines()]
    answers = [[(a["class_id"], [a["left"], a["top"], a["width"], a["height"]]) for a in line["bees-adjusted"]["annotations"]] for line in lines]
    assert answers == [PREVIOUS[0] + [(0, [150, 60, 70, 80])], PREVIOUS[1]]
    assert [line["bees-adjusted-metadata"]["adjustment-status"] for line in lines] == ["adjusted", "unadjusted"]
