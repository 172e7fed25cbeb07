"""Helpers for the labeling UI's browser tests: the daemon's API, real mouse and keyboard input, waits.

Environment (set by Tests/ctlTests/LabelUITests.swift): APIARY_URL (the daemon), APIARY_HOME (its data folder),
APIARY_CTL (the ctl binary), APIARY_LABEL_JOB (a labeling job with at least ten unlabeled images, classes bee
and wasp), APIARY_DAEMON_PID (the daemon's process, which the tests may stop and start again on the same port).
"""

import http.client
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
from selenium import webdriver
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ.get("APIARY_URL", "")
JOB = os.environ.get("APIARY_LABEL_JOB", "")
DATASET = "labeling-job/" + JOB
SHOTS = os.environ.get("APIARY_UI_SCREENSHOTS")
PAGE = f"{URL}/label/#job={urllib.parse.quote(JOB)}"


def page(image=None, job=JOB):
    return f"{URL}/label/#job={urllib.parse.quote(job)}" + (f"&image={image}" if image else "")


def api(path):
    with urllib.request.urlopen(f"{URL}/label/api/{path}") as response:
        return json.load(response)


def wait(driver, condition, message, timeout=15):
    return WebDriverWait(driver, timeout).until(lambda d: condition(d), message)


def saved(driver):
    """Waits until every change of the page is committed by the daemon."""
    wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-save-state") in ("saved", "error"), "saving")


def image_id(driver):
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-image-id") or 0)


def open_page(driver, url=PAGE):
    driver.get("about:blank")  # a fresh page even when only the #fragment differs
    driver.get(url)
    wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true", "the page starts")
    wait(driver, lambda d: image_id(d) > 0, "an image opens")
    saved(driver)


def client_point(driver, x, y):
    cx, cy = driver.execute_script("return apiaryLabel.imageToClient(arguments[0], arguments[1])", x, y)
    return round(cx), round(cy)


def drag(driver, start, end, steps=6, settle=True):
    """A real mouse drag between two image pixels: pointer down, moves, up; then (`settle`) waits until saved."""
    (x0, y0), (x1, y1) = client_point(driver, *start), client_point(driver, *end)
    actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_MOUSE, "mouse"), duration=20)
    actions.pointer_action.move_to_location(x0, y0).pointer_down()
    for i in range(1, steps + 1):
        actions.pointer_action.move_to_location(round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps))
    actions.pointer_action.pointer_up()
    actions.perform()
    if settle:
        saved(driver)


def click(driver, point):
    drag(driver, point, point, steps=1)


def keys(driver, *sequence):
    chain = webdriver.ActionChains(driver)
    for key in sequence:
        if isinstance(key, tuple):  # (modifier…, key)
            *modifiers, key = key
            for modifier in modifiers:
                chain.key_down(modifier)
            chain.send_keys(key)
            for modifier in reversed(modifiers):
                chain.key_up(modifier)
        else:
            chain.send_keys(key)
    chain.perform()
    saved(driver)


def shown(driver):
    return [(b["classId"], b["box"]) for b in driver.execute_script("return apiaryLabel.boxes()")]


def stored(image):
    return [(b["classId"], b["box"]) for b in api(f"images/{image}")["boxes"]]


def shot(driver, name):
    if SHOTS:
        driver.save_screenshot(os.path.join(SHOTS, name))


def token():
    with urllib.request.urlopen(f"{URL}/label/") as response:
        return re.search(r'name="apiary-label-token" content="([0-9a-f]+)"', response.read().decode()).group(1)


