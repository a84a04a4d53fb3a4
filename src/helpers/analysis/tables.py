"""The one reshaper of tidy rows into year x region tables, and the source ids a table carries.

Every analysis table that goes on a chart says where its numbers come from in ``table.attrs["source_ids"]``
(manifest ids of ``data/sources.yml``), so that ``plotting.caption(fig, table)`` cites them without a notebook
retyping an id.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers import regions

SOURCE_IDS = "source_ids"


def year_by_region(rows: pd.DataFrame, level: str | None = None, columns: list[str] | None = None, *,
                   index: str = "year", aggregate_from_itl2: bool = False) -> pd.DataFrame:
    """Tidy rows -> one row per ``index`` value (year by default; e.g. ``date``), one column per region code.

    ``level`` keeps the rows at that geography level and orders the columns as the registry's codes at that level
    (``regions.codes``); ``columns`` sets the columns explicitly (e.g. ``["UK", *regions.codes("ITL1")]``).
    With ``aggregate_from_itl2`` and no ITL1 rows, ITL1 values are sums of the ITL2 (or NUTS 2) rows of each ITL1
    region. Several rows for one cell are summed (missing where all are missing). The table carries the rows'
    source ids in ``attrs["source_ids"]``."""
    if level is not None:
        at_level = rows[rows.geography_level == level]
        if level == "ITL1" and at_level.empty and aggregate_from_itl2:
            at_level = rows[rows.geography_level.isin(["ITL2", "NUTS2"])].assign(region_code=lambda d: d.itl1_code)
        rows = at_level
    table = rows.groupby([index, "region_code"])["value"].sum(min_count=1).unstack()
    if index == "year":
        table.index = table.index.astype(int)
    wanted = columns if columns is not None else regions.codes(level) if level is not None else None
    if wanted is not None:
        table = table.reindex(columns=list(wanted))
    table.columns.name = "region_code"
    sources = list(pd.unique(rows["source_id"])) if "source_id" in rows else []
    return with_sources(table, sources)


def with_sources(table: pd.DataFrame | pd.Series, source_ids: Iterable[str]) -> pd.DataFrame | pd.Series:
    """Set ``table.attrs["source_ids"]`` (order kept, duplicates dropped) and return the table."""
    table.attrs[SOURCE_IDS] = list(dict.fromkeys(source_ids))
    return table
