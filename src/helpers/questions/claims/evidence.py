"""The evidence tables behind the claim checks (``helpers.questions.claims.checks``): the Indeed AI tracker at the
date of a claim, job postings in the named cities, the West Midlands' tech employment on two definitions, its
growth ranks outside London on several measures, and the ceilings that bound the West Midlands' AI claim.

Every table carries ``attrs["source_ids"]`` (manifest ids, ``data/sources.yml``).
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.indicators import (
    BRES_SECTIONS_SOURCE,
    BRES_SOURCE,
    GVA_2024_SOURCE,
    GVA_CVM_SOURCES,
    GVA_SOURCES,
    with_sources,
)
from helpers.data.memo import memoized
from helpers.questions.ict_finance import decomposition
from helpers.stats import trends

WEST_MIDLANDS = "TLG"
AI_SOURCES = ("indeed_ai_share", "indeed_genai_share", "indeed_postings_national")
CITY_SOURCE = "indeed_postings_cities"
DIGITAL_SOURCE = "bres_employment_sic5_2023"
PROVISIONAL_YEAR = 2021  # BRES 2021 is provisional in both BRES files
AVERAGE_YEARS = (2019, 2020, 2021)
# The Indeed measures compared year on year. "postings" measures are share x total postings index (an index of
# the number of postings that mention AI); "share" measures are the share of all postings alone.
AI_MEASURES = {
    "ai_postings": "AI postings (AI share x all postings)",
    "ai_share": "AI share of all postings",
    "genai_postings": "Generative-AI postings (GenAI share x all postings)",
    "genai_share": "Generative-AI share of all postings",
    "all_postings": "All postings",
}
UNITS = {"ai_share": "% of all postings", "genai_share": "% of all postings",  # share x index / 100 = postings as %
         "ai_postings": "% of all postings on 1 Feb 2020",  # of the base day's level
         "genai_postings": "% of all postings on 1 Feb 2020",
         "all_postings": "index, 1 Feb 2020 = 100 (seasonally adjusted)"}
MEASURE_SOURCES = {"ai_postings": ("indeed_ai_share", "indeed_postings_national"), "ai_share": ("indeed_ai_share",),
                   "genai_postings": ("indeed_genai_share", "indeed_postings_national"),
                   "genai_share": ("indeed_genai_share",), "all_postings": ("indeed_postings_national",)}


# ---------------------------------------------------------------- the Indeed AI tracker (UK, national only)


def ai_tracker() -> pd.DataFrame:
    """Daily UK table (7-day trailing averages): ai_share and genai_share (% of Indeed postings mentioning AI /
    generative-AI terms), all_postings (index, 1 Feb 2020 = 100, SA) and the postings indices ai_postings and
    genai_postings = share x all_postings / 100 (an index of the number of AI postings, same base)."""
    rows = load("ai_job_postings")
    wide = rows.assign(date=pd.to_datetime(rows.period)).pivot_table(index="date", columns="measure", values="value")
    table = pd.DataFrame({"ai_share": wide["ai_share_of_postings"], "genai_share": wide["genai_share_of_postings"],
                          "all_postings": wide["job_postings_index"]})
    table["ai_postings"] = table.ai_share * table.all_postings / 100
    table["genai_postings"] = table.genai_share * table.all_postings / 100
    return with_sources(table, list(AI_SOURCES))


def ai_tracker_monthly(base: str = "2020-02") -> pd.DataFrame:
    """``ai_tracker`` as monthly means, with the postings indices (all, AI, generative-AI) rebased to the ``base``
    month = 100 so that they can be drawn on one axis."""
    monthly = ai_tracker().resample("MS").mean()
    for column in ("all_postings", "ai_postings", "genai_postings"):
        monthly[column] = monthly[column] / monthly.loc[pd.Timestamp(f"{base}-01"), column] * 100
    monthly.attrs["base"] = base
    return with_sources(monthly, list(AI_SOURCES))


def ai_change(month: str, day: str | None = None) -> pd.DataFrame:
    """Year-on-year change (%) of each ``AI_MEASURES`` series: the mean of ``month`` ("YYYY-MM") against the
    same month a year earlier, or with ``day`` ("YYYY-MM-DD") the 7-day average on that day against a year
    earlier. Rows: measure, label, now, year_before, change_pct and source_ids (the manifest ids behind the row)."""
    tracker = ai_tracker()
    if day is None:
        monthly = tracker.resample("MS").mean()
        now, before = pd.Timestamp(f"{month}-01"), pd.Timestamp(f"{month}-01") - pd.DateOffset(years=1)
    else:
        monthly, now = tracker, pd.Timestamp(day)
        before = now - pd.DateOffset(years=1)
    rows = [{"measure": m, "label": label, "now": monthly.loc[now, m], "year_before": monthly.loc[before, m]}
            for m, label in AI_MEASURES.items()]
    out = pd.DataFrame(rows).set_index("measure")
    out["change_pct"] = (out.now / out.year_before - 1) * 100
    out.insert(1, "unit", [UNITS[m] for m in out.index])
    out["source_ids"] = [" ".join(MEASURE_SOURCES[m]) for m in out.index]
    out.attrs["period"] = day or month
    return with_sources(out, list(AI_SOURCES))


def city_change(month: str, cities: tuple[str, ...]) -> pd.DataFrame:
    """All job postings (not AI) in ``cities``, London and the UK: the index's mean in ``month`` against the
    same month a year earlier (%), and each city's rank among the 58 cities Indeed publishes (1 = fastest)."""
    rows = load("city_job_postings")
    wide = rows.assign(date=pd.to_datetime(rows.period)).pivot_table(index="date", columns="city", values="value")
    monthly = wide.resample("MS").mean()
    now = pd.Timestamp(f"{month}-01")
    change = (monthly.loc[now] / monthly.loc[now - pd.DateOffset(years=1)] - 1) * 100
    rank = change.rank(ascending=False, method="min")
    uk = ai_change(month).loc["all_postings", "change_pct"]
    named = [*cities, "London"]
    rank_label = f"rank of {int(change.notna().sum())} cities (1 = fastest)"
    out = pd.DataFrame({"change_pct": change[named], rank_label: rank[named].astype("Int64"),
                        "above_uk": (change[named] > uk).astype("boolean")})
    out = pd.concat([out, pd.DataFrame({"change_pct": [uk], rank_label: pd.array([pd.NA], "Int64"),
                                        "above_uk": pd.array([pd.NA], "boolean")}, index=["UK (national index)"])])
    out.attrs.update(period=month, cities=int(change.notna().sum()), uk_change_pct=uk)
    return with_sources(out.rename_axis("city"), [CITY_SOURCE, "indeed_postings_national"])


