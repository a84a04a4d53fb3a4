"""The concentration, convergence and decomposition metrics on hand-computed examples and identities,
and the analysis helpers against figures computed here from the raw files or published by the source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.stats import accounting, inequality, regression, trends

REGIONS = ["A", "B", "C", "D"]


def test_location_quotient_hand_computed_and_whole_economy_is_one():
    values = pd.Series([10.0, 30.0], index=["A", "B"])
    benchmark = pd.Series([50.0, 50.0], index=["A", "B"])
    assert inequality.location_quotient(values, benchmark).tolist() == pytest.approx([0.5, 1.5])
    total = pd.Series([3.0, 7.0, 11.0], index=["A", "B", "C"])
    assert inequality.location_quotient(total, total).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_hhi_equal_monopoly_and_hand_computed():
    assert inequality.hhi(pd.Series([5.0] * 4, index=REGIONS)) == pytest.approx(0.25)
    assert inequality.hhi(pd.Series([0.0, 0.0, 9.0], index=REGIONS[:3])) == pytest.approx(1.0)
    assert inequality.hhi(pd.Series([1.0, 1.0, 2.0], index=REGIONS[:3])) == pytest.approx(1 / 16 + 1 / 16 + 1 / 4)


def test_gini_equal_is_zero_and_matches_the_mean_difference_formula():
    assert inequality.gini(pd.Series([4.0] * 4, index=REGIONS)) == pytest.approx(0.0)
    x = np.array([1.0, 2.0, 3.0, 4.0])
    mean_difference = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())  # = 0.25
    assert inequality.gini(pd.Series(x, index=REGIONS)) == pytest.approx(mean_difference)
    assert inequality.gini(pd.Series([0.0, 1.0], index=["A", "B"])) == pytest.approx(0.5)


def test_weighted_gini_is_zero_when_activity_follows_the_weights():
    population = pd.Series([1.0, 2.0, 5.0], index=REGIONS[:3])
    assert inequality.gini(population * 3, population) == pytest.approx(0.0)
    # a region with a quarter of the people and all the activity
    assert inequality.gini(pd.Series([1.0, 0.0], index=["A", "B"]), pd.Series([1.0, 3.0], index=["A", "B"])) == pytest.approx(0.75)


def test_theil_zero_when_equal_and_log_two_for_one_of_two():
    assert inequality.theil(pd.Series([2.0] * 4, index=REGIONS)) == pytest.approx(0.0)
    assert inequality.theil(pd.Series([1.0, 0.0], index=["A", "B"])) == pytest.approx(np.log(2))
    weights = pd.Series([1.0, 3.0], index=["A", "B"])
    assert inequality.theil(weights * 7, weights) == pytest.approx(0.0)


def test_trend_test_finds_a_rising_line_and_not_noise():
    years = range(2000, 2012)
    wiggle = np.array([0.05, -0.05] * 6)
    rising = pd.Series(np.arange(12) * 0.5 + wiggle, index=years)
    result = trends.trend_test(rising)
    assert result["slope_per_year"] == pytest.approx(0.5, abs=0.02)
    assert trends.trend_verdict(result) == "rising"
    flat = pd.Series(10 + wiggle, index=years)
    assert trends.trend_verdict(trends.trend_test(flat)) == "no clear trend"
    with pytest.raises(ValueError, match="at least 5 years"):
        trends.trend_test(rising.iloc[:4])


def test_shift_share_hand_computed_and_components_add_up():
    start = pd.DataFrame({"x": [100.0, 50.0], "y": [100.0, 150.0]}, index=["A", "B"])
    end = pd.DataFrame({"x": [200.0, 70.0], "y": [110.0, 150.0]}, index=["A", "B"])
    result = accounting.shift_share(start, end)
    # nation: 400 -> 530 (g = 0.325); x: 150 -> 270 (0.8); y: 250 -> 260 (0.04)
    assert result.loc["A", "national"] == pytest.approx(200 * 0.325)
    assert result.loc["A", "industry_mix"] == pytest.approx(100 * (0.8 - 0.325) + 100 * (0.04 - 0.325))
    assert result.loc["A", "regional"] == pytest.approx(100 * (1.0 - 0.8) + 100 * (0.1 - 0.04))
    rng = np.random.default_rng(7)
    start = pd.DataFrame(rng.uniform(1, 100, (12, 19)))
    end = start * rng.uniform(0.5, 3, (12, 19))
    result = accounting.shift_share(start, end)
    assert (result[["national", "industry_mix", "regional"]].sum(axis=1) - result["change"]).abs().max() < 1e-9
    assert result["industry_mix"].sum() + result["regional"].sum() == pytest.approx(0.0, abs=1e-8)


def test_beta_convergence_recovers_a_known_slope():
    initial = pd.Series(np.linspace(20, 60, 30))
    noise = np.tile([0.01, -0.01], 15)
    result = regression.beta_convergence(initial, 3 - 2 * np.log(initial) + noise)
    assert result["beta"] == pytest.approx(-2.0, abs=0.02)
    assert result["p"] < 0.001 and result["n"] == 30


def test_coefficient_of_variation_and_zscores():
    assert inequality.coefficient_of_variation(pd.Series([1.0, 2.0, 3.0])) == pytest.approx(np.sqrt(2 / 3) / 2)
    weights = pd.Series([1.0, 1.0, 2.0])
    # weighted: values 1, 2, 3, 3 -> mean 2.25, population sd sqrt(0.6875)
    assert inequality.coefficient_of_variation(pd.Series([1.0, 2.0, 3.0]), weights) == pytest.approx(np.sqrt(0.6875) / 2.25)
    z = inequality.zscores(pd.DataFrame({"a": [1.0, 2.0, 3.0, 6.0]}))
    assert z["a"].mean() == pytest.approx(0.0) and z["a"].std(ddof=0) == pytest.approx(1.0)


# ---------------------------------------------------------------- on the real files


def test_london_share_of_ict_gva_matches_raw_csv(real_data):
    """Apr 2024 release (the newest covering the series): ITL2 rows of the raw CSV summed to ITL1."""
    from helpers.data.sources import fetch
    from helpers.questions.concentration import tables as concentration

    raw = pd.read_csv(fetch(["gva_itl2_cp_2024"])["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig",
                      dtype={"SIC07 code": str})
    years = [c for c in raw.columns if c.isdigit()]
    ict = raw[raw["SIC07 code"] == "J (58-63)"].groupby(raw["ITL code"].str[:3])[years].sum()
    table = concentration.concentration_over_time("ict_gva")
    for year in (1998, 2010, 2022):
        expected = ict.loc["TLI", str(year)] / ict[str(year)].sum() * 100
        assert table.loc[year, "london_share_pct"] == pytest.approx(expected)
    gse = ict.loc[["TLI", "TLJ", "TLH"], "2022"].sum() / ict["2022"].sum() * 100
    assert table.loc[2022, "gse_share_pct"] == pytest.approx(gse)


def test_london_share_of_venture_capital_matches_raw_nesta_file(real_data):
    from helpers.data.sources import fetch
    from helpers.questions.concentration import tables as concentration

    raw = pd.read_csv(fetch(["nesta_venture_capital"])["nesta_venture_capital"])
    by_year = raw.groupby("year")["gbp_venture_capital_received"].sum()
    london = raw[raw["nuts_id"].str.startswith("UKI")].groupby("year")["gbp_venture_capital_received"].sum()
    table = concentration.concentration_over_time("venture_capital")
    assert table["london_share_pct"].to_numpy() == pytest.approx((london / by_year * 100).to_numpy())


def test_shift_share_on_real_gva_adds_up_to_the_raw_change(real_data):
    from helpers.data.sources import fetch
    from helpers.questions.productivity import shift_share

    raw = pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})
    sections = raw[raw["SIC07 code"].str.fullmatch(r"[A-T]( \(.*\))?") & raw["ITL region code"].str.fullmatch(r"TL[C-N]")]
    change = sections.groupby("ITL region code")["2021"].sum() - sections.groupby("ITL region code")["1998"].sum()
    result = shift_share.static_shift_share(1998, 2021, exclude_imputed_rent=False)
    assert result["change"].to_numpy() == pytest.approx(change.reindex(result.index).to_numpy())
    components = result[["national", "industry_mix", "regional"]].sum(axis=1)
    assert components.to_numpy() == pytest.approx(result["change"].to_numpy())


def test_concentration_summary_uses_its_alpha_for_the_trend_verdicts(real_data):
    """London's share of ICT GVA from the raw Apr 2024 CSV; its modified Mann-Kendall p-value (the test itself is
    checked on published examples in test_trend_tests.py): the summary's verdict is 'rising' at an alpha above the
    p-value and 'no clear trend' at one below it, and its slope is Sen's slope of the raw series."""
    from helpers.data.sources import fetch
    from helpers.questions.concentration import tables as concentration

    raw = pd.read_csv(fetch(["gva_itl2_cp_2024"])["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig",
                      dtype={"SIC07 code": str})
    years = [c for c in raw.columns if c.isdigit()]
    ict = raw[raw["SIC07 code"] == "J (58-63)"].groupby(raw["ITL code"].str[:3])[years].sum()
    share = ict.loc["TLI"] / ict.sum() * 100
    share.index = share.index.astype(int)
    pairs = [(share.iloc[j] - share.iloc[i]) / (share.index[j] - share.index[i])
             for i in range(len(share)) for j in range(i + 1, len(share))]
    p = trends.modified_mann_kendall(share)["p"]
    assert np.median(pairs) > 0 and p < 0.05
    above, below = concentration.summary(alpha=0.05), concentration.summary(alpha=p / 2)
    assert above.loc["ict_gva", "london_share_trend"] == "rising"
    assert below.loc["ict_gva", "london_share_trend"] == "no clear trend"
    assert below.loc["ict_gva", "london_share_p"] == pytest.approx(p)
    assert above.loc["ict_gva", "london_share_slope_pp"] == pytest.approx(np.median(pairs))
    assert below.attrs["alpha"] == p / 2


def test_ecosystem_postings_title_uses_the_table_value_and_its_decimals(real_data):
    """The postings chart title quotes the indicator table's 3-month mean with the indicator's own decimals (one value
    per figure across pages) and names the highlighted region; the composite and ranks are tested in
    test_concentration_findings.py."""
    from helpers.data import ecosystem
    from helpers.questions.ecosystem import findings as ecosystem_findings

    ev = ecosystem_findings.evidence()
    numbers = ecosystem_findings.figures(ev, [])
    mean = ev["table"]["job_postings_index"]
    title = ecosystem_findings.line("postings_title", postings=ecosystem.job_postings(), n=numbers, focus="TLG")
    assert f"{mean['TLN']:.1f}" in title and f"{mean['TLG']:.1f}" in title and "West Midlands" in title
