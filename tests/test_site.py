"""The rendered site end to end, on real data: a subset of the configured reports is built in a scratch
project home, opened in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium), and
built a second time to prove that the same inputs give the same metrics.csv and the same HTML apart from
the run timestamps and durations (which the templates mark as volatile)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,1800"]


def _without_volatile(html: str) -> str:
    return re.sub(r'<span class="rd-volatile">.*?</span>', "", html, flags=re.S)


def test_rerun_from_the_same_inputs_gives_identical_metrics_and_html(site):
    reports = site.reports
    first_metrics = (reports / "metrics.csv").read_text()
    first_pages = {p.name: _without_volatile(p.read_text()) for p in reports.glob("*.html")}
    results = site.run(force=True)
    assert {r.status for r in results} == {"ok"}
    assert len(first_pages) == len(results) + 1  # the reports and the index
    assert (reports / "metrics.csv").read_text() == first_metrics
    for name, html in first_pages.items():
        assert _without_volatile((reports / name).read_text()) == html, f"{name} differs between two runs"


@pytest.fixture(scope="module")
def screenshot_dir(request, tmp_path_factory) -> Path:
    """Where screenshots go: ``--screenshots DIR`` or a temporary folder, printed so a person can look."""
    chosen = request.config.getoption("--screenshots")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.fail("The browser test needs Debian's Chromium and ChromeDriver: run "
                    "`sudo apt-get update && sudo apt-get install -y chromium chromium-driver` (.ci/run does this).")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> list[dict]:
    """Load a page from disk; return the console errors it logged."""
    driver.get(path.as_uri())  # returns after the load event
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.browser
def test_every_page_linked_from_the_index_loads_offline_with_images_and_a_run_card(site, browser, screenshot_dir):
    reports = site.reports
    errors = _open(browser, reports / "index.html")
    assert errors == [], errors
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    pages = sorted({link for link in links if link.endswith(".html") and "://" not in link})
    assert pages == sorted(p.name for p in reports.glob("*.html") if p.name != "index.html"), links
    screenshots = screenshot_dir
    browser.save_screenshot(str(screenshots / "index.png"))
    for page in pages:
        errors = _open(browser, reports / page)
        assert errors == [], f"{page}: {errors}"
        images = browser.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.src.slice(0, 22)])")
        assert images, f"{page} has no chart"
        assert all(complete and width > 0 for complete, width, _ in images), f"{page}: broken image {images}"
        assert all(src.startswith("data:image/") for _, _, src in images), f"{page}: image not embedded"
        assert browser.execute_script("return document.getElementById('run-card') !== null"), f"{page}: no run card"
        if page.startswith("profile--"):
            browser.execute_script("document.images[0].scrollIntoView()")
            browser.save_screenshot(str(screenshots / "profile.png"))
    assert (screenshots / "profile.png").stat().st_size > 10_000
