"""Regional indicators of the tech and AI economy, as region x year tables built from the tidy datasets, with the one
reshaper of tidy rows into year x region tables (``year_by_region``) and the source ids every table carries
(``attrs["source_ids"]``, ``with_sources``), so that a chart caption cites them without a notebook retyping an id.

``TOTALS``: additive quantities (GBP, jobs, counts) with the benchmark each is compared with (total GVA, total
employment or resident population), for shares, location quotients and concentration indices. The per-region
AI-ecosystem indicators built on these are in ``helpers.data.ecosystem``.

ITL1 values of quantities published for ITL2 or NUTS 2 areas are sums of those areas (NUTS 2 codes of the
2010/2013 vintages map to ITL1 regions by their first three characters). Rates published for ITL2 areas are
averaged to ITL1 with resident population as weights (the nearest year of ONS mid-year estimates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from helpers import regions, sic
from helpers.data.datasets import load, releases
from helpers.data.memo import memoized
from helpers.stats import inequality

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


LEVELS = regions.LEVELS

# ---------------------------------------------------------------- the manifest id of each fact (data/sources.yml)
GVA_SOURCES = {"ITL1": "gva_itl1_cp_2023", "ITL2": "gva_itl2_cp_2023"}  # GVA by industry, current prices
# Apr 2024 release: ITL2 by industry 1998-2022 (ITL1 = sum of ITL2) and all-industry totals
GVA_2024_SOURCE = "gva_itl2_cp_2024"
GVA_TOTAL_2024_SOURCE = "gva_total_cp_2024"
GVA_VINTAGES = {2023: "Apr 2023 release", 2024: "Apr 2024 release"}
GVA_CVM_SOURCES = {"ITL1": "gva_itl1_cvm_2023", "ITL2": "gva_itl2_cvm_2023"}  # GVA by industry, chained volume
GVA_PER_HEAD_SOURCE = "gva_per_head_2023"
POPULATION_SOURCE = "population_2024"
PRODUCTIVITY_SOURCE = "productivity_2024"
BRES_SOURCE = "bres_employment_sic2_2023"  # employment by SIC division
BRES_SECTIONS_SOURCE = "bres_ft_employees_sections_2024"  # full-time employees by SIC section
WORKFORCE_JOBS_SOURCE = "workforce_jobs_2021"
AI_ORGS_SOURCE = "waifinder_orgs_2023"
POSTINGS_SOURCE = "indeed_postings_regions"
VENTURE_CAPITAL_SOURCE = "nesta_venture_capital"
INNOVATE_UK_SOURCE = "nesta_innovate_uk"
TECH_FIRMS_SOURCE = "nesta_tech_firms_founded"
AI_PREPRINTS_SOURCE = "nesta_ai_preprints"
BERD_SOURCES = ("berd_itl2_son25", "berd_itl2_son26")
POSTGRADUATE_SOURCE = "smc_postgraduate"
NEW_ECONOMY_SOURCE = "smc_new_economy_jobs"
GIGABIT_SOURCE = "smc_gigabit_broadband"
BOUNDARY_SOURCES = {"ITL1": "geo_itl1", "ITL2": "geo_itl2"}
# what the years of some series are (data/sources.yml; data/raw/innovation/PROVENANCE.md)
AI_ORGS_PERIOD = "2023: WAIfinder refresh of Sep 2023 of a Glass.ai company extract of Mar 2022"
BERD_HEADLINE = BERD_SOURCES[0]  # the published edition; the SON 2026 file is a pre-publication input
BERD_PERIODS = ("reference year 2023 from the State of the Nation 2025 dataset (Northern Ireland 2022); the 2024 "
                "figure of the State of the Nation 2026 input file (pre-publication, on another price base) is not "
                "comparable and is shown only as a flagged comparison")
TECH_FIRMS_CAVEAT = ("Crunchbase adds firms and their founding dates with a lag, and sooner for London start-ups, so "
                     "recent years under-count the other regions: the rise of London's share is not a usable trend")


def _wide(rows: pd.DataFrame, level: str) -> pd.DataFrame:
    """Tidy rows -> year x region table at ``level`` (ITL1 values summed from ITL2/NUTS 2 rows if needed)."""
    return year_by_region(rows, level, aggregate_from_itl2=True)


# ---------------------------------------------------------------- the building blocks


GVA_MEASURES = {"current_prices": "gva_current_prices", "chained_volume": "gva_chained_volume"}


def gva_releases() -> list[str]:
    """The releases of regional GVA by industry in the data (publication dates, oldest first)."""
    return releases("gva_by_industry")


def latest_release() -> str:
    """The newest release of regional GVA by industry (current prices at ITL2 and ITL3 only)."""
    return gva_releases()[-1]


def previous_release() -> str:
    """The release before the newest: the latest with every table (ITL1, chained volume)."""
    return gva_releases()[-2]


# ---------------------------------------------------------------- growth of GVA by industry, defined once
# Question 1 and the compare page measure ICT and finance growth the same way: in the newest release that has both
# price bases (chained volume is published only in the April 2023 release), over the years both bases cover, and the
# UK's growth from the UK row the ONS publishes (chained volumes are not additive: a sum of regions is not the UK).


@memoized
def growth_release() -> str:
    """The release growth of GVA by industry is measured in: the newest that has both price bases."""
    for release in reversed(gva_releases()):
        if set(GVA_MEASURES.values()) <= set(load("gva_by_industry", release=release)["measure"]):
            return release
    raise ValueError("no release of GVA by industry has both price bases")


@memoized
def growth_window() -> tuple[int, int]:
    """The first and last year that both price bases of ``growth_release()`` cover (UK rows)."""
    spans = [uk_gva("TOTAL", basis).index for basis in GVA_MEASURES]
    return int(max(s.min() for s in spans)), int(min(s.max() for s in spans))


@memoized
def uk_gva(industry: str, basis: str = "current_prices", release: str | None = None) -> pd.Series:
    """UK GVA of a SIC 2007 section or division (``TOTAL`` for all), GBP million, by year, on ``basis``, from
    ``release`` (default ``growth_release()``): the published UK row, or where a release has none (current prices
    only) the sum of its ITL2 areas."""
    rows = gva_rows(basis, release or growth_release())
    rows = rows[rows.industry_code == industry]
    uk = rows[rows.region_code == regions.UK_CODE]
    if uk.empty and basis == "current_prices":
        uk = rows[rows.geography_level == "ITL2"]
    if uk.empty:
        raise ValueError(f"no UK GVA for industry {industry!r} ({basis}, release {release or growth_release()})")
    series = uk.groupby(uk["year"].astype(int))["value"].sum(min_count=1).rename(regions.UK_CODE)
    return with_sources(series, pd.unique(uk["source_id"]))


@memoized
def population(level: str = "ITL1") -> pd.DataFrame:
    """Resident population (persons, mid-year), year x region; ONS regional accounts, latest release."""
    accounts = load("regional_accounts")
    return _wide(accounts[accounts.measure == "population"], level)


def population_for_years(years, level: str = "ITL1") -> pd.DataFrame:
    """Population for each of ``years``; for a year (or area) not published, the nearest published year of
    that area (e.g. 2021 for three Scottish ITL2 areas that have no 2022 estimate in the Apr 2024 release)."""
    table = population(level)
    table = table.reindex(range(min(table.index.min(), *years), max(table.index.max(), *years) + 1))
    return table.ffill().bfill().loc[list(years)]


@memoized
def gva_rows(basis: str = "current_prices", release: str | None = None) -> pd.DataFrame:
    """Tidy rows of regional GVA by industry on ``basis`` ("current_prices" or "chained_volume"), GBP million:
    ``release`` (a publication date), or by default, for each geography level, the latest release that has it."""
    if basis not in GVA_MEASURES:
        raise ValueError(f"basis must be one of {list(GVA_MEASURES)}, not {basis!r}")
    table = load("gva_by_industry", release=release)
    return table[table.measure == GVA_MEASURES[basis]]


@memoized
def gva(industry: str, level: str = "ITL1", release: str | None = None, basis: str = "current_prices") -> pd.DataFrame:
    """GVA of a SIC 2007 section or division (``TOTAL`` for all), GBP million, year x region, from ``gva_rows``
    (ITL1 values summed from ITL2 where the release has no ITL1 table). Total GVA at current prices comes from the
    release's all-industry table (``regional_accounts``), which the industry tables add up to."""
    if industry == "TOTAL" and basis == "current_prices":
        accounts = load("regional_accounts", release=release)
        return _wide(accounts[accounts.measure == GVA_MEASURES[basis]], level)
    rows = gva_rows(basis, release)
    rows = rows[rows.industry_code == industry]
    if rows.empty:
        raise ValueError(f"no GVA rows for industry {industry!r} ({basis}, release {release or 'latest'})")
    return _wide(rows, level)