def post(path, body, headers):
    parts = urllib.parse.urlsplit(URL)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("POST", "/label/api/" + path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")




def queue(job=JOB):
    return api("queue?" + urllib.parse.urlencode({"job": job}))


def save_state(driver):
    return driver.find_element(By.TAG_NAME, "body").get_attribute("data-save-state")


class Daemon:
    """The daemon under test, stopped and started again on the same port and home (the page's origin stays)."""

    def __init__(self):
        self.pid = int(os.environ["APIARY_DAEMON_PID"])
        self.process = None  # a daemon started here, stopped at the end of the session

    def kill(self):
        """SIGKILL, as a crash or a pulled plug: nothing gets to finish."""
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None
        else:
            os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{URL}/label/", timeout=1)
            except (urllib.error.URLError, ConnectionError, OSError):
                return
            time.sleep(0.1)
        raise AssertionError("the daemon still answers after SIGKILL")

    def start(self):
        port = urllib.parse.urlsplit(URL).port
        args = [os.environ["APIARY_CTL"], "serve", "--port", str(port), "--home", os.environ["APIARY_HOME"], "--test-hooks",
                "--account", "123456789012"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the daemon exited with {self.process.returncode}"
            try:
                urllib.request.urlopen(f"{URL}/label/", timeout=1)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise AssertionError("the daemon did not start again")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait()
            self.process = None


def create_bounding_box_job(sm, job, bucket, attribute, task_type, title, description):
    """Creates a Ground Truth job of the built-in task type `task_type` (`BoundingBox`, `AdjustmentBoundingBox`,
    `VerificationBoundingBox`) over
    s3://BUCKET/input.manifest with the category file s3://BUCKET/categories.json, as a notebook would."""
    sm.create_labeling_job(
        LabelingJobName=job, LabelAttributeName=attribute,
        InputConfig={"DataSource": {"S3DataSource": {"ManifestS3Uri": f"s3://{bucket}/input.manifest"}}},
        OutputConfig={"S3OutputPath": f"s3://{bucket}/labels"},
        RoleArn="arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20190516T000000",
        LabelCategoryConfigS3Uri=f"s3://{bucket}/categories.json",
        HumanTaskConfig={
            "WorkteamArn": "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/bees-team",
            "UiConfig": {"UiTemplateS3Uri": f"s3://{bucket}/instructions.template"},
            "PreHumanTaskLambdaArn": f"arn:aws:lambda:us-east-1:432418664414:function:PRE-{task_type}",
            "TaskTitle": title, "TaskDescription": description,
            "NumberOfHumanWorkersPerDataObject": 1, "TaskTimeLimitInSeconds": 300,
            "AnnotationConsolidationConfig": {"AnnotationConsolidationLambdaArn": f"arn:aws:lambda:us-east-1:432418664414:function:ACS-{task_type}"},
        },
    )


def put_reviewed_images(bucket, previous):
    """For a review (adjustment, verification) job: the first sample photos in s3://BUCKET/images/, an input manifest
    whose lines carry an earlier job `bees`'s boxes (`previous`: per photo, a list of (class id, [l, t, w, h])), and
    the category file. Returns the sagemaker and s3 clients."""
    s3, sm = client("s3"), client("sagemaker")
    s3.create_bucket(Bucket=bucket)
    folder = os.path.join(os.environ["APIARY_HOME"], "bees", "images")
    names = sorted(os.listdir(folder))[:len(previous)]
    with open(os.path.join(os.environ["APIARY_HOME"], "bees", "output.manifest")) as sample:
        sizes = {os.path.basename(item["source-ref"]): item["bees-500"]["image_size"] for item in map(json.loads, sample)}
    lines = []
    for name, boxes in zip(names, previous):
        with open(os.path.join(folder, name), "rb") as image:
            s3.put_object(Bucket=bucket, Key=f"images/{name}", Body=image.read())
        annotations = [{"class_id": c, "left": b[0], "top": b[1], "width": b[2], "height": b[3]} for c, b in boxes]
        lines.append({"source-ref": f"s3://{bucket}/images/{name}", "bees": {"image_size": sizes[name], "annotations": annotations},
                      "bees-metadata": {"class-map": {"0": "bee"}, "type": "groundtruth/object-detection", "job-name": "labeling-job/bees"}})
    s3.put_object(Bucket=bucket, Key="input.manifest", Body="".join(json.dumps(line) + "\n" for line in lines).encode())
    s3.put_object(Bucket=bucket, Key="categories.json", Body=json.dumps({"document-version": "2018-11-28", "labels": [{"label": "bee"}]}).encode())
    return sm, s3


def client(service):
    """A boto3 client for the test daemon, signed with the test credentials."""
    return boto3.client(service, endpoint_url=URL, region_name="us-east-1", aws_access_key_id="AKIAAPIARYTEST000000",
                        aws_secret_access_key="apiary-test-secret")
