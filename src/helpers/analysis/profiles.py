"""Region profiles (notebooks/region_profile.ipynb): headline numbers, trajectories, structure and policies for
one ITL1 region or ITL2 area, compared with the UK and London. Every table says its unit; sources are the
manifest ids in ``SOURCES``.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import claims, indicators, statistics, productivity

from helpers import regions
from helpers.pipeline.datasets import load

SOURCES = {
    "gva_per_head": "gva_per_head_2023",
    "population": "population_2024",
    "productivity": "productivity_2024",
    "gva": "gva_itl1_cp_2023",
    "gva_itl2": "gva_itl2_cp_2023",
    "gva_cvm": "gva_itl1_cvm_2023",
    "gva_cvm_itl2": "gva_itl2_cvm_2023",
    "ai": "waifinder_orgs_2023",
    "jobs": "bres_ft_employees_sections_2024",
}


def level_of(code: str) -> str:
    """'ITL1' or 'ITL2' for a valid code (UnknownRegionError, listing valid codes, otherwise)."""
    regions.validate_region(code)
    return regions.geography_level(code)


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
    return table


def _indicator_table(level: str) -> pd.DataFrame:
    """The headline indicators for every area at ``level`` (latest year of each source)."""
    accounts = load("regional_accounts")
    per_head = accounts[(accounts.source_id == SOURCES["gva_per_head"]) & (accounts.measure == "gva_per_head")]
    per_head_year = int(per_head.year.max())
    per_head = per_head[per_head.year == per_head_year].set_index("region_code")["value"]
    population_year = int(indicators.population(level).index.max())
    population = indicators.population_for_years([population_year], level).iloc[0]
    relative = productivity.productivity("per_hour", level, "relative")
    gva_total, gva_ict = indicators.gva("TOTAL", level), indicators.gva("J", level)
    table = pd.DataFrame({
        "population": population,
        "gva_per_head": per_head.reindex(population.index),
        "gva_per_hour_uk100": relative.iloc[-1],
        "ict_share_pct": gva_ict.iloc[-1] / gva_total.iloc[-1] * 100,
        "ai_orgs_per_100k": indicators.ai_organisations(level).iloc[0] / population * 100_000,
    })
    table.attrs["years"] = {"population": population_year, "gva_per_head": per_head_year,
                            "gva_per_hour_uk100": int(relative.index.max()), "ict_share_pct": int(gva_total.index.max()),
                            "ai_orgs_per_100k": 2023}
    table.attrs["per_head_uk"] = per_head["UK"]
    return table


def _uk_row(itl1: pd.DataFrame) -> pd.DataFrame:
    """The UK row: sums of the 12 ITL1 regions (ICT share and AI density from the sums; GVA per hour = 100)."""
    population = itl1["population"].sum()
    ict_share = (indicators.gva("J", "ITL1").iloc[-1].sum() / indicators.gva("TOTAL", "ITL1").iloc[-1].sum() * 100)
    return pd.DataFrame({"population": population, "gva_per_head": itl1.attrs["per_head_uk"], "gva_per_hour_uk100": 100.0,
                         "ict_share_pct": ict_share,
                         "ai_orgs_per_100k": indicators.ai_organisations("ITL1").iloc[0].sum() / population * 100_000},
                        index=["UK"])


def sector_index(code: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Chained-volume GVA of ``sector`` indexed to ``start_year`` = 100, for the area and the UK."""
    level = level_of(code)
    table = load("gva_by_industry")
    source = SOURCES["gva_cvm"] if level == "ITL1" else SOURCES["gva_cvm_itl2"]
    rows = table[table.source_id.isin([source, SOURCES["gva_cvm"]]) & (table.industry_code == sector)
                 & table.region_code.isin([code, "UK"]) & table.year.between(start_year, end_year)]
    wide = rows.pivot_table(index="year", columns="region_code", values="value", aggfunc="first")
    wide.index = wide.index.astype(int)
    return wide[[code, "UK"]].apply(lambda column: statistics.index_to_base(column, start_year))


def employment_structure(code: str) -> pd.DataFrame:
    """Full-time employees by SIC section in the latest BRES year: the area's share (%) and location quotient
    against Great Britain (ITL1 values sum their ITL2 areas). Empty for Northern Ireland (BRES covers GB)."""
    level = level_of(code)
    jobs = load("employment")
    jobs = jobs[jobs.source_id == SOURCES["jobs"]]
    year = jobs.year.max()
    jobs = jobs[jobs.year == year].assign(area=lambda d: d.itl1_code if level == "ITL1" else d.region_code)
    wide = jobs.pivot_table(index="area", columns="industry_code", values="value", aggfunc="sum")
    if code not in wide.index:  # BRES covers Great Britain only
        return pd.DataFrame(columns=["industry", "employees", "share_pct", "location_quotient"])
    names = jobs.drop_duplicates("industry_code").set_index("industry_code")["industry_name"]
    lq = statistics.location_quotient(wide.loc[code], wide.sum())
    result = pd.DataFrame({"industry": names, "employees": wide.loc[code], "share_pct": wide.loc[code] / wide.loc[code].sum() * 100,
                           "location_quotient": lq})
    result.attrs["year"] = int(year)
    return result.sort_values("employees", ascending=False)


def ecosystem_ranks(code: str) -> pd.DataFrame:
    """The ITL1 region's value and rank (1 = highest of 12) on each AI-ecosystem indicator (an ITL2 area gets
    its ITL1 region's)."""
    itl1 = code if level_of(code) == "ITL1" else regions.parent_itl1(code)
    table = indicators.ecosystem_table()
    meta = indicators.ecosystem_metadata()
    ranks = table.rank(ascending=False, method="min")
    return pd.DataFrame({"indicator": meta["label"], "unit": meta["unit"], "period": meta["period"],
                         "value": table.loc[itl1], "uk_median": table.median(), "rank_of_12": ranks.loc[itl1].astype(int)})


def sub_regions(code: str) -> pd.DataFrame:
    """The ITL2 areas of an ITL1 region (or an ITL2 area and its siblings): population, GVA per hour
    (UK = 100), ICT share of GVA (%) and AI organisations per 100,000 people, latest years."""
    itl1 = code if level_of(code) == "ITL1" else regions.parent_itl1(code)
    areas = regions.itl2()[regions.itl2()["itl1_code"] == itl1].index
    pop = indicators.population_for_years([int(indicators.population("ITL2").index.max())], "ITL2").iloc[0]
    ict = indicators.gva("J", "ITL2").iloc[-1] / indicators.gva("TOTAL", "ITL2").iloc[-1] * 100
    orgs = indicators.ai_organisations("ITL2").iloc[0]
    return pd.DataFrame({
        "population": pop[areas],
        "gva_per_hour_uk100": productivity.productivity("per_hour", "ITL2", "relative").iloc[-1][areas],
        "ict_share_pct": ict[areas],
        "ai_orgs_per_100k": orgs[areas] / pop[areas] * 100_000,
    })


def policies(code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """AI Growth Zones in the area's ITL1 region, and the claims (with verdicts) that name the region."""
    itl1 = code if level_of(code) == "ITL1" else regions.parent_itl1(code)
    zones = claims.growth_zones()
    named = claims.claims()
    named = named[named["regions"].str.split("|").apply(lambda codes: itl1 in codes)]
    checked = claims.check_all().loc[named.index, ["claim", "verdict", "evidence"]] if len(named) else pd.DataFrame()
    return zones[zones.itl1_code == itl1], checked
