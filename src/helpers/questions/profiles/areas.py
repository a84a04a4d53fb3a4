"""The tables of areas in a region profile (``helpers.questions.profiles.tables``): an ITL1 region's ITL2 areas, an ITL2
area's ITL3 areas, and an ITL2 or ITL3 area with the other areas at its level in its parent region. Each is titled
for what it lists (``attrs['title']``); AI organisation rates built on fewer than ``tables.SMALL_COUNT``
organisations are named in ``attrs['note']``, next to a column of the counts."""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data.indicators import with_sources
from helpers.questions.profiles.tables import (
    SMALL_COUNT,
    ai_counts,
    area_heading,
    area_label,
    indicator_table,
    level_of,
    line,
)

# The AI rate is under 1 per 100,000 in some areas, where the formatter would show 2 decimals and 1 elsewhere: it has
# 2 on every page (``attrs["decimals"]``), the other columns the formatter's default.
AI_RATE_DECIMALS = 2
COLUMNS = ("population", "gva_per_hour_uk100", "ict_share_pct", "ai_organisations", "ai_orgs_per_100k")


def _within(level: str, parent: str) -> list[str]:
    """The areas at ``level`` inside ``parent`` (an ITL1 or ITL2 code), in registry order."""
    up = regions.parent_itl1 if regions.geography_level(parent) == "ITL1" else regions.parent_itl2
    return [area for area in regions.codes(level) if up(area) == parent]


def _areas_table(areas: list[str], level: str) -> pd.DataFrame:
    """``areas`` (all at ``level``) named with ``area_label`` (code in a column): population, GVA per hour (UK =
    100), ICT share of GVA (%), AI organisations (count) and per 100,000 people, each in its latest year;
    ``attrs['note']`` names the rates built on fewer than ``SMALL_COUNT`` organisations."""
    values = indicator_table(level)
    table = values.loc[areas].assign(ai_organisations=ai_counts(level)[areas].astype("int64"))[list(COLUMNS)]
    table.insert(0, "code", table.index)
    table.index = pd.Index([area_label(a) for a in areas], name="area")
    small = [area_label(a) for a in areas if table.at[area_label(a), "ai_organisations"] < SMALL_COUNT]
    table.attrs["note"] = line("small_counts_note", names=small, small=SMALL_COUNT) if small else ""
    years = values.attrs["years"]
    table.attrs["labels"] = {c: line("column_label", column=c, year=years.get(c, years["ai_orgs_per_100k"]))
                             for c in COLUMNS}
    table.attrs["decimals"] = {"ai_orgs_per_100k": AI_RATE_DECIMALS}
    return with_sources(table, [s for c in COLUMNS if c in values.attrs["column_sources"]
                                for s in values.attrs["column_sources"][c]])


def sub_regions(code: str) -> pd.DataFrame:
    """The areas inside an ITL1 region (its ITL2 areas) or an ITL2 area (its ITL3 areas): ``_areas_table`` with
    ``attrs['title']``."""
    level = {"ITL1": "ITL2", "ITL2": "ITL3"}.get(level_of(code))
    if level is None:
        raise ValueError(f"{code} is an ITL3 area, the smallest level here: use sibling_areas({code!r}) for its neighbours")
    table = _areas_table(_within(level, code), level)
    table.attrs["title"] = line("sub_regions_title", level=level, heading=area_heading(code))
    return table


def sibling_areas(code: str) -> pd.DataFrame:
    """An ITL2 area with the other ITL2 areas of its ITL1 region, or an ITL3 area with the other ITL3 areas of its
    ITL2 area: ``_areas_table`` with ``attrs['title']``."""
    level = level_of(code)
    parent = regions.parent_itl1(code) if level == "ITL2" else regions.parent_itl2(code)
    table = _areas_table(_within(level, parent), level)
    where = area_heading(parent)
    table.attrs["title"] = line("siblings_title", name=area_label(code), level=level, where=where, alone=len(table) == 1)
    return table


def area_tables(code: str) -> list[pd.DataFrame]:
    """The profile's tables of areas, each with ``attrs['title']``: an ITL1 region's ITL2 areas; an ITL2 area's
    ITL3 areas, then it with the other ITL2 areas of its region (if any); an ITL3 area with the other ITL3 areas of
    its ITL2 area."""
    level = level_of(code)
    tables = [] if level == "ITL3" else [sub_regions(code)]
    if level != "ITL1":
        siblings = sibling_areas(code)
        if len(siblings) > 1 or not tables:
            tables.append(siblings)
    return tables
