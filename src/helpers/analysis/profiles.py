"""Region profiles (notebooks/region_profile.ipynb): headline numbers, trajectories, structure and policies for
one ITL1 region, ITL2 or ITL3 area, compared with the UK and London. Some sources stop at ITL2 (GVA by industry,
BRES, AI organisations): for an ITL3 area those figures are missing (NaN, or an empty table) and ``no_data``
gives the one line to print instead. Every table says its unit and carries its sources
in ``attrs["source_ids"]`` (the manifest ids are defined once, in ``indicators``).
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.analysis import claims, indicators, productivity, statistics
from helpers.analysis.indicators import (
    AI_ORGS_SOURCE,
    BRES_SECTIONS_SOURCE,
    GVA_CVM_SOURCES,
    GVA_PER_HEAD_SOURCE,
    GVA_SOURCES,
    POPULATION_SOURCE,
    PRODUCTIVITY_SOURCE,
)
from helpers.analysis.tables import with_sources, year_by_region
from helpers.pipeline.datasets import load

PROFILE_LEVELS = ("ITL1", "ITL2", "ITL3")
BY_INDUSTRY_LEVELS = ("ITL1", "ITL2")  # GVA by industry, BRES and AI organisations: not published below ITL2


def level_of(code: str) -> str:
    """'ITL1', 'ITL2' or 'ITL3' for a valid code (UnknownRegionError, listing valid codes, otherwise)."""
    regions.validate_region(code, levels=PROFILE_LEVELS)
    return regions.geography_level(code)


def no_data(code: str) -> dict[str, str]:
    """The profile sections without data at ``code``'s level -> one line saying so (empty for ITL1 and ITL2):
    ``sector_index``, ``employment_structure``, ``ict_share_pct`` and ``ai_orgs_per_100k``."""
    level = level_of(code)
    if level in BY_INDUSTRY_LEVELS:
        return {}
    name = f"{regions.region_name(code)} ({code}, {level})"
    parent = regions.parent_itl2(code)
    within = f"see its ITL2 area, {regions.region_name(parent)} ({parent})"
    return {
        "sector_index": f"No ICT or finance output series for {name}: ONS GVA by industry is used at ITL1 and ITL2 only; {within}.",
        "employment_structure": f"No employment structure for {name}: BRES is used at ITL2 and above; {within}.",
        "ict_share_pct": f"No ICT share of GVA for {name}: GVA by industry is used at ITL1 and ITL2 only.",
        "ai_orgs_per_100k": f"No AI organisation count for {name}: WAIfinder organisations are placed in ITL1 and ITL2 areas only.",
    }


def headline_sources(code: str) -> dict[str, list[str]]:
    """The manifest ids behind each column of ``headline`` for an area at ``code``'s level (none for a column
    without data at that level)."""
    level = level_of(code)
    by_industry = level in BY_INDUSTRY_LEVELS
    return {"population": [POPULATION_SOURCE], "gva_per_head": [GVA_PER_HEAD_SOURCE],
            "gva_per_hour_uk100": [PRODUCTIVITY_SOURCE], "ict_share_pct": [GVA_SOURCES[level]] if by_industry else [],
            "ai_orgs_per_100k": [AI_ORGS_SOURCE, POPULATION_SOURCE] if by_industry else []}


def headline(code: str) -> pd.DataFrame:
    """The area's headline numbers next to London and the UK: population, GVA per head (GBP), GVA per hour
    (UK = 100), ICT share of GVA (%) and AI organisations per 100,000 people; ``attrs['years']`` gives the years."""
    level = level_of(code)
    itl1 = _indicator_table("ITL1")
    rows = [_indicator_table(level).loc[[code]]]
    if code != regions.LONDON:
        rows.append(itl1.loc[[regions.LONDON]])
    rows.append(_uk_row(itl1))
    table = pd.concat(rows)
    table.attrs["years"] = itl1.attrs["years"]
    table.attrs["column_sources"] = headline_sources(code)
    return with_sources(table, [s for ids in table.attrs["column_sources"].values() for s in ids])


def _indicator_table(level: str) -> pd.DataFrame:
    """The headline indicators for every area at ``level`` (latest year of each source)."""
    accounts = load("regional_accounts")
    per_head = accounts[(accounts.source_id == GVA_PER_HEAD_SOURCE) & (accounts.measure == "gva_per_head")]
    per_head_year = int(per_head.year.max())
    per_head = per_head[per_head.year == per_head_year].set_index("region_code")["value"]
    population_year = int(indicators.population(level).index.max())
    population = indicators.population_for_years([population_year], level).iloc[0]
    relative = productivity.productivity("per_hour", level, "relative")
    ict_share, ai_orgs, ict_year = float("nan"), float("nan"), int(indicators.gva("TOTAL", "ITL1").index.max())
    if level in BY_INDUSTRY_LEVELS:
        gva_total, gva_ict = indicators.gva("TOTAL", level), indicators.gva("J", level)
        ict_share = gva_ict.iloc[-1] / gva_total.iloc[-1] * 100
        ai_orgs = indicators.ai_organisations(level).iloc[0] / population * 100_000
    table = pd.DataFrame({
        "population": population,
        "gva_per_head": per_head.reindex(population.index),
        "gva_per_hour_uk100": relative.iloc[-1],
        "ict_share_pct": ict_share,
        "ai_orgs_per_100k": ai_orgs,
    })
    table.attrs["years"] = {"population": population_year, "gva_per_head": per_head_year,
                            "gva_per_hour_uk100": int(relative.index.max()), "ict_share_pct": ict_year,
                            "ai_orgs_per_100k": 2023}
    table.attrs["per_head_uk"] = per_head[regions.UK_CODE]
    return table


def _uk_row(itl1: pd.DataFrame) -> pd.DataFrame:
    """The UK row: sums of the 12 ITL1 regions (ICT share and AI density from the sums; GVA per hour = 100)."""
    population = itl1["population"].sum()
    ict_share = (indicators.gva("J", "ITL1").iloc[-1].sum() / indicators.gva("TOTAL", "ITL1").iloc[-1].sum() * 100)
    return pd.DataFrame({"population": population, "gva_per_head": itl1.attrs["per_head_uk"], "gva_per_hour_uk100": 100.0,
                         "ict_share_pct": ict_share,
                         "ai_orgs_per_100k": indicators.ai_organisations("ITL1").iloc[0].sum() / population * 100_000},
                        index=[regions.UK_CODE])


def sector_index(code: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Chained-volume GVA of ``sector`` indexed to ``start_year`` = 100, for the area and the UK (the area's column
    is missing, NaN, for an ITL3 area: see ``no_data``)."""
    level = level_of(code)
    table = load("gva_by_industry")
    table = table[(table.industry_code == sector) & table.year.between(start_year, end_year)]
    uk = table[(table.source_id == GVA_CVM_SOURCES["ITL1"]) & (table.region_code == regions.UK_CODE)]
    area = table[(table.source_id == GVA_CVM_SOURCES.get(level, "")) & (table.region_code == code)]
    wide = year_by_region(pd.concat([area, uk]), columns=[code, regions.UK_CODE])
    return with_sources(wide.apply(lambda column: statistics.index_to_base(column, start_year)), wide.attrs["source_ids"])


