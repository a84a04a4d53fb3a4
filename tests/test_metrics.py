"""Metrics on hand-computed examples, and the ICT-vs-finance tables against an independent computation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.questions.ict_finance import tables as ict_finance
from helpers.stats import rates


def test_index_to_base():
    series = pd.Series([50.0, 100.0, 150.0], index=[2000, 2001, 2002])
    assert rates.index_to_base(series, 2001).tolist() == [50.0, 100.0, 150.0]
    assert rates.index_to_base(series, 2000).tolist() == [100.0, 200.0, 300.0]
    with pytest.raises(KeyError, match="base year 1999"):
        rates.index_to_base(series, 1999)


def test_cagr_hand_computed():
    assert rates.cagr(100, 121, 2) == pytest.approx(10.0)
    assert rates.cagr(100, 100, 5) == 0.0
    assert math.isnan(rates.cagr(0, 10, 3))
    with pytest.raises(ValueError):
        rates.cagr(1, 2, 0)


def test_growth_table_and_share():
    wide = pd.DataFrame({"a": [100.0, 110.0, 121.0], "b": [10.0, 10.0, 5.0]}, index=[2000, 2001, 2002])
    table = rates.growth_table(wide, 2000, 2002)
    assert table.loc["a", "growth_pct"] == pytest.approx(21.0) and table.loc["a", "cagr_pct"] == pytest.approx(10.0)
    assert table.loc["b", "growth_pct"] == pytest.approx(-50.0)
    assert rates.share(pd.Series([1.0, 3.0]), pd.Series([4.0, 4.0])).tolist() == [25.0, 75.0]


def test_ict_vs_finance_growth_matches_raw_csv(real_data):
    """UK CAGR of J and K computed here from the raw ONS CSV (not through helpers' loaders)."""
    from helpers.data.sources import fetch

    raw = pd.read_csv(fetch(["gva_itl1_cvm_2023"])["gva_itl1_cvm_2023"], thousands=",", dtype={"SIC07 code": str})
    uk = raw[raw["ITL region code"] == "UK"].set_index("SIC07 code")
    expected = {s: ((uk.loc[f"{s} ({r})", "2021"] / uk.loc[f"{s} ({r})", "1998"]) ** (1 / 23) - 1) * 100
                for s, r in [("J", "58-63"), ("K", "64-66")]}
    table = ict_finance.growth_comparison("chained_volume", "J", "K", 1998, 2021)
    assert table.loc["UK", "J_cagr_pct"] == pytest.approx(expected["J"])
    assert table.loc["UK", "K_cagr_pct"] == pytest.approx(expected["K"])
    shares = ict_finance.shares_of_regional_gva(["J", "K"], 2021)
    cp = pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})
    london = cp[cp["ITL region code"] == "TLI"].set_index("SIC07 code")["2021"]
    assert shares.loc["TLI", "J"] == pytest.approx(london["J (58-63)"] / london["Total"] * 100)


def test_year_range_is_the_span_of_the_raw_csv(real_data):
    from helpers.data.sources import fetch

    for basis, source in [("chained_volume", "gva_itl1_cvm_2023"), ("current_prices", "gva_itl1_cp_2023")]:
        raw = pd.read_csv(fetch([source])[source], nrows=1)
        years = [int(c) for c in raw.columns if c.isdigit()]
        assert ict_finance.year_range(basis) == (min(years), max(years))
    assert ict_finance.other_basis("chained_volume") == "current_prices"
    with pytest.raises(ValueError, match="price_basis must be one of"):
        ict_finance.other_basis("nominal")


def test_paces_use_the_materiality_band():
    # a gap inside the materiality band is "about the same", not "faster"
    assert [ict_finance.pace(g) for g in (0.2, 0.25, 0.26, -0.3)] == ["about the same", "about the same", "faster", "slower"]
    assert ict_finance.pace_counts(pd.Series([0.2, 1.0, -0.1, -0.5])) == {"faster": 1, "about the same": 2, "slower": 1}
    from helpers.questions.ict_finance import findings as q1

    title = q1.line("price_change_title", changes={"J": -50.0, "K": 100.0}, start=2000, end=2010)
    assert title == "Implied UK price: J's fell 50% and K's rose 100%, 2000-2010"