# ---------------------------------------------------------------- West Midlands employment and GVA


def wm_employment() -> pd.DataFrame:
    """West Midlands employment (employees and working owners) by year on two definitions: ICT, SIC 58-63
    (BRES by division) and the DCMS digital sector (22 SIC classes, BRES subclasses); 2021 is provisional.
    ``attrs['average']``: the mean of ``AVERAGE_YEARS`` for each definition."""
    ict = indicators.employment(indicators.ICT_DIVISIONS)[WEST_MIDLANDS]
    digital = load("digital_sector_employment")
    digital = digital[digital.itl1_code == WEST_MIDLANDS].groupby("year")["value"].sum()
    out = pd.DataFrame({"ict_sic_58_63": ict, "dcms_digital": digital}).rename_axis("year")
    out.index = out.index.astype(int)
    out["provisional"] = out.index == PROVISIONAL_YEAR
    out.attrs["average"] = out.loc[list(AVERAGE_YEARS), ["ict_sic_58_63", "dcms_digital"]].mean().round().to_dict()
    out.attrs["jump_2021_pct"] = (out.loc[PROVISIONAL_YEAR, ["ict_sic_58_63", "dcms_digital"]]
                                  / out.loc[PROVISIONAL_YEAR - 1, ["ict_sic_58_63", "dcms_digital"]] * 100 - 100).to_dict()
    return with_sources(out, [BRES_SOURCE, DIGITAL_SOURCE])


def wm_ict_gva() -> dict[str, float]:
    """West Midlands ICT (SIC J) GVA, GBP million at current prices: 2021 (Apr 2023 release) and 2022 (Apr 2024)."""
    return {"2021 (Apr 2023 release)": float(indicators.gva("J", "ITL1", indicators.previous_release()).loc[2021, WEST_MIDLANDS]),
            "2022 (Apr 2024 release)": float(indicators.gva("J", "ITL1", indicators.latest_release()).loc[2022, WEST_MIDLANDS])}


