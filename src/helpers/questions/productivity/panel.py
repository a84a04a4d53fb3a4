"""The areas of question 3 and what is measured on them: real productivity growth, split into ICT's own contribution
and the growth of the rest of the area's economy; start-year ICT and finance shares; log start-year productivity;
neighbours' values (``helpers.data.adjacency``).

Sources: ONS *Subregional productivity* (``labour_productivity``: GVA per hour worked or per filled job, current-price
levels and chained-volume indices, ITL1 to ITL3); ONS *Regional GVA (balanced) by industry* (``gva_by_industry``): ICT
(SIC J), finance (K) and all industries at ITL2 and ITL3, current prices and chained volume, from the release that has
chained-volume tables at the level (real output at ITL3 exists only in the April 2023 release), and the latest
release's current prices for the vintage check. Every table carries the source ids of its rows.

One price basis: growth is real (chained volume) throughout; shares and the initial level are current-price ratios
and levels of one year, the only ones comparable across areas in a cross-section.

ICT's own contribution follows ONS annual chain-linking: in year t it is J's real growth times J's share of the area's
GVA in t - 1 (current prices up to the reference year of the chained-volume tables, the year in which both price bases
coincide, and volumes at its prices after it). Taking it out of the area's real GVA growth every year gives the GVA of
the rest, Y_rest,t = Y_rest,t-1 x (1 + g_t - c_t), and, hours unchanged, the productivity of the rest = productivity x
Y_rest / Y. ICT's contribution to productivity growth is productivity growth minus the growth of the rest (so the two
add up exactly, whatever the growth method).

Growth methods (% a year, applied to a year x area table of levels): ``cagr`` between the endpoint years; ``trend``,
the OLS slope of ln(level) on year x 100 (log points a year); ``smoothed``, the CAGR between 3-year averages that start
and end at the endpoints, which damps one odd endpoint year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions
from helpers.data import adjacency
from helpers.data.indicators import gva, gva_rows, productivity, with_sources
from helpers.data.memo import memoized

GROWTH_METHODS = ("cagr", "trend", "smoothed")
SMOOTHING_YEARS = 3
LEVELS = ("ITL2", "ITL3")


def _check(name: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, not {value!r}")


def trend_growth(series: pd.Series) -> float:
    """Log-linear trend growth of a year-indexed positive series: OLS slope of ln(value) on year x 100."""
    series = series.dropna()
    if len(series) < 2 or (series <= 0).any():
        return float("nan")
    return float(np.polyfit(np.asarray(series.index, dtype=float), np.log(series.to_numpy(dtype=float)), 1)[0] * 100)


def growth(levels: pd.DataFrame, start_year: int, end_year: int, method: str = "cagr") -> pd.Series:
    """Growth (% a year) of each column of a year x area table of levels between two years (module doc)."""
    _check("method", method, GROWTH_METHODS)
    first, last = int(levels.index.min()), int(levels.index.max())
    span = SMOOTHING_YEARS if method == "smoothed" else 1
    if not (first <= start_year and end_year <= last and end_year - start_year >= span):
        raise ValueError(f"years {start_year}-{end_year} do not fit the data ({first}-{last}) for {method} growth")
    window = levels.loc[start_year:end_year]
    if method == "trend":
        return window.apply(trend_growth)
    if method == "smoothed":
        start, end = window.iloc[:SMOOTHING_YEARS].mean(), window.iloc[-SMOOTHING_YEARS:].mean()
        years = end_year - start_year - (SMOOTHING_YEARS - 1)
    else:
        start, end, years = window.loc[start_year], window.loc[end_year], end_year - start_year
    return ((end / start) ** (1 / years) - 1) * 100


def real_release(level: str) -> str:
    """The release of the chained-volume GVA tables at ``level`` (the latest that has them)."""
    rows = gva_rows("chained_volume")
    return str(rows.loc[rows.geography_level == level, "release"].max())


def window(start_year: int | None, end_year: int | None, measure: str, level: str) -> tuple[int, int]:
    """The years given, or for those left as None the span in which real productivity and real GVA by industry
    both exist at ``level``."""
    _check("level", level, LEVELS)
    years = productivity(measure, level, "real_index").index
    real = gva("TOTAL", level, basis="chained_volume").index
    first, last = max(int(years.min()), int(real.min())), min(int(years.max()), int(real.max()))
    start, end = start_year or first, end_year or last
    if not first <= start < end <= last:
        raise ValueError(f"years {start}-{end} are outside the data ({first}-{last}); choose {first} <= start_year "
                         f"< end_year <= {last}, or leave them as None")
    return start, end


@memoized
def ict_contribution(level: str) -> dict:
    """ICT's (J's) contribution to each area's real GVA growth (module doc): ``contribution`` (year x area,
    percentage points of growth from the year before), ``total_growth`` (year x area, the area's real GVA growth, %)
    and ``reference_year`` (of the chained-volume tables); both tables carry the source ids of their rows."""
    release = real_release(level)
    j_cp, total_cp = gva("J", level, release), gva("TOTAL", level, release)
    j_cv, total_cv = gva("J", level, basis="chained_volume"), gva("TOTAL", level, basis="chained_volume")
    years = j_cv.index.intersection(total_cp.index)
    reference = int((np.log(total_cv.loc[years] / total_cp.loc[years]).abs().mean(axis=1)).idxmin())
    share = (j_cp / total_cp).loc[years]
    later = share.index > reference
    share.loc[later] = (j_cv / total_cv).loc[years][later]
    sources = [*j_cp.attrs["source_ids"], *total_cp.attrs["source_ids"], *j_cv.attrs["source_ids"],
               *total_cv.attrs["source_ids"]]
    contribution = (share.shift(1) * (j_cv / j_cv.shift(1) - 1).loc[years] * 100).iloc[1:]
    total = ((total_cv / total_cv.shift(1) - 1) * 100).loc[contribution.index]
    return {"contribution": with_sources(contribution, sources), "total_growth": with_sources(total, sources),
            "reference_year": reference}


@memoized
def levels(measure: str, level: str, rest: bool = False) -> pd.DataFrame:
    """Year x area real productivity (chained-volume index), or with ``rest`` the productivity of the rest of the
    area's economy, ICT's own contribution taken out (module doc; an index of the same base year)."""
    index = productivity(measure, level, "real_index")
    if not rest:
        return index
    parts = ict_contribution(level)
    contribution = parts["contribution"]
    factor = (1 - contribution / (100 + parts["total_growth"])).cumprod()
    factor.loc[contribution.index.min() - 1] = 1.0
    factor = factor.sort_index()
    years = index.index.intersection(factor.index)
    out = index.loc[years] * factor.loc[years, index.columns]
    return with_sources(out, [*index.attrs["source_ids"], *contribution.attrs["source_ids"]])


@memoized
def shares(level: str, year: int, release: str | None = None) -> pd.DataFrame:
    """Per area: ICT (J) and finance (K) shares of all-industry GVA in ``year``, %, current prices, from ``release``
    (by default the release of the chained-volume tables)."""
    release = release or real_release(level)
    j, k, total = (gva(code, level, release) for code in ("J", "K", "TOTAL"))
    if year not in total.index:
        raise ValueError(f"{year} is not in the {level} GVA tables of the release of {release}")
    out = pd.DataFrame({"ict_share": j.loc[year] / total.loc[year] * 100,
                        "finance_share": k.loc[year] / total.loc[year] * 100})
    return with_sources(out, [*j.attrs["source_ids"], *k.attrs["source_ids"], *total.attrs["source_ids"]])


@memoized
def area_panel(measure: str, level: str, start_year: int, end_year: int, method: str = "cagr",
               release: str | None = None) -> pd.DataFrame:
    """One row per area of ``level``: real productivity ``growth`` and ``rest_growth`` (% a year, ``method``),
    ``ict_contribution`` (their difference, points a year), ``ict_share`` and ``finance_share`` in the start year
    (%, from ``release``), ``log_initial`` (ln of start-year productivity, GBP, current prices; the mean of the first
    3 years for smoothed growth), the neighbours' means of the ICT share and of log_initial, ``itl1`` and ``london``."""
    _check("level", level, LEVELS)
    total, rest = (growth(levels(measure, level, r), start_year, end_year, method) for r in (False, True))
    current = productivity(measure, level, "level")
    initial = current.loc[start_year:start_year + SMOOTHING_YEARS - 1].mean() if method == "smoothed" else \
        current.loc[start_year]
    data = shares(level, start_year, release).assign(growth=total, rest_growth=rest, ict_contribution=total - rest,
                                                     log_initial=np.log(initial))
    data["neighbours_ict_share"] = adjacency.spatial_lag(data["ict_share"], level)
    data["neighbours_log_initial"] = adjacency.spatial_lag(data["log_initial"], level)
    data["itl1"] = [regions.parent_itl1(code) for code in data.index]
    data["london"] = data["itl1"] == regions.LONDON
    sources = [*levels(measure, level, True).attrs["source_ids"], *shares(level, start_year, release).attrs["source_ids"],
               *current.attrs["source_ids"]]
    return with_sources(data.rename_axis("region_code"), sources)


def outside_london(data: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``area_panel`` outside London."""
    return data[~data["london"]]
