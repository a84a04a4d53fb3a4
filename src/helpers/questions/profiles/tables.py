"""Region profiles (notebooks/region_profile.ipynb): headline numbers, trajectories, structure and policies for
one ITL1 region, ITL2 or ITL3 area, compared with the UK and London. Some sources stop at ITL2 (GVA by industry,
BRES): for an ITL3 area those tables are empty with ``attrs["note"]`` saying why, and ``no_data`` gives the one
line to print instead. AI organisations are placed by a spatial join, so they exist at ITL3 too. Every table says
its unit and carries its sources in ``attrs["source_ids"]`` (the manifest ids are defined once, in ``indicators``).
The tables of areas are in ``profile_areas``, the Main points in ``profile_summary``, ICT growth in ``profile_growth``.

Comparators are named for what they are: "UK total" (the whole UK: a sum, or total over total population),
"median of the 12 ITL1 regions" (``ecosystem_ranks``); the ai-ecosystem report's "median of the 11 other
regions" compares London with the rest and is a third, different figure.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers import regions
from helpers.data import ecosystem, indicators
from helpers.data.datasets import load
from helpers.data.indicators import (
    AI_ORGS_SOURCE,
    BRES_SECTIONS_SOURCE,
    GVA_CVM_SOURCES,
    GVA_PER_HEAD_SOURCE,
    GVA_SOURCES,
    POPULATION_SOURCE,
    PRODUCTIVITY_SOURCE,
    with_sources,
    year_by_region,
)
from helpers.data.sources import get_source
from helpers.questions.claims import findings as claims
from helpers.questions.profiles import growth as profile_growth
from helpers.stats import inequality, rates

PROFILE_LEVELS = ("ITL1", "ITL2", "ITL3")
BY_INDUSTRY_LEVELS = ("ITL1", "ITL2")  # GVA by industry and BRES: not used below ITL2
UK_TOTAL = profile_growth.UK_TOTAL
NORTHERN_IRELAND = "TLN"  # BRES (employment) covers Great Britain only
SMALL_COUNT = 5  # AI organisations: a rate built on fewer is flagged as a small count
HEADLINE_LABELS = {"population": "Population", "gva_per_head": "GVA per head, £", "gva_per_hour_uk100": "GVA per hour, UK = 100",
                   "ict_share_pct": "ICT share of GVA, %", "ai_orgs_per_100k": "AI organisations per 100,000 people"}


def level_of(code: str) -> str:
    """'ITL1', 'ITL2' or 'ITL3' for a valid code (UnknownRegionError, listing valid codes, otherwise)."""
    regions.validate_region(code, levels=PROFILE_LEVELS)
    return regions.geography_level(code)


def area_label(code: str) -> str:
    """The area's name, with "(ITL2 area)" or "(ITL3 area)" when it is also the name of the region or area that
    contains it (the ITL2 area West Midlands, TLG3, in the ITL1 region West Midlands)."""
    level, name = level_of(code), regions.region_name(code)
    parents = {"ITL2": [regions.parent_itl1(code)], "ITL3": [regions.parent_itl1(code), regions.parent_itl2(code)]}
    clash = any(regions.region_name(p) == name for p in parents.get(level, []))
    return f"{name} ({level} area)" if clash else name


def area_heading(code: str) -> str:
    """The area's name with its code and level: "Northern Ireland (TLN0, ITL2)" (the level says what ``area_label``'s
    "(ITL2 area)" would)."""
    return f"{regions.region_name(code)} ({code}, {level_of(code)})"


def no_bres(code: str) -> str:
    """The line for a Northern Ireland area (any level), which BRES does not cover."""
    return (f"No employment structure for {area_heading(code)}: BRES covers Great Britain only, so there is none for "
            "Northern Ireland or any of its areas.")


def no_data(code: str) -> dict[str, str]:
    """The profile sections without data at ``code``'s level -> one line saying so (empty for ITL1 and ITL2):
    ``sector_index``, ``growth_table``, ``employment_structure`` and ``ict_share_pct``."""
    level = level_of(code)
    if level in BY_INDUSTRY_LEVELS:
        return {}
    name = area_heading(code)
    parent = regions.parent_itl2(code)
    within = f"see its ITL2 area, {regions.region_name(parent)} ({parent})"
    return {
        "sector_index": f"No ICT or finance output series for {name}: ONS GVA by industry is used at ITL1 and ITL2 only; {within}.",
        "growth_table": f"No ICT or finance growth for {name}: ONS GVA by industry is used at ITL1 and ITL2 only; {within}.",
        "employment_structure": (no_bres(code) if regions.parent_itl1(code) == NORTHERN_IRELAND else
                                 f"No employment structure for {name}: BRES is used at ITL2 and above; {within}."),
        "ict_share_pct": f"No ICT share of GVA for {name}: GVA by industry is used at ITL1 and ITL2 only.",
    }


def headline_sources(code: str) -> dict[str, list[str]]:
    """The manifest ids behind each column of ``headline`` for an area at ``code``'s level (none for a column
    without data at that level)."""
    by_industry = level_of(code) in BY_INDUSTRY_LEVELS
    return {"population": [POPULATION_SOURCE], "gva_per_head": [GVA_PER_HEAD_SOURCE],
            "gva_per_hour_uk100": [PRODUCTIVITY_SOURCE],
            "ict_share_pct": [GVA_SOURCES[level_of(code)]] if by_industry else [],
            "ai_orgs_per_100k": [AI_ORGS_SOURCE, POPULATION_SOURCE]}


def release(source_id: str) -> str:
    """A short release for tables: "ONS, Apr 2024", "Nesta (with Innovate UK BridgeAI), Sep 2023"."""
    source = get_source(source_id)
    text = re.sub(r"\s*\(.*?\)", "", source.release)
    date = re.search(r"(\d{4})-(\d{2})-\d{2}", text)
    if date:
        return f"{source.publisher}, {pd.Timestamp(date.group(0)):%b %Y}"
    return text if text.startswith(source.publisher) else f"{source.publisher}, {text}"


def headline(code: str) -> pd.DataFrame:
    """The area's headline numbers next to London and the UK total: population, GVA per head (GBP), GVA per hour
    (UK = 100), ICT share of GVA (%) and AI organisations per 100,000 people; ``attrs['years']`` gives the years,
    ``attrs['releases']`` the releases, ``attrs['labels']`` column labels with both."""
    level = level_of(code)
    itl1 = _indicator_table("ITL1")
    rows = [_indicator_table(level).loc[[code]]]
    if code != regions.LONDON:
        rows.append(itl1.loc[[regions.LONDON]])
    rows.append(_uk_row(itl1))
    table = pd.concat(rows)
    years, sources = itl1.attrs["years"], headline_sources(code)
    table.attrs["years"] = years
    table.attrs["column_sources"] = sources
    table.attrs["releases"] = {c: "; ".join(release(s) for s in ids) for c, ids in headline_sources(regions.LONDON).items()}
    table.attrs["labels"] = {c: f"{HEADLINE_LABELS[c]} ({years[c]}; {table.attrs['releases'][c]})" for c in HEADLINE_LABELS}
    return with_sources(table, [s for ids in sources.values() for s in ids])


def headline_table(code: str) -> pd.DataFrame:
    """``headline`` for readers: rows named (the area, London, "UK total"), the year and release of every figure in
    its column label, a column without data at the area's level left out (``attrs['note']`` says so)."""
    table = headline(code)
    shown = table.drop(columns=[c for c in table.columns if pd.isna(table.at[code, c])])
    shown.index = [area_label(code) if c == code else UK_TOTAL if c == regions.UK_CODE else regions.region_name(c)
                   for c in shown.index]
    shown.index.name = "area"
    shown.attrs = {**table.attrs, "note": " ".join(no_data(code).get(c, "") for c in table.columns if c not in shown).strip()}
    shown.attrs["note"] += (" UK total: the whole UK (sums over the 12 ITL1 regions; GVA per hour: UK less Extra-Regio = 100), "
                            "not a median of regions. " + per_head_note(code))
    shown.attrs["note"] = shown.attrs["note"].strip()
    return shown


