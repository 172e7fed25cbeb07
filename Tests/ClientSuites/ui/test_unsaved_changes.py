"""Every change is stored or visibly pending: a daemon killed mid-session, a tab closed with changes unsent, the
daemon's PostgreSQL database away mid-session.

Run by Tests/ctlTests/LabelUITests.swift after test_label_ui.py; uses the job's images 6 and 7.
"""

import os
import subprocess
import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from labelui import api, drag, keys, open_page, page, queue, save_state, shot, shown, stored, wait

if "APIARY_LABEL_JOB" not in os.environ:
    pytest.skip("run by Tests/ctlTests/LabelUITests.swift, which prepares the daemon and its job", allow_module_level=True)

# The daemon's database when it runs on PostgreSQL (scripts/test.sh's PostgreSQL pass), else None.
DATABASE = os.environ.get("APIARY_DATABASE")
PENDING = "return Object.keys(localStorage).filter(k => k.startsWith('apiary-label-pending:')).length"


def status(driver):
    return driver.find_element(By.ID, "save-state").text


def banner(driver):
    element = driver.find_element(By.ID, "banner")
    return element.text if element.is_displayed() else None


def leaving_warns(driver):
    """Whether leaving the page now would ask first (the page cancels `beforeunload`)."""
    return driver.execute_script("const e = new Event('beforeunload', {cancelable: true}); dispatchEvent(e); return e.defaultPrevented")


def test_daemon_killed_mid_session(driver, daemon):
    image = queue()["images"][6]["id"]
    open_page(driver, page(image))
    keys(driver, "d", "1")
    assert not leaving_warns(driver)

    daemon.kill()
    drag(driver, (30, 40), (90, 100), settle=False)
    wait(driver, lambda d: save_state(d) == "offline", "the page says the change is not saved")
    assert status(driver).startswith("1 change not saved"), status(driver)
    assert "Cannot reach the daemon" in banner(driver)
    assert shown(driver) == [(0, [30, 40, 60, 60])]
    assert driver.execute_script(PENDING) == 1 and leaving_warns(driver)
    shot(driver, "label-ui-offline.png")

    # The daemon is back (a new session token): the kept change is sent, then the next one, in order.
    daemon.start()
    drag(driver, (150, 60), (220, 140))
    expected = [(0, [30, 40, 60, 60]), (0, [150, 60, 70, 80])]
    assert stored(image) == expected == shown(driver)
    assert status(driver) == "All changes saved" and banner(driver) is None
    assert driver.execute_script(PENDING) == 0 and not leaving_warns(driver)

    open_page(driver, page(image))
    assert shown(driver) == expected


def test_tab_closed_with_unsent_changes(driver, daemon):
    image = queue()["images"][7]["id"]
    open_page(driver, page(image))
    keys(driver, "d", "2")
    daemon.kill()
    drag(driver, (50, 60), (120, 110), settle=False)
    wait(driver, lambda d: save_state(d) == "offline", "the page says the change is not saved")
    assert driver.execute_script(PENDING) == 1

    # Close the tab with the change unsent, start the daemon, open the page again: the change is stored.
    labeling = driver.current_window_handle
    driver.switch_to.new_window("tab")
    other = driver.current_window_handle
    driver.switch_to.window(labeling)
    driver.close()
    driver.switch_to.window(other)
    daemon.start()
    driver.get(page(image))
    wait(driver, lambda d: stored(image) == [(1, [50, 60, 70, 50])], "the reopened page sends what the closed tab left")
    wait(driver, lambda d: save_state(d) == "saved" and shown(d) == [(1, [50, 60, 70, 50])], "the page shows it saved")
    assert driver.execute_script(PENDING) == 0
    assert api(f"images/{image}")["labeled"] is True


def set_database_open(is_open):
    """Lets the daemon's database take connections again, or ends its connections and refuses new ones: an outage of
    that database alone (the cluster's other databases, other tests', go on)."""
    parts = urllib.parse.urlsplit(DATABASE)
    name = parts.path.lstrip("/")
    statements = [f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if is_open else "false"}']
    if not is_open:
        statements.append(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    for sql in statements:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", parts._replace(path="/postgres").geturl(), "-c", sql],
                       check=True, capture_output=True)


@pytest.mark.skipif(not DATABASE, reason="the daemon keeps its labels in SQLite; scripts/test.sh's PostgreSQL pass runs this")
def test_database_away_mid_session(driver, daemon):
    image = queue()["images"][7]["id"]
    before = stored(image)
    open_page(driver, page(image))
    keys(driver, "d", "1")
    set_database_open(False)
    try:
        drag(driver, (200, 40), (260, 100), settle=False)
        wait(driver, lambda d: save_state(d) == "offline", "the page says the change is not saved")
        assert status(driver) == "1 change not saved · database unreachable, retrying", status(driver)
        assert banner(driver).startswith("Apiary's PostgreSQL database did not answer ("), banner(driver)
        assert "Your changes are kept in this browser" in banner(driver)
        assert driver.execute_script(PENDING) == 1 and leaving_warns(driver)
        shot(driver, "label-ui-database-away.png")
    finally:
        set_database_open(True)

    # The database is back: the page's next try stores the kept change.
    expected = before + [(0, [200, 40, 60, 60])]
    wait(driver, lambda d: save_state(d) == "saved", "the kept change is sent once the database answers", timeout=30)
    assert stored(image) == expected == shown(driver)
    assert banner(driver) is None and driver.execute_script(PENDING) == 0
