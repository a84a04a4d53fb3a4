"""The landing page's findings, region map and sources page: unit tests on small inputs, then checks on the
real site built by the ``site`` fixture (every figure and finding the landing page names was recorded, every source
has an anchor on the sources page, run cards list the sources the report shows)."""

from __future__ import annotations

import csv
import re

from markupsafe import Markup

from helpers.site import landing
from helpers.site.index import plain_date, plain_duration
from helpers.site.landing import QUESTIONS, render_findings


def _finding(finding_id, verdict, report="ict-vs-finance--chained-volume"):
    return {"id": finding_id, "verdict": verdict, "report": report, "sources": "gva_itl1_cp_2023"}


def _metric(report, metric_id, value):
    return {"report": report, "id": metric_id, "value": str(value), "source_ids": "gva_itl1_cvm_2023"}


def test_every_question_answers_even_with_nothing_recorded():
    rendered = render_findings([], [], pages=set())
    assert [f["number"] for f in rendered] == [1, 2, 3, 4]
    for finding in rendered:
        assert isinstance(finding["text"], Markup) and "{" not in finding["text"] and finding["heading"]
    assert "not available" in rendered[0]["text"] and "–" in rendered[0]["text"]  # missing verdicts and figures


def test_a_verdict_links_to_its_row_of_what_holds_up_and_figures_use_the_formatter():
    pages = {"ict-vs-finance--chained-volume.html"}
    rows = [_finding("ict_outgrew_finance_cash", "inconclusive"), _finding("ict_outgrew_finance_real", "holds", "gone")]
    metrics = [_metric("ict-vs-finance--chained-volume", "uk_J_cagr_current_prices", 4.2934),
               _metric("concentration", "uk_J_cagr_current_prices", 99.0)]  # the question's own report wins
    text = render_findings(metrics, rows, pages)[0]["text"]
    assert ('<a class="rd-verdict rd-inconclusive" data-finding="ict_outgrew_finance_cash" '
            'href="ict-vs-finance--chained-volume.html#finding-ict_outgrew_finance_cash">inconclusive</a>') in text
    assert '<strong class="rd-verdict rd-holds" data-finding="ict_outgrew_finance_real">holds</strong>' in text
    assert "grew 4.3% a year" in text and "99.0%" not in text


def test_the_readme_section_is_the_landing_page_in_markdown():
    rows = [{**_finding("ict_outgrew_finance_real", "holds"), "estimate": "8.0059"}]
    text = landing.readme_findings([_metric("ict-vs-finance--x", "uk_J_cagr_chained_volume", 9.86)], rows)
    assert text.startswith("1. **Is ICT outgrowing finance?**") and "**holds**" in text
    assert "lead (+8.0 points a year: 9.9% against" in text  # the gap from the finding, ICT's rate from the metric
    assert "<" not in text and len(text.splitlines()) == 4


def test_plain_dates_and_durations():
    assert plain_date("2026-11-23T15:36:51+00:00") == "23 Nov 2026"
    assert plain_date(None) == "" and plain_date("soon") == "soon"
    assert [plain_duration(s) for s in (0.2, 24.4, 65, 120, 3725)] == ["under 1 s", "24 s", "1 min 5 s", "2 min",
                                                                        "1 h 2 min"]


def test_the_region_map_paths_are_rounded_and_deterministic():
    import geopandas as gpd
    from shapely.geometry import MultiPolygon, box

    frame = gpd.GeoDataFrame({"region_code": ["TLB", "TLA"]},
                             geometry=[box(-1, 50, 0, 51.123456), MultiPolygon([box(0, 50, 1, 52), box(5, 5, 5.01, 5.01)])],
                             crs="EPSG:4326")
    from helpers.site.regionmap import region_paths

    paths, (width, height) = region_paths(frame)
    assert [p["code"] for p in paths] == ["TLA", "TLB"]
    assert width == 320 and height > 0
    numbers = re.findall(r"-?\d+(?:\.\d+)?", "".join(p["d"] for p in paths))
    assert all(len(n.split(".")[1]) == 1 for n in numbers if "." in n)
    assert paths[0]["d"].count("M") == 1  # the islet is dropped
    assert region_paths(frame) == (paths, (width, height))


