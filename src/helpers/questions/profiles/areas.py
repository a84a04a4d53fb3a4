"""The tables of areas in a region profile (``helpers.questions.profiles.tables``): an ITL1 region's ITL2 areas, an ITL2
area's ITL3 areas, and an ITL2 or ITL3 area with the other areas at its level in its parent region. Each is titled
for what it lists (``attrs['title']``); AI organisation rates built on fewer than ``profiles.SMALL_COUNT``
organisations are named in ``attrs['note']``, next to a column of the counts."""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.indicators import AI_ORGS_SOURCE, GVA_SOURCES, POPULATION_SOURCE, PRODUCTIVITY_SOURCE, with_sources
from helpers.questions.profiles.tables import (
    BY_INDUSTRY_LEVELS,
    SMALL_COUNT,
    ai_counts,
    area_heading,
    area_label,
    level_of,
)

# The AI rate is under 1 per 100,000 in some areas, where the formatter would show 2 decimals and 1 elsewhere: it has
# 2 on every page (``attrs["decimals"]``), the other columns the formatter's default.
AI_RATE_DECIMALS = 2


def _within(level: str, parent: str) -> list[str]:
    """The areas at ``level`` inside ``parent`` (an ITL1 or ITL2 code), in registry order."""
    up = regions.parent_itl1 if regions.geography_level(parent) == "ITL1" else regions.parent_itl2
    return [area for area in regions.codes(level) if up(area) == parent]


def _areas_table(areas: list[str], level: str) -> pd.DataFrame:
    """``areas`` (all at ``level``) named with ``area_label`` (code in a column): population, GVA per hour (UK =
    100), ICT share of GVA (%, ITL2 only), AI organisations (count) and per 100,000 people, latest years;
    ``attrs['note']`` names the rates built on fewer than ``SMALL_COUNT`` organisations."""
    pop = indicators.population_for_years([int(indicators.population(level).index.max())], level).iloc[0]
    table = pd.DataFrame({"population": pop[areas],
                          "gva_per_hour_uk100": indicators.productivity("per_hour", level, "relative").iloc[-1][areas]})
    sources = [POPULATION_SOURCE, PRODUCTIVITY_SOURCE, AI_ORGS_SOURCE]
    if level in BY_INDUSTRY_LEVELS:
        release = indicators.previous_release()
        ict = indicators.gva("J", level, release).iloc[-1] / indicators.gva("TOTAL", level, release).iloc[-1] * 100
        table["ict_share_pct"] = ict[areas]
        sources.append(GVA_SOURCES[level])
    counts = ai_counts(level)[areas].astype("int64")
    table["ai_organisations"] = counts
    table["ai_orgs_per_100k"] = counts / pop[areas] * 100_000
    table.insert(0, "code", table.index)
    table.index = pd.Index([area_label(a) for a in areas], name="area")
    small = [area_label(a) for a in areas if counts[a] < SMALL_COUNT]
    notes = [] if level in BY_INDUSTRY_LEVELS else [f"No ICT share of GVA for {level} areas: GVA by industry is used at "
                                                    "ITL1 and ITL2 only."]
    if small:
        notes.append(f"Small counts: the AI rate of {', '.join(small)} {'rests' if len(small) == 1 else 'each rest'} on "
                     f"fewer than {SMALL_COUNT} organisations, "
                     "so one more or fewer moves it a lot.")
    table.attrs["note"] = " ".join(notes)
    table.attrs["labels"] = {"ai_organisations": "AI organisations (2023)"}
    table.attrs["decimals"] = {"ai_orgs_per_100k": AI_RATE_DECIMALS}
    return with_sources(table, sources)


def sub_regions(code: str) -> pd.DataFrame:
    """The areas inside an ITL1 region (its ITL2 areas) or an ITL2 area (its ITL3 areas): ``_areas_table`` with
    ``attrs['title']``."""
    level = {"ITL1": "ITL2", "ITL2": "ITL3"}.get(level_of(code))
    if level is None:
        raise ValueError(f"{code} is an ITL3 area: it has no smaller areas here (see sibling_areas)")
    table = _areas_table(_within(level, code), level)
    table.attrs["title"] = f"The {level} areas of {area_heading(code)}"
    return table


def sibling_areas(code: str) -> pd.DataFrame:
    """An ITL2 area with the other ITL2 areas of its ITL1 region, or an ITL3 area with the other ITL3 areas of its
    ITL2 area: ``_areas_table`` with ``attrs['title']``."""
    level = level_of(code)
    parent = regions.parent_itl1(code) if level == "ITL2" else regions.parent_itl2(code)
    table = _areas_table(_within(level, parent), level)
    where = area_heading(parent)
    table.attrs["title"] = (f"{area_label(code)} and the other {level} areas of {where}" if len(table) > 1
                            else f"{area_label(code)}, the only {level} area of {where}")
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
