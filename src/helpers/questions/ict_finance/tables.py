"""ICT (SIC J) versus finance (SIC K): the tables behind notebooks/ict_vs_finance.ipynb.

Source: ONS regional GVA (balanced) by industry, Apr 2023 release (dataset ``gva_by_industry``), ITL1,
GBP million in current prices or chained volume (2019 money value).
"""

from __future__ import annotations

import pandas as pd

from helpers import regions, sic
from helpers.data.datasets import load
from helpers.data.indicators import GVA_CVM_SOURCES, GVA_SOURCES, with_sources, year_by_region
from helpers.data.memo import memoized
from helpers.stats import rates

PRICE_BASES = {"chained_volume": GVA_CVM_SOURCES["ITL1"], "current_prices": GVA_SOURCES["ITL1"]}
PRICE_BASIS_LABELS = {"chained_volume": "chained volume (2019 money value)", "current_prices": "current prices"}
# Materiality band: two growth rates within (<=) 0.25 percentage points a year of each other are "about the same"
# (about 6% over 23 years, and near the size of one release's revision to a sector's growth); "outgrew"
# needs a gap above the band.
MATERIAL_PP = 0.25
PACES = ("faster", "about the same", "slower")


def pace(gap_pp: float, band: float = MATERIAL_PP) -> str:
    """'faster', 'about the same' or 'slower' for a CAGR gap (points a year) against the materiality band."""
    return "about the same" if abs(gap_pp) <= band else "faster" if gap_pp > 0 else "slower"


def pace_counts(gaps: pd.Series, band: float = MATERIAL_PP) -> dict[str, int]:
    """Number of entries of ``gaps`` (points a year) that are faster / about the same / slower."""
    paces = [pace(g, band) for g in gaps]
    return {p: paces.count(p) for p in PACES}


def pace_text(counts: dict[str, int]) -> str:
    """'faster in 4, about the same in 2 and slower in 6 of 12'."""
    return (f"faster in {counts['faster']}, about the same in {counts['about the same']} and slower in "
            f"{counts['slower']} of {sum(counts.values())}")


def geographies() -> list[str]:
    """The UK and the 12 ITL1 regions (registry order): the columns of every table here."""
    return [regions.UK_CODE, *regions.codes("ITL1")]


def other_basis(price_basis: str) -> str:
    """The price basis that is not ``price_basis``."""
    _check_basis(price_basis)
    return next(b for b in PRICE_BASES if b != price_basis)


def _check_basis(price_basis: str) -> None:
    if price_basis not in PRICE_BASES:
        raise ValueError(f"price_basis must be one of {list(PRICE_BASES)}, not {price_basis!r}")


def year_range(price_basis: str = "chained_volume") -> tuple[int, int]:
    """First and last year of the ITL1 GVA series on ``price_basis`` (the default period of every comparison)."""
    years = itl1_gva(price_basis)["year"].dropna()
    return int(years.min()), int(years.max())


@memoized
def itl1_gva(price_basis: str) -> pd.DataFrame:
    """ITL1 and UK GVA by industry (tidy rows) for one price basis, Apr 2023 release, GBP million."""
    _check_basis(price_basis)
    gva = load("gva_by_industry")
    return gva[(gva.source_id == PRICE_BASES[price_basis]) & gva.region_code.isin(geographies())]


