"""Region profiles (notebooks/region_profile.ipynb): headline numbers, trajectories, structure and policies for
one ITL1 region or ITL2 area, compared with the UK and London. Every table says its unit; sources are the
manifest ids in ``SOURCES``.
"""

from __future__ import annotations

import pandas as pd

from helpers import claims, indicators, metrics, productivity, regions
from helpers.datasets import load

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
    """The region's headline numbers next to the UK and London: population, GVA per head (GBP), GVA per hour
    (UK = 100), ICT share of GVA (%) and AI organisations per 100,000 people, each with its year."""
    level = level_of(code)
    accounts = load("regional_accounts")
    per_head = accounts[(accounts.source_id == SOURCES["gva_per_head"]) & (accounts.measure == "gva_per_head")]
    per_head_year = int(per_head.year.max())
    per_head = per_head[per_head.year == per_head_year].set_index("region_code")["value"]
    pop = indicators.population(level)
    pop_uk = indicators.population("ITL1").iloc[-1].sum()
    relative = productivity.productivity("per_hour", level, "relative")
    gva_total, gva_ict = indicators.gva("TOTAL", level), indicators.gva("J", level)
    gva_total_uk, gva_ict_uk = indicators.gva("TOTAL", "ITL1").iloc[-1].sum(), indicators.gva("J", "ITL1").iloc[-1].sum()
    orgs = indicators.ai_organisations(level).iloc[0]
    orgs_uk = indicators.ai_organisations("ITL1").iloc[0].sum()
    latest_pop = indicators.population_for_years([int(pop.index.max())], level).iloc[0]

    def row(area: str) -> dict:
        if area == "UK":
            return {"population": pop_uk, "gva_per_head": per_head["UK"], "gva_per_hour_uk100": 100.0,
                    "ict_share_pct": gva_ict_uk / gva_total_uk * 100, "ai_orgs_per_100k": orgs_uk / pop_uk * 100_000}
        area_level = regions.geography_level(area)
        area_pop = latest_pop[area] if area_level == level else indicators.population("ITL1").iloc[-1][area]
        area_relative = relative if area_level == level else productivity.productivity("per_hour", "ITL1", "relative")
        total = gva_total if area_level == level else indicators.gva("TOTAL", "ITL1")
        ict = gva_ict if area_level == level else indicators.gva("J", "ITL1")
        area_orgs = orgs[area] if area_level == level else indicators.ai_organisations("ITL1").iloc[0][area]
        return {"population": area_pop, "gva_per_head": per_head.get(area),
                "gva_per_hour_uk100": area_relative.iloc[-1][area],
                "ict_share_pct": ict.iloc[-1][area] / total.iloc[-1][area] * 100,
                "ai_orgs_per_100k": area_orgs / area_pop * 100_000}

    areas = [code, regions.LONDON, "UK"] if code != regions.LONDON else [code, "UK"]
    table = pd.DataFrame({area: row(area) for area in areas}).T
    table.attrs["years"] = {"population": int(pop.index.max()), "gva_per_head": per_head_year,
                            "gva_per_hour_uk100": int(relative.index.max()), "ict_share_pct": int(gva_total.index.max()),
                            "ai_orgs_per_100k": 2023}
    return table


def sector_index(code: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Chained-volume GVA of ``sector`` indexed to ``start_year`` = 100, for the area and the UK."""
    level = level_of(code)
    table = load("gva_by_industry")
    source = SOURCES["gva_cvm"] if level == "ITL1" else SOURCES["gva_cvm_itl2"]
    rows = table[table.source_id.isin([source, SOURCES["gva_cvm"]]) & (table.industry_code == sector)
                 & table.region_code.isin([code, "UK"]) & table.year.between(start_year, end_year)]
    wide = rows.pivot_table(index="year", columns="region_code", values="value", aggfunc="first")
    wide.index = wide.index.astype(int)
    return wide[[code, "UK"]].apply(lambda column: metrics.index_to_base(column, start_year))


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
    lq = metrics.location_quotient(wide.loc[code], wide.sum())
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
