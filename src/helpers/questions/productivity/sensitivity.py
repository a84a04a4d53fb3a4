"""Further checks of the productivity report (question 3): influential areas in the ICT regression, the GVA
vintage of its regressors, tested trends in productivity dispersion and a description of the robustness grids.

Sources: ONS subregional productivity, June 2024 (``productivity_2024``); ONS regional GVA by industry, ITL2, Apr
2023 release (``gva_itl2_cp_2023``, ``gva_itl2_cvm_2023``: the ICT regression's shares and ICT growth) and Apr 2024
release (``gva_itl2_cp_2024``, current prices, 1998-2022: the vintage check, the release the June 2024
productivity figures are consistent with).

- Influence (``leverage_checks``): the baseline ICT regression outside London refitted (HC1) without (a) the areas
  whose Cook's distance in the full fit exceeds 4/n, a common rule of thumb, or (b) the two areas with the largest
  start-year ICT share, the points a scatter of growth on ICT share rests on.
- Vintage (``vintage_data``): the nominal specification with the ICT share, finance share and ICT growth from the
  Apr 2024 release instead of the Apr 2023 release (only current prices: the 2024 release's chained-volume table is
  not used here).
- Dispersion trend (``dispersion_trend``): Sen's slope of the CV (%) with the modified Mann-Kendall p-value
  (Hamed & Rao 1998, refuses fewer than 10 years); the sub-period slopes are described, never tested.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions
from helpers.data.datasets import load
from helpers.data.indicators import with_sources, year_by_region
from helpers.questions.productivity import convergence
from helpers.questions.productivity import tables as productivity
from helpers.stats import trends

VINTAGE_SOURCE = "gva_itl2_cp_2024"
VINTAGE_CHECK = "Apr 2024 GVA vintage (nominal)"
LEVERAGE_RULES = {"cook": "without influential areas (Cook's D > 4/n)", "top_ict": "without the 2 largest ICT shares"}
OUT = convergence.SAMPLES[1]
METHOD_WORDS = {"cagr": "endpoint", "trend": "log-linear trend", "smoothed": "3-year endpoint averages",
                "ons_smoothed": "ONS 5-year smoothed"}
ERROR_WORDS = {"wild": "wild bootstrap"}


def baseline_data(grid: pd.DataFrame, basis: str = "real") -> pd.DataFrame:
    """The ICT regression data outside London at the grid's baseline years and measure, on ``basis``."""
    a = grid.attrs
    data = convergence.ict_data(basis, a["start_year"], a["baseline"]["end_year"], measure=a["measure"])
    return convergence.in_sample(data, OUT)


def cooks_distance(data: pd.DataFrame, formula: str = productivity.ICT_FORMULA) -> pd.Series:
    """Cook's distance of each row in the OLS fit of ``formula``: e_i^2 / (k s^2) x h_i / (1 - h_i)^2."""
    y, frame = convergence._design(data, formula)
    x = frame.to_numpy()
    n, k = x.shape
    resid = y - x @ (np.linalg.pinv(x) @ y)
    leverage = np.einsum("ij,jk,ik->i", x, np.linalg.pinv(x.T @ x), x)
    s2 = resid @ resid / (n - k)
    return pd.Series(resid**2 / (k * s2) * leverage / (1 - leverage) ** 2, index=frame.index)


def dropped_areas(data: pd.DataFrame, rule: str) -> list[str]:
    """The areas a leverage rule drops (``LEVERAGE_RULES``), largest first."""
    if rule == "cook":
        cook = cooks_distance(data)
        return list(cook[cook > 4 / len(cook)].sort_values(ascending=False).index)
    if rule == "top_ict":
        return list(data["ict_share"].nlargest(2).index)
    raise ValueError(f"rule must be one of {list(LEVERAGE_RULES)}, not {rule!r}")


def leverage_checks(grid: pd.DataFrame, bases=("real", "nominal")) -> pd.DataFrame:
    """Per price basis, leverage rule and ICT term: the baseline regression outside London (HC1) without the
    areas the rule drops (each basis's own fit): coefficient, se, p, n and the dropped areas."""
    rows = []
    for basis in bases:
        data = baseline_data(grid, basis)
        for rule, check in LEVERAGE_RULES.items():
            drop = dropped_areas(data, rule)
            for fit in convergence.fit_terms(data.drop(index=drop), productivity.ICT_FORMULA,
                                             ["ict_share", "ict_growth"], ("HC1",)):
                rows.append({"basis": basis, "rule": rule, "check": check, "term": fit["term"],
                             "coefficient": fit["coefficient"], "se": fit["se"], "p": fit["p"], "n": fit["n"],
                             "dropped": drop})
    return with_sources(pd.DataFrame(rows), grid.attrs["source_ids"])