def sector_series(price_basis: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """GVA of ``sector`` by year (rows) and region code (columns), GBP million."""
    gva = itl1_gva(price_basis)
    rows = gva[(gva.industry_code == sector) & gva.year.between(start_year, end_year)]
    if rows.empty:
        raise ValueError(f"no GVA rows for industry {sector!r} ({price_basis}, {start_year}-{end_year})")
    return year_by_region(rows, columns=geographies())


def indexed(price_basis: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """``sector_series`` rebased to ``start_year`` = 100."""
    series = sector_series(price_basis, sector, start_year, end_year)
    return with_sources(series.apply(lambda column: rates.index_to_base(column, start_year)), [PRICE_BASES[price_basis]])


def growth_comparison(price_basis: str, sector_a: str, sector_b: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Per region: total growth and CAGR of both sectors (%) and the gap a - b (percentage points of CAGR)."""
    a = rates.growth_table(sector_series(price_basis, sector_a, start_year, end_year), start_year, end_year)
    b = rates.growth_table(sector_series(price_basis, sector_b, start_year, end_year), start_year, end_year)
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
    table.attrs["labels"] = {f"{s}_{m}_pct": f"{s} {w}" for s in (sector_a, sector_b)
                             for m, w in (("growth", "growth, %"), ("cagr", "CAGR, % a year"))}
    table.attrs["labels"]["cagr_gap_pp"] = f"CAGR gap, {sector_a} minus {sector_b}, points a year"
    return with_sources(table, [PRICE_BASES[price_basis]])


def shares_of_regional_gva(sectors: list[str], year: int) -> pd.DataFrame:
    """Share (%) of each sector in each region's total GVA in ``year``, current prices (CVM does not add up)."""
    gva = itl1_gva("current_prices")
    gva = gva[gva.year == year].pivot(index="region_code", columns="industry_code", values="value")
    shares = rates.share(gva[sectors], gva["TOTAL"].to_numpy()[:, None]).loc[geographies()]
    return with_sources(shares, [PRICE_BASES["current_prices"]])


def division_growth(price_basis: str, sectors: list[str], start_year: int, end_year: int) -> pd.DataFrame:
    """UK CAGR (% a year) of each 2-digit division inside ``sectors`` (e.g. J = 58..63)."""
    gva = itl1_gva(price_basis)
    uk = gva[(gva.region_code == regions.UK_CODE) & (gva.industry_level == "division") & gva.year.isin([start_year, end_year])]
    section_of = section_divisions()
    wanted = [d for s in sectors for d in section_of.get(s, [])]
    uk = uk[uk.industry_code.isin(wanted)]
    wide = uk.pivot(index="year", columns="industry_code", values="value")
    names = uk.drop_duplicates("industry_code").set_index("industry_code")["industry_name"]
    table = rates.growth_table(wide, start_year, end_year)
    table.insert(0, "industry", names)
    table.insert(0, "section", [next(s for s, ds in section_of.items() if c in ds) for c in table.index])
    unit = "£m, chained volume (2019 money value)" if price_basis == "chained_volume" else "£m, current prices"
    table.attrs["labels"] = {f"value_{y}": f"GVA {y}, {unit}" for y in (start_year, end_year)}
    return with_sources(table.sort_values(["section", "cagr_pct"], ascending=[True, False]), [PRICE_BASES[price_basis]])


def section_divisions() -> dict[str, list[str]]:
    """The 2-digit divisions ONS publishes at ITL1 for ICT (J: 58-63) and finance (K: 64-66); see ``helpers.sic``."""
    return sic.section_divisions()


def implied_deflator(sector: str, start_year: int, end_year: int, region: str = "UK") -> pd.Series:
    """Implied price index of ``sector`` (current prices / chained volume, 2019 = 100)."""
    current = sector_series("current_prices", sector, start_year, end_year)[region]
    volume = sector_series("chained_volume", sector, start_year, end_year)[region]
    return with_sources(current / volume * 100, PRICE_BASES.values())


def headlines(growth: pd.DataFrame, shares_end: pd.DataFrame, price_basis: str, sector_a: str, sector_b: str,
              start_year: int, end_year: int) -> list[tuple]:
    """The report's headline figures as ``(metric_id, value, unit, description, source_ids)`` for ``record_metric``:
    UK CAGR of both sectors and their gap, regions where ``sector_a`` grew faster, both sectors' UK shares."""
    basis, uk, sources = PRICE_BASIS_LABELS[price_basis], growth.loc[regions.UK_CODE], growth.attrs["source_ids"]
    ahead = pace_counts(growth.drop(index=regions.UK_CODE)["cagr_gap_pp"])["faster"]
    period = f"{start_year}-{end_year}"
    return [
        (f"uk_{sector_a}_cagr_{price_basis}", uk[f"{sector_a}_cagr_pct"], "% a year",
         f"UK GVA growth of {sector_a}, {period}, {basis}", sources),
        (f"uk_{sector_b}_cagr_{price_basis}", uk[f"{sector_b}_cagr_pct"], "% a year",
         f"UK GVA growth of {sector_b}, {period}, {basis}", sources),
        (f"uk_cagr_gap_{price_basis}", uk["cagr_gap_pp"], "percentage points a year",
         f"UK CAGR of {sector_a} minus {sector_b}, {period}, {basis}", sources),
        (f"regions_{sector_a}_faster_{price_basis}", ahead, f"regions of {len(growth) - 1}",
         f"ITL1 regions where {sector_a} grew faster than {sector_b} by more than {MATERIAL_PP} points a year, "
         f"{period}, {basis}", sources),
        *[(f"uk_{s}_share_{end_year}", shares_end.loc[regions.UK_CODE, s], "% of GVA",
           f"{s} share of UK GVA in {end_year}, current prices", shares_end.attrs["source_ids"]) for s in (sector_a, sector_b)],
    ]


def summary_sentence(growth: pd.DataFrame, price_basis: str, sector_a: str, sector_b: str, start_year: int,
                     end_year: int) -> str:
    """The UK comparison and the count of regions where ``sector_a`` grew faster, as one sentence."""
    uk = growth.loc[regions.UK_CODE]
    counts = pace_counts(growth.drop(index=regions.UK_CODE)["cagr_gap_pp"])
    return (f"UK, {PRICE_BASIS_LABELS[price_basis]}, {start_year}-{end_year}: {sector_a} grew "
            f"{uk[f'{sector_a}_cagr_pct']:.1f}% a year and {sector_b} {uk[f'{sector_b}_cagr_pct']:.1f}% a year (gap "
            f"{uk['cagr_gap_pp']:+.1f} points a year, {pace(uk['cagr_gap_pp'])}); across the ITL1 regions {sector_a} grew "
            f"{pace_text(counts)} (within ±{MATERIAL_PP} points a year counts as about the same).")


def price_change_title(deflators: dict[str, pd.Series]) -> str:
    """Chart title stating how each sector's implied price moved between the first and last year (direction
    and size computed: 'fell 70%' or 'rose 90%')."""
    parts = []
    for sector, series in deflators.items():
        change = (series.iloc[-1] / series.iloc[0] - 1) * 100
        parts.append(f"{sector}'s {'fell' if change < 0 else 'rose'} {abs(change):.0f}%")
    first, last = next(iter(deflators.values())).index[[0, -1]]
    return f"Implied UK price: {' and '.join(parts)}, {first}-{last}"


SECTOR_NAMES = {"J": "ICT (J)", "K": "Finance (K)"}


def sector_label(code: str) -> str:
    """A section code in words for legends and titles: 'ICT (J)', 'Finance (K)'."""
    return SECTOR_NAMES.get(code, code)


def regional_price_changes(sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Per ITL1 region (and UK): growth of ``sector`` in current prices and chained volume (%) and the change of its
    implied deflator (%), ``start_year`` to ``end_year``. The division deflators are UK-wide, but each region's
    section deflator is weighted by its own mix of divisions, so it differs between regions."""
    growth = {}
    for basis in ("current_prices", "chained_volume"):
        s = sector_series(basis, sector, start_year, end_year)
        growth[basis] = (s.loc[end_year] / s.loc[start_year] - 1) * 100
    out = pd.DataFrame({"nominal_pct": growth["current_prices"], "real_pct": growth["chained_volume"]})
    out["price_change_pct"] = ((1 + out.nominal_pct / 100) / (1 + out.real_pct / 100) - 1) * 100
    return with_sources(out, PRICE_BASES.values())


def regional_price_sentence(sector: str, start_year: int, end_year: int) -> str:
    """Which region's implied ``sector`` price fell most and least (with nominal and real growth), in words."""
    t = regional_price_changes(sector, start_year, end_year).drop(index=regions.UK_CODE, errors="ignore")
    said = lambda c: (f"{'fell' if t.loc[c, 'price_change_pct'] < 0 else 'rose'} {abs(t.loc[c, 'price_change_pct']):.0f}% "  # noqa: E731
                      f"in {regions.region_name(c)} (nominal {t.loc[c, 'nominal_pct']:+,.0f}%, real {t.loc[c, 'real_pct']:+,.0f}%)")
    low, high = t.price_change_pct.idxmin(), t.price_change_pct.idxmax()
    return (f"ONS deflates each division with the same UK-wide deflator in every region, but a region's implied "
            f"{sector_label(sector)} deflator weights those division deflators by its own mix of divisions, so the "
            f"price effect differs by region: between {start_year} and {end_year} the implied {sector_label(sector)} price "
            f"{said(low)}, but {said(high)}. The more of a region's {sector_label(sector)} is telecoms, the larger the price effect.")
