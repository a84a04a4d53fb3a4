"""Productivity, convergence and the ICT sector (question 3): the tables behind notebooks/productivity.ipynb.

Sources: ONS subregional productivity, June 2024 (dataset ``labour_productivity``: GVA per hour worked and
per filled job, current prices, plus chained-volume indices, ITL1/ITL2, 2004/2002-2022); ONS regional GVA
(balanced) by industry, Apr 2023 (``gva_by_industry``: current prices and chained volume, 1998-2021).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions
from helpers.data.datasets import load
from helpers.data.indicators import (
    GVA_CVM_SOURCES,
    GVA_SOURCES,
    PRODUCTIVITY_SOURCE,
    gva,
    previous_release,
    productivity,
    with_sources,
    year_by_region,
)
from helpers.data.memo import memoized
from helpers.stats import accounting, inequality, rates, regression

ALPHA = 0.05  # significance level of the verdicts
MEASURE_LABELS = {"per_hour": "GVA per hour worked", "per_job": "GVA per filled job"}


def format_p(p: float) -> str:
    """A p-value as the report writes it everywhere (text, titles): "p < 0.001", else 3 decimals below 0.01 or
    near the 5% and 10% thresholds, 2 decimals otherwise."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 or 0.045 <= p < 0.1 else f"p = {p:.2f}"


def measure_label(measure: str) -> str:
    """'GVA per hour worked' or 'GVA per filled job'."""
    if measure not in MEASURE_LABELS:
        raise ValueError(f"measure must be one of {list(MEASURE_LABELS)}, not {measure!r}")
    return MEASURE_LABELS[measure]


def _outside_london(codes) -> list[str]:
    return [c for c in codes if regions.parent_itl1(c) != regions.LONDON]


def real_growth(measure: str, start_year: int, end_year: int, level: str = "ITL2") -> pd.Series:
    """Compound annual growth (% a year) of real (chained-volume) productivity per region."""
    index = productivity(measure, level, "real_index")
    _check_years(index, start_year, end_year)
    return with_sources(pd.Series({c: rates.cagr(index.loc[start_year, c], index.loc[end_year, c],
                                                      end_year - start_year) for c in index.columns}), [PRODUCTIVITY_SOURCE])


def sigma_convergence(measure: str, level: str = "ITL2", exclude_london: bool = False) -> pd.DataFrame:
    """Per year: coefficient of variation of productivity levels across regions (unweighted), and the
    standard deviation of their log. Falling dispersion = sigma-convergence."""
    levels = productivity(measure, level, "level")
    if exclude_london:
        levels = levels[_outside_london(levels.columns)]
    return with_sources(pd.DataFrame({
        "cv": levels.apply(lambda row: inequality.coefficient_of_variation(row.dropna()), axis=1),
        "sd_log": np.log(levels).std(axis=1, ddof=0),
    }), [PRODUCTIVITY_SOURCE])


def beta_convergence(measure: str, start_year: int, end_year: int, level: str = "ITL2",
                     exclude_london: bool = False) -> dict:
    """Real productivity growth (% a year) on the log of the start-year level (GBP, current prices)."""
    initial = productivity(measure, level, "level").loc[start_year]
    growth = real_growth(measure, start_year, end_year, level)
    if exclude_london:
        keep = _outside_london(initial.index)
        initial, growth = initial[keep], growth[keep]
    return regression.beta_convergence(initial, growth)


def convergence_verdict(beta: dict, alpha: float = ALPHA) -> str:
    """'catching up' when beta is negative and significant at ``alpha``, else 'no significant catching up'."""
    return "catching up" if beta["beta"] < 0 and beta["p"] < alpha else "no significant catching up"


def ict_productivity_data(start_year: int, end_year: int, measure: str = "per_hour") -> pd.DataFrame:
    """One row per ITL2 area: real productivity growth (``measure``, % a year), ICT (J) share of GVA in the
    start year (%, current prices), real ICT GVA growth (% a year), finance (K) share in the start year (%),
    log productivity in the start year, and a London flag."""
    total_cp, ict_cp, finance_cp = (gva(code, "ITL2", previous_release()) for code in ("TOTAL", "J", "K"))
    ict_cvm = gva("J", "ITL2", basis="chained_volume")
    _check_years(ict_cvm, start_year, end_year)
    data = pd.DataFrame({
        "productivity_growth": real_growth(measure, start_year, end_year),
        "ict_share": ict_cp.loc[start_year] / total_cp.loc[start_year] * 100,
        "ict_growth": [rates.cagr(ict_cvm.loc[start_year, c], ict_cvm.loc[end_year, c], end_year - start_year)
                       for c in ict_cvm.columns],
        "finance_share": finance_cp.loc[start_year] / total_cp.loc[start_year] * 100,
        "log_initial_productivity": np.log(productivity(measure, "ITL2", "level").loc[start_year]),
    })
    data["london"] = [int(regions.parent_itl1(c) == regions.LONDON) for c in data.index]
    return with_sources(data.rename_axis("itl2_code"), ICT_REGRESSION_SOURCES)