def per_head_note(code: str) -> str:
    """The caveat on rates per resident (commuting), and a small-count flag when the area's AI rate rests on fewer
    than ``SMALL_COUNT`` organisations."""
    note = ("GVA is measured where people work and population where they live, so per-head figures for areas with "
            "large net in-commuting (central London above all) overstate residents' output; AI organisations, counted "
            "at their address, likewise.")
    count = int(ai_counts(level_of(code))[code])
    if count < SMALL_COUNT:
        note += (f" Small count: {area_label(code)}'s AI rate rests on {count} organisation{'s' * (count != 1)} "
                 f"(fewer than {SMALL_COUNT}), so one more or fewer moves it a lot.")
    return note


def headline_title(code: str) -> str:
    """Title of the headline table: the area against London and the UK total (London: against the UK total)."""
    others = "the UK total" if code == regions.LONDON else "London and the UK total"
    return f"{area_label(code)} against {others}"


def ai_counts(level: str) -> pd.Series:
    """AI organisations by area (spatial join; ITL3 counted here, ITL1/ITL2 via ``indicators``)."""
    if level in BY_INDUSTRY_LEVELS:
        return indicators.ai_organisations(level).iloc[0]
    orgs = load("ai_organisations")
    return orgs[orgs.itl3_code != ""].groupby("itl3_code").size().reindex(regions.codes(level), fill_value=0)


