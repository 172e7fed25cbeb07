"""Keyboard only, accessibility checks, and edges and layout: a session with no mouse labels an image from scratch;
Tab moves the focus through every control (no trap) with a visible focus ring; every control has a role and a
name; a fractional box goes flush to the right and bottom edges; the view refits to an 800×600 window and when a
banner appears. Run by Tests/ctlTests/LabelUITests.swift; uses the job's images 8 and 9."""

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from labelui import api, image_id, keys, open_page, page, post, queue, shot, shown, stored, token, wait

if "APIARY_LABEL_JOB" not in os.environ:
    pytest.skip("run by Tests/ctlTests/LabelUITests.swift, which prepares the daemon and its job", allow_module_level=True)

# What the focused element is, whether its focus is visible, and its accessible name (as a screen reader takes
# it: aria-labelledby, aria-label, a <label>, the text, the title).
FOCUSED = """
const e = document.activeElement, style = getComputedStyle(e), stage = document.getElementById('stage');
const byIds = (e.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id)?.textContent || '').join(' ');
const name = (byIds || e.getAttribute('aria-label') || (e.labels && e.labels[0]?.textContent) || e.textContent || e.title || '').trim();
return {id: e.id, tag: e.tagName, role: e.getAttribute('role'), list: e.closest('ol')?.id || null, key: e.dataset?.key || null,
        name, visible: style.outlineStyle !== 'none' || (e === stage && style.boxShadow !== 'none')};
"""

# Controls without a name or a role: focusable ones and those the page marks as pressable.
UNNAMED = """
const found = [];
for (const e of document.querySelectorAll('button, input, select, textarea, summary, a[href], [tabindex], [role]')) {
  if (e.closest('[hidden]') || e.closest('dialog:not([open])')) continue;
  const byIds = (e.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id)?.textContent || '').join('');
  const name = (byIds || e.getAttribute('aria-label') || (e.labels && e.labels[0]?.textContent) || e.textContent || e.title || e.placeholder || '').trim();
  const implicit = ['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY', 'A'].includes(e.tagName);
  if (!name && e.getAttribute('aria-hidden') !== 'true') found.push('no name: ' + e.outerHTML.slice(0, 120));
  if (e.hasAttribute('tabindex') && e.tabIndex >= 0 && !implicit && !e.getAttribute('role')) found.push('no role: ' + e.outerHTML.slice(0, 120));
}
return found;
"""


def focused(driver):
    return driver.execute_script(FOCUSED)


def test_keyboard_only_session_and_accessibility(driver):
    image = queue()["images"][8]["id"]
    open_page(driver, page(image))
    assert driver.execute_script(UNNAMED) == []

    # Tab walks the page: every step moves the focus, the focus ring shows, and it reaches the queue, the image,
    # the submit button, the classes and the boxes, then comes round again (no trap).
    driver.execute_script("document.activeElement.blur()")
    seen = []
    for _ in range(120):
        keys(driver, Keys.TAB)
        now = focused(driver)
        if now["tag"] != "BODY":  # past the last control the focus may rest on the page itself once
            assert not seen or now != seen[-1], f"Tab did not move the focus from {now}"
            assert now["visible"], f"no visible focus on {now}"
            assert now["name"], f"no accessible name on {now}"
        seen.append(now)
    places = {(f["id"] or f["list"]) for f in seen}
    assert {"source", "queue", "stage", "submit", "classes"} <= places, places
    assert seen.count(seen[5]) >= 2, "Tab comes round to the same control again"

    # From scratch with keys only: reach the image with Tab, pick class wasp, make a box, move it, size it, submit.
    while focused(driver)["id"] != "stage":
        keys(driver, Keys.TAB)
    keys(driver, "2", "b")
    [(class_id, box)] = shown(driver)
    assert class_id == 1 and stored(image) == [(1, box)]
    keys(driver, (Keys.SHIFT, Keys.ARROW_LEFT), Keys.ARROW_UP, (Keys.ALT, Keys.ARROW_RIGHT), (Keys.ALT, Keys.ARROW_RIGHT))
    expected = [(1, [box[0] - 10, box[1] - 1, box[2] + 2, box[3]])]
    assert shown(driver) == expected == stored(image)

    # "]" selects a box with a key of its own, and its handles are drawn at once (white squares at its corners).
    keys(driver, Keys.ESCAPE)
    assert driver.execute_script("return apiaryLabel.selectedId()") is None
    keys(driver, "]")
    assert driver.execute_script("return apiaryLabel.selectedId()") == api(f"images/{image}")["boxes"][0]["id"]
    l, t = expected[0][1][0], expected[0][1][1]
    pixel = driver.execute_script("""
        const [x, y] = apiaryLabel.imageToClient(arguments[0], arguments[1]), c = document.getElementById('canvas'), r = c.getBoundingClientRect();
        const ratio = c.width / r.width;
        return Array.from(c.getContext('2d').getImageData(Math.round((x - r.left) * ratio), Math.round((y - r.top) * ratio), 1, 1).data);
        """, l, t)
    assert pixel[:3] == [255, 255, 255], pixel
    shot(driver, "label-ui-keyboard.png")

    # The queue and the class list work from the keyboard too.
    queue_entry = driver.find_element(By.CSS_SELECTOR, f'#queue li[data-id="{image}"]')
    assert queue_entry.get_attribute("tabindex") == "0" and queue_entry.get_attribute("aria-current") == "true"
    driver.find_element(By.CSS_SELECTOR, '#classes li[role="radio"][aria-checked="true"]')

    keys(driver, Keys.ENTER)
    wait(driver, lambda d: image_id(d) != image, "submitted, the next image opens")
    assert api(f"images/{image}")["submitted"] is True and stored(image) == expected


