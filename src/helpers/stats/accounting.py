"""Growth accounting: the shift-share decomposition of a regional change."""

from __future__ import annotations

import pandas as pd


def shift_share(start: pd.DataFrame, end: pd.DataFrame) -> pd.DataFrame:
    """Classic shift-share of each region's change in an additive quantity (e.g. current-price GVA).

    ``start`` and ``end`` are region x industry tables (the industries must add up to each region's total;
    the nation is their column-wise sum). For region r and industry i with national growth rates g and g_i
    and regional rate g_ri: national = E_ri0 * g; industry mix = E_ri0 * (g_i - g); regional = E_ri0 * (g_ri - g_i).
    Returns per region: start, end, actual change and the three components (which add up to the change)."""
    start, end = start.align(end, join="inner")
    nation_start, nation_end = start.sum(), end.sum()
    g = nation_end.sum() / nation_start.sum() - 1
    g_i = nation_end / nation_start - 1
    g_ri = (end / start - 1).where(start != 0, 0.0)
    national = start.mul(g).sum(axis=1)
    mix = start.mul(g_i - g, axis=1).sum(axis=1)
    regional = (start * g_ri.sub(g_i, axis=1)).sum(axis=1) + (end - start).where(start == 0, 0.0).sum(axis=1)
    return pd.DataFrame({
        "start": start.sum(axis=1), "end": end.sum(axis=1), "change": end.sum(axis=1) - start.sum(axis=1),
        "national": national, "industry_mix": mix, "regional": regional,
    })

