"""A labeling job made with boto3, done in the worker UI as Ground Truth's workers do: each task is submitted
("nothing to label" confirmed), the job completes when the last one is, and its output manifest holds exactly the
submitted answers — an edit after the last submission is not in it. Run by Tests/ctlTests/LabelUITests.swift."""

import json
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from labelui import URL, client, create_bounding_box_job, drag, image_id, keys, open_page, page, queue, saved, shot, shown, stored, wait

if "APIARY_LABEL_JOB" not in os.environ:
    pytest.skip("run by Tests/ctlTests/LabelUITests.swift, which prepares the daemon and its job", allow_module_level=True)

JOB = "bees-submit"
CONFIG = {
    "document-version": "2018-11-28",
    "labels": [{"label": "bee"}, {"label": "wasp"}],
    "instructions": {"shortInstruction": "Box every bee, wings included.", "fullInstruction": "<p>Boxes <b>tight</b> around each bee.</p>"},
}


@pytest.fixture(scope="module")
def job():
    """Two of the generated photos in S3 and a CreateLabelingJob over them."""
    s3, sm = client("s3"), client("sagemaker")
    s3.create_bucket(Bucket="ui-bees")
    folder = os.path.join(os.environ["APIARY_HOME"], "bees", "images")
    names = sorted(os.listdir(folder))[:2]
    for name in names:
        with open(os.path.join(folder, name), "rb") as image:
            s3.put_object(Bucket="ui-bees", Key=f"images/{name}", Body=image.read())
    manifest = "".join(json.dumps({"source-ref": f"s3://ui-bees/images/{name}"}) + "\n" for name in names)
    s3.put_object(Bucket="ui-bees", Key="input.manifest", Body=manifest.encode())
    s3.put_object(Bucket="ui-bees", Key="categories.json", Body=json.dumps(CONFIG).encode())
    create_bounding_box_job(sm, JOB, "ui-bees", "bees", "BoundingBox", "Find the bees", "Draw a box around every bee in the photo")
    return sm, s3


def counters(sm):
    return sm.describe_labeling_job(LabelingJobName=JOB)["LabelCounters"]


def test_tasks_are_submitted_and_the_output_holds_the_answers(driver, job):
    sm, s3 = job
    first, second = [image["id"] for image in queue(JOB)["images"]]
    open_page(driver, page(first, job=JOB))
    text = driver.find_element(By.CSS_SELECTOR, "aside.right").text
    assert "Find the bees" in text and "Draw a box around every bee in the photo" in text and "Box every bee, wings included." in text
    driver.find_element(By.ID, "full-instructions").click()
    assert driver.find_element(By.ID, "task-full-instructions").text == "Boxes tight around each bee."

    # A box drawn is not yet an answer: the task is done when submitted.
    keys(driver, "d", "1")
    drag(driver, (30, 40), (90, 100))
    assert counters(sm)["TotalLabeled"] == 0 and counters(sm)["Unlabeled"] == 2
    keys(driver, Keys.ENTER)
    wait(driver, lambda d: image_id(d) == second, "the next task opens")
    assert counters(sm)["TotalLabeled"] == 1
    wait(driver, lambda d: "TotalLabeled\n1" in d.find_element(By.ID, "job-counters").text, "live counters")
    assert driver.find_element(By.CSS_SELECTOR, f'#queue li[data-id="{first}"] .mark').text == "✓"

    # Nothing to label: Enter asks, Escape keeps the task open, Enter twice submits it.
    keys(driver, Keys.ENTER)
    wait(driver, lambda d: d.find_element(By.ID, "confirm-none").is_displayed(), "the page asks")
    shot(driver, "label-ui-nothing-to-label.png")
    keys(driver, Keys.ESCAPE)
    assert counters(sm)["TotalLabeled"] == 1
    keys(driver, Keys.ENTER)
    wait(driver, lambda d: d.find_element(By.ID, "confirm-none").is_displayed(), "the page asks again")
    keys(driver, Keys.ENTER)
    saved(driver)
    wait(driver, lambda d: "Completed" in d.find_element(By.ID, "job-status").text, "the job completes")
    described = sm.describe_labeling_job(LabelingJobName=JOB)
    assert described["LabelingJobStatus"] == "Completed" and described["LabelCounters"]["TotalLabeled"] == 2

    # An edit after the last submission stays in the dataset; the job's output keeps the submitted answers.
    driver.find_element(By.CSS_SELECTOR, f'#queue li[data-id="{first}"]').click()
    wait(driver, lambda d: image_id(d) == first, "the first task opens again")
    drag(driver, (150, 60), (220, 140))
    assert stored(first) == shown(driver) == [(0, [30, 40, 60, 60]), (0, [150, 60, 70, 80])]
    assert "Completed" in driver.find_element(By.ID, "banner-text").text
    shot(driver, "label-ui-job-finished.png")
    body = s3.get_object(Bucket="ui-bees", Key=f"labels/{JOB}/manifests/output/output.manifest")["Body"].read().decode()
    answers = [[(a["class_id"], [a["left"], a["top"], a["width"], a["height"]]) for a in json.loads(line)["bees"]["annotations"]]
               for line in body.splitlines()]
    assert answers == [[(0, [30, 40, 60, 60])], []]