@memoized
def employment(divisions: list[str] | None, level: str = "ITL1") -> pd.DataFrame:
    """Employment (employees and working owners) in SIC 2-digit ``divisions`` (None = all industries),
    year x region; ONS BRES, Great Britain only (Northern Ireland is not covered)."""
    table = load("employment")
    rows = table[table.measure == "employment"]
    if divisions is not None:
        rows = rows[rows.industry_code.isin(divisions)]
    return with_sources(_wide(rows, level).drop(columns=["TLN", "TLN0"], errors="ignore"), [BRES_SOURCE])


@memoized
def ai_organisations(level: str = "ITL1") -> pd.DataFrame:
    """Count of AI organisations (companies, funders, incubators, universities) located in each area at ``level``
    (ITL1, ITL2 or ITL3), one row for 2023; WAIfinder (Nesta with Innovate UK BridgeAI), placed by postcode. A count of presence at an address
    (often a head office), not of size or of where the AI work is done."""
    orgs = load("ai_organisations")
    key = f"{level.lower()}_code"  # each level on its own column (itl1_code, itl2_code, itl3_code)
    counts = orgs[orgs[key] != ""].groupby(key).size().reindex(regions.codes(level), fill_value=0)
    return with_sources(counts.to_frame(2023).T.rename_axis("year"), [AI_ORGS_SOURCE])


