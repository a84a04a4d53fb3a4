"""ICT (SIC J) versus finance (SIC K): the tables behind notebooks/ict_vs_finance.ipynb.

Source: ONS regional GVA (balanced) by industry, Apr 2023 release (dataset ``gva_by_industry``), ITL1,
GBP million in current prices or chained volume (2019 money value).
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import statistics

from helpers import regions
from helpers.pipeline.datasets import load

PRICE_BASES = {"chained_volume": "gva_itl1_cvm_2023", "current_prices": "gva_itl1_cp_2023"}
PRICE_BASIS_LABELS = {"chained_volume": "chained volume (2019 money value)", "current_prices": "current prices"}
GEOGRAPHIES = ["UK", *[f"TL{c}" for c in "CDEFGHIJKLMN"]]


def itl1_gva(price_basis: str) -> pd.DataFrame:
    """ITL1 and UK GVA by industry (tidy rows) for one price basis, Apr 2023 release, GBP million."""
    if price_basis not in PRICE_BASES:
        raise ValueError(f"price_basis must be one of {list(PRICE_BASES)}, not {price_basis!r}")
    gva = load("gva_by_industry")
    return gva[(gva.source_id == PRICE_BASES[price_basis]) & gva.region_code.isin(GEOGRAPHIES)]


def sector_series(price_basis: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """GVA of ``sector`` by year (rows) and region code (columns), GBP million."""
    gva = itl1_gva(price_basis)
    rows = gva[(gva.industry_code == sector) & gva.year.between(start_year, end_year)]
    if rows.empty:
        raise ValueError(f"no GVA rows for industry {sector!r} ({price_basis}, {start_year}-{end_year})")
    return rows.pivot(index="year", columns="region_code", values="value")[GEOGRAPHIES]


def indexed(price_basis: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """``sector_series`` rebased to ``start_year`` = 100."""
    series = sector_series(price_basis, sector, start_year, end_year)
    return series.apply(lambda column: statistics.index_to_base(column, start_year))


def growth_comparison(price_basis: str, sector_a: str, sector_b: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Per region: total growth and CAGR of both sectors (%) and the gap a - b (percentage points of CAGR)."""
    a = statistics.growth_table(sector_series(price_basis, sector_a, start_year, end_year), start_year, end_year)
    b = statistics.growth_table(sector_series(price_basis, sector_b, start_year, end_year), start_year, end_year)
    table = pd.DataFrame(
        {
            "region": [regions.region_name(c) for c in a.index],
            f"{sector_a}_growth_pct": a["growth_pct"],
            f"{sector_b}_growth_pct": b["growth_pct"],
            f"{sector_a}_cagr_pct": a["cagr_pct"],
            f"{sector_b}_cagr_pct": b["cagr_pct"],
        }
    )
    table["cagr_gap_pp"] = table[f"{sector_a}_cagr_pct"] - table[f"{sector_b}_cagr_pct"]
    return table


def shares_of_regional_gva(sectors: list[str], year: int) -> pd.DataFrame:
    """Share (%) of each sector in each region's total GVA in ``year``, current prices (CVM does not add up)."""
    gva = itl1_gva("current_prices")
    gva = gva[gva.year == year].pivot(index="region_code", columns="industry_code", values="value")
    return statistics.share(gva[sectors], gva["TOTAL"].to_numpy()[:, None]).loc[GEOGRAPHIES]


def division_growth(price_basis: str, sectors: list[str], start_year: int, end_year: int) -> pd.DataFrame:
    """UK CAGR (% a year) of each 2-digit division inside ``sectors`` (e.g. J = 58..63)."""
    gva = itl1_gva(price_basis)
    uk = gva[(gva.region_code == "UK") & (gva.industry_level == "division") & gva.year.isin([start_year, end_year])]
    section_of = section_divisions()
    wanted = [d for s in sectors for d in section_of.get(s, [])]
    uk = uk[uk.industry_code.isin(wanted)]
    wide = uk.pivot(index="year", columns="industry_code", values="value")
    names = uk.drop_duplicates("industry_code").set_index("industry_code")["industry_name"]
    table = statistics.growth_table(wide, start_year, end_year)
    table.insert(0, "industry", names)
    table.insert(0, "section", [next(s for s, ds in section_of.items() if c in ds) for c in table.index])
    return table.sort_values(["section", "cagr_pct"], ascending=[True, False])


def section_divisions() -> dict[str, list[str]]:
    """The 2-digit divisions ONS publishes at ITL1 for ICT (J: 58-63) and finance (K: 64-66)."""
    ranges = {"J": (58, 63), "K": (64, 66)}
    return {s: [f"{d:02d}" for d in range(lo, hi + 1)] for s, (lo, hi) in ranges.items()}


def implied_deflator(sector: str, start_year: int, end_year: int, region: str = "UK") -> pd.Series:
    """Implied price index of ``sector`` (current prices / chained volume, 2019 = 100)."""
    current = sector_series("current_prices", sector, start_year, end_year)[region]
    volume = sector_series("chained_volume", sector, start_year, end_year)[region]
    return current / volume * 100
