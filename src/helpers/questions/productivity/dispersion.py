"""Productivity dispersion across areas (sigma-convergence), question 3: each year, the coefficient of variation (CV,
%) of current-price productivity levels across the areas of a level, all of them and those outside London
(unweighted; the CV is scale-free, so nominal levels compare across years), and its trend: Sen's slope with its 95%
interval and the modified Mann-Kendall p-value (``helpers.stats.trends.sen_interval``).

Dispersion rose before the financial crisis and fell after it, so the slope depends on where the window starts:
``by_start_year`` gives it for every start from the first year of the data to the last that leaves
``trends.MIN_TREND_POINTS`` years. Checks of a trend (``checks``): the other start years, the check end year, the
standard deviation of log levels (x 100, close to the CV), an OLS trend with Newey-West errors and the other
geography level. Source: ONS *Subregional productivity* (``labour_productivity``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions
from helpers.data.indicators import productivity, with_sources
from helpers.data.memo import memoized
from helpers.questions.productivity.panel import LEVELS
from helpers.stats import inequality, trends

SAMPLES = ("all", "outside_london")


@memoized
def spread(measure: str, level: str, statistic: str = "cv") -> pd.DataFrame:
    """Year x sample ("all", "outside_london"): the CV (%) of productivity levels across the areas of ``level``, or
    with ``statistic="sd_log"`` the standard deviation of their logs x 100."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {list(LEVELS)}, not {level!r}")
    levels = productivity(measure, level, "level")
    outside = levels[[c for c in levels.columns if regions.parent_itl1(c) != regions.LONDON]]
    out = {}
    for sample, table in zip(SAMPLES, (levels, outside)):
        if statistic == "cv":
            out[sample] = table.apply(lambda row: inequality.coefficient_of_variation(row.dropna()), axis=1) * 100
        else:
            out[sample] = np.log(table).std(axis=1, ddof=0) * 100
    return with_sources(pd.DataFrame(out).rename_axis("year"), levels.attrs["source_ids"])


def window(start_year: int | None, end_year: int | None, measure: str, level: str) -> tuple[int, int]:
    """The years given, or for those left as None the span of the productivity levels at ``level``."""
    years = spread(measure, level).index
    first, last = int(years.min()), int(years.max())
    start, end = start_year or first, end_year or last
    if not first <= start < end <= last or end - start + 1 < trends.MIN_TREND_POINTS:
        raise ValueError(f"dispersion years {start}-{end} do not fit the data ({first}-{last}) with at least "
                         f"{trends.MIN_TREND_POINTS} years; leave them as None for the whole span")
    return start, end


def trend(series: pd.Series, start: int, end: int, alpha: float) -> dict:
    """Sen's slope of ``series`` over ``start``-``end`` with its 1 - ``alpha`` interval, p-value and n."""
    return trends.sen_interval(series.loc[start:end], alpha)


def by_start_year(series: pd.Series, end: int, alpha: float) -> pd.DataFrame:
    """Per start year (first year of the data to ``end`` - MIN_TREND_POINTS + 1): Sen's slope to ``end`` with its
    interval, p-value and number of years."""
    first = int(series.index.min())
    rows = {start: trend(series, start, end, alpha) for start in range(first, end - trends.MIN_TREND_POINTS + 2)}
    return with_sources(pd.DataFrame(rows).T.rename_axis("start_year"), series.attrs.get("source_ids", []))


def hac_slope(series: pd.Series, start: int, end: int) -> float:
    """OLS slope of ``series`` on the year over ``start``-``end`` (Newey-West errors: the slope is the estimate)."""
    return trends.ols_trend_hac(series.loc[start:end])["slope"]


@memoized
def checks(measure: str, level: str, check_level: str, sample: str, start: int, end: int,
           check_end_year: int | None, alpha: float) -> dict:
    """The baseline trend of the CV of ``sample`` and each check's slope (interval where it has one), by key:
    ``start_years`` (a table: ``by_start_year``), ``end_year`` (when before ``end``), ``sd_log``, ``ols_hac``,
    ``geography``."""
    cv = spread(measure, level)[sample]
    out = {"baseline": trend(cv, start, end, alpha), "start_years": by_start_year(cv, end, alpha)}
    if check_end_year is not None and start + trends.MIN_TREND_POINTS - 1 <= check_end_year < end:
        out["end_year"] = trend(cv, start, check_end_year, alpha)
    out["sd_log"] = trend(spread(measure, level, "sd_log")[sample], start, end, alpha)
    out["ols_hac"] = {"slope": hac_slope(cv, start, end)}
    out["geography"] = trend(spread(measure, check_level)[sample], start, end, alpha)
    return out
