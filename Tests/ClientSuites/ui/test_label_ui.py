"""The labeling UI in headless Chromium against a live daemon (run by Tests/ctlTests/LabelUITests.swift).

Environment: as labelui.py says, and APIARY_UI_RESULT (where to write what was stored, for the Swift side to check
after a daemon restart), APIARY_UI_SCREENSHOTS (optional: a folder for the documentation's screenshots) with
APIARY_SAMPLE_MANIFEST (the generated sample's output.manifest: its true boxes are drawn for the main picture).
"""

import http.server
import json
import os
import subprocess
import tempfile
import threading
import urllib.parse

import pytest
from selenium import webdriver
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from labelui import DATASET, JOB, PAGE, SHOTS, URL, api, click, client_point, drag, image_id, keys, open_page, post, saved, shot, shown, stored, token, wait

if "APIARY_LABEL_JOB" not in os.environ:
    pytest.skip("run by Tests/ctlTests/LabelUITests.swift, which prepares the daemon and its job", allow_module_level=True)


# ---------------------------------------------------------------- the session


def test_label_session_saved_exactly(driver):
    open_page(driver)
    queue = api("queue?" + urllib.parse.urlencode({"job": JOB}))
    assert [c["name"] for c in queue["categories"]] == ["bee", "wasp"]
    first = image_id(driver)
    assert first == queue["images"][0]["id"]
    assert driver.execute_script("return apiaryLabel.view().s") == 1, "the sample images fit at 1:1"

    # Draw two boxes with the mouse; the second starts inside the first, after "2" picked class wasp.
    drag(driver, (40, 50), (140, 150))
    assert shown(driver) == [(0, [40, 50, 100, 100])]
    keys(driver, "2")
    drag(driver, (100, 120), (250, 220))
    assert shown(driver) == [(0, [40, 50, 100, 100]), (1, [100, 120, 150, 100])]
    assert stored(first) == shown(driver)

    # Select mode: move the first box, then resize it by its bottom-right handle.
    keys(driver, "v")
    drag(driver, (60, 70), (90, 90))
    assert shown(driver)[0] == (0, [70, 70, 100, 100])
    drag(driver, (170, 170), (190, 200))
    assert shown(driver)[0] == (0, [70, 70, 120, 130])
    shot(driver, "label-ui-session.png")

    # Delete it with the keyboard, then undo: it is back, with its id.
    box_id = driver.execute_script("return apiaryLabel.selectedId()")
    keys(driver, Keys.DELETE)
    assert stored(first) == [(1, [100, 120, 150, 100])]
    keys(driver, (Keys.CONTROL, "z"))
    assert stored(first) == [(0, [70, 70, 120, 130]), (1, [100, 120, 150, 100])]
    assert box_id in [b["id"] for b in api(f"images/{first}")["boxes"]]

    # Nudge the wasp box right 1 px and grow it 1 px with Alt+Down.
    click(driver, (240, 210))
    keys(driver, Keys.ARROW_RIGHT, (Keys.ALT, Keys.ARROW_DOWN))
    expected_first = [(0, [70, 70, 120, 130]), (1, [101, 120, 150, 101])]
    assert shown(driver) == expected_first and stored(first) == expected_first

    # Submit, go on to the next image, and submit that one with no box ("no bees").
    keys(driver, Keys.ENTER)
    wait(driver, lambda d: image_id(d) not in (0, first), "the next image opens")
    second = image_id(driver)
    assert shown(driver) == []
    assert driver.find_element(By.ID, "submit").text == "Submit: no bees"
    driver.find_element(By.ID, "submit").click()  # "nothing to label" is an answer: confirmed first
    wait(driver, lambda d: d.find_element(By.ID, "confirm-none").is_displayed(), "the page asks")
    assert "no bees here" in driver.find_element(By.ID, "confirm-none-text").text
    keys(driver, Keys.ENTER)
    wait(driver, lambda d: image_id(d) not in (first, second), "the third image opens")
    saved(driver)
    third = image_id(driver)
    assert api(f"images/{second}")["labeled"] is True and stored(second) == []

    # Reload the page: the work is all there.
    driver.refresh()
    open_page(driver, driver.current_url)
    assert image_id(driver) == third
    driver.find_element(By.CSS_SELECTOR, f'#queue li[data-id="{first}"]').click()
    wait(driver, lambda d: image_id(d) == first, "the first image opens again")
    assert shown(driver) == expected_first
    assert driver.find_element(By.ID, "progress").text == f"2 / {len(queue['images'])} submitted"
    wait(driver, lambda d: "2 of" in d.find_element(By.ID, "stats").text, "stats")
    shot(driver, "label-ui-stats.png")

    # Two tabs on the third image: the stale tab's change is refused with a clear message, nothing overwritten.
    driver.find_element(By.CSS_SELECTOR, f'#queue li[data-id="{third}"]').click()
    wait(driver, lambda d: image_id(d) == third, "the third image opens")
    first_tab = driver.current_window_handle
    driver.switch_to.new_window("tab")
    open_page(driver, f"{URL}/label/#job={urllib.parse.quote(JOB)}&image={third}")
    keys(driver, "1")
    drag(driver, (20, 20), (70, 70))
    driver.close()
    driver.switch_to.window(first_tab)
    keys(driver, "d")
    drag(driver, (200, 200), (260, 260))
    banner = driver.find_element(By.ID, "banner-text").text
    assert "changed in another tab" in banner, banner
    # The refused page reads the stored boxes back (a request of its own, after the banner).
    wait(driver, lambda d: shown(d) == [(0, [20, 20, 50, 50])], "the stale tab shows what is stored")
    assert stored(third) == [(0, [20, 20, 50, 50])]
    shot(driver, "label-ui-conflict.png")

    # An exported manifest has exactly these boxes, in pixels; the image with no box is in it too.
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [os.environ["APIARY_CTL"], "labels", "export", "--dataset", DATASET, "--format", "manifest", "--label-attribute-name", JOB, out, "--endpoint-url", URL],
            check=True, capture_output=True)
        lines = [json.loads(line) for line in open(os.path.join(out, "output.manifest"))]
    names = {i["id"]: i["name"] for i in queue["images"]}
    by_name = {os.path.basename(line["source-ref"]): line[JOB]["annotations"] for line in lines}
    as_boxes = lambda annotations: [(a["class_id"], [a["left"], a["top"], a["width"], a["height"]]) for a in annotations]
    assert len(lines) == 3
    assert as_boxes(by_name[os.path.basename(names[first])]) == expected_first
    assert as_boxes(by_name[os.path.basename(names[second])]) == []
    assert as_boxes(by_name[os.path.basename(names[third])]) == [(0, [20, 20, 50, 50])]

    with open(os.environ["APIARY_UI_RESULT"], "w") as result:
        json.dump({str(first): expected_first, str(second): [], str(third): [[0, [20, 20, 50, 50]]]}, result)


