"""A bounding-box verification job (Ground Truth's PRE-VerificationBoundingBox) made with boto3 and done in the
worker UI: the previous job's boxes are drawn and cannot be changed; the worker answers one image good from the
keyboard and the other bad with a comment, and the output manifest holds the verdicts. Run by
Tests/ctlTests/LabelUITests.swift."""

import json
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from labelui import create_bounding_box_job, drag, image_id, keys, open_page, page, put_reviewed_images, queue, saved, shot, shown, stored, wait

if "APIARY_LABEL_JOB" not in os.environ:
    pytest.skip("run by Tests/ctlTests/LabelUITests.swift, which prepares the daemon and its job", allow_module_level=True)

JOB = "bees-verify"
PREVIOUS = [[(0, [30, 40, 60, 60])], [(0, [10, 10, 50, 40]), (0, [100, 90, 40, 30])]]
COMMENT = "the bee on the right is not boxed"


@pytest.fixture(scope="module")
def job():
    sm, s3 = put_reviewed_images("ui-verify", PREVIOUS)
    create_bounding_box_job(sm, JOB, "ui-verify", "bees-verified", "VerificationBoundingBox", "Check the bees", "Are the boxes right?")
    return sm, s3


def checked(driver, element):
    return driver.find_element(By.ID, element).get_attribute("aria-checked") == "true"


def test_previous_boxes_are_judged_good_or_bad(driver, job):
    sm, s3 = job
    first, second = [image["id"] for image in queue(JOB)["images"]]
    open_page(driver, page(first, job=JOB))
    wait(driver, lambda d: shown(d) == PREVIOUS[0], "the previous box is drawn")
    panel = driver.find_element(By.ID, "verify-panel")
    assert panel.is_displayed() and panel.get_attribute("role") == "group" and panel.get_attribute("aria-label") == "Verify the boxes"
    assert [driver.find_element(By.ID, i).get_attribute("role") for i in ("verify-good", "verify-bad")] == ["radio", "radio"]
    assert driver.find_element(By.ID, "verify-comment").get_attribute("aria-label") == "Comment on the boxes (optional)"
    assert driver.find_element(By.ID, "mode-draw").get_attribute("disabled") == "true"

    # The boxes are read-only: a drag draws nothing, B makes no box, and the store is unchanged.
    drag(driver, (150, 60), (220, 140))
    keys(driver, "b")
    assert shown(driver) == PREVIOUS[0] and stored(first) == PREVIOUS[0]
    assert "cannot be changed" in driver.find_element(By.ID, "banner-text").text
    # Submit needs an answer first.
    keys(driver, Keys.ENTER)
    assert image_id(driver) == first and "Choose Good" in driver.find_element(By.ID, "banner-text").text

    keys(driver, "g")
    assert checked(driver, "verify-good") and not checked(driver, "verify-bad")
    keys(driver, Keys.ENTER)
    wait(driver, lambda d: image_id(d) == second, "the next task opens")
    wait(driver, lambda d: shown(d) == PREVIOUS[1], "its previous boxes are drawn")
    assert not checked(driver, "verify-good") and driver.find_element(By.ID, "verify-comment").get_attribute("value") == ""

    keys(driver, "x")
    comment = driver.find_element(By.ID, "verify-comment")
    comment.send_keys(COMMENT)
    assert checked(driver, "verify-bad") and comment.get_attribute("value") == COMMENT  # typing an x in it answers nothing
    shot(driver, "label-ui-verification.png")
    comment.send_keys(Keys.ENTER)
    saved(driver)
    wait(driver, lambda d: "Completed" in d.find_element(By.ID, "job-status").text, "the job completes")

    # Reopened, a task shows the answer submitted.
    open_page(driver, page(second, job=JOB))
    wait(driver, lambda d: checked(d, "verify-bad"), "the submitted answer is shown")
    assert driver.find_element(By.ID, "verify-comment").get_attribute("value") == COMMENT

    assert sm.describe_labeling_job(LabelingJobName=JOB)["LabelingJobStatus"] == "Completed"  # writes the output
    body = s3.get_object(Bucket="ui-verify", Key=f"labels/{JOB}/manifests/output/output.manifest")["Body"].read().decode()
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["bees-verified"] for line in lines] == ["0", "1"]
    assert [line["bees-verified-metadata"]["class-name"] for line in lines] == ["good", "bad"]
    assert "worker-feedback" not in lines[0]["bees-verified-metadata"]
    assert lines[1]["bees-verified-metadata"]["worker-feedback"] == [{"comment": COMMENT}]
    assert [line["bees"]["annotations"] for line in lines] == [
        [{"class_id": c, "left": b[0], "top": b[1], "width": b[2], "height": b[3]} for c, b in boxes] for boxes in PREVIOUS]
