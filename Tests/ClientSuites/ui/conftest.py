"""Fixtures for the labeling UI's browser tests (see labelui.py)."""

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from labelui import Daemon


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def daemon():
    """The daemon, to kill and restart; one started here is stopped when the tests end."""
    control = Daemon()
    yield control
    control.stop()
