"""The rendered site end to end, on real data: a subset of the configured reports is built in a scratch
project home, opened in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium), and
built a second time to prove that the same inputs give the same metrics.csv and the same HTML apart from
the run timestamps and durations (which the templates mark as volatile)."""

from __future__ import annotations

import base64
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from conftest import REPO

SITE_PAGES = ["index.html", "sources.html", "glossary.html"]  # the pages around the reports
WIDTHS = (1280, 390)  # a laptop and a phone (CSS pixels)
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,1800", "--hide-scrollbars"]


def _without_volatile(html: str) -> str:
    return re.sub(r'<span class="rd-volatile">.*?</span>', "", html, flags=re.S)


def test_rerun_from_the_same_inputs_gives_identical_metrics_and_html(site):
    reports = site.reports
    first_metrics = (reports / "metrics.csv").read_text()
    first_pages = {p.name: _without_volatile(p.read_text()) for p in reports.glob("*.html")}
    results = site.run(force=True)
    assert {r.status for r in results} == {"ok"}
    assert len(first_pages) == len(results) + len(SITE_PAGES)  # the reports, the index, sources and glossary
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
    pages = sorted({link.split("#")[0] for link in links if link.split("#")[0].endswith(".html") and "://" not in link})
    assert pages == sorted(p.name for p in reports.glob("*.html") if p.name != "index.html"), links
    pages = [page for page in pages if page not in SITE_PAGES]
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


def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"The accessibility audit needs axe-core, not found at {AXE}. Install it from the npm registry: "
                    "`npm ci --prefix tests/browser` (`make test` and .ci/run do this).")
    return AXE.read_text(encoding="utf-8")


def _axe_serious(driver, source: str) -> list[str]:
    """The serious and critical axe-core violations of the page loaded in ``driver`` (axe injected from disk)."""
    driver.execute_script(source)
    driver.set_script_timeout(180)
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => [v.id, v.impact, v.help, v.nodes.length,"
        " v.nodes.slice(0, 3).map(n => n.target.join(' '))])))"
        ".catch(e => done([['axe-error', 'critical', String(e), 0, []]]));")
    return [f"{rule} ({impact}): {help_} on {count} element(s), e.g. {targets}"
            for rule, impact, help_, count, targets in violations if impact in ("serious", "critical")]


def _csv_text(url: str) -> str:
    """The text a CSV link points to: a data: URI or a file next to the page."""
    if url.startswith("data:"):
        header, _, payload = url.partition(",")
        raw = base64.b64decode(payload) if header.endswith(";base64") else urllib.parse.unquote(payload).encode()
        return raw.decode("utf-8")
    path = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path))
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _audited_pages(reports: Path) -> list[str]:
    """The landing page, the sources page and one report of each notebook kind (SITE_REPORTS)."""
    from conftest import SITE_REPORTS

    reports_pages = []
    for report in SITE_REPORTS:
        found = sorted(p.name for p in reports.glob("*.html") if p.stem == report or p.stem.startswith(f"{report}--"))
        assert found, f"no page for {report}"
        reports_pages.append(found[0])
    return [*SITE_PAGES, *reports_pages]


@pytest.mark.browser
def test_pages_read_on_a_phone_and_a_laptop_with_alt_text_csv_links_and_no_serious_axe_violations(
        site, browser, screenshot_dir):
    axe = _axe_source()
    problems = []
    for page in _audited_pages(site.reports):
        for width in WIDTHS:
            browser.set_window_size(width, 900)
            errors = _open(browser, site.reports / page)
            where = f"{page} at {width} px"
            problems += [f"{where}: console error {e['message']}" for e in errors]
            if not browser.execute_script(
                    "const m = document.querySelector('meta[name=viewport]');"
                    "return m !== null && m.content.includes('width=device-width')"):
                problems.append(f"{where}: no viewport meta tag (width=device-width)")
            scroll, inner = browser.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                problems.append(f"{where}: the page scrolls sideways ({scroll} px wide in a {inner} px window)")
            alts = browser.execute_script("return Array.from(document.images).map(i => i.getAttribute('alt'))")
            for alt in alts:
                if not (alt or "").strip() or NBCONVERT_DEFAULT_ALT in alt:
                    problems.append(f"{where}: an image without alt text ({alt!r})")
            links = browser.execute_script(
                "return Array.from(document.querySelectorAll('a[href]')).filter(a => a.hasAttribute('download')"
                " || a.getAttribute('href').split('#')[0].split('?')[0].toLowerCase().endsWith('.csv'))"
                ".map(a => a.href)")
            for link in [u for u in links if u.startswith(("data:", "file:"))]:  # the site's own (not publishers')
                text = _csv_text(link)
                if not text.strip() or len(text.strip().splitlines()) < 2:
                    problems.append(f"{where}: the CSV link {link[:80]} does not lead to a CSV with data")
            problems += [f"{where}: {v}" for v in _axe_serious(browser, axe)]
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(width, min(height, 6000) + 120)
            browser.save_screenshot(str(screenshot_dir / f"{Path(page).stem}-{width}.png"))
    browser.set_window_size(1280, 1800)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("typed", "code"), [("Leeds", "TLE42"), ("bristol", "TLK11"), ("Glasgow", "TLM82"),
                                             ("Brighton", "TLJ21")])
