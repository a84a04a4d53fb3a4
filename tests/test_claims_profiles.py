"""Question 4's claims: the table is dated and addressed from the publishers' pages (../shared/seeds/SOURCES.md, read
here only: the project copies what it needs into data/reference/claims.csv), the one rule of the claims' scale, and
each checkable claim's readings against values computed here with pandas from the raw files."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.data.sources import fetch
from helpers.findings.model import Finding
from helpers.questions.claims import findings as q4
from helpers.questions.claims import model, readings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
REQUIRED = {
    "ict_outgrowing_finance", "ict_momentum_outside_london", "ai_postings_80pct_london", "tech_vacancies_65pct_london",
    "ai_budget_19_vs_13", "genai_training_58_vs_40", "ai_demand_up_200pct", "ai_demand_hotspots", "wm_fastest_growing_tech",
    "wm_tech_144k_employees", "wm_140_ai_companies", "agz_investment_jobs", "ai_13m_jobs_2035", "skills_7_6m_by_2030",
    "skills_10m_by_2030", "one_million_students", "one_million_courses",
}


def _seeds() -> Path:
    if not SEEDS.exists():
        pytest.fail(f"{SEEDS} is missing: the claims are checked against ../shared/seeds beside the checkout")
    return SEEDS


def _sources_md() -> dict[str, dict]:
    """SOURCES.md's table: file -> its 'publisher, date' and 'address' cells."""
    rows = {}
    for line in (_seeds() / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0].startswith("`0"):
            rows[cells[0].strip("`")] = {"dated": cells[2], "address": cells[3]}
    return rows


def _raw(source_id: str) -> Path:
    return fetch([source_id])[source_id]


# ------------------------------------------------------------------ the claims table (fast)


def test_claims_table_has_the_claims_with_quotes_found_in_the_seeds():
    table = q4.claims_table()
    assert REQUIRED <= set(table.index)
    normalise = lambda s: " ".join(s.replace("–", "-").replace("’", "'").split())  # noqa: E731
    for claim_id, row in table.iterrows():
        text = (_seeds() / row["document"]).read_text(encoding="utf-8").replace("º£½ÇÊÓÆµ", "UK")
        for fragment in row["quote"].split(" ... "):
            assert normalise(fragment) in normalise(text), claim_id


def test_every_claim_is_dated_and_addressed_as_sources_md_says():
    """Each article's publication date and address are those SOURCES.md gives (23 October 2025 for the West
    Midlands AI Missions piece, August 2025 for the AI Academy), in the project's own table."""
    sources, claims = _sources_md(), model.unjudged()
    assert len(sources) == 5
    for claim in claims.values():
        row = sources[claim.document]
        if claim.published == model.UNDATED:
            assert "undated" in row["dated"]
            continue
        assert claim.date in row["dated"], (claim.id, claim.date, row["dated"])  # "23 October 2025", "June 2025"
        for address in claim.address.split(" ; "):
            assert address in row["address"], claim.id
    assert claims["wm_fastest_growing_tech"].date == "23 October 2025"
    assert claims["wm_140_ai_companies"].date == "August 2025"
    assert claims["ai_demand_up_200pct"].window == ("2025-02-01", "2025-02-14")  # first two weeks of February 2025
    assert claims["ai_demand_hotspots"].part_of == "ai_demand_up_200pct" and claims["ai_demand_hotspots"].places == [
        "Glasgow", "Liverpool", "Leeds"]


def test_the_claims_code_never_reads_the_shared_folder_at_run_time():
    package = ROOT / "src" / "helpers" / "questions"
    paths = [*(package / "claims").iterdir(), *(package / "profiles").iterdir(),
             ROOT / "notebooks" / "claims_check.ipynb", ROOT / "notebooks" / "region_profile.ipynb"]
    for path in (p for p in paths if p.is_file()):
        assert not re.search(r"shared|seeds|SOURCES\.md", path.read_text(encoding="utf-8")), path


def test_compute_sites_and_growth_zones_each_name_their_source():
    sites, zones = q4.compute_sites(), q4.growth_zones()
    paper = (_seeds() / "004_a6f7bc050f223d09.txt").read_text(encoding="utf-8").replace("–", "-").replace("‑", "-")
    assert {"Isambard-AI", "DAWN", "Edinburgh Parallel Computing Centre"} == set(sites.site)
    assert sites.set_index("site").at["Isambard-AI", "itl3_code"] == "TLK11"  # Bristol, City of
    for row in sites.itertuples():
        assert " ".join(row.quote.split()) in " ".join(paper.split()) and row.address.startswith("https://")
    assert (zones.source.str.len() > 20).all() and zones.address.str.startswith("https://").all()
    assert len(zones) == 5 and (zones.itl1_code == "TLL").sum() == 2 and "TLN" not in set(zones.itl1_code)


