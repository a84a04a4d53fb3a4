"""Compare areas (``helpers.questions.compare``): the number of areas, similar areas at the same level, the ITL3
AI counts (checked against the processed organisations with pandas alone) and the rendered report."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPO

from helpers import regions
from helpers.errors import RegionalDivideError
from helpers.questions.compare import tables as compare


def test_two_to_six_areas():
    assert compare.check_areas(["TLG", "TLD"]) == ["TLG", "TLD"]
    for codes in (["TLG"], ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI"]):
        with pytest.raises(RegionalDivideError, match="Compare 2 to 6 areas"):
            compare.check_areas(codes)


@pytest.mark.parametrize("code", ["TLG", "TLE4", "TLE42"])
def test_similar_areas_are_at_the_same_level_nearest_first(real_data, code):
    similar = compare.similar_areas(code)
    level = regions.geography_level(code)
    assert len(similar) == 5 and code not in similar.index
    assert all(regions.geography_level(c) == level for c in similar.index)
    assert similar["distance"].is_monotonic_increasing and (similar["distance"] > 0).all()
    assert similar.attrs["method"]["areas"] >= 0.9 * len(regions.codes(level))


def test_itl3_ai_counts_match_the_placed_organisations(real_data):
    orgs = pd.read_parquet(REPO / "data" / "processed" / "ai_organisations.parquet")
    expected = orgs.loc[orgs["itl3_code"] != "", "itl3_code"].value_counts()
    from helpers.data.headline import ai_counts

    counts = ai_counts("ITL3")
    assert counts[counts > 0].sort_index().to_dict() == expected.sort_index().to_dict()


def _gva() -> pd.DataFrame:
    return pd.read_parquet(REPO / "data" / "processed" / "gva_by_industry.parquet")


def _cagr(first: float, last: float, years: int) -> float:
    return ((last / first) ** (1 / years) - 1) * 100


def test_headline_and_growth_name_every_area_and_the_uk(real_data):
    headline = compare.headline(["TLG", "TLE42"])
    assert list(headline.index) == ["TLG", "TLE42", "UK"] and headline.attrs["source_ids"]
    assert headline.at["UK", "gva_per_hour_uk100"] == 100 and headline[["ict_share_pct"]].notna().all().all()
    growth = compare.growth(["TLG", "TLE42"])
    assert list(growth.index) == ["TLG", "TLE42", "UK"] and growth.shape[1] == 4 and growth.notna().all().all()


def test_itl3_ict_share_is_from_the_newest_release(real_data):
    gva = _gva()
    newest = gva[gva.source_id == "gva_itl3_cp_2024"]
    year = int(newest.year.max())
    leeds = newest[(newest.region_code == "TLE42") & (newest.year == year)].set_index("industry_code")["value"]
    table = compare.indicator_table("ITL3")
    assert table.attrs["years"]["ict_share_pct"] == year
    assert table.at["TLE42", "ict_share_pct"] == pytest.approx(leeds["J"] / leeds["TOTAL"] * 100, rel=1e-3)
    assert table["ict_share_pct"].notna().all()


def test_growth_uses_question_1s_release_window_and_published_uk_row(real_data):
    from helpers.questions.ict_finance import findings as q1
    from helpers.questions.ict_finance import tables as q1_tables

    gva = _gva()
    cvm = gva[gva.source_id.isin(["gva_itl1_cvm_2023", "gva_itl3_cvm_2023"])]
    first, last = int(cvm.year.min()), int(cvm.year.max())  # the years of the only release with chained volume
    growth = compare.growth(["TLG", "TLE42"])
    assert growth.attrs["window"] == (first, last) == q1_tables.window(None, None)
    for code, level in [("UK", "UK"), ("TLG", "ITL1"), ("TLE42", "ITL3")]:
        for sector, label in [("J", "ICT"), ("K", "Finance")]:
            series = cvm[(cvm.geography_level == level) & (cvm.region_code == code) & (cvm.industry_code == sector)]
            values = series.set_index("year")["value"]
            expected = _cagr(values[first], values[last], last - first)
            assert growth.at[code, f"{label}, chained volume, % a year"] == pytest.approx(expected, rel=1e-6)
    evidence = q1.evidence(first, last)
    assert growth.at["UK", "ICT, chained volume, % a year"] == pytest.approx(
        q1.cagr(evidence, "j", "chained_volume", first, last), rel=1e-9)


def test_comparison_tables_label_areas_by_name_under_area():
    from helpers.show import tables

    shown, _ = tables.tidy(compare.by_name(pd.DataFrame({"population": [1.0, 2.0]}, index=["TLE42", "UK"])))
    assert list(shown.columns) == ["Area", "Population"]
    assert list(shown["Area"]) == [f"{regions.region_name('TLE42')} (TLE42)", "United Kingdom (UK)"]


def test_ai_organisations_at_itl3_are_keyed_on_itl3_and_add_up_to_itl1(real_data):
    from helpers.data import indicators

    orgs = pd.read_parquet(REPO / "data" / "processed" / "ai_organisations.parquet")
    itl3 = indicators.ai_organisations("ITL3").iloc[0]
    assert list(itl3.index) == regions.codes("ITL3")
    expected_itl1 = orgs.loc[orgs["itl1_code"] != "", "itl1_code"].value_counts()
    by_parent = itl3.groupby(itl3.index.str[:3]).sum()  # an ITL3 code begins with its ITL1 code
    assert by_parent[by_parent > 0].sort_index().to_dict() == expected_itl1.sort_index().to_dict()
    placed = set(orgs.loc[orgs["itl3_code"] != "", "itl3_code"])
    assert placed and (itl3.loc[sorted(placed)] > 0).all()


def test_an_area_missing_some_indicators_is_compared_on_those_it_has(real_data, monkeypatch):
    """An area with no AI-organisation rate or population in the table (as three Scottish ITL2 areas had before the
    nearest-year population) is compared on the indicators it has, and its profile says which it lacks; with fewer
    than two, the profile says none were found."""
    from helpers.questions.profiles import findings as profile

    full = compare.indicator_table("ITL2")
    assert full.loc["TLM6", ["population", "gva_per_head", "gva_per_hour_uk100"]].notna().all()  # nearest year
    gap = full.copy()
    gap.loc["TLM6", ["population", "ai_orgs_per_100k"]] = float("nan")
    monkeypatch.setattr(compare, "indicator_table", lambda level: gap)
    similar = compare.similar_areas("TLM6")
    assert len(similar) == 5 and "TLM6" not in similar.index
    assert similar.attrs["method"]["indicators"] == ["gva_per_head", "gva_per_hour_uk100"]
    assert similar.attrs["method"]["missing"] == ["ai_orgs_per_100k", "log_population"]
    assert "compared on the others" in profile.similar_areas("TLM6", similar)
    gap.loc["TLM6", "gva_per_head"] = float("nan")
    none = compare.similar_areas("TLM6")
    assert none.empty and "not found" in profile.similar_areas("TLM6", none)


def test_an_areas_headline_figures_are_the_same_on_its_profile_and_the_comparison(real_data):
    """Leeds' GVA per head on the comparison page is the profile's: total GVA of the newest release's latest year
    over that year's population (recomputed here from the processed tables)."""
    from helpers.data.datasets import load
    from helpers.questions.profiles import tables as profile

    table = compare.headline(["TLE42", "TLG"])
    assert table.loc["TLE42", "gva_per_head"] == profile.headline("TLE42").loc["TLE42", "gva_per_head"]
    gva = load("gva_by_industry")
    gva = gva[(gva.region_code == "TLE42") & (gva.industry_code == "TOTAL") & (gva.measure == "gva_current_prices")]
    assert gva.source_id.nunique() == 1  # ITL3 GVA comes from the newest release only
    year = int(gva.year.max())
    accounts = load("regional_accounts")
    people = accounts[(accounts.region_code == "TLE42") & (accounts.measure == "population") & (accounts.year == year)]
    expected = gva[gva.year == year].value.sum() * 1e6 / people.value.iloc[0]
    assert table.loc["TLE42", "gva_per_head"] == pytest.approx(expected, rel=1e-9)
    assert year == 2022