def test_edges_and_layout(driver):
    image = queue()["images"][9]["id"]
    width, height = api(f"images/{image}")["width"], api(f"images/{image}")["height"]
    status, _ = post(f"images/{image}/edits", {"revision": 0, "edits": [{"op": "add", "classId": 0, "box": [100.5, 80.25, 95.4, 86.8]}]},
                     {"X-Apiary-Label-Token": token()})
    assert status == 200
    open_page(driver, page(image))
    keys(driver, "]")
    for _ in range(int(width / 10) + 2):
        keys(driver, (Keys.SHIFT, Keys.ARROW_RIGHT))
    for _ in range(int(height / 10) + 2):
        keys(driver, (Keys.SHIFT, Keys.ARROW_DOWN))
    [(_, box)] = stored(image)
    assert box[0] + box[2] == width and box[1] + box[3] == height and box[2:] == [95.4, 86.8], box
    assert shown(driver) == stored(image)
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-save-state") == "saved"

    def inside(d):
        """The image shown lies wholly inside the image area."""
        view, stage = d.execute_script("return apiaryLabel.view()"), d.find_element(By.ID, "stage").rect
        shown_image = api(f"images/{image_id(d)}")
        width, height = shown_image["width"], shown_image["height"]
        return view["tx"] >= 0 and view["ty"] >= 0 and view["tx"] + width * view["s"] <= stage["width"] and view["ty"] + height * view["s"] <= stage["height"]

    # 800×600: the panels give way, the image keeps a usable area and is refitted inside it.
    # The window's frame (if any) comes on top of the 800×600 the page gets.
    frame_w, frame_h = driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight]")
    driver.set_window_size(800 + frame_w, 600 + frame_h)
    try:
        assert driver.execute_script("return [innerWidth, innerHeight]") == [800, 600]
        wait(driver, lambda d: d.execute_script("return apiaryLabel.view().s") < 1 and inside(d), "the view refits")
        stage = driver.find_element(By.ID, "stage").rect
        assert stage["width"] >= 400 and stage["height"] >= 300, stage
        # A banner appears (nothing to undo on an image with no history): the view refits under it.
        other = queue()["images"][4]["id"]
        open_page(driver, page(other))
        keys(driver, (Keys.CONTROL, "z"))
        wait(driver, lambda d: d.find_element(By.ID, "banner").is_displayed(), "the banner shows")
        wait(driver, inside, "the view refits under the banner")
        shot(driver, "label-ui-800x600.png")
    finally:
        driver.set_window_size(1400, 900)
