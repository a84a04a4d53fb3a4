"""Region profiles (notebooks/region_profile.ipynb): the tables of one ITL1 region, ITL2 or ITL3 area against the UK
and London: headline numbers, ICT and finance output, employment structure, the region's AI-ecosystem ranks, and the
policies and claims that concern it. Every figure comes from the newest release that has it at the area's level; a
section without data at that level (BRES employment below ITL2) is an empty table whose ``attrs["note"]`` says why.
Every table carries its sources in ``attrs["source_ids"]``; its words (titles, notes) come from the profiles'
wording file (``wording.md.j2``). The growth of ICT and finance is in ``growth``, the tables of areas in ``areas``,
the Main points and headline figures in ``findings``.

Comparators are named for what they are: "UK total" (the whole UK: a sum, or total over total population), "median
of the 12 ITL1 regions" (``ecosystem_ranks``).
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import ecosystem, indicators
from helpers.data.datasets import load
from helpers.data.headline import ai_counts, indicator_table
from helpers.data.indicators import (
    BRES_SECTIONS_SOURCE,
    with_sources,
    year_by_region,
)
from helpers.data.sources import get_source
from helpers.findings import wording
from helpers.questions.claims import findings as claims
from helpers.stats import inequality, rates

QUESTION = "profiles"
PROFILE_LEVELS = ("ITL1", "ITL2", "ITL3")
BRES_LEVELS = ("ITL1", "ITL2")  # BRES is published by ITL2 (NUTS 2) area
NORTHERN_IRELAND = "TLN"  # BRES covers Great Britain only
SMALL_COUNT = 5  # AI organisations: a rate built on fewer is flagged as a small count
HEADLINE = ("population", "gva_per_head", "gva_per_hour_uk100", "ict_share_pct", "ai_orgs_per_100k")


def line(macro: str, **fields) -> str:
    """One line of the profiles' wording (titles, notes, column labels)."""
    return wording.line(QUESTION, macro, **fields)


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
    return line("area_label", name=name, level=level) if clash else name


def area_heading(code: str) -> str:
    """The area's name with its code and level: "Northern Ireland (TLN0, ITL2)"."""
    return line("area_heading", name=regions.region_name(code), code=code, level=level_of(code))


def release_words(source_id: str) -> str:
    """A short release for labels: "ONS, April 2024", "Nesta (with Innovate UK BridgeAI), September 2023"."""
    source = get_source(source_id)
    return line("release_words", publisher=source.publisher, published=claims.date_words(source.published[:7]))


def headline(code: str) -> pd.DataFrame:
    """The area's headline numbers next to London and the UK total (rows: codes): population, GVA per head (GBP),
    GVA per hour (UK = 100), ICT share of GVA (%) and AI organisations per 100,000 people. ``attrs``: ``years``,
    ``column_sources``, ``releases`` and ``labels`` (each column's label with its year and release)."""
    table = indicator_table(level_of(code))
    london = [] if code == regions.LONDON else [indicator_table("ITL1").loc[[regions.LONDON]]]
    out = pd.concat([table.loc[[code]], *london, table.loc[[regions.UK_CODE]]])
    years, sources = table.attrs["years"], table.attrs["column_sources"]
    releases = {c: "; ".join(dict.fromkeys(release_words(s) for s in ids)) for c, ids in sources.items()}
    out.attrs.update(years=years, column_sources=sources, releases=releases,
                     labels={c: line("headline_label", column=c, year=years[c], release=releases[c]) for c in HEADLINE})
    return with_sources(out, [s for ids in sources.values() for s in ids])


def headline_table(code: str) -> pd.DataFrame:
    """``headline`` for readers: rows named (the area, London, "UK total"); ``attrs['note']`` names the UK total
    and the caveats of per-head figures (and a small count of AI organisations)."""
    table = headline(code)
    shown = table.copy()
    shown.index = pd.Index([area_label(c) if c == code else line("uk_total") if c == regions.UK_CODE
                            else regions.region_name(c) for c in table.index], name="area")
    count = int(ai_counts(level_of(code))[code])
    shown.attrs = {**table.attrs, "note": line("headline_note", name=area_label(code), count=count, small=SMALL_COUNT)}
    return shown


