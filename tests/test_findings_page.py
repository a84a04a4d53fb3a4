"""The landing page's findings, region map and sources page: unit tests on small inputs, then checks on the
real site built by the ``site`` fixture (every figure the findings name is in metrics.csv, every source has an
anchor on the sources page, run cards list only the sources of the datasets the report loaded)."""

from __future__ import annotations

import csv
import re

import pytest
from markupsafe import Markup

from helpers.site import landing as findings
from helpers.site.index import plain_date, plain_duration
from helpers.site.landing import NOT_AVAILABLE, QUESTIONS, render_findings


@pytest.fixture
def no_manifest(monkeypatch):
    monkeypatch.setattr(findings, "vintages", lambda ids: [{"id": i, "publisher": "P", "title": "T", "release": "R"}
                                                           for i in dict.fromkeys(ids)])


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def test_every_question_has_a_finding_and_missing_figures_say_so(no_manifest):
    rendered = render_findings([], pages=set())
    assert [f["number"] for f in rendered] == [1, 2, 3, 4]
    for finding, question in zip(rendered, QUESTIONS):
        assert isinstance(finding["text"], Markup)
        assert finding["text"].count(NOT_AVAILABLE) == len(_placeholders(question.template))
        assert "{" not in finding["text"]


def _metric(report, metric_id, value, description="d", sources="s"):
    return {"report": report, "id": metric_id, "value": str(value), "unit": "", "description": description,
            "source_ids": sources}


VERDICT_FIXTURE = [  # a metrics table as the reports write it: figures and the verdicts of their "What holds up" rows
    _metric("ict-vs-finance--chained-volume", "uk_J_cagr_chained_volume", 9.86), _metric("x", "uk_K_cagr_chained_volume", 1.86),
    _metric("x", "uk_J_cagr_current_prices", 4.29), _metric("x", "uk_K_cagr_current_prices", 4.73),
    _metric("x", "verdict_J_outgrew_K_chained_volume", 2), _metric("x", "verdict_J_outgrew_K_current_prices", 0),
    _metric("x", "uk_J_excl_61_cagr_chained_volume", 3.6505), _metric("x", "uk_J_excl_61_cagr_current_prices", 4.89),
    _metric("x", "verdict_J_excl_61_outgrew_K_chained_volume", 1),
    _metric("x", "verdict_J_excl_61_outgrew_K_current_prices", 0),
    _metric("x", "uk_J_excl_61_cagr_chained_volume_recent", 0.757), _metric("x", "uk_K_cagr_chained_volume_recent", 1.729),
    _metric("x", "uk_telecoms_share_of_J_real_growth", 78.5), _metric("x", "verdict_telecoms_most_of_J_real_growth", 2),
    _metric("concentration", "london_share_ict_gva_change_1998_2022", 2.21),
    _metric("concentration", "london_share_trend_ict_gva", 0.2132),
    _metric("concentration", "verdict_london_share_ict_gva_rose", 1),
    _metric("concentration", "london_share_total_gva_change_1998_2022", 2.91),
    _metric("concentration", "london_share_ict_gva_change_2021_2022", 1.232),
    _metric("concentration", "verdict_london_lq_ict_gva_fell", 0),
    _metric("concentration", "london_lq_trend_p_ict_gva", 0.166),
    _metric("concentration", "london_lq_ict_gva_min", 1.681), _metric("concentration", "london_lq_ict_gva_min_year", 2007),
    _metric("concentration", "london_share_ict_employment_2021", 33.2),
    _metric("concentration", "verdict_london_lq_ict_employment_above_1", 2),
    _metric("productivity", "ict_share_coefficient_without_london_nominal", 0.022),
    _metric("productivity", "ict_share_p_without_london_nominal", 0.344),
    _metric("productivity", "ict_share_coefficient_without_london", 0.1447),
    _metric("productivity", "ict_share_p_without_london", 7e-06),
    _metric("productivity", "verdict_ict_share_productivity_without_london", 0),
    _metric("claims-check", "uk_ai_postings_change_2025_06", 42.48, sources="indeed_ai_share indeed_postings_national"),
    _metric("claims-check", "uk_ai_share_change_2025_06", 79.233, sources="indeed_ai_share"),
]


def _plain(text) -> str:
    return re.sub(r"<[^>]+>", "", str(text)).replace("&#39;", "'")


