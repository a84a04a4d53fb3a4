"""Dynamic shift-share, the within/between productivity decomposition and question 3's findings and headline
figures (helpers.questions.productivity.shift_share, helpers.questions.productivity.findings). Reference numbers come
from the raw files (pandas, pyreadr) or from identities the decomposition must satisfy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _raw_gva() -> pd.DataFrame:
    from helpers.data.sources import fetch

    return pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})


def _sections_without_imputed_rent(raw: pd.DataFrame, year: str, drop=()) -> pd.Series:
    """Per ITL1 region: sum of sections A-T (minus ``drop``) less owner-occupiers' imputed rental (68IMP)."""
    regions = raw[raw["ITL region code"].str.fullmatch(r"TL[C-N]")]
    sections = regions[regions["SIC07 code"].str.fullmatch(r"[A-T]( \(.*\))?")]
    sections = sections[~sections["SIC07 code"].str[0].isin(drop)]
    imputed = regions[regions["SIC07 code"].str.upper().str.startswith("68IMP")].set_index("ITL region code")[year]
    return sections.groupby("ITL region code")[year].sum() - imputed


def test_dynamic_shift_share_adds_up_and_excludes_imputed_rent(real_data):
    from helpers.questions.productivity import shift_share

    raw = _raw_gva()
    result = shift_share.dynamic_shift_share(1998, 2021)
    expected_end = _sections_without_imputed_rent(raw, "2021")
    assert result["end"].to_numpy() == pytest.approx(expected_end.reindex(result.index).to_numpy())
    assert result[["national", "industry_mix", "regional"]].sum(axis=1).to_numpy() == pytest.approx(result["change"].to_numpy())
    assert result["national"].sum() + result["industry_mix"].sum() == pytest.approx(result["change"].sum())
    assert result["regional"].sum() == pytest.approx(0.0, abs=1e-6)  # regional effects cancel across the nation
    one_year = shift_share.dynamic_shift_share(2020, 2021)
    static = shift_share.static_shift_share(2020, 2021)
    assert one_year["regional"].to_numpy() == pytest.approx(static["regional"].to_numpy())


def test_productivity_decomposition_identity_and_gb_level(real_data):
    import pyreadr

    from helpers.data.sources import fetch
    from helpers.questions.productivity import shift_share

    result = shift_share.productivity_decomposition(2015, 2021)
    parts = result[["within", "between", "interaction"]].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(result["change_pct"].to_numpy())
    assert result.loc["GB", "within_vs_gb"] == 0 and "TLN" not in result.index
    bres = next(iter(pyreadr.read_r(fetch(["bres_ft_employees_sections_2024"])["bres_ft_employees_sections_2024"]).values()))
    jobs = bres[(bres["DATE"] == 2015) & ~bres["SIC_SECTION_NAME"].str.contains("Agriculture")]["COUNT"].sum()
    gva = _sections_without_imputed_rent(_raw_gva(), "2015", drop=("A", "T")).drop("TLN").sum()
    assert result.loc["GB", "start"] == pytest.approx(gva / jobs * 1e6, rel=1e-9)
    london = bres[(bres["DATE"] == 2015) & bres["GEOGRAPHY_NAME"].str.contains("London")
                  & ~bres["SIC_SECTION_NAME"].str.contains("Agriculture")]["COUNT"].sum()
    gva_london = _sections_without_imputed_rent(_raw_gva(), "2015", drop=("A", "T"))["TLI"]
    assert result.loc["TLI", "start"] == pytest.approx(gva_london / london * 1e6, rel=1e-9)


def test_decomposition_terms_relative_to_gb_add_up(real_data):
    """Within + between + interaction = the change, for each region's own terms and its gap to Great Britain."""
    from helpers.questions.productivity import shift_share

    result = shift_share.productivity_decomposition(2015, 2021)
    for suffix in ("", "_vs_gb"):
        parts = result[[f"{p}{suffix}" for p in ("within", "between", "interaction")]].sum(axis=1)
        assert parts.to_numpy() == pytest.approx(result[f"change_pct{suffix}"].to_numpy(), abs=1e-9)
    assert abs(result.loc["TLI", "interaction_vs_gb"]) > 0.1  # the term the old sentence left out