def wm_ft_employees_j() -> pd.Series:
    """West Midlands full-time employees in SIC section J by year (BRES, ITL2 areas summed; part-time employees,
    working owners and the self-employed are not counted)."""
    rows = load("employment")
    rows = rows[(rows.source_id == BRES_SECTIONS_SOURCE) & (rows.itl1_code == WEST_MIDLANDS) & (rows.industry_code == "J")]
    return with_sources(rows.groupby("year")["value"].sum().round().rename("ft_employees_j"), [BRES_SECTIONS_SOURCE])


def wm_tech_definitions(claim: int = 144_000) -> pd.DataFrame:
    """The official West Midlands tech counts beside the claim, one row per definition: what it counts, its
    average over ``AVERAGE_YEARS`` (where available), its latest year and value, and the latest as % of ``claim``."""
    jobs, ft = wm_employment(), wm_ft_employees_j()
    rows = [("BRES full-time employees, SIC section J (58-63)", "full-time employees only (2022 provisional)", float("nan"), int(ft.index.max()),
             float(ft.iloc[-1]), BRES_SECTIONS_SOURCE),
            ("BRES employment, SIC 58-63", "employees and working owners", jobs.attrs["average"]["ict_sic_58_63"],
             PROVISIONAL_YEAR, float(jobs.loc[PROVISIONAL_YEAR, "ict_sic_58_63"]), BRES_SOURCE),
            ("DCMS digital sector (22 SIC classes)", "employees and working owners, incl. manufacturing, wholesale "
             "and repair of ICT goods", jobs.attrs["average"]["dcms_digital"], PROVISIONAL_YEAR,
             float(jobs.loc[PROVISIONAL_YEAR, "dcms_digital"]), DIGITAL_SOURCE)]
    out = pd.DataFrame(rows, columns=["definition", "counts", f"average {AVERAGE_YEARS[0]}-{AVERAGE_YEARS[-1]}",
                                      "latest year", "latest value", "source_id"]).set_index("definition")
    out["latest as % of the claim"] = out["latest value"] / claim * 100
    return with_sources(out, list(out.source_id))


# ---------------------------------------------------------------- growth ranks outside London


def _rank(growth: pd.Series) -> dict:
    """The West Midlands' rank (1 = fastest) among the regions outside London with data."""
    growth = growth.drop(regions.LONDON, errors="ignore").dropna()
    growth = growth[[c for c in growth.index if c in regions.codes("ITL1")]]
    return {"rank": int(growth.rank(ascending=False, method="min")[WEST_MIDLANDS]), "of": len(growth),
            "wm_growth": float(growth[WEST_MIDLANDS]), "leader": regions.region_name(growth.idxmax())}


def _cagr(wide: pd.DataFrame, start: int, end: int) -> pd.Series:
    return ((wide.loc[end] / wide.loc[start]) ** (1 / (end - start)) - 1) * 100


def j_excl_61_cp(vintage: int) -> pd.DataFrame:
    """J excluding telecoms at current prices: the sum of J's other divisions (Apr 2024: 58, 59-60, 62, 63)."""
    codes = decomposition.published_divisions("J", indicators.latest_release() if vintage == 2024 else None)
    release = indicators.latest_release() if vintage == 2024 else indicators.previous_release()
    return sum(indicators.gva(c, "ITL1", release) for c in codes if c != decomposition.TELECOMS)


def _chain_linked_cagr(exclude: tuple[str, ...], start: int, end: int) -> pd.Series:
    index = decomposition.chain_linked_index("J", exclude, start, end).pivot(index="year", columns="region_code",
                                                                             values="index")
    return _cagr(index, start, end)