def _indicator_table(level: str) -> pd.DataFrame:
    """The headline indicators for every area at ``level`` (latest year of each source)."""
    accounts = load("regional_accounts")
    per_head = accounts[(accounts.source_id == GVA_PER_HEAD_SOURCE) & (accounts.measure == "gva_per_head")]
    per_head_year = int(per_head.year.max())
    per_head = per_head[per_head.year == per_head_year].set_index("region_code")["value"]
    population_year = int(indicators.population(level).index.max())
    population = indicators.population_for_years([population_year], level).iloc[0]
    relative = indicators.productivity("per_hour", level, "relative")
    release = indicators.previous_release()
    ict_share, ict_year = float("nan"), int(indicators.gva("TOTAL", "ITL1", release).index.max())
    if level in BY_INDUSTRY_LEVELS:
        ict_share = indicators.gva("J", level, release).iloc[-1] / indicators.gva("TOTAL", level, release).iloc[-1] * 100
    table = pd.DataFrame({
        "population": population,
        "gva_per_head": per_head.reindex(population.index),
        "gva_per_hour_uk100": relative.iloc[-1],
        "ict_share_pct": ict_share,
        "ai_orgs_per_100k": ai_counts(level) / population * 100_000,
    })
    table.attrs["years"] = {"population": population_year, "gva_per_head": per_head_year,
                            "gva_per_hour_uk100": int(relative.index.max()), "ict_share_pct": ict_year,
                            "ai_orgs_per_100k": 2023}
    table.attrs["per_head_uk"] = per_head[regions.UK_CODE]
    return table


def _uk_row(itl1: pd.DataFrame) -> pd.DataFrame:
    """The UK total: sums of the 12 ITL1 regions (ICT share and AI density from the sums; GVA per hour = 100)."""
    population = itl1["population"].sum()
    release = indicators.previous_release()
    ict_share = (indicators.gva("J", "ITL1", release).iloc[-1].sum() / indicators.gva("TOTAL", "ITL1", release).iloc[-1].sum() * 100)
    return pd.DataFrame({"population": population, "gva_per_head": itl1.attrs["per_head_uk"], "gva_per_hour_uk100": 100.0,
                         "ict_share_pct": ict_share,
                         "ai_orgs_per_100k": indicators.ai_organisations("ITL1").iloc[0].sum() / population * 100_000},
                        index=[regions.UK_CODE])


def _empty(columns, note: str) -> pd.DataFrame:
    out = pd.DataFrame(columns=columns)
    out.attrs["note"] = note
    return with_sources(out, [])