@memoized
def innovation_total(measure: str, level: str = "ITL1") -> pd.DataFrame:
    """A Nesta innovation quantity (GBP or count), year x region: ITL2 areas from 2016, NUTS 2 (2010
    boundaries) before, so earlier years exist at ITL1 only. Areas absent in a year count as zero."""
    table = load("innovation")
    rows = table[table.measure == measure]
    if level == "ITL1":
        rows = rows.assign(geography_level="ITL2")  # both NUTS 2 and ITL2 rows sum to ITL1 via itl1_code
    return with_sources(_wide(rows, level).fillna(0.0), pd.unique(rows["source_id"]))


@memoized
def ai_preprints(level: str = "ITL1") -> pd.DataFrame:
    """Participations (institution-paper pairs) in arXiv AI preprints by the location of the institution, year x
    region; Nesta EURITO. ITL1 from the file's NUTS1 rows; ITL2 from its NUTS2 rows of the 2016 and later vintages
    (earlier years are at ITL1 only). Areas absent in a year count as zero."""
    rows = load("ai_preprints")
    return with_sources(year_by_region(rows, level).fillna(0.0), pd.unique(rows["source_id"]))


@memoized
def business_rd(level: str = "ITL1", editions: tuple[str, ...] = (BERD_HEADLINE,)) -> pd.DataFrame:
    """Business enterprise R&D, GBP million, year x region: the Social Mobility Commission's ITL2 BERD per
    100,000 residents (ONS BERD) times the population / 100,000 (2022 population for later years).

    Each SMC edition is one cross-section: SON 2025 is 2023 (Northern Ireland 2022, filed under 2023 here),
    SON 2026 is 2024. By default only the published SON 2025 edition: the SON 2026 file is a pre-publication
    input on another price base, so its 2024 figure is not comparable with 2023 (pass
    ``editions=BERD_SOURCES`` for the flagged comparison)."""
    table = load("innovation")
    rows = table[(table.measure == "berd_per_100k_residents") & (table.geography_level == "ITL2")
                 & table.source_id.isin(editions)]
    rows = rows.assign(year=rows.groupby("source_id")["year"].transform("max"))
    rate = year_by_region(rows, "ITL2")
    totals = rate * population_for_years(rate.index, "ITL2").to_numpy() / 100_000
    if level != "ITL2":
        totals = totals.T.groupby(regions.itl2()["itl1_code"]).sum(min_count=1).T.reindex(columns=regions.codes("ITL1"))
    return with_sources(totals, [*editions, POPULATION_SOURCE])