# ---------------------------------------------------------------- on the real site (the `site` fixture)


def test_every_figure_and_finding_the_landing_page_names_was_recorded(site):
    """Render each question's answer with dicts that note what is read: every metric and finding it names is in
    metrics.csv and findings.csv, and the page shows no missing figure."""
    from helpers.findings import wording

    class Noting(dict):
        def __init__(self, missing):
            super().__init__()
            self.read, self.missing = set(), missing

        def __missing__(self, key):
            self.read.add(key)
            return self.missing(key)

    read = {}
    for q in QUESTIONS:
        m, f = Noting(lambda key: 1.0), Noting(lambda key: landing.Stated(key, "holds", "r"))
        wording.render(q.package, "landing", f=f, m=m, ref=landing.markdown_ref)
        read[q.number] = (m.read, f.read)
    rows = {name: list(csv.DictReader((site.reports / name).open(encoding="utf-8"))) for name in ("metrics.csv", "findings.csv")}
    metric_ids, finding_ids = {r["id"] for r in rows["metrics.csv"]}, {r["id"] for r in rows["findings.csv"]}
    for number, (metrics, found) in read.items():
        assert metrics <= metric_ids, f"question {number}: figures no report recorded: {sorted(metrics - metric_ids)}"
        assert found <= finding_ids, f"question {number}: findings no report stated: {sorted(found - finding_ids)}"
    index = (site.reports / "index.html").read_text(encoding="utf-8")
    section = index[index.index('id="findings"'):index.index('id="regions"')]
    assert "not available" not in section and "–" not in section
    assert 'name="viewport"' in index and "sources.html#" in index  # vintages link to the sources page
    assert 'data-finding="ict_outgrew_finance_real"' in index


def test_the_sources_page_has_every_manifest_source_and_the_reference_tables(site):
    from helpers.data.sources import load_manifest

    page = (site.reports / "sources.html").read_text(encoding="utf-8")
    for source in load_manifest().values():
        assert f'id="{source.id}"' in page
        assert source.sha256 in page and source.url in page
        if source.publisher_url:
            assert source.publisher_url in page
    assert 'id="reference-claims"' in page and 'id="reference-ai_growth_zones"' in page


def test_run_cards_list_the_sources_the_report_shows(site):
    """The run card lists the sources the report's charts, tables, findings and figures name, each a source of a
    dataset the report declares, each on the sources page."""
    import json

    from helpers.data.datasets import get_dataset

    page = (site.reports / "sources.html").read_text(encoding="utf-8")
    for state_file in sorted((site.reports / "_state").glob("*.json")):
        state = json.loads(state_file.read_text(encoding="utf-8"))
        html = (site.reports / f"{state['name']}.html").read_text(encoding="utf-8")
        card = html[html.index('id="run-card"'):html.index("</section>", html.index('id="run-card"'))]
        listed = re.findall(r'href="sources\.html#([^"]+)"', card)
        declared = {s for d in state["run"]["datasets"] for s in get_dataset(d).sources}
        assert listed == state["sources"] and set(listed) <= declared and listed, state["name"]
        assert all(f'id="{source_id}"' in page for source_id in listed)


def test_the_readme_findings_are_those_of_the_reports(site):
    """The README's findings section is what the reports say now (``regional-divide readme`` rewrites it)."""
    from helpers.config import PACKAGE_ROOT

    rows = {name: list(csv.DictReader((site.reports / name).open(encoding="utf-8"))) for name in ("metrics.csv", "findings.csv")}
    expected = landing.readme_findings(rows["metrics.csv"], rows["findings.csv"])
    readme = (PACKAGE_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- findings:start -->\n(.*?)\n<!-- findings:end -->", readme, re.S).group(1)
    assert block == expected, "the README's findings are out of date: run `make report` then `regional-divide readme`"
