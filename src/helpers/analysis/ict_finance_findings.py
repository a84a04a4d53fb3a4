"""The findings of the ICT-vs-finance report (question 1) that a referee can check: how much of ICT's (SIC J)
real growth is telecoms (61), J excluding telecoms against finance (K) on both price bases and two windows,
the implied deflators, the Main points, the "What holds up" findings and the headline metrics.

Every number comes from ``helpers.analysis.decomposition`` (method and sources there): ONS regional GVA
(balanced) by industry, Apr 2023 ITL1 tables (1998-2021) and the Apr 2024 ITL2 current-price table summed to
ITL1 (to 2022). Method notes cited in the text:

- ONS regional accounts deflate each industry with UK-level industry deflators ("no regional price indices
  are available"; ONS, Regional GVA (production approach) and Regional economic activity by GDP QMI), so a
  region's real growth is its nominal growth and its industry mix, not regional prices.
- The telecoms services deflator: Abdirahman, Coyle, Heys and Stewart, "A comparison of deflators for
  telecommunications services output" (ESCoE DP 2017; Economie et Statistique 517-518-519, 2020) and
  "Telecoms deflators: a story of volume and revenue weights" (ESCoE DP 2020-11); ONS introduced the improved
  deflator in the national accounts with double deflation in Blue Book 2021 ("Double deflation methods and
  deflator improvements to UK National Accounts: Blue Book 2021").
"""

from __future__ import annotations

import pandas as pd

from helpers import regions, sic
from helpers.analysis import decomposition

RECENT_WINDOW = (2016, 2021)
LATEST_END = 2022  # current prices only: Apr 2024 ITL2 table summed to ITL1
J, K, TELECOMS = sic.ICT_SECTION, sic.FINANCE_SECTION, decomposition.TELECOMS
BASES = ("chained_volume", "current_prices")
BASIS_WORDS = {"chained_volume": "chained volume", "current_prices": "current prices"}
SERIES = {"j": "j_cagr_pct", "j_excl_61": "j_excl_61_cagr_pct", "k": "k_cagr_pct"}
DEFLATOR_METHOD = (
    "ONS regional accounts deflate every region's industries with the same UK-level industry deflators (there are "
    "no regional price indices), so regional real growth is nominal growth plus industry mix. The telecoms "
    "services deflator was rebuilt after ESCoE research (Abdirahman, Coyle, Heys and Stewart, 2017 and 2020) and "
    "introduced with double deflation in Blue Book 2021.")


def evidence(start_year: int, end_year: int) -> dict:
    """Every table the findings use, for the report window and ``RECENT_WINDOW`` (each carries source ids)."""
    windows = tuple(dict.fromkeys([(start_year, end_year), RECENT_WINDOW]))
    comparison = decomposition.growth_comparison(windows, include_2022=True)
    real = {w: decomposition.cumulative_contributions(J, *w) for w in windows}
    return {"start_year": start_year, "end_year": end_year, "comparison": comparison,
            "counts": decomposition.outgrowth_counts(comparison), "real": real[(start_year, end_year)],
            "real_recent": real[RECENT_WINDOW], "nominal": decomposition.nominal_contributions(J, start_year, end_year),
            "deflators": decomposition.implied_deflators([J, K, TELECOMS], start_year, end_year),
            "reconciliation": decomposition.reconciliation(J),
            "non_additivity": decomposition.non_additivity(J, start_year)}


def _row(comparison: pd.DataFrame, price_basis: str, start: int, end: int, region: str) -> pd.Series:
    rows = comparison[(comparison.price_basis == price_basis) & (comparison.start_year == start)
                      & (comparison.end_year == end) & (comparison.region_code == region)]
    if len(rows) != 1:
        raise KeyError(f"no single {price_basis} row for {region}, {start}-{end}")
    return rows.iloc[0]


def cagr(ev: dict, series: str, price_basis: str, start: int, end: int, region: str = regions.UK_CODE) -> float:
    """CAGR (% a year) of ``series`` ("j", "j_excl_61" or "k") from ``evidence``."""
    return float(_row(ev["comparison"], price_basis, start, end, region)[SERIES[series]])


def gap(ev: dict, series: str, price_basis: str, start: int, end: int, region: str = regions.UK_CODE) -> float:
    """CAGR of ``series`` ("j" or "j_excl_61") minus CAGR of K, percentage points a year."""
    return cagr(ev, series, price_basis, start, end, region) - cagr(ev, "k", price_basis, start, end, region)


def regions_ahead(ev: dict, series: str, price_basis: str, start: int, end: int) -> int:
    """Number of the 12 ITL1 regions where ``series`` ("j" or "j_excl_61") grew faster than K."""
    counts = ev["counts"]
    row = counts[(counts.price_basis == price_basis) & (counts.start_year == start) & (counts.end_year == end)]
    return int(row[f"{series}_outgrew_k"].iloc[0])