def sector_index(code: str, sector: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Chained-volume GVA of ``sector`` indexed to ``start_year`` = 100, for the area and the UK (every level)."""
    level = level_of(code)
    rows = indicators.gva_rows("chained_volume")
    rows = rows[(rows.industry_code == sector) & rows.year.between(start_year, end_year)]
    area = rows[(rows.geography_level == level) & (rows.region_code == code)]
    uk = rows[rows.region_code == regions.UK_CODE]
    wide = year_by_region(pd.concat([area, uk]), columns=[code, regions.UK_CODE])
    return with_sources(wide.apply(lambda column: rates.index_to_base(column, start_year)), wide.attrs["source_ids"])


def employment_structure(code: str) -> pd.DataFrame:
    """Full-time employees (integers) by SIC section in the latest BRES year: the area's share (%) and location
    quotient against Great Britain (ITL1 values sum their ITL2 areas); ``attrs``: year, its label and a note. Empty,
    with a note, for Northern Ireland (BRES covers Great Britain) and below ITL2 (BRES is by ITL2 area)."""
    level = level_of(code)
    columns = ["industry", "employees", "share_pct", "location_quotient"]
    if level not in BRES_LEVELS or regions.parent_itl1(code) == NORTHERN_IRELAND:
        empty = pd.DataFrame(columns=columns)
        empty.attrs["note"] = line("no_bres", heading=area_heading(code), northern_ireland=regions.parent_itl1(code) == NORTHERN_IRELAND,
                                   parent=regions.parent_itl2(code) if level == "ITL3" else None)
        return with_sources(empty, [])
    jobs = load("employment")
    jobs = jobs[jobs.source_id == BRES_SECTIONS_SOURCE]
    year = int(jobs.year.max())
    jobs = jobs[jobs.year == year].assign(area=lambda d: d.itl1_code if level == "ITL1" else d.region_code)
    wide = jobs.pivot_table(index="area", columns="industry_code", values="value", aggfunc="sum")
    names = jobs.drop_duplicates("industry_code").set_index("industry_code")["industry_name"]
    result = pd.DataFrame({"industry": names, "employees": wide.loc[code].round().astype("int64"),
                           "share_pct": wide.loc[code] / wide.loc[code].sum() * 100,
                           "location_quotient": inequality.location_quotient(wide.loc[code], wide.sum())})
    result = result.sort_values("employees", ascending=False)
    source = get_source(BRES_SECTIONS_SOURCE)
    provisional = f"{year} provisional" in source.release
    result.attrs.update(year=year, year_label=line("bres_year", year=year, provisional=provisional))
    result.attrs["labels"] = {"employees": line("employees_label", year=result.attrs["year_label"])}
    result.attrs["note"] = line("bres_note", year=year, release=source.release)
    return with_sources(result, [BRES_SECTIONS_SOURCE])


def ecosystem_ranks(code: str) -> pd.DataFrame:
    """The ITL1 region's value and rank (1 = highest of 12) on each AI-ecosystem indicator, next to the median of
    the 12 ITL1 regions (an ITL2 or ITL3 area gets its ITL1 region's); ``attrs['note']`` names the comparators."""
    level_of(code)
    itl1 = regions.parent_itl1(code)
    table, meta = ecosystem.ecosystem_table(), ecosystem.ecosystem_metadata()
    ranks = table.rank(ascending=False, method="min")
    out = pd.DataFrame({"indicator": meta["label"], "unit": meta["unit"], "period": meta["period"],
                        "value": table.loc[itl1], "median_of_12_regions": table.median(),
                        "rank_of_12": ranks.loc[itl1].astype(int)})
    ai = table["ai_orgs_per_100k"]
    uk_total = indicator_table("ITL1").at[regions.UK_CODE, "ai_orgs_per_100k"]
    out.attrs["labels"] = {"median_of_12_regions": line("median_label"), "value": regions.region_name(itl1)}
    out.attrs["decimals"] = {"value": 1}
    out.attrs["format_like"] = {"median_of_12_regions": "value"}  # the median with the precision of the values
    out.attrs["note"] = line("ranks_note", median=ai.median(), uk=uk_total, others=ai.drop(regions.LONDON).median())
    return with_sources(out, table.attrs.get("source_ids", []))


def policies(code: str) -> dict[str, pd.DataFrame]:
    """What concerns the area's ITL1 region: its AI Growth Zones and public compute sites (each with its source),
    and the claims that name the region with their verdicts (only those claims are read)."""
    level_of(code)
    itl1 = regions.parent_itl1(code)
    zones, sites = claims.growth_zones(), claims.compute_sites()
    named = claims.run(claims.claims_naming(itl1)) if claims.claims_naming(itl1) else {}
    rows = [{"claim": c.claim, "verdict": c.verdict, "published": claims.line("published_cell", c=c),
             "evidence": claims.line("evidence_cell", c=c)} for c in named.values()]
    checked = pd.DataFrame(rows, columns=["claim", "verdict", "published", "evidence"])
    checked.attrs["row_ids"] = [f"claim-{c.id}" for c in named.values()]
    checked.attrs["links"] = {"published": [claims.first_address(c.address) for c in named.values()]}
    return {"zones": zones[zones.itl1_code == itl1], "sites": sites[sites.itl1_code == itl1],
            "claims": with_sources(checked, [s for c in named.values() for s in c.sources])}
