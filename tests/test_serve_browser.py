"""`chapbook serve` in a real browser (headless Debian Chromium through selenium): an open
page reloads when a rebuild lands, and shows a failed rebuild's diagnostics."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import GOOD_REVIEW, write_project
from tests.test_serve import EPUB_ONLY, Served

RELOAD_SECONDS = 3  # the promise: a page shows a landed rebuild within 3 s


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver_path, chromium = shutil.which("chromedriver"), shutil.which("chromium")
    if not driver_path or not chromium:
        pytest.skip("needs Debian's chromium and chromium-driver (make test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


# An element read while its page reloads (a second rebuild landing) is stale: read again
RELOADING = (StaleElementReferenceException,)


def _page_text(browser: webdriver.Chrome) -> str:
    return str(browser.find_element(By.TAG_NAME, "body").text)


def test_an_open_page_reloads_when_a_rebuild_lands_and_shows_a_failure(
        tmp_path: Path, browser: webdriver.Chrome) -> None:
    root = write_project(tmp_path / "project", {"good.md": GOOD_REVIEW}, EPUB_ONLY)
    served = Served(root)  # a book asking only for an EPUB: the preview makes its web edition
    try:
        served.wait_for(r"epub, html: rebuilt")
        browser.get(served.url + "everything/index.html")
        assert "it is good" in _page_text(browser)
        edited_at = time.monotonic()
        (root / "manuscripts" / "good.md").write_text(
            GOOD_REVIEW.replace("it is good", "it is very good"), encoding="utf-8")
        served.wait_for(r"epub, html: rebuilt")
        landed_at = time.monotonic()
        WebDriverWait(browser, RELOAD_SECONDS, ignored_exceptions=RELOADING).until(
            lambda page: "it is very good" in _page_text(page))
        print(f"edit to rebuilt: {landed_at - edited_at:.2f} s; "
              f"edit to reloaded page: {time.monotonic() - edited_at:.2f} s")

        (root / "manuscripts" / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n")
        overlay = WebDriverWait(browser, 60, ignored_exceptions=RELOADING).until(
            lambda page: "".join(e.text for e in page.find_elements(
                By.ID, "chapbook-preview-failure")))
        assert "manuscripts/broken.md:2" in overlay
        assert "[yaml-syntax]" in overlay
        assert WebDriverWait(browser, 10, ignored_exceptions=RELOADING).until(
            lambda page: "it is very good" in _page_text(page))  # the last good build, still
    finally:
        served.stop()