@memoized
def growth_ranks() -> pd.DataFrame:
    """The West Midlands' rank of growth among the 11 regions outside London (10 for BRES, Great Britain only)
    on each measure a referee would ask for: GVA growth (% a year) of J excluding telecoms (61) and of all of J,
    chained volume (Apr 2023 release, to 2021) and current prices (Apr 2024 release, to 2022, and Apr 2023 to
    2021), over five years and from 1998; employment growth (% over the period) on SIC 58-63 and the DCMS
    digital sector, without and with the provisional 2021. Rows indexed by a measure id."""
    cvm = load("gva_by_industry")
    cvm = cvm[(cvm.source_id == GVA_CVM_SOURCES["ITL1"]) & (cvm.industry_code == "J")].pivot_table(
        index="year", columns="region_code", values="value")
    cp24 = indicators.gva("J", "ITL1", indicators.latest_release())
    ict, digital = indicators.employment(indicators.ICT_DIVISIONS), load("digital_sector_employment")
    digital = digital.pivot_table(index="year", columns="itl1_code", values="value", aggfunc="sum")
    cvm_src, cp_src = GVA_CVM_SOURCES["ITL1"], GVA_SOURCES["ITL1"]
    measures = {
        "j_excl_61_cvm_2016_2021": ("J excl. 61, chained volume, 2016-2021 (Apr 2023)",
                                    _chain_linked_cagr(("61",), 2016, 2021), cvm_src),
        "j_excl_61_cp_2017_2022": ("J excl. 61, current prices, 2017-2022 (Apr 2024)",
                                   _cagr(j_excl_61_cp(2024), 2017, 2022), GVA_2024_SOURCE),
        "j_excl_61_cp24_2016_2022": ("J excl. 61, current prices, 2016-2022 (Apr 2024)",
                                     _cagr(j_excl_61_cp(2024), 2016, 2022), GVA_2024_SOURCE),
        "j_cp24_2016_2022": ("J, current prices, 2016-2022 (Apr 2024)", _cagr(cp24, 2016, 2022), GVA_2024_SOURCE),
        "j_cvm_2016_2021": ("J, chained volume, 2016-2021 (Apr 2023)", _cagr(cvm, 2016, 2021), cvm_src),
        "j_cp_2017_2022": ("J, current prices, 2017-2022 (Apr 2024)", _cagr(cp24, 2017, 2022), GVA_2024_SOURCE),
        "j_excl_61_cp_2016_2021": ("J excl. 61, current prices, 2016-2021 (Apr 2023)",
                                   _cagr(j_excl_61_cp(2023), 2016, 2021), cp_src),
        "j_excl_61_cp24_2016_2021": ("J excl. 61, current prices, 2016-2021 (Apr 2024)",
                                     _cagr(j_excl_61_cp(2024), 2016, 2021), GVA_2024_SOURCE),
        "j_excl_61_cvm_1998_2021": ("J excl. 61, chained volume, 1998-2021 (Apr 2023)",
                                    _chain_linked_cagr(("61",), 1998, 2021), cvm_src),
        "j_excl_61_cp_1998_2022": ("J excl. 61, current prices, 1998-2022 (Apr 2024)",
                                   _cagr(j_excl_61_cp(2024), 1998, 2022), GVA_2024_SOURCE),
        "ict_jobs_2015_2020": ("Employment SIC 58-63, 2015-2020 (final years)",
                               (ict.loc[2020] / ict.loc[2015] - 1) * 100, BRES_SOURCE),
        "digital_jobs_2015_2020": ("Employment DCMS digital, 2015-2020 (final years)",
                                   (digital.loc[2020] / digital.loc[2015] - 1) * 100, DIGITAL_SOURCE),
        "ict_jobs_2015_2021": ("Employment SIC 58-63, 2015-2021 (2021 provisional)",
                               (ict.loc[2021] / ict.loc[2015] - 1) * 100, BRES_SOURCE),
        "digital_jobs_2015_2021": ("Employment DCMS digital, 2015-2021 (2021 provisional)",
                                   (digital.loc[2021] / digital.loc[2015] - 1) * 100, DIGITAL_SOURCE),
    }
    rows = {key: {"measure": label, **_rank(growth), "unit": "% over the period" if "jobs" in key else "% a year",
                  "source_id": source} for key, (label, growth, source) in measures.items()}
    out = pd.DataFrame.from_dict(rows, orient="index")
    return with_sources(out, list(dict.fromkeys(out.source_id)))


def share_trend(values: pd.DataFrame, first: int | None = None) -> dict:
    """London's share (%) of a year x region table summed over regions, its first and last values and the
    modified Mann-Kendall verdict and Sen's slope (points a year; refused below 10 years)."""
    values = values.loc[first:] if first else values
    share = values[regions.LONDON] / values[[c for c in values.columns if c in regions.codes("ITL1")]].sum(axis=1) * 100
    test = trends.modified_mann_kendall(share)
    return {"first_year": int(share.index.min()), "last_year": int(share.index.max()), "first": float(share.iloc[0]),
            "last": float(share.iloc[-1]), "trend": test["verdict"], "slope": test["sen_slope"]}
