"""Question 2 after the referee: relative measures beside shares, the Apr 2024 vintage and its revisions, data-quality
flags, and headline metrics whose descriptions and sources come from the computation that produced them.
Expected numbers are computed here with pandas from the raw ONS files (or on small synthetic tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

ICT = "J (58-63)"


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


def test_ict_share_lq_and_benchmark_share_match_the_apr_2024_raw_files(real_data):
    from helpers.questions.concentration import tables as concentration

    ict, total = _raw_2024()
    table = concentration.concentration_over_time("ict_gva")
    assert table.index.min() == 1998 and table.index.max() == 2022
    for year in ("1998", "2021", "2022"):
        share = ict.loc["TLI", year] / ict[year].sum() * 100
        benchmark = total.loc["TLI", year] / total[year].sum() * 100
        assert table.loc[int(year), "london_share_pct"] == pytest.approx(share)
        assert table.loc[int(year), "london_benchmark_share_pct"] == pytest.approx(benchmark)
        assert table.loc[int(year), "london_lq"] == pytest.approx(share / benchmark)
    # the referee's point: the share rose while London's share of all GVA rose faster, so the LQ fell
    lq = (ict.loc["TLI"] / ict.sum()) / (total.loc["TLI"] / total.sum())
    assert ict.loc["TLI", "2022"] / ict["2022"].sum() > ict.loc["TLI", "1998"] / ict["1998"].sum()
    assert lq["2022"] < lq["1998"]
    summary = concentration.summary()
    assert summary.loc["ict_gva", "london_lq_first"] == pytest.approx(lq["1998"])
    assert summary.loc["ict_gva", "london_lq_last"] == pytest.approx(lq["2022"])


def test_vintage_sensitivity_against_both_raw_releases(real_data):
    from helpers.data.sources import fetch
    from helpers.questions.concentration import vintages

    old = pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})
    old = old[old["ITL region code"].str.fullmatch(r"TL[C-N]")]
    old_ict = old[old["SIC07 code"] == ICT].set_index("ITL region code")["2021"]
    old_total = old[old["SIC07 code"] == "Total"].set_index("ITL region code")["2021"]
    ict, total = _raw_2024()
    table = vintages.sensitivity("J")
    share_2023 = old_ict["TLI"] / old_ict.sum() * 100
    share_2024 = ict.loc["TLI", "2021"] / ict["2021"].sum() * 100
    assert table.loc[2021, "share_apr2023"] == pytest.approx(share_2023)
    assert table.loc[2021, "share_apr2024"] == pytest.approx(share_2024)
    assert table.loc[2021, "lq_apr2023"] == pytest.approx(share_2023 / (old_total["TLI"] / old_total.sum() * 100))
    check = vintages.revision_against_trend(table)
    assert check["last_common_year"] == 2021 and check["share_revision"] == pytest.approx(share_2024 - share_2023)
    assert abs(check["share_revision"]) > 1.5  # about two points: the size of the referee's revision


def test_trends_are_tested_only_from_ten_complete_years(real_data):
    from helpers.questions.concentration import tables as concentration

    summary = concentration.summary()
    assert summary.loc["ict_employment", "london_share_trend"] == "too few years (7)"
    assert np.isnan(summary.loc["ict_employment", "london_share_slope_pp"])
    innovate = summary.loc["innovate_uk_funding"]  # 2010 and 2020 partial; 2011 an implausible level: left out
    assert (innovate["first_year"], innovate["last_year"], innovate["n_years"]) == (2012, 2019, 8)
    assert innovate["london_share_trend"] == "too few years (8)"
    firms = summary.loc["tech_firms_founded"]  # back-filled founding dates: described, not tested
    assert firms["london_share_trend"] == concentration.NOT_A_TREND and np.isnan(firms["london_share_slope_pp"])
    for column in ("london_share_first", "london_share_last", "first_year", "last_year", "london_share_trend",
                   "london_share_slope_pp"):
        assert column in summary.columns  # used by claims and profiles


def test_report_metrics_take_description_and_sources_from_their_indicator(real_data):
    """Every metric names the indicator whose sources it lists; the map LQ metric (once labelled with the last
    indicator of a loop) names map_indicator, with a value computed here from the raw files."""
    from helpers.data import indicators
    from helpers.questions.concentration import findings as concentration_findings
    from helpers.questions.concentration import tables as concentration
    from helpers.questions.concentration import vintages

    summary = concentration.summary()
    revision = vintages.revision_against_trend(vintages.sensitivity("J"))
    lq = concentration.location_quotients("ict_gva")
    metrics = {m[0]: m for m in concentration_findings.report_metrics(summary, revision, "ict_gva", lq)}
    for total in indicators.TOTALS.values():
        for metric_id, (_, _, _, description, sources) in metrics.items():
            if metric_id.startswith("verdict_"):
                continue  # checked against the What holds up table below
            if metric_id.endswith(f"_{total.id}") or f"_{total.id}_" in metric_id and "revision" not in metric_id \
                    and "apr20" not in metric_id:
                assert total.label in description, metric_id
                extra = [indicators.POPULATION_SOURCE] if "per_population" in metric_id else []
                assert sources == sorted({*total.source_ids, *extra}) if extra else list(total.source_ids), metric_id
    holds = concentration_findings.what_holds_up(summary, 0.05)
    verdict_of = holds.set_index(holds.columns[0])["verdict"] if holds.columns[0] != "verdict" else holds["verdict"]
    codes = {"robust": 2, "sensitive": 1, "does not hold": 0}
    verdicts = {m: v for m, v in metrics.items() if m.startswith("verdict_")}
    assert verdicts
    for metric_id, (_, value, _, description, _) in verdicts.items():
        assert description in verdict_of.index, metric_id  # the label of a row of the report's What holds up table
        assert value == codes[verdict_of[description]], metric_id
    _, value, _, description, sources = metrics["lq_ict_gva_london"]
    ict, total = _raw_2024()
    assert value == pytest.approx((ict.loc["TLI", "2022"] / ict["2022"].sum()) / (total.loc["TLI", "2022"] / total["2022"].sum()))
    assert "ICT GVA" in description and "Tech firms" not in description
    assert sources == list(indicators.get_total("ict_gva").source_ids)
    assert metrics["london_share_ict_gva_2021_apr2023"][4] == ["gva_itl1_cp_2023"]
    assert "Apr 2023 release" in metrics["london_share_ict_gva_2021_apr2023"][3]


def test_what_holds_up_has_the_requested_rows_and_checks(real_data):
    from helpers.questions.concentration import findings as concentration_findings
    from helpers.questions.concentration import tables as concentration

    table = concentration_findings.what_holds_up(concentration.summary())
    assert {"London's share of ICT GVA rose", "London's ICT LQ fell"} <= set(table["finding"])
    assert set(concentration_findings.CHECKS) <= set(table.columns)
    assert table.columns[-1] == "verdict" and table["verdict"].isin(["robust", "sensitive", "does not hold"]).all()
    share = table.set_index("finding").loc["London's share of ICT GVA rose"]
    assert share["relative measure"] < 0  # the LQ trend has the opposite sign: a whole-economy effect
    assert share["verdict"] != "robust"


def _raw_nesta(source_id: str, column: str) -> pd.DataFrame:
    """Year x ITL1 (``TL`` + third character of the NUTS 2 code) totals of a raw Nesta file, pandas only."""
    from helpers.data.sources import fetch

    raw = pd.read_csv(fetch([source_id])[source_id])
    return raw.groupby(["year", "TL" + raw["nuts_id"].str[2]])[column].sum().unstack()


def test_innovate_uk_2011_is_flagged_and_left_out_of_endpoints(real_data):
    """London's 2011 share of Innovate UK funding (3.9%) is under half its median over the complete years; the
    flag removes 2011 from the summary, so the claims built on it start in 2012 too."""
    from helpers.questions.concentration import data_quality
    from helpers.questions.concentration import tables as concentration

    wide = _raw_nesta("nesta_innovate_uk", "gbp_innovate_uk_funding").drop(index=[2010, 2020])  # partial years
    share = wide["TLI"] / wide.sum(axis=1) * 100
    expected = share[(share < share.median() / 2) | (share > share.median() * 2)]
    assert expected.index.tolist() == [2011] and expected[2011] == pytest.approx(3.87, abs=0.01)
    flags = data_quality.level_flags("innovate_uk_funding")
    assert flags["year"].tolist() == [2011]
    assert flags["london_share_pct"].iloc[0] == pytest.approx(expected[2011])
    assert flags["median_pct"].iloc[0] == pytest.approx(share.median())
    assert data_quality.excluded_years("innovate_uk_funding") == (2010, 2011, 2020)
    for other in ("ict_gva", "finance_gva", "venture_capital", "tech_firms_founded", "ict_employment"):
        assert data_quality.level_flags(other).empty, other
    row = concentration.summary().loc["innovate_uk_funding"]
    assert row["london_share_first"] == pytest.approx(share[2012])
    assert "2011" in data_quality.year_status().loc["Innovate UK funding", "Year"].tolist()


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


def test_theil_vintage_check_uses_the_theil_series_of_the_apr_2023_release(real_data):
    """The referee's bug: the Theil row's vintage check showed the LQ's slope. Theil of ICT GVA against all GVA
    over the 12 ITL1 regions, computed here from the raw Apr 2023 table: sum s_i ln(s_i / w_i)."""
    from helpers.data.sources import fetch
    from helpers.questions.concentration import findings as concentration_findings
    from helpers.questions.concentration import tables as concentration
    from helpers.stats import trends

    old = pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})
    old = old[old["ITL region code"].str.fullmatch(r"TL[C-N]")]
    years = [c for c in old.columns if c.isdigit()]
    ict = old[old["SIC07 code"] == ICT].set_index("ITL region code")[years].astype(float)
    total = old[old["SIC07 code"] == "Total"].set_index("ITL region code")[years].astype(float)
    s, w = ict / ict.sum(), total / total.sum()
    theil = (s * np.log(s / w)).sum().rename(int)
    expected = trends.modified_mann_kendall(theil)["sen_slope"]
    table = concentration_findings.what_holds_up(concentration.summary())
    row = table[table["finding"].str.contains("Theil")].iloc[0]
    assert row[concentration_findings.VINTAGE] == pytest.approx(expected)
    lq_row = table[table["finding"] == "London's ICT LQ fell"].iloc[0]
    assert row[concentration_findings.VINTAGE] != pytest.approx(lq_row[concentration_findings.VINTAGE])
    assert abs(row[concentration_findings.VINTAGE]) < 5 * abs(row["baseline"])  # same order as the baseline


def test_revision_is_small_for_settled_years_and_large_for_the_latest(real_data):
    """Apr 2024 minus Apr 2023 release, London's ICT share, from the raw files: at most 0.03 points for 1998-2018,
    up to 2 points for 2019-2021; and the sentence says so, not 'a decade of trend'."""
    from helpers.data.sources import fetch
    from helpers.questions.concentration import vintages

    old = pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})
    old = old[old["ITL region code"].str.fullmatch(r"TL[C-N]") & (old["SIC07 code"] == ICT)].set_index("ITL region code")
    ict, _ = _raw_2024()
    years = [str(y) for y in range(1998, 2022)]
    revision = (ict.loc["TLI", years] / ict[years].sum() - old.loc["TLI", years].astype(float) / old[years].astype(float).sum()) * 100
    check = vintages.revision_against_trend(vintages.sensitivity("J"))
    assert check["settled_last_year"] == 2018
    assert check["share_settled_max_abs_revision"] == pytest.approx(revision.loc[:"2018"].abs().max())
    assert check["share_settled_max_abs_revision"] < 0.03
    assert check["latest_revisions"] == pytest.approx({int(y): revision[y] for y in ("2019", "2020", "2021")})
    assert check["share_latest_change"] == pytest.approx((ict.loc["TLI", "2022"] / ict["2022"].sum()
                                                          - ict.loc["TLI", "2021"] / ict["2021"].sum()) * 100)
    text = vintages.sentence(check)
    assert "at most 0.03 points for 1998-2018" in text and "decade" not in text


def test_main_points_and_chart_title_agree_with_what_holds_up(real_data):
    from helpers.questions.concentration import findings as concentration_findings
    from helpers.questions.concentration import tables as concentration
    from helpers.questions.concentration import vintages

    summary = concentration.summary()
    holds = concentration_findings.what_holds_up(summary)
    revision = vintages.revision_against_trend(vintages.sensitivity("J"))
    text = concentration_findings.main_points(summary, revision, holds)
    assert "to 2019" not in text and "decade" not in text  # no post-hoc window, no overstated revision
    assert "tech firms founded" not in " ".join(holds["finding"]).lower()  # not a trend finding
    assert "not a usable trend" in text
    disagree = concentration_findings.estimator_disagreements(summary)
    pairs = set(zip(disagree["id"], disagree["measure"]))
    assert {("venture_capital", "london_share"), ("finance_gva", "london_lq")} <= pairs
    for d in disagree.itertuples():  # both verdicts of each disagreement are quoted
        assert f"p = {d.mk_p:.3f}" in text and f"p = {d.ols_p:.3f}" in text
    title = concentration_findings.share_chart_title(summary, concentration.timed(summary))
    rising_lq = [t for t in ("ict_gva", "finance_gva", "venture_capital") if summary.loc[t, "london_lq_trend"] == "rising"]
    assert title.startswith("London's share rose for 2 of 3 testable series") and ("for none" in title) == (not rising_lq)
    like = concentration_findings.like_for_like(summary)
    ict, _ = _raw_2024()
    assert like["ict_share"] == pytest.approx(ict.loc["TLI", "2022"] / ict["2022"].sum() * 100)


def test_business_rd_headline_is_the_published_2023_edition_only(real_data):
    """2023 (SON 2025) is the headline; the SON 2026 pre-publication 2024 figure (another price base) is only a
    flagged comparison: not in the series, its sources, trends or LQs."""
    from helpers.data import indicators
    from helpers.questions.concentration import tables as concentration

    assert list(indicators.business_rd().index) == [2023]
    assert "berd_itl2_son26" not in indicators.get_total("business_rd").source_ids
    both = concentration.berd_comparison()
    assert sorted(both) == [2023, 2024] and "Flagged comparison only" in concentration.berd_comparison_sentence()


def test_jobs_lq_is_checked_without_the_flagged_bres_jumps(real_data):
    """The BRES ICT-jobs LQ finding carries a check without the region-years flagged as jumps (Wales 2016-2018,
    2021) and the 2019-2021 mean; the GB totals of 2021 without Wales change London's LQ."""
    from helpers.questions.concentration import findings as concentration_findings
    from helpers.questions.concentration import tables as concentration

    summary = concentration.summary()
    finding = concentration_findings.jobs_lq_finding(summary)
    assert {"without flagged region-years", "mean LQ 2019-2021"} <= set(finding.checks)
    without = concentration.jobs_lq_without_flags()
    lq = concentration.concentration_over_time("ict_employment")["london_lq"]
    assert without[2015] == pytest.approx(lq[2015]) and without[2021] != pytest.approx(lq[2021])
