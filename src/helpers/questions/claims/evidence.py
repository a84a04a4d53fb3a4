"""The open data behind the claims' readings (``helpers.questions.claims.readings``), each table carrying its manifest
ids in ``attrs["source_ids"]``: the Indeed AI tracker and Indeed's city postings over a window against the same days a
year earlier, an area's tech employment on three BRES definitions, an area's growth rank among the areas outside
London on the measures a referee would ask for, and London's share of a regional total (context for claims no open
series measures).
"""

from __future__ import annotations

import math

import pandas as pd

from helpers import regions, sic
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.indicators import BRES_SECTIONS_SOURCE, BRES_SOURCE, with_sources, year_by_region
from helpers.data.memo import memoized
from helpers.data.sources import get_source
from helpers.questions.claims.model import days
from helpers.stats import rates

DIGITAL_SOURCE = "bres_employment_sic5_2023"  # the DCMS digital sector, summed from BRES subclasses
CITY_SOURCE = "indeed_postings_cities"
MEASURE_SOURCES = {"ai_postings": ("indeed_ai_share", "indeed_postings_national"), "ai_share": ("indeed_ai_share",),
                   "genai_postings": ("indeed_genai_share", "indeed_postings_national"),
                   "genai_share": ("indeed_genai_share",), "all_postings": ("indeed_postings_national",)}
TRACKER_COLUMNS = {"ai_share": "ai_share_of_postings", "genai_share": "genai_share_of_postings",
                   "all_postings": "job_postings_index"}
RECENT_YEARS = 5  # a growth claim in the present tense: the last five years of growth to the data's last year