def employment_structure(code: str) -> pd.DataFrame:
    """Full-time employees by SIC section in the latest BRES year: the area's share (%) and location quotient
    against Great Britain (ITL1 values sum their ITL2 areas). Empty for Northern Ireland (BRES covers GB) and for
    an ITL3 area (BRES is used at ITL2: see ``no_data``)."""
    level = level_of(code)
    jobs = load("employment")
    jobs = jobs[jobs.source_id == BRES_SECTIONS_SOURCE]
    year = jobs.year.max()
    jobs = jobs[jobs.year == year].assign(area=lambda d: d.itl1_code if level == "ITL1" else d.region_code)
    wide = jobs.pivot_table(index="area", columns="industry_code", values="value", aggfunc="sum")
    if code not in wide.index:  # BRES covers Great Britain only
        return pd.DataFrame(columns=["industry", "employees", "share_pct", "location_quotient"])
    names = jobs.drop_duplicates("industry_code").set_index("industry_code")["industry_name"]
    lq = statistics.location_quotient(wide.loc[code], wide.sum())
    result = pd.DataFrame({"industry": names, "employees": wide.loc[code], "share_pct": wide.loc[code] / wide.loc[code].sum() * 100,
                           "location_quotient": lq})
    result = result.sort_values("employees", ascending=False)
    result.attrs["year"] = int(year)
    return with_sources(result, [BRES_SECTIONS_SOURCE])


def ecosystem_ranks(code: str) -> pd.DataFrame:
    """The ITL1 region's value and rank (1 = highest of 12) on each AI-ecosystem indicator (an ITL2 area gets
    its ITL1 region's)."""
    level_of(code)
    itl1 = regions.parent_itl1(code)
    table = indicators.ecosystem_table()
    meta = indicators.ecosystem_metadata()
    ranks = table.rank(ascending=False, method="min")
    return pd.DataFrame({"indicator": meta["label"], "unit": meta["unit"], "period": meta["period"],
                         "value": table.loc[itl1], "uk_median": table.median(), "rank_of_12": ranks.loc[itl1].astype(int)})


def sub_regions(code: str) -> pd.DataFrame:
    """The ITL2 areas of an ITL1 region (or an ITL2 area and its siblings; or an ITL3 area and the other ITL3 areas
    of its ITL2 area): population, GVA per hour (UK = 100), ICT share of GVA (%) and AI organisations per 100,000
    people, latest years (the last two missing at ITL3)."""
    level = "ITL3" if level_of(code) == "ITL3" else "ITL2"
    parent = regions.parent_itl2(code) if level == "ITL3" else regions.parent_itl1(code)
    areas = [area for area in regions.codes(level)
             if (regions.parent_itl2(area) if level == "ITL3" else regions.parent_itl1(area)) == parent]
    pop = indicators.population_for_years([int(indicators.population(level).index.max())], level).iloc[0]
    table = pd.DataFrame({
        "population": pop[areas],
        "gva_per_hour_uk100": productivity.productivity("per_hour", level, "relative").iloc[-1][areas],
        "ict_share_pct": float("nan"),
        "ai_orgs_per_100k": float("nan"),
    })
    sources = [POPULATION_SOURCE, PRODUCTIVITY_SOURCE]
    if level in BY_INDUSTRY_LEVELS:
        ict = indicators.gva("J", level).iloc[-1] / indicators.gva("TOTAL", level).iloc[-1] * 100
        orgs = indicators.ai_organisations(level).iloc[0]
        table["ict_share_pct"], table["ai_orgs_per_100k"] = ict[areas], orgs[areas] / pop[areas] * 100_000
        sources += [GVA_SOURCES[level], AI_ORGS_SOURCE]
    return with_sources(table, sources)


def policies(code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """AI Growth Zones in the area's ITL1 region, and the claims (with verdicts) that name the region: only those
    claims' checks are run."""
    level_of(code)
    itl1 = regions.parent_itl1(code)
    zones = claims.growth_zones()
    named = claims.claims_naming(itl1)
    checked = claims.check_all(named)[["claim", "verdict", "evidence"]] if named else pd.DataFrame()
    return zones[zones.itl1_code == itl1], checked
