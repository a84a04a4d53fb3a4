"""Two SIC sections compared (ICT, J, and finance, K, by default): the growth tables behind
notebooks/ict_vs_finance.ipynb, UK and ITL1, on either price basis.

Source: ONS regional GVA (balanced) by industry (``decomposition.panel``: the ITL1 tables of the latest release that
has them on each price basis), GBP million in current prices or chained volume (2019 money value).
"""

from __future__ import annotations

import pandas as pd

from helpers import regions, sic
from helpers.data import indicators
from helpers.data.indicators import with_sources
from helpers.findings.model import BANDS
from helpers.questions.ict_finance.decomposition import PRICE_BASES, geographies, industry_names, panel
from helpers.stats import rates

PACES = ("faster", "about the same", "slower")
SECTIONS = [row.section for row in sic.sic_sections().itertuples()]


def pace(gap_pp: float, band: float = BANDS["growth_gap"]) -> str:
    """'faster', 'about the same' or 'slower' for a CAGR gap (points a year) against the materiality band."""
    return "about the same" if abs(gap_pp) <= band else "faster" if gap_pp > 0 else "slower"


def pace_counts(gaps: pd.Series) -> dict[str, int]:
    """Number of entries of ``gaps`` (points a year) that are faster / about the same / slower."""
    paces = [pace(g) for g in gaps]
    return {p: paces.count(p) for p in PACES}


def other_basis(price_basis: str) -> str:
    """The price basis that is not ``price_basis``."""
    _check_basis(price_basis)
    return next(b for b in PRICE_BASES if b != price_basis)


def _check_basis(price_basis: str) -> None:
    if price_basis not in PRICE_BASES:
        raise ValueError(f"price_basis must be one of {list(PRICE_BASES)}, not {price_basis!r}")


def year_range(price_basis: str = "chained_volume") -> tuple[int, int]:
    """First and last year of the ITL1 GVA tables on ``price_basis`` (the default window is ``window``)."""
    _check_basis(price_basis)
    years = panel(price_basis, ("TOTAL",)).index.get_level_values("year")
    return int(years.min()), int(years.max())


def window(start_year: int | None, end_year: int | None) -> tuple[int, int]:
    """The report's window: the years given, or for those left as None the window growth of GVA by industry is
    measured over everywhere (``indicators.growth_window``: the years both price bases of the newest release with
    both cover; the compare page uses the same)."""
    first, last = indicators.growth_window()
    start, end = start_year or first, end_year or last
    if not first <= start < end <= last:
        raise ValueError(f"years {start}-{end} are outside the data ({first}-{last})")
    return start, end


def sector_series(price_basis: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """GVA of ``sector`` by year (rows) and region code (columns: UK first, then ITL1), GBP million."""
    _check_basis(price_basis)
    values = panel(price_basis, (sector,))[sector].unstack("region_code").loc[start_year:end_year]
    return with_sources(values.reindex(columns=geographies()), panel(price_basis, (sector,)).attrs["source_ids"])


def indexed(price_basis: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """``sector_series`` rebased to ``start_year`` = 100."""
    series = sector_series(price_basis, sector, start_year, end_year)
    return with_sources(series.apply(lambda column: rates.index_to_base(column, start_year)), series.attrs["source_ids"])


def growth_comparison(price_basis: str, sector_a: str, sector_b: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Per region: total growth and CAGR of both sectors (%) and the gap a - b (percentage points of CAGR)."""
    a_series, b_series = (sector_series(price_basis, s, start_year, end_year) for s in (sector_a, sector_b))
    a, b = (rates.growth_table(s, start_year, end_year) for s in (a_series, b_series))
    table = pd.DataFrame({
        "region": [regions.region_name(c) for c in a.index],
        f"{sector_a}_growth_pct": a["growth_pct"], f"{sector_b}_growth_pct": b["growth_pct"],
        f"{sector_a}_cagr_pct": a["cagr_pct"], f"{sector_b}_cagr_pct": b["cagr_pct"]})
    table["cagr_gap_pp"] = table[f"{sector_a}_cagr_pct"] - table[f"{sector_b}_cagr_pct"]
    table.attrs["labels"] = {f"{s}_{m}_pct": f"{s} {w}" for s in (sector_a, sector_b)
                             for m, w in (("growth", "growth, %"), ("cagr", "CAGR, % a year"))}
    table.attrs["labels"]["cagr_gap_pp"] = f"CAGR gap, {sector_a} minus {sector_b}, points a year"
    return with_sources(table, [*a_series.attrs["source_ids"], *b_series.attrs["source_ids"]])


def shares_of_regional_gva(sectors: list[str], year: int) -> pd.DataFrame:
    """Share (%) of each sector in each region's total GVA in ``year``, current prices (CVM does not add up)."""
    values = panel("current_prices", (*sectors, "TOTAL")).xs(year, level="year")
    shares = rates.share(values[sectors], values["TOTAL"].to_numpy()[:, None]).loc[geographies()]
    return with_sources(shares, panel("current_prices", (*sectors, "TOTAL")).attrs["source_ids"])


def division_growth(price_basis: str, sectors: list[str], start_year: int, end_year: int) -> pd.DataFrame:
    """UK CAGR (% a year) of each 2-digit division inside ``sectors`` (e.g. J = 58..63): growth over the window and
    the division's values in its first and last year."""
    section_of = {s: sic.divisions(s) for s in sectors}
    wanted = [d for s in sectors for d in section_of[s]]
    values = panel(price_basis, tuple(wanted)).loc[regions.UK_CODE]
    table = rates.growth_table(values, start_year, end_year)
    table.insert(0, "industry", industry_names(table.index))
    table.insert(0, "section", [next(s for s, ds in section_of.items() if c in ds) for c in table.index])
    unit = "£m, chained volume (2019 money value)" if price_basis == "chained_volume" else "£m, current prices"
    table.attrs["labels"] = {f"value_{y}": f"GVA {y}, {unit}" for y in (start_year, end_year)}
    sources = panel(price_basis, tuple(wanted)).attrs["source_ids"]
    return with_sources(table.sort_values(["section", "cagr_pct"], ascending=[True, False]), sources)


def implied_deflator(sector: str, start_year: int, end_year: int, region: str = regions.UK_CODE) -> pd.Series:
    """Implied price index of ``sector`` (current prices / chained volume, 2019 = 100)."""
    current = sector_series("current_prices", sector, start_year, end_year)
    volume = sector_series("chained_volume", sector, start_year, end_year)
    return with_sources(current[region] / volume[region] * 100,
                        [*current.attrs["source_ids"], *volume.attrs["source_ids"]])


def regional_price_changes(sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Per ITL1 region (and UK): growth of ``sector`` in current prices and chained volume (%) and the change of its
    implied deflator (%), ``start_year`` to ``end_year``. The division deflators are UK-wide, but each region's
    section deflator is weighted by its own mix of divisions, so it differs between regions."""
    growth, sources = {}, []
    for basis in ("current_prices", "chained_volume"):
        s = sector_series(basis, sector, start_year, end_year)
        growth[basis], sources = (s.loc[end_year] / s.loc[start_year] - 1) * 100, [*sources, *s.attrs["source_ids"]]
    out = pd.DataFrame({"nominal_pct": growth["current_prices"], "real_pct": growth["chained_volume"]})
    out["price_change_pct"] = ((1 + out.nominal_pct / 100) / (1 + out.real_pct / 100) - 1) * 100
    return with_sources(out, sources)