def month_window(month: str) -> tuple[str, str]:
    """A month ("2025-06") as a window of days (first, last)."""
    first = pd.Timestamp(f"{month}-01")
    return first.strftime("%Y-%m-%d"), (first + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")


def _change(daily: pd.DataFrame, window: tuple[str, str]) -> pd.DataFrame:
    """Mean of each column over the window's days and over the same days a year earlier, and the change (%)."""
    start, end = days(window)
    year = pd.DateOffset(years=1)
    now, before = daily.loc[start:end].mean(), daily.loc[start - year:end - year].mean()
    return pd.DataFrame({"now": now, "year_before": before, "change_pct": (now / before - 1) * 100})


@memoized
def tracker() -> pd.DataFrame:
    """Daily UK table (7-day trailing averages) of Indeed's AI tracker: ai_share and genai_share (% of postings that
    mention AI or generative-AI terms), all_postings (index, 1 Feb 2020 = 100, seasonally adjusted) and the postings
    indices ai_postings and genai_postings = share x all_postings / 100 (an index of the number of AI postings)."""
    rows = load("ai_job_postings")
    wide = rows.assign(date=pd.to_datetime(rows.period)).pivot_table(index="date", columns="measure", values="value")
    table = pd.DataFrame({name: wide[column] for name, column in TRACKER_COLUMNS.items()})
    table["ai_postings"] = table.ai_share * table.all_postings / 100
    table["genai_postings"] = table.genai_share * table.all_postings / 100
    return with_sources(table, [s for ids in MEASURE_SOURCES.values() for s in ids])


def tracker_monthly() -> pd.DataFrame:
    """``tracker`` as monthly means, the postings indices rebased to their first month = 100 (one axis)."""
    monthly = tracker().resample("MS").mean()
    for column in ("all_postings", "ai_postings", "genai_postings"):
        first = monthly[column].first_valid_index()
        monthly[column] = monthly[column] / monthly.loc[first, column] * 100
    monthly.attrs["base"] = monthly.all_postings.first_valid_index().strftime("%Y-%m")
    return with_sources(monthly, tracker().attrs["source_ids"])


def ai_change(window: tuple[str, str]) -> pd.DataFrame:
    """Each Indeed measure (rows, in ``MEASURE_SOURCES`` order): its mean over ``window`` and over the same days a
    year earlier, the change (%) and the manifest ids behind it (``source_ids``)."""
    out = _change(tracker(), window).loc[list(MEASURE_SOURCES)]
    out["source_ids"] = [" ".join(MEASURE_SOURCES[m]) for m in out.index]
    out.attrs["window"] = window
    return with_sources(out.rename_axis("measure"), tracker().attrs["source_ids"])


def city_change(window: tuple[str, str], cities: list[str]) -> pd.DataFrame:
    """All job postings (not AI) in ``cities`` and London over ``window`` against a year earlier (%), each city's gap
    to the UK's change (points) and its rank among the cities Indeed publishes (1 = fastest); the UK last."""
    rows = load("city_job_postings")
    wide = rows.assign(date=pd.to_datetime(rows.period)).pivot_table(index="date", columns="city", values="value")
    change = _change(wide, window).change_pct
    uk = ai_change(window).at["all_postings", "change_pct"]
    named = list(dict.fromkeys([*cities, regions.region_name(regions.LONDON)]))
    out = pd.DataFrame({"change_pct": change[named], "gap_to_uk_pp": change[named] - uk,
                        "rank": change.rank(ascending=False, method="min")[named].astype("Int64")})
    uk_row = pd.DataFrame({"change_pct": [uk], "gap_to_uk_pp": [0.0], "rank": pd.array([pd.NA], "Int64")},
                          index=[regions.UK_CODE])
    out = pd.concat([out, uk_row]).rename_axis("city")
    out.attrs.update(window=window, cities=int(change.notna().sum()), uk_change_pct=uk)
    return with_sources(out, [CITY_SOURCE, *MEASURE_SOURCES["all_postings"]])


# ---------------------------------------------------------------- tech employment of an area


def _level_table(rows: pd.DataFrame, area: str) -> pd.Series:
    level = regions.geography_level(area)
    return year_by_region(rows, level, aggregate_from_itl2=level == "ITL1")[area]


@memoized
def tech_employment(area: str) -> pd.DataFrame:
    """Year x definition for an ITL1 region or ITL2 area (Great Britain): ``ict`` (employees and working owners, SIC
    58-63), ``digital`` (the DCMS digital sector, 22 SIC classes, employees and working owners) and
    ``ft_employees_j`` (full-time employees in section J); the last year of each BRES file is provisional."""
    level = regions.geography_level(area)
    ict = indicators.employment(indicators.ICT_DIVISIONS, level)[area]
    digital = _level_table(load("digital_sector_employment"), area)
    jobs = load("employment")
    section = jobs[(jobs.source_id == BRES_SECTIONS_SOURCE) & (jobs.industry_code == sic.ICT_SECTION)]
    out = pd.DataFrame({"ict": ict, "digital": digital, "ft_employees_j": _level_table(section, area)}).rename_axis("year")
    out.index = out.index.astype(int)
    out.attrs["sources"] = {"ict": [BRES_SOURCE], "digital": [DIGITAL_SOURCE], "ft_employees_j": [BRES_SECTIONS_SOURCE]}
    out.attrs["provisional"] = {column: int(out[column].last_valid_index()) for column in out}
    return with_sources(out, [BRES_SOURCE, DIGITAL_SOURCE, BRES_SECTIONS_SOURCE])


# ---------------------------------------------------------------- growth ranks outside London


def ict_divisions(release: str, level: str, telecoms: bool = True) -> list[str]:
    """The division codes of section J that ``release`` publishes at ``level`` (without telecoms, 61, when
    ``telecoms`` is False; empty when 61 is not published on its own there)."""
    rows = indicators.gva_rows("current_prices", release)
    rows = rows[rows.industry_level == "division"]
    at_level = rows[rows.geography_level == level]
    rows = at_level if not at_level.empty or level != "ITL1" else rows[rows.geography_level == "ITL2"]  # ITL1 = sum of ITL2
    first, last = int(sic.ICT_DIVISIONS[0]), int(sic.ICT_DIVISIONS[-1])
    codes = [c for c in rows.industry_code.unique() if c[:2].isdigit() and first <= int(c[:2]) <= last]
    if telecoms:
        return codes
    return [] if "61" not in codes else [c for c in codes if c != "61"]


def outside_london(level: str) -> list[str]:
    return [c for c in regions.codes(level) if regions.parent_itl1(c) != regions.LONDON]


def _rank(growth: pd.Series, area: str, level: str) -> dict:
    growth = growth.reindex(outside_london(level)).dropna()
    return {"rank": int(growth.rank(ascending=False, method="min")[area]), "of": len(growth),
            "growth": float(growth[area]), "leader": growth.idxmax()}


def _cagr(table: pd.DataFrame, start: int, end: int) -> pd.Series:
    """Compound annual growth (% a year) of every column from ``start`` to ``end`` (``rates.cagr`` per column)."""
    return pd.Series({c: rates.cagr(table.at[start, c], table.at[end, c], end - start) for c in table.columns})


@memoized
def growth_ranks(area: str, release: str) -> pd.DataFrame:
    """``area``'s rank of growth (1 = fastest) among the areas at its level outside London, one row per measure
    (``measure`` id; ``dimension`` against the baseline, ICT GVA at current prices over the last ``RECENT_YEARS``
    years of ``release``): J excluding telecoms, J in chained volume (the newest release that has it, to its last
    year), employment in SIC 58-63 (BRES, Great Britain) and J over the whole series. Columns: rank, of, growth,
    leader, first, last, release, unit, sources."""
    level = regions.geography_level(area)
    cp = indicators.gva("J", level, release)
    end = int(cp.index.max())
    cvm = indicators.gva("J", level, basis="chained_volume")
    cvm_end = int(cvm.index.max())
    jobs = indicators.employment(indicators.ICT_DIVISIONS, level)
    jobs_end = int(jobs.index.max())
    measures = {"ict_cp": (cp, end - RECENT_YEARS, end, release, cp.attrs["source_ids"])}
    excl = ict_divisions(release, level, telecoms=False)
    if excl:
        table = sum(indicators.gva(c, level, release) for c in excl)
        measures["ict_excl_telecoms_cp"] = (table, end - RECENT_YEARS, end, release, cp.attrs["source_ids"])
    cvm_release = get_source(cvm.attrs["source_ids"][0]).published
    measures["ict_cvm"] = (cvm, cvm_end - RECENT_YEARS, cvm_end, cvm_release, cvm.attrs["source_ids"])
    measures["ict_jobs"] = (jobs, jobs_end - RECENT_YEARS, jobs_end, None, jobs.attrs["source_ids"])
    measures["ict_cp_whole_series"] = (cp, int(cp.index.min()), end, release, cp.attrs["source_ids"])
    rows = {}
    for key, (table, first, last, used, sources) in measures.items():
        rows[key] = {**_rank(_cagr(table, first, last), area, level), "first": first, "last": last,
                     "release": used, "unit": "% a year", "sources": list(sources)}
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("measure")
    return with_sources(out, [s for ids in out.sources for s in ids])


def london_share(total_id: str) -> dict:
    """London's share (%) of a regional total (``indicators.TOTALS``) in its last complete year: context for a claim
    no open series measures. Keys: share, year, label, sources."""
    values, _ = indicators.values_and_benchmark(total_id)
    total = indicators.get_total(total_id)
    years = [y for y in values.index if y not in total.partial_years and values.loc[y].notna().sum() > 1]
    year = max(years)
    row = values.loc[year].reindex(regions.codes("ITL1")).dropna()
    share = float(row[regions.LONDON] / row.sum() * 100) if regions.LONDON in row else math.nan
    return {"share": share, "year": int(year), "label": total.label, "sources": list(total.source_ids)}