def test_zoom_pan_hide_redo(driver):
    image = api("queue?" + urllib.parse.urlencode({"job": JOB}))["images"][5]["id"]
    open_page(driver, f"{URL}/label/#job={urllib.parse.quote(JOB)}&image={image}")
    keys(driver, "d", "1", "+")
    assert driver.execute_script("return apiaryLabel.view().s") == 1.25
    drag(driver, (100, 100), (200, 180))
    [(class_id, box)] = stored(image)
    assert class_id == 0 and all(abs(a - b) <= 1 for a, b in zip(box, [100, 100, 100, 80])), box

    # Ctrl+wheel zooms in at the cursor: the image pixel under it stays there.
    x, y = client_point(driver, 150, 140)
    chain = webdriver.ActionChains(driver).key_down(Keys.CONTROL)
    chain.scroll_from_origin(ScrollOrigin.from_viewport(x, y), 0, -300).key_up(Keys.CONTROL).perform()
    wait(driver, lambda d: d.execute_script("return apiaryLabel.view().s") > 1.25, "zoomed in")
    after = client_point(driver, 150, 140)
    assert abs(after[0] - x) <= 1 and abs(after[1] - y) <= 1, (x, y, after)
    webdriver.ActionChains(driver).scroll_from_origin(ScrollOrigin.from_viewport(x, y), 40, 60).perform()  # a plain wheel pans
    wait(driver, lambda d: client_point(d, 150, 140) != after, "panned")
    keys(driver, "f")
    assert driver.execute_script("return apiaryLabel.view().s") == 1

    keys(driver, "h")
    assert driver.find_element(By.ID, "toggle-boxes").text == "Show"
    keys(driver, "h")
    keys(driver, (Keys.CONTROL, "z"))
    assert stored(image) == [] and shown(driver) == []
    keys(driver, (Keys.CONTROL, Keys.SHIFT, "z"))
    assert stored(image) == [(0, box)] == shown(driver)

    # Shift+2 relabels the selected box; two undos leave the image as it was.
    keys(driver, "v")
    click(driver, (box[0] + 10, box[1] + 10))
    keys(driver, (Keys.SHIFT, "2"))
    assert stored(image) == [(1, box)] == shown(driver)
    keys(driver, (Keys.CONTROL, "z"), (Keys.CONTROL, "z"))
    assert stored(image) == [] and api(f"images/{image}")["labeled"] is False


