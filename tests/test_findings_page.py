"""The landing page's findings, region map and sources page: unit tests on small inputs, then checks on the
real site built by the ``site`` fixture (every figure the findings name is in metrics.csv, every source has an
anchor on the sources page, run cards list only the sources of the datasets the report loaded)."""

from __future__ import annotations

import csv
import re

import pytest
from markupsafe import Markup

from helpers.runner import findings
from helpers.runner.findings import NOT_AVAILABLE, QUESTIONS, render_findings
from helpers.runner.site import plain_date, plain_duration


@pytest.fixture
def no_manifest(monkeypatch):
    monkeypatch.setattr(findings, "vintages", lambda ids: [{"id": i, "publisher": "P", "title": "T", "release": "R"}
                                                           for i in dict.fromkeys(ids)])


def test_every_question_has_a_finding_and_missing_figures_say_so(no_manifest):
    rendered = render_findings([], pages=set())
    assert [f["number"] for f in rendered] == [1, 2, 3, 4]
    for finding, question in zip(rendered, QUESTIONS):
        assert isinstance(finding["text"], Markup)
        assert finding["text"].count(NOT_AVAILABLE) == len(question.figures)
        assert "{" not in finding["text"]


def test_a_figure_is_formatted_linked_to_its_report_and_brings_its_vintages(no_manifest):
    rows = [{"report": "ict-vs-finance--chained-volume", "id": "uk_J_excl_61_cagr_chained_volume",
             "value": "3.6505", "unit": "% a year", "description": "UK growth <J>", "source_ids": "gva_a gva_b"},
            {"report": "other", "id": "uk_K_cagr_chained_volume", "value": "nan", "unit": "", "description": "",
             "source_ids": ""}]
    first = render_findings(rows, pages={"ict-vs-finance--chained-volume.html"})[0]
    assert '<a class="rd-figure" href="ict-vs-finance--chained-volume.html" title="UK growth &lt;J&gt;">3.7%</a>' \
        in first["text"]
    assert NOT_AVAILABLE in first["text"]  # the NaN figure, and the others missing
    assert [v["id"] for v in first["vintages"]] == ["gva_a", "gva_b"]
    unlinked = render_findings(rows, pages=set())[0]["text"]
    assert '<strong class="rd-figure" title="UK growth &lt;J&gt;">3.7%</strong>' in unlinked


def test_a_metric_of_the_question_s_own_report_wins():
    rows = [{"report": "profile--TLI", "id": "m", "value": "1"}, {"report": "concentration", "id": "m", "value": "2"}]
    assert findings._lookup(rows, "m", ("concentration",))["value"] == "2"
    assert findings._lookup(rows, "m", ("productivity",))["value"] == "1"
    assert findings._lookup(rows, "absent", ("productivity",)) is None


def test_every_template_placeholder_has_a_figure_with_a_known_format():
    for question in QUESTIONS:
        assert set(re.findall(r"{(\w+)}", question.template)) == set(question.figures), question.number
        assert all(kind in findings.FORMATS for _, kind in question.figures.values())
    assert findings.FORMATS["p"](7e-06) == "p < 0.001"
    assert findings.FORMATS["p"](0.3444) == "p = 0.34"
    assert findings.FORMATS["of12"](11.0) == "11 of the 12"


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
    from helpers.runner.regionmap import region_paths

    paths, (width, height) = region_paths(frame)
    assert [p["code"] for p in paths] == ["TLA", "TLB"]
    assert width == 320 and height > 0
    numbers = re.findall(r"-?\d+(?:\.\d+)?", "".join(p["d"] for p in paths))
    assert all(len(n.split(".")[1]) == 1 for n in numbers if "." in n)
    assert paths[0]["d"].count("M") == 1  # the islet is dropped
    assert region_paths(frame) == (paths, (width, height))


# ---------------------------------------------------------------- on the real site (the `site` fixture)


def test_every_figure_of_the_findings_is_in_metrics_csv(site):
    with (site.reports / "metrics.csv").open(encoding="utf-8", newline="") as handle:
        ids = {row["id"] for row in csv.DictReader(handle)}
    wanted = {metric for question in QUESTIONS for metric, _ in question.figures.values()}
    assert wanted <= ids, f"metrics the findings name but no report recorded: {sorted(wanted - ids)}"
    index = (site.reports / "index.html").read_text(encoding="utf-8")
    assert NOT_AVAILABLE not in index
    assert 'name="viewport"' in index
    assert "sources.html#" in index  # vintages link to the sources page


def test_the_sources_page_has_every_manifest_source_and_the_reference_tables(site):
    from helpers.pipeline.sources import load_manifest

    page = (site.reports / "sources.html").read_text(encoding="utf-8")
    for source in load_manifest().values():
        assert f'id="{source.id}"' in page
        assert source.sha256 in page and source.url in page
        if source.publisher_url:
            assert source.publisher_url in page
    assert 'id="reference-claims"' in page and 'id="reference-ai_growth_zones"' in page


def test_run_cards_list_the_sources_of_the_datasets_the_report_loaded(site):
    import json

    from helpers.pipeline.datasets import provenance

    page = (site.reports / "sources.html").read_text(encoding="utf-8")
    for state_file in sorted((site.reports / "_state").glob("*.json")):
        state = json.loads(state_file.read_text(encoding="utf-8"))
        html = (site.reports / f"{state['name']}.html").read_text(encoding="utf-8")
        card = html[html.index('id="run-card"'):html.index("</section>", html.index('id="run-card"'))]
        listed = re.findall(r'href="sources\.html#([^"]+)"', card)
        expected = {s["id"] for d in state["datasets_used"] for s in provenance(d)["sources"]}
        assert set(listed) == expected, state["name"]
        assert all(f'id="{source_id}"' in page for source_id in listed)