def j_excl_61_vs_k_gap(start_year: int, end_year: int, price_basis: str = "chained_volume",
                       region: str = regions.UK_CODE) -> float:
    """For claim checks: CAGR of J excluding telecoms (61) minus CAGR of K (percentage points a year) in
    ``region`` over ``start_year``-``end_year`` on ``price_basis`` (Apr 2023 ITL1 tables; with ``end_year`` 2022,
    current prices only, from the Apr 2024 ITL2 table summed to ITL1)."""
    if end_year == LATEST_END:
        if price_basis != "current_prices":
            raise ValueError(f"{LATEST_END} is published in current prices only (Apr 2024 ITL2 table)")
        comparison = decomposition.growth_comparison(((start_year, end_year - 1),), include_2022=True)
    else:
        comparison = decomposition.growth_comparison(((start_year, end_year),), include_2022=False)
    row = _row(comparison, price_basis, start_year, end_year, region)
    return float(row.j_excl_61_cagr_pct - row.k_cagr_pct)


def telecoms_share(ev: dict, real: str = "real", region: str = regions.UK_CODE) -> float:
    """Telecoms' share (%) of J's chained-volume growth (``real`` = "real" or "real_recent") or, with
    ``real`` = "nominal", of its current-price growth, in ``region``."""
    table = ev[real]
    return float(table[(table.region_code == region) & (table.industry_code == TELECOMS)].share_pct.iloc[0])


def shares_by_division(ev: dict, real: str = "real", named: bool = False) -> pd.DataFrame:
    """Region (UK first) x division: share (%) of J's growth over the window, from ``ev[real]``; ``named``
    labels the columns '61 Telecommunications' etc. and adds the section's growth (%) as a last column."""
    table = ev[real]
    wide = table.pivot(index="region_code", columns="industry_code", values="share_pct")
    out = wide.loc[decomposition.geographies()]
    if named:
        out.columns = [f"{name}, % of J's growth" for name in division_names(out.columns)]
        growth = "section_growth_rebuilt_pct" if "section_growth_rebuilt_pct" in table else "section_growth_pct"
        out["J's growth over the window, %"] = table.groupby("region_code")[growth].first()
    out.attrs["source_ids"] = table.attrs["source_ids"]
    return out


def max_reconstruction_error(ev: dict, region: str = regions.UK_CODE) -> float:
    """Largest |published - rebuilt from divisions| annual J chained-volume growth, percentage points."""
    table = ev["reconciliation"]
    return float(table[table.region_code == region].non_additivity_pp.abs().max())


def deflator_sentence(ev: dict) -> str:
    """J's, telecoms' and K's implied price changes over the window in words (direction from the data)."""
    d = ev["deflators"]
    start, end = ev["start_year"], ev["end_year"]

    def moved(code: str) -> str:
        change = d.loc[code, "change_pct"]
        return f"{'fell' if change < 0 else 'rose'} by {abs(change):.0f}% ({d.loc[code, 'start']:.0f} to {d.loc[code, 'end']:.0f})"

    return (f"Between {start} and {end} the implied price of J's output (current prices / chained volume, "
            f"2019 = 100) {moved(J)}, that of telecoms (61) {moved(TELECOMS)}, and that of K {moved(K)}.")


def non_additivity_sentence(ev: dict) -> str:
    """How far J's chained-volume divisions are from adding up to J in the start year (UK)."""
    n = ev["non_additivity"]
    return (f"Chained-volume divisions do not add up to their section: in {n['year']} the UK's J divisions sum to "
            f"£{n['sum_of_divisions']:,.0f}m against £{n['section_value']:,.0f}m for J ({n['gap_pct']:+.0f}%); "
            "they add up only in the reference year 2019 and after. Compare growth rates, not levels, across "
            "divisions; shares and sums use current prices.")


def comparison_table(ev: dict, start: int, end: int) -> pd.DataFrame:
    """Region (UK first) x CAGR (% a year) of J, J excl. 61 and K on both price bases over ``start``-``end``,
    and in current prices to 2022 (Apr 2024 release), with column labels in words."""
    c = ev["comparison"]
    parts = {}
    for basis, last in [("chained_volume", end), ("current_prices", end), ("current_prices", LATEST_END)]:
        rows = c[(c.price_basis == basis) & (c.start_year == start) & (c.end_year == last)].set_index("region_code")
        label = f"{BASIS_WORDS[basis]}, {start}-{last}"
        for series, column in SERIES.items():
            name = {"j": "J", "j_excl_61": "J excl. 61", "k": "K"}[series]
            parts[f"{name}, {label}, % a year"] = rows[column]
    out = pd.DataFrame(parts).loc[decomposition.geographies()]
    out.attrs["source_ids"] = c.attrs["source_ids"]
    return out


def division_names(codes) -> list[str]:
    """'61 Telecommunications'-style labels for division codes (names as ONS publishes them)."""
    gva = decomposition.load("gva_by_industry")
    names = gva.drop_duplicates("industry_code").set_index("industry_code").industry_name
    return [f"{code} {names[code]}" for code in codes]


def contributions_title(ev: dict) -> str:
    """Title of the contributions chart: telecoms' share of J's real and of its nominal growth (UK)."""
    return (f"Telecoms (61) is {telecoms_share(ev):.0f}% of J's real growth but {telecoms_share(ev, 'nominal'):.0f}% "
            f"of its nominal growth (UK, {ev['start_year']}-{ev['end_year']})")
