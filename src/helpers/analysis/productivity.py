"""Productivity, convergence and the ICT sector (question 3): the tables behind notebooks/productivity.ipynb.

Sources: ONS subregional productivity, June 2024 (dataset ``labour_productivity``: GVA per hour worked and
per filled job, current prices, plus chained-volume indices, ITL1/ITL2, 2004/2002-2022); ONS regional GVA
(balanced) by industry, Apr 2023 (``gva_by_industry``: current prices and chained volume, 1998-2021).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis import statistics

from helpers import regions
from helpers.pipeline.datasets import load
from helpers.analysis.indicators import gva

PRODUCTIVITY_SOURCE = "productivity_2024"
GVA_CVM_SOURCES = {"ITL1": "gva_itl1_cvm_2023", "ITL2": "gva_itl2_cvm_2023"}
MEASURES = {
    "per_hour": ("gva_per_hour", "gva_per_hour_index", "gva_per_hour_cvm_index"),
    "per_job": ("gva_per_job", "gva_per_job_index", "gva_per_job_cvm_index"),
}


def productivity(measure: str, level: str = "ITL2", kind: str = "level") -> pd.DataFrame:
    """Year x region table of labour productivity.

    measure: ``per_hour`` (GVA per hour worked) or ``per_job`` (GVA per filled job);
    kind: ``level`` (GBP, current prices), ``relative`` (UK less Extra-Regio = 100, current prices) or
    ``real_index`` (chained volume, 2019 = 100, for growth within a region)."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, not {measure!r}")
    kinds = {"level": 0, "relative": 1, "real_index": 2}
    name = MEASURES[measure][kinds[kind]]
    table = load("labour_productivity")
    rows = table[(table.measure == name) & (table.geography_level == level)]
    wide = rows.pivot(index="year", columns="region_code", values="value")
    wide.index = wide.index.astype(int)
    return wide.reindex(columns=regions.itl1_codes() if level == "ITL1" else regions.itl2_codes())


def real_growth(measure: str, start_year: int, end_year: int, level: str = "ITL2") -> pd.Series:
    """Compound annual growth (% a year) of real (chained-volume) productivity per region."""
    index = productivity(measure, level, "real_index")
    _check_years(index, start_year, end_year)
    return pd.Series({c: statistics.cagr(index.loc[start_year, c], index.loc[end_year, c], end_year - start_year)
                      for c in index.columns})


def sigma_convergence(measure: str, level: str = "ITL2", exclude_london: bool = False) -> pd.DataFrame:
    """Per year: coefficient of variation of productivity levels across regions (unweighted), and the
    standard deviation of their log. Falling dispersion = sigma-convergence."""
    levels = productivity(measure, level, "level")
    if exclude_london:
        levels = levels[[c for c in levels.columns if not c.startswith(regions.LONDON)]]
    return pd.DataFrame({
        "cv": levels.apply(lambda row: statistics.coefficient_of_variation(row.dropna()), axis=1),
        "sd_log": np.log(levels).std(axis=1, ddof=0),
    })


def beta_convergence(measure: str, start_year: int, end_year: int, level: str = "ITL2",
                     exclude_london: bool = False) -> dict:
    """Real productivity growth (% a year) on the log of the start-year level (GBP, current prices)."""
    initial = productivity(measure, level, "level").loc[start_year]
    growth = real_growth(measure, start_year, end_year, level)
    if exclude_london:
        keep = [c for c in initial.index if not c.startswith(regions.LONDON)]
        initial, growth = initial[keep], growth[keep]
    return statistics.beta_convergence(initial, growth)


def ict_productivity_data(start_year: int, end_year: int) -> pd.DataFrame:
    """One row per ITL2 area: real productivity growth per hour (% a year), ICT (J) share of GVA in the
    start year (%, current prices), real ICT GVA growth (% a year), finance (K) share in the start year (%),
    log productivity per hour in the start year, and a London flag."""
    total_cp, ict_cp, finance_cp = (gva(code, "ITL2") for code in ("TOTAL", "J", "K"))
    ict_cvm = _cvm("J", "ITL2")
    _check_years(ict_cvm, start_year, end_year)
    data = pd.DataFrame({
        "productivity_growth": real_growth("per_hour", start_year, end_year),
        "ict_share": ict_cp.loc[start_year] / total_cp.loc[start_year] * 100,
        "ict_growth": [statistics.cagr(ict_cvm.loc[start_year, c], ict_cvm.loc[end_year, c], end_year - start_year)
                       for c in ict_cvm.columns],
        "finance_share": finance_cp.loc[start_year] / total_cp.loc[start_year] * 100,
        "log_initial_productivity": np.log(productivity("per_hour", "ITL2", "level").loc[start_year]),
    })
    data["london"] = data.index.str.startswith(regions.LONDON).astype(int)
    return data.rename_axis("itl2_code")


ICT_FORMULA = "productivity_growth ~ ict_growth + ict_share + finance_share + log_initial_productivity"


def ict_productivity_regressions(start_year: int, end_year: int) -> pd.DataFrame:
    """The ICT regression (``ICT_FORMULA``, HC1 robust errors) on all 41 ITL2 areas and without London's 5:
    coefficient, robust standard error and p-value of each regressor, plus n and R-squared."""
    data = ict_productivity_data(start_year, end_year)
    rows = []
    for sample, subset in [("all ITL2 areas", data), ("without London", data[data.london == 0])]:
        fit = statistics.ols(subset, ICT_FORMULA)
        for term in fit.params.index.drop("Intercept"):
            rows.append({"sample": sample, "term": term, "coefficient": fit.params[term], "robust_se": fit.bse[term],
                         "p_value": fit.pvalues[term], "n": int(fit.nobs), "r2": fit.rsquared})
    return pd.DataFrame(rows)


def shift_share_itl1(start_year: int, end_year: int) -> pd.DataFrame:
    """Shift-share of each ITL1 region's current-price GVA change (GBP million) over the 19 SIC sections
    A-S plus T: national growth, industry mix and regional component (they add up to the actual change)."""
    table = load("gva_by_industry")
    rows = table[(table.source_id == "gva_itl1_cp_2023") & (table.industry_level == "section")
                 & table.region_code.isin(regions.itl1_codes())]
    years = sorted(rows.year.dropna().unique())
    _check_years(pd.DataFrame(index=[int(y) for y in years]), start_year, end_year)
    start, end = (rows[rows.year == y].pivot(index="region_code", columns="industry_code", values="value")
                  for y in (start_year, end_year))
    result = statistics.shift_share(start.fillna(0.0), end.fillna(0.0))
    result["change_pct"] = result["change"] / result["start"] * 100
    for component in ("national", "industry_mix", "regional"):
        result[f"{component}_pct"] = result[component] / result["start"] * 100
    return result.reindex(regions.itl1_codes())


def _cvm(industry: str, level: str) -> pd.DataFrame:
    table = load("gva_by_industry")
    rows = table[(table.source_id == GVA_CVM_SOURCES[level]) & (table.industry_code == industry)]
    wide = rows.pivot(index="year", columns="region_code", values="value")
    wide.index = wide.index.astype(int)
    return wide.reindex(columns=regions.itl2_codes() if level == "ITL2" else regions.itl1_codes())


def _check_years(table: pd.DataFrame, start_year: int, end_year: int) -> None:
    first, last = int(table.index.min()), int(table.index.max())
    if not (first <= start_year < end_year <= last):
        raise ValueError(f"years {start_year}-{end_year} are outside the data ({first}-{last}); "
                         f"choose {first} <= start_year < end_year <= {last}")
