"""How unequally an activity is spread across regions: location quotients, HHI, Gini, Theil, the coefficient of
variation and z-scores."""

from __future__ import annotations

import numpy as np
import pandas as pd


def location_quotient(values: pd.Series, benchmark: pd.Series) -> pd.Series:
    """LQ of each region: its share of ``values`` divided by its share of ``benchmark`` (1 = national average).

    ``values`` is the activity (e.g. ICT GVA), ``benchmark`` the base it is compared with (total GVA,
    employment or population), both indexed by region and in any units."""
    values, benchmark = values.align(benchmark, join="inner")
    return (values / values.sum()) / (benchmark / benchmark.sum())


def hhi(values: pd.Series) -> float:
    """Herfindahl-Hirschman index of the regions' shares of ``values``: sum of squared shares, 0-1
    (1/n when the n regions are equal, 1 when one region has everything)."""
    shares = values / values.sum()
    return float((shares**2).sum())


def gini(values: pd.Series, weights: pd.Series | None = None) -> float:
    """Gini coefficient (0 = equal, towards 1 = concentrated) of ``values`` per unit of ``weights``.

    With weights (e.g. population), it measures how unequally the activity is spread per person: 0 when
    every region has the same value per head. Without weights, every region counts equally."""
    if weights is None:
        weights = pd.Series(1.0, index=values.index)
    values, weights = values.align(weights, join="inner")
    density = values / weights
    order = density.sort_values().index
    w = (weights[order] / weights.sum()).to_numpy()
    v = (values[order] / values.sum()).to_numpy()
    cumulative = v.cumsum()
    # area under the Lorenz curve by trapezia; Gini = 1 - 2 * area
    area = (w * (cumulative - v / 2)).sum()
    return float(1 - 2 * area)


def theil(values: pd.Series, weights: pd.Series | None = None) -> float:
    """Theil index T = sum s_i ln(s_i / w_i), where s_i is a region's share of ``values`` and w_i its share
    of ``weights`` (equal shares without weights); 0 when activity follows the weights exactly."""
    if weights is None:
        weights = pd.Series(1.0, index=values.index)
    values, weights = values.align(weights, join="inner")
    s, w = values / values.sum(), weights / weights.sum()
    present = s > 0  # lim s->0 of s ln s = 0
    return float((s[present] * np.log(s[present] / w[present])).sum())


def coefficient_of_variation(values: pd.Series, weights: pd.Series | None = None) -> float:
    """Standard deviation / mean of ``values`` across regions (population-weighted when weights are given)."""
    if weights is None:
        return float(values.std(ddof=0) / values.mean())
    values, weights = values.align(weights, join="inner")
    w = weights / weights.sum()
    mean = (w * values).sum()
    return float(np.sqrt((w * (values - mean) ** 2).sum()) / mean)


def zscores(table: pd.DataFrame) -> pd.DataFrame:
    """Each column standardised to mean 0 and standard deviation 1 across rows (population sd)."""
    return (table - table.mean()) / table.std(ddof=0)