ICT_FORMULA = "productivity_growth ~ ict_growth + ict_share + finance_share + log_initial_productivity"
ICT_REGRESSION_SOURCES = [PRODUCTIVITY_SOURCE, GVA_SOURCES["ITL2"], GVA_CVM_SOURCES["ITL2"]]
SAMPLES = ("all ITL2 areas", "without London")


def ict_productivity_regressions(start_year: int, end_year: int, measure: str = "per_hour") -> pd.DataFrame:
    """The ICT regression (``ICT_FORMULA``, HC1 robust errors) on all 41 ITL2 areas and without London's 5:
    coefficient, robust standard error and p-value of each regressor, plus n and R-squared."""
    data = ict_productivity_data(start_year, end_year, measure)
    rows = []
    for sample, subset in zip(SAMPLES, [data, data[data.london == 0]]):
        fit = regression.ols(subset, ICT_FORMULA)
        for term in fit.params.index.drop("Intercept"):
            rows.append({"sample": sample, "term": term, "coefficient": fit.params[term], "robust_se": fit.bse[term],
                         "p_value": fit.pvalues[term], "n": int(fit.nobs), "r2": fit.rsquared})
    return with_sources(pd.DataFrame(rows), ICT_REGRESSION_SOURCES)


def regression_term(regressions: pd.DataFrame, sample: str, term: str) -> pd.Series:
    """One row (coefficient, robust_se, p_value, n, r2) of ``ict_productivity_regressions``."""
    return regressions.set_index(["sample", "term"]).loc[(sample, term)]


def link_verdict(row: pd.Series, alpha: float = ALPHA) -> str:
    """'positive and significant', 'negative and not significant', ... for a regression row, at ``alpha``."""
    sign = "positive" if row["coefficient"] > 0 else "negative"
    return f"{sign} and {'significant' if row['p_value'] < alpha else 'not significant'}"


def shift_share_itl1(start_year: int, end_year: int) -> pd.DataFrame:
    """Shift-share of each ITL1 region's current-price GVA change (GBP million) over the 19 SIC sections
    A-S plus T: national growth, industry mix and regional component (they add up to the actual change)."""
    table = load("gva_by_industry")
    rows = table[(table.source_id == GVA_SOURCES["ITL1"]) & (table.industry_level == "section")
                 & table.region_code.isin(regions.codes("ITL1"))]
    years = sorted(rows.year.dropna().unique())
    _check_years(pd.DataFrame(index=[int(y) for y in years]), start_year, end_year)
    start, end = (rows[rows.year == y].pivot(index="region_code", columns="industry_code", values="value")
                  for y in (start_year, end_year))
    result = accounting.shift_share(start.fillna(0.0), end.fillna(0.0))
    result["change_pct"] = result["change"] / result["start"] * 100
    for component in ("national", "industry_mix", "regional"):
        result[f"{component}_pct"] = result[component] / result["start"] * 100
    result = with_sources(result.reindex(regions.codes("ITL1")), [GVA_SOURCES["ITL1"]])
    result.attrs["years"] = (start_year, end_year)
    return result


@memoized
def cvm(industry: str, level: str) -> pd.DataFrame:
    """Year x region table of chained-volume GVA (GBP million, 2019 money) of one industry code."""
    table = load("gva_by_industry")
    rows = table[(table.source_id == GVA_CVM_SOURCES[level]) & (table.industry_code == industry)]
    return year_by_region(rows, level)


def _check_years(table: pd.DataFrame, start_year: int, end_year: int) -> None:
    first, last = int(table.index.min()), int(table.index.max())
    if not (first <= start_year < end_year <= last):
        raise ValueError(f"years {start_year}-{end_year} are outside the data ({first}-{last}); "
                         f"choose {first} <= start_year < end_year <= {last}")
