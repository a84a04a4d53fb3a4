"""Ranks that respect sampling error: regions ordered by an estimate, with the regions whose confidence intervals
overlap their neighbour's shown as tied."""

from __future__ import annotations

import numpy as np
import pandas as pd


def tied_ranks(values: pd.Series, lower: pd.Series | None = None, upper: pd.Series | None = None,
               ascending: bool = False) -> pd.DataFrame:
    """Rank of each entry of ``values`` (1 = highest; ``ascending`` for 1 = lowest) and whether it is tied.

    Entries are ordered by value; walking down the order, an entry joins the group of the entry ranked just above it
    when their intervals (``lower``-``upper``) overlap, so a chain of overlapping neighbours forms one group. Every
    member of a group takes the group's best rank (as pandas' ``method="min"``) and ``tied`` is True for groups of two
    or more. Without intervals (or where an entry has none) only equal values tie. Missing values get no rank.
    Returns a frame indexed like ``values`` with ``rank`` (float, NaN where missing) and ``tied`` (bool)."""
    values = values.astype(float)
    lower = values if lower is None else lower.reindex(values.index).astype(float).fillna(values)
    upper = values if upper is None else upper.reindex(values.index).astype(float).fillna(values)
    order = values.dropna().sort_values(ascending=ascending, kind="stable").index
    rank = pd.Series(np.nan, index=values.index)
    group = pd.Series(-1, index=values.index)
    for position, key in enumerate(order):
        if position:
            above = order[position - 1]
            overlap = lower[key] <= upper[above] and lower[above] <= upper[key]
            if overlap or values[key] == values[above]:
                rank[key], group[key] = rank[above], group[above]
                continue
        rank[key], group[key] = position + 1, position
    sizes = group[group >= 0].value_counts()
    tied = group.map(lambda g: bool(g >= 0 and sizes.get(g, 0) > 1))
    return pd.DataFrame({"rank": rank, "tied": tied.astype(bool)})


def rank_label(rank: float, tied: bool) -> str:
    """A rank as a reader sees it: "3", "=3" when tied, "–" when there is none."""
    if not np.isfinite(rank):
        return "–"
    return f"{'=' if tied else ''}{int(rank)}"