def test_the_landing_page_search_finds_a_city_and_links_to_its_profile(site, browser, typed, code):
    from selenium.webdriver.common.by import By

    assert _open(browser, site.reports / "index.html") == []
    box = browser.find_element(By.ID, "rd-search-box")
    box.clear()
    box.send_keys(typed)
    hits = browser.execute_script(
        "return Array.from(document.querySelectorAll('#rd-search-results a')).map(a => [a.textContent, a.getAttribute('href')])")
    own, region = f"profile--{code}.html", f"profile--{code[:3]}.html"
    expected = own if (site.reports / own).exists() or not (site.reports / region).exists() else region
    assert hits and hits[0][1] == expected, hits
    note = browser.find_element(By.ID, "rd-search-results").text
    assert code in note and ((site.reports / own).exists() or "its own is built by make report-all" in note), note


TABLE_WIDTHS = """return Array.from(document.querySelectorAll('table.rd-table')).map(t => {
  const box = t.closest('.rd-table-scroll'), title = box && box.previousElementSibling && box.previousElementSibling
    .previousElementSibling;
  return [title && title.classList.contains('rd-table-title') ? title.textContent : '', t.getBoundingClientRect().width,
          box ? box.clientWidth : 0, box ? box.classList.contains('rd-wide') : false,
          box ? getComputedStyle(box.previousElementSibling).display !== 'none' : false];
});"""


@pytest.mark.browser
def test_tables_fit_or_scroll_in_a_marked_box_and_pages_print(site, browser):
    problems = []
    for page in _audited_pages(site.reports):
        if page in SITE_PAGES:
            continue
        for width in WIDTHS:
            browser.set_window_size(width, 900)
            _open(browser, site.reports / page)
            for title, table, box, marked, hint in browser.execute_script(TABLE_WIDTHS):
                where = f"{page} at {width} px, table {title!r}"
                if not box:
                    problems.append(f"{where}: not in a scroll box")
                elif table > box + 1 and not (marked and hint):
                    problems.append(f"{where}: {table:.0f} px in a {box} px box without the scroll mark and hint")
                elif width == 1280 and title == "What holds up" and table > box + 1:
                    problems.append(f"{where}: {table:.0f} px, wider than its {box} px column")
        has_print = browser.execute_script(
            "return Array.from(document.styleSheets).some(s => Array.from(s.cssRules).some(r => r.media && "
            "r.media.mediaText.includes('print')))")
        if not has_print:
            problems.append(f"{page}: no print stylesheet")
    browser.set_window_size(1280, 1800)
    assert not problems, "\n".join(problems)


CHART_TEXT = """return Array.from(document.querySelectorAll('figure.rd-figure img')).map(i => {
  const narrow = i.parentElement.querySelector('source');
  return [i.alt.slice(0, 60), narrow !== null && i.currentSrc === narrow.srcset.split(' ')[0],
          i.getBoundingClientRect().width, Number(i.dataset.rdNarrowWidth), Number(i.dataset.rdNarrowTextPx)];
});"""
MIN_CHART_TEXT_PX = 9


@pytest.mark.browser
def test_charts_on_a_phone_show_their_phone_rendering_with_text_of_at_least_9_px(site, browser):
    """At 390 px every chart shows the rendering drawn for a phone, at a scale that keeps its smallest text (the
    size the renderer recorded, times the shown width over the drawn width) at least 9 CSS px; at 1280 px the
    laptop one."""
    problems, charts = [], 0
    for page in _audited_pages(site.reports):
        for width in WIDTHS:
            browser.set_window_size(width, 900)
            _open(browser, site.reports / page)
            for alt, phone, shown, drawn, text in browser.execute_script(CHART_TEXT):
                where = f"{page} at {width} px, chart {alt!r}"
                charts += 1
                if phone != (width == 390):
                    problems.append(f"{where}: shows the {'phone' if phone else 'laptop'} rendering")
                elif phone and text * shown / drawn < MIN_CHART_TEXT_PX:
                    problems.append(f"{where}: smallest text {text * shown / drawn:.1f} px ({drawn} px drawn, "
                                    f"{shown:.0f} px shown)")
    browser.set_window_size(1280, 1800)
    assert charts > 10 and not problems, "\n".join(problems)


def test_search_links_an_area_without_its_own_page_to_its_regions_profile():
    """With only the regions' profiles built (``make report``), Leeds (TLE42) links to Yorkshire and The Humber's
    profile, flagged as not its own; with nothing built, to the page ``make report-all`` writes."""
    import json

    from helpers.site.index import search_index

    def leeds(pages):
        return next(row for row in json.loads(search_index(pages)) if row[0] == "Leeds" and row[1] == "TLE42")

    assert leeds({"profile--TLE.html"})[3:] == ["profile--TLE.html", 0]
    assert leeds({"profile--TLE.html", "profile--TLE42.html"})[3:] == ["profile--TLE42.html", 1]
    assert leeds(set())[3:] == ["profile--TLE42.html", 0]
