"""Contributions to chained-volume growth by division (helpers.questions.ict_finance.decomposition).

The expected side is computed here from the raw ONS CSV files with pandas alone, never with the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO

J_DIVISIONS = ["58", "59", "60", "61", "62", "63"]
BASE_YEAR = 2019  # Apr 2023 tables: 2020 and 2021 are valued at 2019 prices


def _raw(source_id: str) -> pd.DataFrame:
    """A raw ITL1 table as region x SIC code (index) by year (columns), GBP million."""
    manifest = yaml.safe_load((REPO / "data" / "sources.yml").read_text())["sources"]
    path = REPO / "data" / "raw" / next(s["path"] for s in manifest if s["id"] == source_id)
    frame = pd.read_csv(path, dtype=str)
    frame["code"] = frame["SIC07 code"].str.split(" ").str[0]
    frame = frame.set_index(["ITL region code", "code"])
    years = [c for c in frame.columns if c.isdigit()]
    return frame[years].apply(lambda col: pd.to_numeric(col.str.replace(",", ""), errors="coerce")).rename(columns=int)


@pytest.fixture(scope="module")
def raw_tables(real_data):
    return _raw("gva_itl1_cp_2023"), _raw("gva_itl1_cvm_2023")


def _expected_growth(cp: pd.DataFrame, cvm: pd.DataFrame, region: str) -> tuple[pd.Series, pd.Series]:
    """(rebuilt J growth from its divisions, published J growth), % by year, from the raw tables."""
    c, v = cp.loc[region], cvm.loc[region]
    rebuilt, published = {}, {}
    for year in range(1999, 2022):
        prev = year - 1
        if prev <= BASE_YEAR:  # previous-year current-price weights, within published J
            weights = c.loc[J_DIVISIONS, prev] / c.loc["J", prev]
        else:  # volumes at base-year prices
            at_base = v.loc[J_DIVISIONS, prev] * c.loc[J_DIVISIONS, BASE_YEAR] / v.loc[J_DIVISIONS, BASE_YEAR]
            weights = at_base / at_base.sum()
        rebuilt[year] = float((weights * (v.loc[J_DIVISIONS, year] / v.loc[J_DIVISIONS, prev] - 1)).sum() * 100)
        published[year] = float((v.loc["J", year] / v.loc["J", prev] - 1) * 100)
    return pd.Series(rebuilt), pd.Series(published)


def test_uk_j_growth_rebuilt_from_divisions_matches_published(raw_tables):
    cp, cvm = raw_tables
    rebuilt, published = _expected_growth(cp, cvm, "UK")
    assert (rebuilt - published).abs().max() < 0.05


def test_reconciliation_matches_raw_files(raw_tables):
    from helpers.questions.ict_finance import decomposition

    cp, cvm = raw_tables
    table = decomposition.reconciliation("J")
    assert table.attrs["source_ids"] == ["gva_itl1_cp_2023", "gva_itl1_cvm_2023"]
    uk = table[table.region_code == "UK"].set_index("year")
    assert uk.non_additivity_pp.abs().max() < 0.05
    errors = {}
    for region in ["UK", *[f"TL{c}" for c in "CDEFGHIJKLMN"]]:
        rebuilt, published = _expected_growth(cp, cvm, region)
        mine = table[table.region_code == region].set_index("year")
        np.testing.assert_allclose(mine.sum_of_contributions_pp, rebuilt.loc[mine.index], atol=1e-9)
        np.testing.assert_allclose(mine.published_growth_pct, published.loc[mine.index], atol=1e-9)
        errors[region] = float((rebuilt - published).abs().max())
    print("max |published - rebuilt| J growth by region (pp):", {k: round(v, 3) for k, v in errors.items()})


def test_contributions_weights_and_telecoms_share(real_data):
    from helpers.questions.ict_finance import decomposition

    contrib = decomposition.contributions("J")
    uk = contrib[contrib.region_code == "UK"]
    weights = uk[uk.year <= 2020].groupby("year").weight_pct.sum()
    assert ((weights - 100).abs() < 0.1).all()  # divisions add up to J in current prices (rounding)
    shares = decomposition.cumulative_contributions("J", 1998, 2021)
    assert np.allclose(shares.groupby("region_code").share_pct.sum(), 100)
    uk_shares = shares[shares.region_code == "UK"].iloc[0]
    assert abs(uk_shares.section_growth_rebuilt_pct - uk_shares.section_growth_published_pct) < 1.0
    tel = decomposition.telecoms_share(1998, 2021)
    assert list(tel.industry_code.unique()) == ["61"] and len(tel) == 13


def test_j_excluding_telecoms_index_and_comparison(real_data, raw_tables):
    from helpers.questions.ict_finance import decomposition

    cp, cvm = raw_tables
    index = decomposition.chain_linked_index("J", ("61",), 2016, 2021)
    uk = index[index.region_code == "UK"].set_index("year")
    assert uk.loc[2016, "index"] == 100
    # growth 2016->2017 from the raw files: previous-year current-price weights within J excl. 61
    others = [d for d in J_DIVISIONS if d != "61"]
    w = cp.loc["UK"].loc[others, 2016] / cp.loc["UK"].loc[others, 2016].sum()
    expected = float((w * (cvm.loc["UK"].loc[others, 2017] / cvm.loc["UK"].loc[others, 2016] - 1)).sum() * 100)
    assert uk.loc[2017, "growth_pct"] == pytest.approx(expected, abs=1e-9)

    table = decomposition.growth_comparison(((1998, 2021), (2016, 2021)), "current_prices")
    assert table.attrs["source_ids"] == ["gva_itl1_cp_2023"] and set(table.release) == {"2023-04-25"}
    cp_uk = table[(table.region_code == "UK") & (table.start_year == 1998)]
    j = cp.loc[("UK", "J")]
    assert cp_uk.j_cagr_pct.iloc[0] == pytest.approx(((j[2021] / j[1998]) ** (1 / 23) - 1) * 100)
    assert len(table) == 2 * 13  # two windows, the UK and 12 regions
    latest = decomposition.growth_comparison(((1998, 2022),), "current_prices", "2024-04-24")
    assert latest.attrs["source_ids"] == ["gva_itl2_cp_2024"] and set(latest.release) == {"2024-04-24"}