def test_the_findings_state_the_verdicts_of_what_holds_up(no_manifest):
    q1, q2, q3, q4 = (_plain(f["text"]) for f in render_findings(VERDICT_FIXTURE, pages=set()))
    assert q1.startswith("In real terms (chained volume), ICT as a whole (SIC J) grew 9.9% a year from 1998 to 2021, "
                         "against 1.9% for finance (SIC K): \u201cICT outgrew finance\u201d is robust in real terms. "
                         "In current prices ICT grew 4.3% a year, against 4.7% (does not hold: ICT grew no faster than "
                         "finance in cash).")
    assert "made up 78% of ICT's real growth (robust)" in q1
    assert "ICT grew 3.7% a year in real terms (sensitive: it reverses over 2016-2021, 0.8% a year against 1.7% for " \
           "finance) and 4.9% in current prices (does not hold: a gap this small counts as about the same" in q1
    assert "rose by +2.2 points from 1998 to 2022 (+0.21 percentage points a year; sensitive: London's share of all " \
           "GVA rose by +2.9 points, so this is a whole-economy effect), and +1.2 points of that rise is in 2022" in q2
    assert "(does not hold: the fall is not a significant trend, p = 0.17; the LQ bottomed at 1.68 in 2007 and has " \
           "risen since)" in q2
    assert "33% of GB ICT jobs (2021, provisional), more than its share of all jobs (robust)" in q2
    assert "venture capital" not in q2
    assert "no evidence that a larger ICT share goes with faster productivity growth once the price effect is " \
           "removed: in current prices" in q3 and "by 0.022 points a year per point of 2004 ICT share (p = 0.34)" in q3
    assert "(0.145 points, p < 0.001) comes from ICT's fast-falling prices (does not hold: a link between ICT and " \
           "productivity has to hold in current prices)" in q3.replace("&lt;", "<")
    assert "up 42% in June 2025 (the date of the claim) on June 2024: that is Indeed's AI share of postings (up 79%) " \
           "times its index of all postings, which changed by \u221221% over the same year" in q4


def test_a_robust_verdict_has_no_reason_and_a_missing_one_says_so(no_manifest):
    rows = [dict(r, value="2") if r["id"] == "verdict_london_lq_ict_gva_fell" else r for r in VERDICT_FIXTURE]
    q2 = _plain(render_findings(rows, pages=set())[1]["text"])
    assert "in 2022 (robust)" in q2
    assert "bottomed" not in q2
    rows = [r for r in VERDICT_FIXTURE if r["id"] != "verdict_london_share_ict_gva_rose"]
    assert f"a year; {NOT_AVAILABLE})" in _plain(render_findings(rows, pages=set())[1]["text"])


def test_a_derived_figure_lists_the_sources_of_its_metrics(no_manifest):
    q4 = render_findings(VERDICT_FIXTURE, pages=set())[3]
    assert [v["id"] for v in q4["vintages"]] == ["indeed_ai_share", "indeed_postings_national"]


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
        shown = _placeholders(question.template).union(*map(_placeholders, question.reasons.values()))
        assert shown == set(question.figures) | set(question.derived), question.number
        assert set(question.reasons) <= {n for n, (_, kind) in question.figures.items() if kind == "verdict"}
        assert all(kind in findings.FORMATS for _, kind in question.figures.values())
        assert all(kind in findings.FORMATS for kind, _, _ in question.derived.values())
    assert findings.FORMATS["p"](7e-06) == "p < 0.001"
    assert findings.FORMATS["p"](0.3444) == "p = 0.34"
    assert findings.FORMATS["of12"](11.0) == "11 of the 12"
    assert [findings.FORMATS["verdict"](v) for v in (2.0, 1.0, 0.0)] == ["robust", "sensitive", "does not hold"]


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


def test_every_figure_of_the_findings_is_in_metrics_csv(site):
    with (site.reports / "metrics.csv").open(encoding="utf-8", newline="") as handle:
        ids = {row["id"] for row in csv.DictReader(handle)}
    wanted = {metric for question in QUESTIONS for metric, _ in question.figures.values()}
    wanted |= {metric for question in QUESTIONS for _, ids, _ in question.derived.values() for metric in ids}
    assert wanted <= ids, f"metrics the findings name but no report recorded: {sorted(wanted - ids)}"
    index = (site.reports / "index.html").read_text(encoding="utf-8")
    assert NOT_AVAILABLE not in index
    assert 'name="viewport"' in index
    assert "sources.html#" in index  # vintages link to the sources page


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


def test_the_verdict_metrics_are_the_rows_of_what_holds_up(real_data):
    """ICT vs finance: one verdict metric per 'What holds up' row, its label as description, its value the verdict."""
    from helpers.questions.ict_finance import evidence as ict_finance_findings
    from helpers.questions.ict_finance import findings as ict_finance_summary
    from helpers.stats import robustness

    ev = ict_finance_findings.evidence(1998, 2021)
    table = robustness.robustness_table(ict_finance_summary.findings(ev))
    metrics = ict_finance_summary.verdict_metrics(ev)
    assert [m[3] for m in metrics] == list(table.finding)
    assert [findings.VERDICTS[m[1]] for m in metrics] == list(table.verdict)
    assert all(m[0].startswith("verdict_") and m[4] for m in metrics)
    wanted = {metric for q in QUESTIONS for metric, kind in q.figures.values() if kind == "verdict"}
    assert {m[0] for m in metrics if m[0] in wanted} == {w for w in wanted if w.startswith("verdict_J") or "telecoms" in w}