def test_classic_shift_share_on_the_raw_sections_and_london(real_data):
    """The static shift-share with imputed rent (the earlier version's method) from the raw ITL1 sections: the
    national growth rate and each section's national growth applied to London's start-year GVA."""
    from helpers.questions.productivity import shift_share

    raw = _raw_gva()
    regions = raw[raw["ITL region code"].str.fullmatch(r"TL[C-N]")]
    sections = regions[regions["SIC07 code"].str.fullmatch(r"[A-T]( \(.*\))?")]
    start = sections.pivot_table(index="ITL region code", columns="SIC07 code", values="1998", aggfunc="sum").fillna(0)
    end = sections.pivot_table(index="ITL region code", columns="SIC07 code", values="2021", aggfunc="sum").fillna(0)
    section_growth = end.sum() / start.sum() - 1
    regional = (end.loc["TLI"] - start.loc["TLI"] * (1 + section_growth)).sum()
    result = shift_share.static_shift_share(1998, 2021, exclude_imputed_rent=False)
    assert result.loc["TLI", "regional_pct"] == pytest.approx(regional / start.loc["TLI"].sum() * 100, rel=1e-9)


@pytest.fixture(scope="module")
def evidence(real_data):
    from helpers.questions.productivity import findings as q3

    ev = q3.evidence("per_hour", "ITL3", None, None, 2019, None, None, None, None, None, None, 99)
    return ev, q3.findings(ev), q3.metrics(ev, q3.findings(ev))


def test_findings_follow_the_one_rule_with_intervals(evidence):
    from helpers.findings.model import CI, verdict

    ev, found, _ = evidence
    ids = [f.id for f in found]
    assert ids == ["ict_share_total_growth", "ict_spillover", "catching_up", "dispersion_fell_all",
                   "dispersion_fell_outside_london", "london_regional_component_positive"]
    assert sum(f.has_interval for f in found) / len(found) >= 0.8
    for f in found:
        assert f.verdict == verdict(f) and f.sources and f.checks
        if f.interval_kind == CI:
            assert f.lower <= f.estimate <= f.upper
    spill = next(f for f in found if f.id == "ict_spillover")
    assert spill.lower < 0 < spill.upper and spill.verdict == "inconclusive"  # the interval includes zero
    assert spill.extra["n"] >= 150 and spill.extra["clusters"] == 11
    dims = [c.dimension for c in spill.checks]
    assert len(dims) == len(set(dims))  # one check per dimension
    assert {"geography", "growth method", "influence", "spatial", "vintage"} <= set(dims)


def test_regression_interval_is_the_wild_cluster_bootstrap_of_the_baseline(evidence):
    from helpers.stats import regression

    ev, found, _ = evidence
    data = ev["panel"].query("~london")
    y, x, names, rows = regression.design(data, "rest_growth", ["ict_share", "finance_share", "log_initial"])
    boot = regression.WildCluster(y, x, names.index("ict_share"), data.loc[rows, "itl1"], reps=99, seed=0)
    spill = next(f for f in found if f.id == "ict_spillover")
    assert (spill.lower, spill.upper) == pytest.approx(boot.interval(0.05))
    assert spill.estimate == pytest.approx(np.linalg.lstsq(x, y, rcond=None)[0][names.index("ict_share")])


def test_dispersion_cv_from_the_raw_workbook_and_start_year_check(evidence):
    from helpers.data.sources import fetch

    ev, found, _ = evidence
    raw = pd.read_excel(fetch(["productivity_2024"])["productivity_2024"], sheet_name="A4", header=4, engine="calamine")
    itl3 = raw[raw.ITL_level == "ITL3"]
    values = itl3["Pounds_2010"].astype(float)
    assert ev["spread"].loc[2010, "all"] == pytest.approx(values.std(ddof=0) / values.mean() * 100, rel=1e-6)
    outside = itl3[~itl3.ITL_code.str.startswith("TLI")]["Pounds_2010"].astype(float)
    assert ev["spread"].loc[2010, "outside_london"] == pytest.approx(outside.std(ddof=0) / outside.mean() * 100, rel=1e-6)
    fell = next(f for f in found if f.id == "dispersion_fell_all")
    start_check = next(c for c in fell.checks if c.dimension == "start year")
    slopes = ev["trends"]["all"]["start_years"]["slope"].drop(index=ev["dispersion_years"][0])
    assert start_check.estimate == pytest.approx(slopes.max()) and start_check.lower == pytest.approx(slopes.min())


def test_metrics_carry_areas_and_no_verdicts(evidence):
    ev, found, metrics = evidence
    by_id = {m.id: m for m in metrics}
    assert not any(m.id.startswith("verdict") for m in metrics) and len(by_id) == len(metrics)
    assert by_id["areas_itl3_outside_london"].value >= 150
    assert by_id["ict_rest_coefficient_itl3"].value == next(f.estimate for f in found if f.id == "ict_spillover")
    assert all(m.description and m.sources for m in metrics)


def test_bad_years_get_a_sentence():
    from helpers.questions.productivity import panel

    with pytest.raises(ValueError, match="leave them as None"):
        panel.window(1990, 2021, "per_hour", "ITL3")