def sector_index(code: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Chained-volume GVA of ``sector`` indexed to ``start_year`` = 100, for the area and the UK (empty, with
    ``attrs['note']``, for an ITL3 area)."""
    level = level_of(code)
    if level not in BY_INDUSTRY_LEVELS:
        return _empty([code, regions.UK_CODE], no_data(code)["sector_index"])
    table = load("gva_by_industry")
    table = table[(table.industry_code == sector) & table.year.between(start_year, end_year)]
    uk = table[(table.source_id == GVA_CVM_SOURCES["ITL1"]) & (table.region_code == regions.UK_CODE)]
    area = table[(table.source_id == GVA_CVM_SOURCES[level]) & (table.region_code == code)]
    wide = year_by_region(pd.concat([area, uk]), columns=[code, regions.UK_CODE])
    return with_sources(wide.apply(lambda column: rates.index_to_base(column, start_year)), wide.attrs["source_ids"])


def growth(code: str, start_year: int = 1998, end_year: int = 2021) -> pd.DataFrame:
    """J and K growth of the area and the UK total on both price bases (``profile_growth.growth_table``);
    ``attrs['title']`` states the ICT comparison on both bases."""
    table = profile_growth.growth_table(code, start_year, end_year, area_label(code))
    table.attrs["title"] = profile_growth.growth_title(table, area_label(code))
    if table.empty:
        table.attrs["note"] = no_data(code)["growth_table"]
    return table


def employment_structure(code: str) -> pd.DataFrame:
    """Full-time employees (integers) by SIC section in the latest BRES year: the area's share (%) and location
    quotient against Great Britain (ITL1 values sum their ITL2 areas); ``attrs['year']`` and ``attrs['note']``
    give the year and release. Empty, with a note, for Northern Ireland (BRES covers GB) and at ITL3."""
    level = level_of(code)
    columns = ["industry", "employees", "share_pct", "location_quotient"]
    if level not in BY_INDUSTRY_LEVELS:
        return _empty(columns, no_data(code)["employment_structure"])
    jobs = load("employment")
    jobs = jobs[jobs.source_id == BRES_SECTIONS_SOURCE]
    year = int(jobs.year.max())
    jobs = jobs[jobs.year == year].assign(area=lambda d: d.itl1_code if level == "ITL1" else d.region_code)
    wide = jobs.pivot_table(index="area", columns="industry_code", values="value", aggfunc="sum")
    if code not in wide.index:  # BRES covers Great Britain only
        return _empty(columns, no_bres(code))
    names = jobs.drop_duplicates("industry_code").set_index("industry_code")["industry_name"]
    lq = inequality.location_quotient(wide.loc[code], wide.sum())
    result = pd.DataFrame({"industry": names, "employees": wide.loc[code].round().astype("int64"),
                           "share_pct": wide.loc[code] / wide.loc[code].sum() * 100, "location_quotient": lq})
    result = result.sort_values("employees", ascending=False)
    provisional = f"{year} provisional" in get_source(BRES_SECTIONS_SOURCE).release
    result.attrs["year"] = year
    result.attrs["year_label"] = f"{year}, provisional" if provisional else str(year)
    result.attrs["labels"] = {"employees": f"Full-time employees, {result.attrs['year_label']}"}
    result.attrs["note"] = f"BRES {year} ({get_source(BRES_SECTIONS_SOURCE).release}); location quotient against Great Britain."
    return with_sources(result, [BRES_SECTIONS_SOURCE])


def ecosystem_ranks(code: str) -> pd.DataFrame:
    """The ITL1 region's value and rank (1 = highest of 12) on each AI-ecosystem indicator, next to the median of
    the 12 ITL1 regions (an ITL2 or ITL3 area gets its ITL1 region's); ``attrs['note']`` names the comparators."""
    level_of(code)
    itl1 = regions.parent_itl1(code)
    table = ecosystem.ecosystem_table()
    meta = ecosystem.ecosystem_metadata()
    ranks = table.rank(ascending=False, method="min")
    out = pd.DataFrame({"indicator": meta["label"], "unit": meta["unit"], "period": meta["period"],
                        "value": table.loc[itl1], "median_of_12_regions": table.median(),
                        "rank_of_12": ranks.loc[itl1].astype(int)})
    ai = table["ai_orgs_per_100k"]
    uk_total = indicators.ai_organisations("ITL1").iloc[0].sum() / indicators.population_for_years(
        [int(indicators.population("ITL1").index.max())], "ITL1").iloc[0].sum() * 100_000
    out.attrs["labels"] = {"median_of_12_regions": "Median of the 12 ITL1 regions", "value": regions.region_name(itl1)}
    out.attrs["decimals"] = {"value": 1, "median_of_12_regions": 1}  # the median with the region's value's decimals
    out.attrs["note"] = (f"Comparator: the median of the 12 ITL1 regions, not the UK total. For AI organisations per "
                         f"100,000 people the median is {ai.median():.1f}, the UK total {uk_total:.1f} (all organisations "
                         f"over all residents: London's density pulls it up) and the median of the 11 regions other than "
                         f"London, used in the ai-ecosystem report, {ai.drop(regions.LONDON).median():.1f}.")
    return with_sources(out, table.attrs.get("source_ids", []))


def zones_title(code: str) -> str:
    """Title of the AI Growth Zones table: the zones of the area's ITL1 region, named as such (for an ITL2 or ITL3
    area a zone in its region need not be in the area)."""
    itl1, name = regions.parent_itl1(code), area_label(code)
    if level_of(code) == "ITL1":
        return f"AI Growth Zones in {name} (announcements)"
    return (f"AI Growth Zones in {regions.region_name(itl1)}, the ITL1 region that contains {name} (announcements; "
            f"a zone need not be in {name} itself)")


def policies(code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """AI Growth Zones in the area's ITL1 region, and the claims (with verdicts) that name the region: only those
    claims' checks are run."""
    level_of(code)
    itl1 = regions.parent_itl1(code)
    zones = claims.growth_zones()
    named = claims.claims_naming(itl1)
    checked = claims.check_all(named)[["claim", "verdict", "evidence"]] if named else pd.DataFrame()
    return zones[zones.itl1_code == itl1], checked



def main_points(code: str, start_year: int = 1998, end_year: int = 2021) -> str:
    """The 'Main points' bullets (Markdown): ``profile_summary.main_points``."""
    from helpers.questions.profiles import findings as profile_summary

    return profile_summary.main_points(code, start_year, end_year)


def headline_metrics(code: str, start_year: int = 1998, end_year: int = 2021) -> pd.DataFrame:
    """The profile's headline metrics (id, value, unit, description, source_ids): ``profile_summary.headline_metrics``."""
    from helpers.questions.profiles import findings as profile_summary

    return profile_summary.headline_metrics(code, start_year, end_year)
