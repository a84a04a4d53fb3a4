"""Question 2 on the findings model: relative measures beside shares, the two GVA releases and their revisions,
data-quality flags, the recent trend of London's ICT location quotient (shared with question 4), AI research from
the EURITO preprint counts, the AI-ecosystem ranks with the survey's confidence limits, and headline metrics whose
descriptions and sources come from the computation that produced them. Expected numbers are computed here with
pandas from the raw files (or on small synthetic tables), never through the code under test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

ICT = "J (58-63)"
EURITO = "nesta_ai_preprints"


def test_flag_jumps_marks_a_doubling_undone_the_next_year():
    from helpers.questions.concentration import data_quality

    table = pd.DataFrame({"A": [100.0, 210.0, 100.0, 105.0], "B": [10.0, 11.0, 12.0, 13.0], "C": [0.0, 5.0, 5.0, 20.0]},
                         index=[2015, 2016, 2017, 2018])
    flags = data_quality.flag_jumps(table, threshold_pct=40)
    assert flags[["region_code", "year"]].values.tolist() == [["A", 2016], ["A", 2017], ["C", 2018]]
    assert flags["change_pct"].tolist() == pytest.approx([110.0, (100 / 210 - 1) * 100, 300.0])
    assert flags["reversal"].tolist() == [True, False, False]  # C 2016 from zero is skipped, not a percentage
    gap = data_quality.flag_jumps(table.drop(index=2016), threshold_pct=40)  # 2015 -> 2017 is not consecutive
    assert 2017 not in gap["year"].tolist()


def test_tied_ranks_join_neighbours_whose_intervals_overlap():
    from helpers.stats.ranking import rank_label, tied_ranks

    values = pd.Series({"a": 10.0, "b": 9.0, "c": 5.0, "d": 4.5, "e": np.nan})
    lower = pd.Series({"a": 9.5, "b": 8.0, "c": 4.0, "d": 4.0})
    upper = pd.Series({"a": 10.5, "b": 9.6, "c": 6.0, "d": 5.0})
    out = tied_ranks(values, lower, upper)
    assert out["rank"].tolist()[:4] == [1, 1, 3, 3] and math.isnan(out.loc["e", "rank"])
    assert out["tied"].tolist() == [True, True, True, True, False]
    plain = tied_ranks(values)  # without intervals only equal values tie
    assert plain["rank"].tolist()[:4] == [1, 2, 3, 4] and not plain["tied"].any()
    assert [rank_label(r.rank, r.tied) for r in out.itertuples()] == ["=1", "=1", "=3", "=3", "–"]


def _raw_2024() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ICT GVA, total GVA) by ITL1 region x year from the Apr 2024 raw files, computed with pandas alone."""
    from helpers.data.sources import fetch

    paths = fetch(["gva_itl2_cp_2024", "gva_total_cp_2024"])
    itl2 = pd.read_csv(paths["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    years = [c for c in itl2.columns if c.isdigit()]
    ict = itl2[itl2["SIC07 code"] == ICT].groupby(itl2["ITL code"].str[:3])[years].sum()
    total = pd.read_csv(paths["gva_total_cp_2024"])
    total = total[total["ITL"] == "ITL1"].set_index("ITL code")[years]
    return ict.astype(float), total.astype(float)


def _raw_2023() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ICT GVA, total GVA) by ITL1 region x year from the Apr 2023 raw ITL1 table."""
    from helpers.data.sources import fetch

    old = pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})
    old = old[old["ITL region code"].str.fullmatch(r"TL[C-N]")]
    years = [c for c in old.columns if c.isdigit()]
    pick = lambda code: old[old["SIC07 code"] == code].set_index("ITL region code")[years].astype(float)  # noqa: E731
    return pick(ICT), pick("Total")


def _sen(values: pd.Series) -> float:
    """Sen's slope by hand: the median of all pairwise slopes."""
    x, y = np.asarray(values.index, dtype=float), values.to_numpy(dtype=float)
    return float(np.median([(y[j] - y[i]) / (x[j] - x[i]) for i in range(len(y)) for j in range(i + 1, len(y))]))


def _lq(ict: pd.DataFrame, total: pd.DataFrame) -> pd.Series:
    lq = (ict.loc["TLI"] / ict.sum()) / (total.loc["TLI"] / total.sum())
    lq.index = lq.index.astype(int)
    return lq


def test_ict_share_lq_and_benchmark_share_match_the_apr_2024_raw_files(real_data):
    from helpers.questions.concentration import tables as concentration

    ict, total = _raw_2024()
    table = concentration.concentration_over_time("ict_gva")
    assert str(table.index.min()) == ict.columns[0] and str(table.index.max()) == ict.columns[-1]
    for year in (ict.columns[0], ict.columns[-2], ict.columns[-1]):
        share = ict.loc["TLI", year] / ict[year].sum() * 100
        benchmark = total.loc["TLI", year] / total[year].sum() * 100
        assert table.loc[int(year), "london_share_pct"] == pytest.approx(share)
        assert table.loc[int(year), "london_benchmark_share_pct"] == pytest.approx(benchmark)
        assert table.loc[int(year), "london_lq"] == pytest.approx(share / benchmark)
    lq = _lq(ict, total)
    summary = concentration.summary()
    assert summary.loc["ict_gva", "london_lq_first"] == pytest.approx(lq.iloc[0])
    assert summary.loc["ict_gva", "london_lq_last"] == pytest.approx(lq.iloc[-1])


def test_revisions_against_both_raw_releases(real_data):
    """Apr 2024 minus Apr 2023 release, London's ICT share: hundredths of a point for the settled years, up to two
    points for the older release's latest years; the sentence says so."""
    from helpers.questions.concentration import data_quality
    from helpers.questions.concentration.findings import words

    old_ict, old_total = _raw_2023()
    ict, _ = _raw_2024()
    years = list(old_ict.columns)
    revision = (ict.loc["TLI", years] / ict[years].sum() - old_ict.loc["TLI"] / old_ict.sum()) * 100
    table = data_quality.revisions("J")
    last = int(years[-1])
    assert table.loc[last, "share_previous"] == pytest.approx(old_ict.loc["TLI", years[-1]] / old_ict[years[-1]].sum() * 100)
    assert table.loc[last, "lq_previous"] == pytest.approx(_lq(old_ict, old_total)[last])
    check = data_quality.revision_against_trend(table)
    assert check["last_common_year"] == last and check["share_revision"] == pytest.approx(revision.iloc[-1])
    settled = revision.iloc[:-data_quality.LATEST_YEARS]
    assert check["share_settled_max_abs_revision"] == pytest.approx(settled.abs().max()) and settled.abs().max() < 0.05
    assert check["latest_revisions"] == pytest.approx({int(y): revision[y] for y in years[-data_quality.LATEST_YEARS:]})
    assert abs(check["share_revision"]) > 1.5  # about two points: the size of the referee's revision
    text = words("revision_sentence", r=check, names={"previous": "old", "latest": "new"})
    assert f"at most {settled.abs().max():.2f} points for {years[0]}-{settled.index[-1]}" in " ".join(text.split())


def test_trends_are_tested_only_from_ten_complete_years(real_data):
    from helpers.questions.concentration import tables as concentration

    summary = concentration.summary()
    n_jobs = summary.loc["ict_employment", "n_years"]
    assert n_jobs < 10 and summary.loc["ict_employment", "london_share_trend"] == f"too few years ({n_jobs})"
    assert np.isnan(summary.loc["ict_employment", "london_share_slope_pp"])
    firms = summary.loc["tech_firms_founded"]  # back-filled founding dates: described, not tested
    assert firms["london_share_trend"] == concentration.NOT_A_TREND and np.isnan(firms["london_share_slope_pp"])
    for column in ("london_share_first", "london_share_last", "first_year", "last_year", "london_share_trend",
                   "london_share_slope_pp"):
        assert column in summary.columns  # used by claims and profiles


def test_ict_lq_trend_is_sens_slope_of_the_raw_lq_with_its_checks(real_data):
    """The function question 4 calls: Sen's slope of London's ICT LQ over the last ten years of the newest release
    (by hand from the raw files), its 95% interval around it, and a check per dimension; bad years are refused
    with a sentence that names the fix."""
    from helpers.findings.model import CI
    from helpers.questions.concentration.findings import ict_lq_trend

    lq = _lq(*_raw_2024())
    found = ict_lq_trend()
    window = lq.iloc[-10:]
    assert found.id == "london_ict_lq_recent_trend" and found.estimate == pytest.approx(_sen(window))
    assert found.interval_kind == CI and found.lower < found.estimate < found.upper
    assert (found.extra["first"], found.extra["last"]) == (window.index[0], window.index[-1])
    dimensions = [c.dimension for c in found.checks]
    assert len(dimensions) == len(set(dimensions)) >= 4 and {"release", "estimator", "start year"} <= set(dimensions)
    release = next(c for c in found.checks if c.dimension == "release")
    assert release.estimate == pytest.approx(_sen(_lq(*_raw_2023()).iloc[-10:]))
    first_estimate = next(c for c in found.checks if c.dimension == "first estimate")
    assert first_estimate.estimate == pytest.approx(_sen(lq.iloc[-11:-1]))
    other = ict_lq_trend(int(lq.index[-12]), int(lq.index[-3]))
    assert other.estimate == pytest.approx(_sen(lq.iloc[-12:-2]))
    with pytest.raises(ValueError, match="Fix: choose years in that range"):
        ict_lq_trend(1900, 1910)


def test_findings_carry_intervals_checks_and_no_typed_verdicts(real_data):
    from helpers.findings.model import VERDICTS
    from helpers.questions.concentration import findings as q2
    from helpers.questions.ecosystem import findings as eco

    ev = q2.evidence()
    found = q2.findings(ev) + eco.findings(eco.evidence())
    assert len({f.id for f in found}) == len(found)
    assert sum(f.has_interval for f in found) >= 0.8 * len(found)
    assert all(f.verdict in VERDICTS and f.sources and f.checks for f in found)
    by_id = {f.id: f for f in found}
    share = by_id["london_ict_share_trend"]
    relative = next(c for c in share.checks if c.dimension == "relative measure")
    assert relative.estimate < 0 < share.estimate and share.verdict != "holds"  # a whole-economy effect
    theil = by_id["ict_theil_trend"]  # its release check is the Theil series of the Apr 2023 release, by hand
    old_ict, old_total = _raw_2023()
    s, w = old_ict / old_ict.sum(), old_total / old_total.sum()
    old_theil = (s * np.log(s / w)).sum()
    old_theil.index = old_theil.index.astype(int)
    assert next(c for c in theil.checks if c.dimension == "release").estimate == pytest.approx(_sen(old_theil))
    jobs = by_id["london_ict_jobs_lq_above_one"]
    assert jobs.threshold == 1 and {"noisy region-years", "provisional year", "definition"} <= {c.dimension for c in jobs.checks}


def _raw_preprints() -> pd.DataFrame:
    """UK AI-preprint participations by year x ITL1 region (NUTS1 rows, UK -> TL), pandas alone."""
    from helpers.data.sources import fetch

    raw = pd.read_csv(fetch([EURITO])[EURITO])
    rows = raw[raw["region_id"].str.startswith("UK") & (raw["region_level"] == 1)]
    return rows.pivot_table(index="year", columns=rows["region_id"].str.replace("UK", "TL"),
                            values="artificial_intelligence_count", aggfunc="sum").fillna(0.0)


def test_ai_preprint_shares_match_the_raw_eurito_file(real_data):
    """London's and the Greater South East's share of UK AI-preprint participations by year and pooled over the last
    five years; the newest year is partial (data collected mid-year) and flagged; the trend leaves it out."""
    from helpers.questions.concentration import findings as q2
    from helpers.questions.concentration import tables as concentration

    wide = _raw_preprints()
    share = wide["TLI"] / wide.sum(axis=1) * 100
    by_year = concentration.shares_by_year("ai_preprints")
    assert by_year["london_share_pct"].to_numpy() == pytest.approx(share.to_numpy())
    assert by_year["partial"].tolist() == [False] * (len(share) - 1) + [True]
    recent = wide.iloc[-5:].sum()
    pooled = concentration.pooled_shares("ai_preprints", list(wide.index[-5:]))
    assert pooled["london_share_pct"] == pytest.approx(recent["TLI"] / recent.sum() * 100)
    assert pooled["gse_share_pct"] == pytest.approx(recent[["TLI", "TLJ", "TLH"]].sum() / recent.sum() * 100)
    published = concentration.pooled_shares("ai_preprints", [2018, 2019, 2020])  # PROVENANCE.md: London 19.6%
    assert published["london_share_pct"] == pytest.approx(19.6, abs=0.05)
    trend = next(f for f in q2.findings(q2.evidence()) if f.id == "london_ai_preprints_share_trend")
    assert trend.estimate == pytest.approx(_sen(share.iloc[:-1]))
    orgs = q2.ai_org_shares()["all"]
    assert recent["TLI"] / recent.sum() * 100 < orgs / 2  # AI research far less London-centred than AI firms


def test_smc_confidence_limits_reach_the_ecosystem_ranks(real_data):
    """The SMC file's lci/uci of each ITL2 area are loaded; regions whose ITL1 limits overlap their neighbour's are
    tied in the ranks; indicators without limits tie only on equal values."""
    from helpers.data import ecosystem
    from helpers.data.datasets import load
    from helpers.data.sources import fetch

    raw = pd.read_csv(fetch(["smc_postgraduate"])["smc_postgraduate"], na_values="NA")
    raw = raw[raw["area_type"] == "ITL2"].set_index("area_name")
    rows = load("skills_and_adoption")
    lower = rows[rows["measure"] == "postgraduate_degree_share_lower"].set_index("region_name")["value"]
    common = lower.index.intersection(raw.index)
    assert len(common) >= 30 and lower[common].to_numpy() == pytest.approx(raw.loc[common, "lci"].astype(float).to_numpy())
    limits = ecosystem.ecosystem_limits()["postgraduate_share"]
    table = ecosystem.ecosystem_table()
    assert (limits["lower"] < table["postgraduate_share"]).all() and (table["postgraduate_share"] < limits["upper"]).all()
    ranks = ecosystem.ecosystem_ranks(table)
    order = table["postgraduate_share"].sort_values(ascending=False).index
    for above, below in zip(order[:-1], order[1:]):
        overlap = limits.loc[below, "upper"] >= limits.loc[above, "lower"]
        if overlap:
            assert ranks["postgraduate_share"].loc[below, "rank"] == ranks["postgraduate_share"].loc[above, "rank"]
    assert not ranks["vc_per_head"]["tied"].any()


def test_ecosystem_findings_and_metrics(real_data):
    """Innovate UK per head sums its complete years only, from the raw Nesta file; the composite uses the seven
    level indicators; London's first places counted clear of ties; the metrics carry no verdicts."""
    from helpers.data import ecosystem, indicators
    from helpers.data.sources import fetch
    from helpers.questions.ecosystem import findings as eco

    raw = pd.read_csv(fetch(["nesta_innovate_uk"])["nesta_innovate_uk"])
    years = [y for y in ecosystem.INNOVATE_UK_YEARS if y not in indicators.get_total("innovate_uk_funding").partial_years]
    raw = raw[raw["year"].isin(years)]
    by_region = raw.groupby("TL" + raw["nuts_id"].str[2])["gbp_innovate_uk_funding"].sum()
    pop = indicators.population_for_years(years).mean()
    ev = eco.evidence()
    table = ev["table"]
    assert table["innovate_uk_per_head"].to_dict() == pytest.approx((by_region / pop).reindex(table.index).to_dict())
    levels = table[list(ecosystem.LEVELS)]
    z = (levels - levels.mean()) / levels.std(ddof=0)
    assert ev["composite"].index.tolist() == z.mean(axis=1).sort_values(ascending=False).index.tolist()
    first = [c for c in levels.columns if levels[c].idxmax() == "TLI"]
    found = {f.id: f for f in eco.findings(ev)}
    assert found["london_first_on_most_ai_indicators"].estimate <= len(first) / len(levels.columns) * 100
    assert found["london_first_on_most_ai_indicators"].threshold == 50
    metrics = {m.id: m for m in eco.metrics(ev, list(found.values()))}
    assert metrics["london_first_ranks_with_ties"].value == len(first)
    assert not [m for m in metrics if m.startswith("verdict")]
    assert metrics["london_tech_firms_per_100k"].value == pytest.approx(table.loc["TLI", "tech_firms_per_100k"])
    points = eco.main_points(ev, list(found.values()))
    assert f"{table.loc['TLI', 'ai_orgs_per_100k']:.1f} AI organisations per 100,000" in " ".join(points.split())


def test_main_points_mention_the_recent_rise_with_its_interval(real_data):
    from helpers.findings.numbers import fmt
    from helpers.questions.concentration import findings as q2
    from helpers.questions.concentration import headlines

    ev = q2.evidence()
    found = q2.findings(ev)
    text = " ".join(headlines.main_points(ev, found).split())
    recent = ev["recent"]
    assert f"95% CI {fmt(recent.lower, 'signed', 4)} to {fmt(recent.upper, 'signed', 4)}" in text
    assert "#finding-london_ict_lq_recent_trend" in text and "decade" not in text
    for f in found:
        assert f"#finding-{f.id}" in text, f.id  # every verdict quoted links to its row
    summary = ev["summary"]
    title = headlines.share_chart_title(summary, q2.tables.timed(summary))
    assert title.startswith("London's share rose for")


def test_report_metrics_take_description_and_sources_from_their_indicator(real_data):
    """Every metric names the indicator whose sources it lists; no verdict metrics; the map LQ metric names
    map_indicator, with a value computed here from the raw files; metric ids carry no years."""
    from helpers.data import indicators
    from helpers.questions.concentration import findings as q2
    from helpers.questions.concentration import headlines

    metrics = {m.id: m for m in headlines.metrics(q2.evidence(), "ict_gva")}
    assert not [m for m in metrics if m.startswith("verdict")]
    by_year = "london_share_ai_preprints_"  # the issue asks for London's share of AI preprints by year
    assert not [m for m in metrics if not m.startswith(by_year) and any(ch.isdigit() for ch in m)]
    for total in indicators.TOTALS.values():
        for end in ("london_share", "gse_share"):
            m = metrics[f"{end}_{total.id}"]
            assert total.label in m.description and list(m.sources) == list(total.source_ids), m.id
    ict, total = _raw_2024()
    last = ict.columns[-1]
    m = metrics["lq_ict_gva_london"]
    assert m.value == pytest.approx((ict.loc["TLI", last] / ict[last].sum()) / (total.loc["TLI", last] / total[last].sum()))
    assert "ICT GVA" in m.description and "Tech firms" not in m.description
    wide = _raw_preprints()
    for year in wide.index:
        assert metrics[f"london_share_ai_preprints_{year}"].value == pytest.approx(wide.loc[year, "TLI"] / wide.loc[year].sum() * 100)
    assert "partial" in metrics[f"london_share_ai_preprints_{wide.index[-1]}"].description
    recent = metrics["london_ict_lq_recent_slope"]
    assert recent.value == pytest.approx(_sen(_lq(ict, total).iloc[-10:]))


def test_landing_macro_cites_the_findings_of_both_reports():
    from helpers.findings import wording
    from helpers.site.landing import Figures, Found, Stated

    found = Found({i: Stated(i, "holds", "concentration") for i in (
        "london_ict_share_trend", "london_ict_lq_trend", "london_ict_lq_recent_trend", "london_ict_jobs_lq_above_one",
        "london_ai_orgs_above_population", "london_ai_research_below_ai_firms", "london_first_on_most_ai_indicators")})
    cited = []
    text = wording.line("concentration", "landing", f=found, m=Figures(london_share_ict_gva=41.7),
                        ref=lambda f: cited.append(f.id) or f"[{f.verdict}]")
    assert "41.7%" in text and set(cited) == set(found)


def test_business_rd_headline_is_the_published_edition_only(real_data):
    """The headline edition's year only; the SON 2026 pre-publication figure (another price base) is a flagged
    comparison: not in the series, its sources, trends or LQs."""
    from helpers.data import indicators
    from helpers.questions.concentration import tables as concentration
    from helpers.questions.concentration.findings import words

    assert len(indicators.business_rd().index) == 1
    assert "berd_itl2_son26" not in indicators.get_total("business_rd").source_ids
    both = concentration.berd_comparison()
    assert len(both) == 2 and "Flagged comparison only" in words("berd_note", c=both)


def test_jobs_lq_is_checked_without_the_flagged_bres_jumps(real_data):
    from helpers.questions.concentration import tables as concentration

    without = concentration.jobs_lq_without_flags()
    lq = concentration.concentration_over_time("ict_employment")["london_lq"]
    assert without.iloc[0] == pytest.approx(lq.iloc[0]) and without.iloc[-1] != pytest.approx(lq.iloc[-1])


def test_innovate_uk_2011_is_flagged_and_left_out_of_endpoints(real_data):
    """London's 2011 share of Innovate UK funding (3.9%) is under half its median over the complete years; the
    flag removes 2011 from the summary."""
    from helpers.data.sources import fetch
    from helpers.questions.concentration import data_quality
    from helpers.questions.concentration import tables as concentration

    raw = pd.read_csv(fetch(["nesta_innovate_uk"])["nesta_innovate_uk"])
    wide = raw.groupby(["year", "TL" + raw["nuts_id"].str[2]])["gbp_innovate_uk_funding"].sum().unstack()
    wide = wide.drop(index=[2010, 2020])  # partial years (provenance)
    share = wide["TLI"] / wide.sum(axis=1) * 100
    expected = share[(share < share.median() / 2) | (share > share.median() * 2)]
    assert expected.index.tolist() == [2011] and expected[2011] == pytest.approx(3.87, abs=0.01)
    flags = data_quality.level_flags("innovate_uk_funding")
    assert flags["year"].tolist() == [2011] and flags["london_share_pct"].iloc[0] == pytest.approx(expected[2011])
    assert data_quality.excluded_years("innovate_uk_funding") == (2010, 2011, 2020)
    assert concentration.summary().loc["innovate_uk_funding", "london_share_first"] == pytest.approx(share[2012])


def test_level_flags_on_a_synthetic_series(monkeypatch):
    from helpers.data import indicators
    from helpers.questions.concentration import data_quality

    values = pd.DataFrame({"TLI": [20.0, 2.0, 21.0, 19.0, 90.0], "TLC": [80.0, 98.0, 79.0, 81.0, 10.0]},
                          index=[2015, 2016, 2017, 2018, 2019])
    monkeypatch.setattr(indicators, "get_total", lambda _id: indicators.Total("x", "x", "", "", (), None, None))
    flags = data_quality.level_flags("x", values=values)
    assert flags["year"].tolist() == [2016, 2019]  # 2% and 90% against a median of 20%
    assert flags["ratio"].tolist() == pytest.approx([0.1, 4.5])
    assert data_quality.level_flags("x", values=values.iloc[:2]).empty  # under 3 years: not checked