# ---------------------------------------------------------------- totals for concentration


@dataclass(frozen=True)
class Total:
    """An additive regional quantity and the base it is compared with."""

    id: str
    label: str
    unit: str
    benchmark_label: str
    source_ids: tuple[str, ...]
    values: Callable[[str], pd.DataFrame]
    benchmark: Callable[[str, list[int]], pd.DataFrame]
    coverage: str = "UK"
    pooled_lq: bool = False  # location quotients over all years together (noisy yearly counts)
    partial_years: tuple[int, ...] = ()  # incomplete years: left out of endpoints and trend tests
    provisional_years: tuple[int, ...] = ()  # provisional estimates: kept, flagged (and dropped in a check)
    trend_caveat: str = ""  # why the series' trend cannot be read (then it is described, not tested)
    years_note: str = ""  # what the years are, when not plain reference years (editions, extracts)


def _total_gva_latest(level: str, years: list[int]) -> pd.DataFrame:
    return gva("TOTAL", level, latest_release()).loc[years]


def _total_employment(level: str, years: list[int]) -> pd.DataFrame:
    return employment(None, level).loc[years]


def _population(level: str, years: list[int]) -> pd.DataFrame:
    return population_for_years(years, level)


ICT_DIVISIONS = sic.ICT_DIVISIONS  # SIC 2007 section J: 58-63
SOFTWARE_DIVISIONS = sic.SOFTWARE_DIVISIONS  # 62-63: computer programming, consultancy; information services

TOTALS = {
    t.id: t
    for t in [
        Total("ict_gva", "ICT GVA (SIC J)", "GBP million, current prices", "total GVA",
              (GVA_2024_SOURCE, GVA_TOTAL_2024_SOURCE), lambda level: gva("J", level, latest_release()), _total_gva_latest),
        Total("finance_gva", "Finance GVA (SIC K)", "GBP million, current prices", "total GVA",
              (GVA_2024_SOURCE, GVA_TOTAL_2024_SOURCE), lambda level: gva("K", level, latest_release()), _total_gva_latest),
        Total("ict_employment", "ICT employment (SIC 58-63)", "persons", "total employment",
              (BRES_SOURCE,), lambda level: employment(ICT_DIVISIONS, level), _total_employment,
              coverage="Great Britain", provisional_years=(2021,)),
        Total("software_employment", "Software and IT services employment (SIC 62-63)", "persons",
              "total employment", (BRES_SOURCE,),
              lambda level: employment(SOFTWARE_DIVISIONS, level), _total_employment, coverage="Great Britain",
              provisional_years=(2021,)),
        Total("ai_organisations", "AI organisations (WAIfinder)", "organisations", "population",
              (AI_ORGS_SOURCE, POPULATION_SOURCE), ai_organisations, _population, years_note=AI_ORGS_PERIOD),
        Total("venture_capital", "Venture capital raised", "GBP", "population",
              (VENTURE_CAPITAL_SOURCE, POPULATION_SOURCE), lambda level: innovation_total("venture_capital", level),
              _population, pooled_lq=True),
        Total("innovate_uk_funding", "Innovate UK funding", "GBP", "population",
              (INNOVATE_UK_SOURCE, POPULATION_SOURCE), lambda level: innovation_total("innovate_uk_funding", level),
              _population, pooled_lq=True, partial_years=(2010, 2020)),
        Total("business_rd", "Business R&D (BERD)", "GBP million", "population",
              (BERD_HEADLINE, POPULATION_SOURCE), business_rd, _population, years_note=BERD_PERIODS),
        Total("ai_preprints", "AI preprint participations (EURITO)", "participations", "population",
              (AI_PREPRINTS_SOURCE, POPULATION_SOURCE), ai_preprints, _population, pooled_lq=True, partial_years=(2021,)),
        Total("tech_firms_founded", "Tech firms founded", "firms", "population",
              (TECH_FIRMS_SOURCE, POPULATION_SOURCE),
              lambda level: innovation_total("tech_firms_founded", level), _population, pooled_lq=True,
              trend_caveat=TECH_FIRMS_CAVEAT),
    ]
}