def leverage_row(table: pd.DataFrame, basis: str, rule: str, term: str) -> pd.Series:
    """One row of ``leverage_checks``."""
    return table[(table.basis == basis) & (table.rule == rule) & (table.term == term)].iloc[0]


def vintage_gva(industry: str) -> pd.DataFrame:
    """Year x ITL2 current-price GVA (GBP million) of one industry code (``TOTAL`` for all) from the Apr 2024
    release."""
    table = load("gva_by_industry")
    rows = table[(table.source_id == VINTAGE_SOURCE) & (table.industry_code == industry)]
    return year_by_region(rows, "ITL2")


def vintage_data(start_year: int, end_year: int, measure: str = "per_hour") -> pd.DataFrame:
    """The nominal ICT regression data (``convergence.ict_data``) with ICT share, finance share and ICT growth
    from the Apr 2024 GVA release."""
    data = convergence.ict_data("nominal", start_year, end_year, measure=measure).copy()
    total, ict, finance = (vintage_gva(code) for code in ("TOTAL", "J", "K"))
    data["ict_share"] = ict.loc[start_year] / total.loc[start_year] * 100
    data["finance_share"] = finance.loc[start_year] / total.loc[start_year] * 100
    data["ict_growth"] = convergence.growth(ict, start_year, end_year, "cagr")
    return with_sources(data, [productivity.PRODUCTIVITY_SOURCE, VINTAGE_SOURCE])


def vintage_check(grid: pd.DataFrame) -> pd.DataFrame:
    """The nominal baseline outside London refitted (HC1) on ``vintage_data``: one row per ICT term."""
    a = grid.attrs
    data = convergence.in_sample(vintage_data(a["start_year"], a["baseline"]["end_year"], a["measure"]), OUT)
    rows = convergence.fit_terms(data, productivity.ICT_FORMULA, ["ict_share", "ict_growth"], ("HC1",))
    return with_sources(pd.DataFrame(rows).set_index("term"), data.attrs["source_ids"])


def dispersion_trend(series: pd.Series) -> tuple[float, float]:
    """(Sen's slope, modified Mann-Kendall p-value) of a year-indexed series; p is NaN below 10 years."""
    test = trends.modified_mann_kendall(series)
    return trends.sens_slope(series), test["p"]


def sd_log_pct(measure: str, exclude_london: bool) -> pd.Series:
    """Standard deviation of log productivity levels across ITL2 areas, x 100 (about % of the mean)."""
    return productivity.sigma_convergence(measure, "ITL2", exclude_london=exclude_london)["sd_log"] * 100


def london_relative(measure: str) -> pd.Series:
    """London's productivity relative to the UK less Extra-Regio (= 100), current prices, by year."""
    return productivity.productivity(measure, "ITL1", "relative")[regions.LONDON]


def grid_description(grid: pd.DataFrame, sample: str, term: str) -> str:
    """What the specifications of a grid are, e.g. '84 specifications: 7 combinations of price basis and growth
    method x 2 end years (2019, 2021) x without and with ITL1 fixed effects x 3 error types (HC1, HC3, wild
    bootstrap)'."""
    rows = grid[(grid["sample"] == sample) & (grid["term"] == term)]
    combos = rows[["basis", "growth_method"]].drop_duplicates()
    methods = {b: ", ".join(METHOD_WORDS.get(m, m) for m in combos[combos.basis == b].growth_method)
               for b in combos.basis.unique()}
    ends, errors = sorted(rows.end_year.unique()), [ERROR_WORDS.get(e, e) for e in rows.errors.unique()]
    fe = " and ".join("with" if v else "without" for v in sorted(rows.itl1_fe.unique()))
    return (f"{len(rows)} specifications: {len(combos)} combinations of price basis and growth method ("
            + "; ".join(f"{b}: {m}" for b, m in methods.items())
            + f") x {len(ends)} end years ({', '.join(str(e) for e in ends)}) x {fe} ITL1 fixed effects x "
            f"{len(errors)} error types ({', '.join(errors)})")


FIXED_EFFECTS_NOTE = ("with ITL1 fixed effects Northern Ireland's single ITL2 area is dropped, because its own "
                      "region dummy would fit it exactly")