def test_foreign_requests_change_nothing(driver):
    image = api("queue?" + urllib.parse.urlencode({"job": JOB}))["images"][3]["id"]
    before = api(f"images/{image}")
    body = {"revision": before["revision"], "edits": [{"op": "add", "classId": 0, "box": [1, 1, 10, 10]}]}
    own = URL
    refused = [
        post(f"images/{image}/edits", body, {"Origin": own}),  # no token
        post(f"images/{image}/edits", body, {"X-Apiary-Label-Token": "0" * 64, "Origin": own}),  # a wrong one
        post(f"images/{image}/edits", body, {"X-Apiary-Label-Token": token(), "Origin": "http://evil.example"}),
        post(f"images/{image}/edits", body, {"X-Apiary-Label-Token": token(), "Sec-Fetch-Site": "cross-site"}),
        post(f"images/{image}/edits", body, {"X-Apiary-Label-Token": token(), "Host": "evil.example"}),  # DNS rebinding
    ]
    assert [status for status, _ in refused] == [403] * 5, refused
    assert post("images/abc/edits", body, {"X-Apiary-Label-Token": token()})[0] == 400  # ids are checked
    assert post("images/../../etc/passwd/edits", body, {"X-Apiary-Label-Token": token()})[0] == 404

    # A real foreign page in the browser: a form posting JSON-looking text to the daemon.
    form = f"""<form id="f" method="POST" enctype="text/plain" action="{URL}/label/api/images/{image}/edits">
      <input name='{json.dumps(body)[:-1]}, "x": "' value='"}}'></form><script>document.getElementById("f").submit()</script>"""

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(form.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Evil)  # Chromium preconnects idle sockets
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/")
        wait(driver, lambda d: "may not change labels" in d.find_element(By.TAG_NAME, "body").text, "the daemon refuses the foreign form")
    finally:
        server.shutdown()
    assert api(f"images/{image}") == before


def test_screenshots(driver):
    """With APIARY_UI_SCREENSHOTS: the documentation's picture, the sample's true boxes drawn by mouse (then undone)."""
    if not SHOTS:
        pytest.skip("APIARY_UI_SCREENSHOTS is not set")
    truth = {}
    for line in open(os.environ["APIARY_SAMPLE_MANIFEST"]):
        entry = json.loads(line)
        truth[os.path.basename(entry["source-ref"])] = entry["bees-500"]["annotations"]
    images = api("queue?" + urllib.parse.urlencode({"job": JOB}))["images"]
    image = max(images[4:], key=lambda i: len(truth[os.path.basename(i["name"])]))
    open_page(driver, f"{URL}/label/#job={urllib.parse.quote(JOB)}&image={image['id']}")
    keys(driver, "d", "1")
    boxes = truth[os.path.basename(image["name"])]
    for a in boxes:
        drag(driver, (a["left"], a["top"]), (a["left"] + a["width"], a["top"] + a["height"]))
    keys(driver, "v")
    a = boxes[0]
    click(driver, (a["left"] + a["width"] // 2, a["top"] + a["height"] // 2))
    driver.find_element(By.ID, "full-instructions").click()
    wait(driver, lambda d: str(len(boxes)) in d.find_element(By.ID, "box-count").text, "boxes listed")
    shot(driver, "label-ui.png")
    for _ in boxes:
        keys(driver, (Keys.CONTROL, "z"))
    assert stored(image["id"]) == [] and api(f"images/{image['id']}")["labeled"] is False