def sources_of(items) -> list[str]:
    """The sorted manifest ids of indicators (``Total`` or ``EcosystemIndicator`` objects), each once."""
    return sorted({s for item in items for s in item.source_ids})


def get_total(total_id: str) -> Total:
    try:
        return TOTALS[total_id]
    except KeyError:
        raise KeyError(f"Unknown indicator {total_id!r}. Known: {', '.join(TOTALS)}.") from None


@memoized
def values_and_benchmark(total_id: str, level: str = "ITL1") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicator and its benchmark, both year x region over the indicator's years (regions with data)."""
    total = get_total(total_id)
    values = total.values(level).dropna(how="all")
    values = values.dropna(axis=1, how="all")
    benchmark = total.benchmark(level, list(values.index))[values.columns]
    return with_sources(values, total.source_ids), benchmark


# ---------------------------------------------------------------- labour productivity (ONS subregional)

MEASURES = {
    "per_hour": ("gva_per_hour", "gva_per_hour_index", "gva_per_hour_cvm_index", "gva_per_hour_smoothed"),
    "per_job": ("gva_per_job", "gva_per_job_index", "gva_per_job_cvm_index", "gva_per_job_smoothed"),
}


@memoized
def productivity(measure: str, level: str = "ITL2", kind: str = "level") -> pd.DataFrame:
    """Year x region table of labour productivity.

    measure: ``per_hour`` (GVA per hour worked) or ``per_job`` (GVA per filled job);
    kind: ``level`` (GBP, current prices), ``relative`` (UK less Extra-Regio = 100, current prices),
    ``real_index`` (chained volume, 2019 = 100, for growth within a region) or ``smoothed_level`` (GBP, current
    prices, ONS 5-year smoothed series)."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, not {measure!r}")
    kinds = {"level": 0, "relative": 1, "real_index": 2, "smoothed_level": 3}
    if kind not in kinds:
        raise ValueError(f"kind must be one of {list(kinds)}, not {kind!r}")
    name = MEASURES[measure][kinds[kind]]
    table = load("labour_productivity")
    return year_by_region(table[table.measure == name], level)


@memoized
def london_share_and_lq(industry: str, release: str) -> pd.DataFrame:
    """Per year: London's share of the UK (sum of the 12 ITL1 regions) GVA in ``industry`` (%), its share of
    all GVA (%), its location quotient and the Theil index of the industry against all GVA (the 12 regions), in
    ``release``."""
    part, whole = gva(industry, "ITL1", release), gva("TOTAL", "ITL1", release)
    years = part.index.intersection(whole.index)
    part, whole = part.loc[years], whole.loc[years]
    share = part[regions.LONDON] / part.sum(axis=1) * 100
    benchmark = whole[regions.LONDON] / whole.sum(axis=1) * 100
    theil = pd.Series({year: inequality.theil(part.loc[year], whole.loc[year]) for year in years})
    table = pd.DataFrame({"share_pct": share, "benchmark_share_pct": benchmark, "lq": share / benchmark, "theil": theil})
    return with_sources(table.rename_axis("year"), [*part.attrs["source_ids"], *whole.attrs["source_ids"]])

