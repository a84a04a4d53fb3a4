"""Growth rates and indices of year-indexed series (values in the series' own units)."""

from __future__ import annotations

import pandas as pd


def index_to_base(series: pd.Series, base_year: int) -> pd.Series:
    """A year-indexed series rebased so that ``base_year`` = 100."""
    if base_year not in series.index:
        raise KeyError(f"base year {base_year} not in the series ({series.index.min()}-{series.index.max()})")
    return series / series.loc[base_year] * 100


def cagr(start_value: float, end_value: float, years: int) -> float:
    """Compound annual growth rate between two values ``years`` apart, in % a year."""
    if years <= 0:
        raise ValueError("years must be positive")
    if start_value <= 0 or end_value <= 0:
        return float("nan")
    return ((end_value / start_value) ** (1 / years) - 1) * 100


def growth_table(wide: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Per column of a year-indexed frame: start and end value, total growth (%) and CAGR (% a year)."""
    start, end = wide.loc[start_year], wide.loc[end_year]
    years = end_year - start_year
    return pd.DataFrame(
        {
            f"value_{start_year}": start,
            f"value_{end_year}": end,
            "growth_pct": (end / start - 1) * 100,
            "cagr_pct": [cagr(s, e, years) for s, e in zip(start, end)],
        }
    )


def share(part: pd.Series | pd.DataFrame, whole: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """``part`` as a percentage of ``whole`` (aligned on index)."""
    return part / whole * 100