def _claims_csv() -> list[dict]:
    """data/reference/claims.csv read with the csv module alone."""
    import csv

    with open(ROOT / "data" / "reference" / "claims.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date_words(published: str) -> str:
    """"2025-10-23" -> "23 October 2025", "2025-06" -> "June 2025" (with datetime, not the project's code)."""
    from datetime import date

    parts = [int(p) for p in published.split("-")]
    day = date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    return f"{day.day} {day:%B %Y}" if len(parts) > 2 else f"{day:%B %Y}"


def test_each_claim_links_to_its_article_with_publisher_and_date_and_no_internal_file_names():
    import html as html_module

    from helpers.show.tables import csv_of, table_html

    rows = _claims_csv()
    page = table_html(q4.sources_table(), title="The claims")
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', page)
    addressed = [r for r in rows if r["address"]]
    assert len(links) == len(addressed) >= 15
    for row, (href, text) in zip(addressed, links):
        assert html_module.unescape(href) == row["address"].split(" ; ")[0]
        assert html_module.unescape(text) == f"{row['publisher']}, {_date_words(row['published'])}"
    assert "City A.M., June 2025" in page and "Express &amp; Star, 23 October 2025" in page
    for row in rows:  # no seed file name, no path of the project's own files
        assert row["document"] not in page and row["document"].endswith(".txt")
    assert not re.search(r"data/reference|claims\.csv|helpers\.", page)
    csv_text = csv_of(q4.sources_table())  # the CSV keeps each article's address beside its name
    assert '"Article, address"' in csv_text.splitlines()[0] and rows[3]["address"] in csv_text


def test_the_places_tables_link_their_sources_and_write_funding_in_pounds():
    from helpers.show.tables import table_html

    sites = q4.compute_sites()
    page = table_html(q4.sites_table(sites))
    assert "£750.0m" in page and "750000000" not in page  # £750,000,000 as the one formatter writes money
    assert page.count('<a href="https://www.gov.uk/') == 3
    zones = table_html(q4.zones_table(q4.growth_zones()))
    assert 'href="https://www.computerweekly.com/news/366631325/' in zones and "https://" not in re.sub(
        r'href="[^"]*"', "", zones)  # addresses only as links, never as text


def test_claims_page_words_name_no_internal_module_or_file(claims):
    note = q4.line("scale_note")
    assert "helpers." not in note and "reports/" not in note and "data/" not in note
    frame = q4.table(claims)
    assert frame.attrs["links"]["Published"][list(claims).index("wm_fastest_growing_tech")] == (
        "https://www.expressandstar.com/news/business/2025/10/23/mayors-ai-revolution-plan-for-west-midlands-announced-during-tech-week")


def _finding(estimate, lower=math.nan, upper=math.nan, threshold=0.0) -> Finding:
    return Finding("x", 4, "x", estimate, "u", lower, upper, "ci" if lower == lower else "none", threshold)


@pytest.mark.parametrize("base, others, comparable, expected", [
    ([(2, 1, 3)], [(1.5,)], True, model.SUPPORTED),
    ([(2, 1, 3)], [(-1,)], True, model.PARTLY),  # an alternative disagrees
    ([(-2, -3, -1)], [(2,)], True, model.PARTLY),  # contradicted on the baseline but an alternative holds
    ([(-2, -3, -1)], [(-0.5, -1, 0.5)], True, model.CONTRADICTED),  # no alternative holds
    ([(-0.5, -1, 0.5)], [], True, model.NOT_REPRODUCED),  # not significant on a comparable measure
    ([(2,)], [], False, model.PARTLY),  # a different measure shows the direction, never the figure
    ([(2,), (-1,)], [], False, model.PARTLY),  # one part of three cities holds
    ([(-2,)], [(-1,)], False, model.NOT_REPRODUCED),
    ([], [], True, model.NOT_CHECKABLE),
])
def test_one_rule_for_every_claim(base, others, comparable, expected):
    readings_ = [model.Reading(_finding(*r), model.BASELINE, comparable) for r in base]
    readings_ += [model.Reading(_finding(*r), "window", comparable) for r in others]
    assert model.judge(tuple(readings_)) == expected
    assert expected in model.SCALE


def test_the_release_a_claim_is_judged_with():
    october = model.release_at("2025-10-23")  # the West Midlands AI Missions article
    assert october["release"] == "2024-04-24" and october["missing_name"] == "April 2025 release"
    assert model.release_at("2024-05-01") == {"release": "2024-04-24", "release_name": "April 2024 release",
                                               "missing": None, "missing_name": None}
    assert model.release_at(model.UNDATED)["release"] == "2024-04-24"
    assert model.release_at("2023-06")["release"] == "2023-04-25"
    assert model.window_words(("2025-02-01", "2025-02-14")) == "1-14 February 2025"
    assert model.window_words(("2025-06-01", "2025-06-30")) == "June 2025" and model.date_words("2025-10-23") == "23 October 2025"


# ------------------------------------------------------------------ readings against the raw files


@pytest.fixture(scope="module")
def claims(real_data):
    return q4.run()


def _indeed_window(first: str, last: str) -> pd.Series:
    """Change (%) of the mean over [first, last] against the same days a year earlier, from the raw Indeed CSVs."""
    def gb(source, column):
        raw = pd.read_csv(_raw(source), parse_dates=["date"])
        return raw[raw["jobcountry"] == "GB"].set_index("date")[column]
    national = pd.read_csv(_raw("indeed_postings_national"), parse_dates=["date"])
    total = national[national["variable"] == "total postings"].set_index("date")["indeed_job_postings_index_SA"]
    frame = pd.DataFrame({"ai_share": gb("indeed_ai_share", "AI_share_postings"),
                          "genai_share": gb("indeed_genai_share", "GenAI_share_postings"), "all_postings": total})
    frame["ai_postings"], frame["genai_postings"] = frame.ai_share * frame.all_postings, frame.genai_share * frame.all_postings
    year = pd.DateOffset(years=1)
    now, before = frame.loc[first:last].mean(), frame.loc[pd.Timestamp(first) - year:pd.Timestamp(last) - year].mean()
    return (now / before - 1) * 100


def test_nearly_200pct_on_indeed_over_the_claimants_window_is_not_reproduced(claims):
    change = _indeed_window("2025-02-01", "2025-02-14")
    c = claims["ai_demand_up_200pct"]
    assert c.baseline[0].finding.estimate == pytest.approx(change["ai_postings"])
    by_statement = {r.finding.extra["measure"]: r.finding.estimate for r in c.readings if r.dimension == "definition"}
    assert sorted(by_statement.values()) == pytest.approx(sorted(change[["ai_share", "genai_postings", "genai_share"]]))
    assert not any(r.comparable for r in c.readings) and change.max() < 0.85 * 200
    assert c.verdict == model.NOT_REPRODUCED
    june = _indeed_window("2025-06-01", "2025-06-30")  # the article's month
    assert next(r for r in c.readings if r.dimension == "window").finding.estimate == pytest.approx(june["ai_postings"])


def test_hotspots_are_split_off_and_read_on_indeed_city_postings(claims):
    raw = pd.read_csv(_raw("indeed_postings_cities"), parse_dates=["date"])
    wide = raw.pivot_table(index="date", columns="cities", values="indeed_job_postings_index")
    year = pd.DateOffset(years=1)
    change = (wide.loc["2025-02-01":"2025-02-14"].mean() / wide.loc[pd.Timestamp("2025-02-01") - year:
                                                                      pd.Timestamp("2025-02-14") - year].mean() - 1) * 100
    uk = _indeed_window("2025-02-01", "2025-02-14")["all_postings"]
    c = claims["ai_demand_hotspots"]
    gaps = {r.finding.extra["city"]: r.finding.estimate for r in c.baseline}
    for city in ("Glasgow", "Liverpool", "Leeds"):
        raw_name = next(n for n in change.index if n.split(" (")[0] == city)
        assert gaps[city] == pytest.approx(change[raw_name] - uk)
    held = [g > 0 for g in gaps.values()]
    assert c.verdict == (model.PARTLY if any(held) else model.NOT_REPRODUCED) and any(held) and not all(held)


def _cagr(a, b, years):
    return ((b / a) ** (1 / years) - 1) * 100


def test_ict_far_faster_is_read_on_the_latest_release_and_recent_window_first(claims):
    """Present tense: J minus K in current prices, 2016-2022, April 2024 ITL2 table summed (the newest data), then
    chained volume over 2016-2021 (April 2023 UK row); 'far faster' = a gap of at least 1 point a year."""
    new = pd.read_csv(_raw("gva_itl2_cp_2024"), thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    sums = {s: new[new["SIC07 code"] == c][["2016", "2022"]].sum() for s, c in (("J", "J (58-63)"), ("K", "K (64-66)"))}
    cash = _cagr(*sums["J"], 6) - _cagr(*sums["K"], 6)
    cvm = pd.read_csv(_raw("gva_itl1_cvm_2023"), thousands=",", dtype={"SIC07 code": str})
    uk = cvm[cvm["ITL region code"] == "UK"].set_index("SIC07 code")
    real = _cagr(uk.at["J (58-63)", "2016"], uk.at["J (58-63)", "2021"], 5) - _cagr(uk.at["K (64-66)", "2016"],
                                                                                     uk.at["K (64-66)", "2021"], 5)
    c = claims["ict_outgrowing_finance"]
    assert c.baseline[0].finding.estimate == pytest.approx(cash) and "April 2024 release" in c.baseline[0].finding.statement
    assert next(r for r in c.readings if r.dimension == "price basis").finding.estimate == pytest.approx(real)
    assert cash < 1 - 0.25 and real > 1 + 0.25  # contradicted in cash, holds in real terms
    assert c.verdict == model.PARTLY
    assert c.context["q1"]["ict_outgrew_finance_cash"].verdict in ("holds", "inconclusive", "contradicted")


def _london_ict_lq_2024() -> pd.Series:
    raw = pd.read_csv(_raw("gva_itl2_cp_2024"), thousands=",", dtype={"SIC07 code": str}, encoding="utf-8-sig")
    years = [str(y) for y in range(1998, 2023)]

    def share(rows):
        by = rows.assign(region=rows["ITL code"].str[:3]).groupby("region")[years].sum()
        by = by[by.index.str.fullmatch(r"TL[C-N]")]
        return by.loc["TLI"] / by.sum()
    lq = share(raw[raw["SIC07 code"] == "J (58-63)"]) / share(raw[raw["SIC07 code"] == "Total"])
    return lq.set_axis(lq.index.astype(int))


def _sen(series: pd.Series) -> float:
    t, x = np.asarray(series.index, float), series.to_numpy(float)
    i, j = np.triu_indices(len(x), k=1)
    return float(np.median((x[j] - x[i]) / (t[j] - t[i])))


def test_momentum_is_read_on_the_recent_trend_of_londons_lq(claims):
    lq = _london_ict_lq_2024()
    c = claims["ict_momentum_outside_london"]
    base = c.baseline[0].finding
    assert base.estimate == pytest.approx(_sen(lq.loc[2013:2022]), rel=1e-3) and base.direction == -1
    assert base.has_interval and base.interval_kind == "95% confidence interval"
    window = next(r for r in c.readings if r.dimension == "window").finding
    assert window.estimate == pytest.approx(_sen(lq.loc[2012:2021]), rel=1e-3)  # without the 2022 first estimate
    assert lq.loc[2022] > lq.loc[2013] and base.verdict == "contradicted"  # the LQ rose: no momentum outside London
    assert c.verdict == (model.CONTRADICTED if not any(r.verdict == "holds" for r in c.readings) else model.PARTLY)


def test_momentum_reads_question_2s_trend_when_it_is_there(monkeypatch, real_data):
    """Question 2's ``ict_lq_trend(first_year, last_year, release)`` (a Finding, ``london_ict_lq_recent_trend``) is
    the evidence of both questions: a stand-in with a falling, significant slope makes the claim hold."""
    calls = []

    def stand_in(first_year, last_year, release):
        calls.append((first_year, last_year, release))
        return Finding("london_ict_lq_recent_trend", 2, "London's ICT location quotient over the recent window", -0.004,
                       "a year", -0.006, -0.002, "95% confidence interval", p=0.01, sources=("gva_itl2_cp_2024",))
    monkeypatch.setattr(readings.q2, "ict_lq_trend", stand_in)
    c = readings.ict_momentum_outside_london(model.unjudged()["ict_momentum_outside_london"])
    assert calls[0] == (2013, 2022, "2024-04-24") and len(calls) == len(c.readings) == 3
    assert all(r.finding.estimate == -0.004 and r.finding.lower == -0.006 for r in c.readings)
    assert c.verdict == model.SUPPORTED


def test_west_midlands_claims_are_judged_on_the_metropolitan_county(claims):
    """'One of the fastest growing outside London': TLG3's rank of ICT growth (J, current prices, 2017-2022, April
    2024 release, the newest in the data at 23 October 2025) among the 36 ITL2 areas outside London."""
    new = pd.read_csv(_raw("gva_itl2_cp_2024"), thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    j = new[(new["SIC07 code"] == "J (58-63)") & ~new["ITL code"].str.startswith("TLI")].set_index("ITL code")
    growth = _cagr(j["2017"], j["2022"], 5)
    rank = int(growth.rank(ascending=False, method="min")["TLG3"])
    c = claims["wm_fastest_growing_tech"]
    assert c.geography == "TLG3" and len(growth) == 36
    assert c.baseline[0].finding.estimate == rank and c.baseline[0].finding.threshold == math.floor(36 / 4) + 0.5
    assert c.context["then"]["missing_name"] == "April 2025 release"
    assert "April 2025 release, then current, is not in the data" in q4.line("judged_cell", c=c)


def _bres(source: str) -> pd.DataFrame:
    import pyreadr

    raw = next(iter(pyreadr.read_r(str(_raw(source))).values()))
    return raw.assign(year=raw["DATE"].astype(int))


DCMS_DIGITAL = ["2611", "2612", "2620", "2630", "2640", "2680", "4651", "4652", "5821", "5829", "6110", "6120", "6130",
                "6190", "6201", "6202", "6203", "6209", "6311", "6312", "9511", "9512"]


def test_144k_is_not_reproduced_by_bres_in_the_metropolitan_county(claims):
    sub = _bres("bres_employment_sic5_2023")
    digital = sub[sub["INDUSTRY_CODE"].str.zfill(5).str[:4].isin(DCMS_DIGITAL)]
    county = digital[digital["GEOGRAPHY_CODE"] == "UKG3"].groupby("year")["COUNT"].sum()
    region = digital[digital["GEOGRAPHY_CODE"].str.startswith("UKG")].groupby("year")["COUNT"].sum()
    c = claims["wm_tech_144k_employees"]
    assert c.baseline[0].finding.estimate == pytest.approx(county[2021]) and not c.baseline[0].comparable
    assert c.context["wider"]["digital"] == pytest.approx(region[2021])
    assert county[2021] < 0.85 * 144_000 and c.verdict == model.NOT_REPRODUCED
    assert "October 2022" in c.window_text


def test_claims_not_checkable_show_context_only(claims):
    for claim_id in ("ai_budget_19_vs_13", "genai_training_58_vs_40", "agz_investment_jobs", "wm_140_ai_companies"):
        assert claims[claim_id].verdict == model.NOT_CHECKABLE and not claims[claim_id].readings
    text = q4.line("evidence_cell", c=claims["wm_140_ai_companies"])
    div = _bres("bres_employment_sic2_2023")
    ict = div[(div["GEOGRAPHY_CODE"] == "UKG3") & div["INDUSTRY_CODE"].isin(["58", "59", "60", "61", "62", "63"])]
    ict = ict.groupby("year")["COUNT"].sum()
    assert text.startswith("Not checkable") and f"{69_500 / ict[2021] * 100:.0f}% of its ICT employment" in text


def test_profiles_read_only_the_claims_that_name_their_region(monkeypatch):
    from helpers.questions.profiles import tables as profiles

    called = []
    monkeypatch.setattr(readings, "read", lambda claim: called.append(claim.id) or claim)
    assert set(profiles.policies("TLG31")["claims"].claim) == {c.claim for c in model.unjudged().values()
                                                              if "TLG" in c.regions.split("|")}
    assert set(called) == {"wm_fastest_growing_tech", "wm_tech_144k_employees", "wm_140_ai_companies"}
    called.clear()
    assert profiles.policies("TLC")["claims"].empty and called == []


def test_a_profiles_claims_link_to_their_articles(real_data):
    """The West Midlands profile's claims table links each claim that names TLG (claims.csv ``regions``) to the
    first address of its article."""
    import html as html_module

    from helpers.questions.profiles import tables as profile_tables
    from helpers.show.tables import table_html

    naming = [r for r in _claims_csv() if "TLG" in r["regions"].split("|")]
    page = table_html(profile_tables.policies("TLG")["claims"], title="Claims")
    hrefs = [html_module.unescape(h) for h in re.findall(r'<a href="([^"]*)">', page)]
    assert len(naming) >= 2
    assert hrefs == [r["address"].split(" ; ")[0] for r in naming if r["address"]]
