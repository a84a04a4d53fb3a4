"""Growth and structure metrics on tidy tables (values in the table's own units)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def index_to_base(series: pd.Series, base_year: int) -> pd.Series:
    """A year-indexed series rebased so that ``base_year`` = 100."""
    if base_year not in series.index:
        raise KeyError(f"base year {base_year} not in the series ({series.index.min()}-{series.index.max()})")
    return series / series.loc[base_year] * 100


def cagr(start_value: float, end_value: float, years: int) -> float:
    """Compound annual growth rate between two values ``years`` apart, in % a year."""
    if years <= 0:
        raise ValueError("years must be positive")
    if start_value <= 0 or end_value <= 0:
        return float("nan")
    return ((end_value / start_value) ** (1 / years) - 1) * 100


def growth_table(wide: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Per column of a year-indexed frame: start and end value, total growth (%) and CAGR (% a year)."""
    start, end = wide.loc[start_year], wide.loc[end_year]
    years = end_year - start_year
    return pd.DataFrame(
        {
            f"value_{start_year}": start,
            f"value_{end_year}": end,
            "growth_pct": (end / start - 1) * 100,
            "cagr_pct": [cagr(s, e, years) for s, e in zip(start, end)],
        }
    )


def share(part: pd.Series | pd.DataFrame, whole: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """``part`` as a percentage of ``whole`` (aligned on index)."""
    return part / whole * 100


# ---------------------------------------------------------------- concentration across regions


def location_quotient(values: pd.Series, benchmark: pd.Series) -> pd.Series:
    """LQ of each region: its share of ``values`` divided by its share of ``benchmark`` (1 = national average).

    ``values`` is the activity (e.g. ICT GVA), ``benchmark`` the base it is compared with (total GVA,
    employment or population), both indexed by region and in any units."""
    values, benchmark = values.align(benchmark, join="inner")
    return (values / values.sum()) / (benchmark / benchmark.sum())


def hhi(values: pd.Series) -> float:
    """Herfindahl-Hirschman index of the regions' shares of ``values``: sum of squared shares, 0-1
    (1/n when the n regions are equal, 1 when one region has everything)."""
    shares = values / values.sum()
    return float((shares**2).sum())


def gini(values: pd.Series, weights: pd.Series | None = None) -> float:
    """Gini coefficient (0 = equal, towards 1 = concentrated) of ``values`` per unit of ``weights``.

    With weights (e.g. population), it measures how unequally the activity is spread per person: 0 when
    every region has the same value per head. Without weights, every region counts equally."""
    if weights is None:
        weights = pd.Series(1.0, index=values.index)
    values, weights = values.align(weights, join="inner")
    density = values / weights
    order = density.sort_values().index
    w = (weights[order] / weights.sum()).to_numpy()
    v = (values[order] / values.sum()).to_numpy()
    cumulative = v.cumsum()
    # area under the Lorenz curve by trapezia; Gini = 1 - 2 * area
    area = (w * (cumulative - v / 2)).sum()
    return float(1 - 2 * area)


def theil(values: pd.Series, weights: pd.Series | None = None) -> float:
    """Theil index T = sum s_i ln(s_i / w_i), where s_i is a region's share of ``values`` and w_i its share
    of ``weights`` (equal shares without weights); 0 when activity follows the weights exactly."""
    if weights is None:
        weights = pd.Series(1.0, index=values.index)
    values, weights = values.align(weights, join="inner")
    s, w = values / values.sum(), weights / weights.sum()
    present = s > 0  # lim s->0 of s ln s = 0
    return float((s[present] * np.log(s[present] / w[present])).sum())


def trend_test(series: pd.Series) -> dict:
    """Is a year-indexed series rising or falling? OLS slope per year with Newey-West (HAC, 1 lag) standard
    errors, and Kendall's tau as a check that does not assume a straight line. Needs 5 or more years."""
    import statsmodels.api as sm
    from scipy.stats import kendalltau

    series = series.dropna().sort_index()
    if len(series) < 5:
        raise ValueError(f"a trend test needs at least 5 years, got {len(series)}")
    years = np.asarray(series.index, dtype=float)
    fit = sm.OLS(series.to_numpy(dtype=float), sm.add_constant(years)).fit(cov_type="HAC", cov_kwds={"maxlags": 1})
    tau, tau_p = kendalltau(years, series.to_numpy(dtype=float))
    return {
        "first_year": int(years[0]), "last_year": int(years[-1]), "n_years": len(series),
        "slope_per_year": float(fit.params[1]), "slope_se": float(fit.bse[1]), "slope_p": float(fit.pvalues[1]),
        "kendall_tau": float(tau), "kendall_p": float(tau_p),
    }


def trend_verdict(test: dict, alpha: float = 0.05) -> str:
    """'rising', 'falling' or 'no clear trend' (both the slope and Kendall's tau significant at ``alpha``)."""
    if test["slope_p"] < alpha and test["kendall_p"] < alpha and np.sign(test["slope_per_year"]) == np.sign(test["kendall_tau"]):
        return "rising" if test["slope_per_year"] > 0 else "falling"
    return "no clear trend"


# ---------------------------------------------------------------- growth decomposition and convergence


def shift_share(start: pd.DataFrame, end: pd.DataFrame) -> pd.DataFrame:
    """Classic shift-share of each region's change in an additive quantity (e.g. current-price GVA).

    ``start`` and ``end`` are region x industry tables (the industries must add up to each region's total;
    the nation is their column-wise sum). For region r and industry i with national growth rates g and g_i
    and regional rate g_ri: national = E_ri0 * g; industry mix = E_ri0 * (g_i - g); regional = E_ri0 * (g_ri - g_i).
    Returns per region: start, end, actual change and the three components (which add up to the change)."""
    start, end = start.align(end, join="inner")
    nation_start, nation_end = start.sum(), end.sum()
    g = nation_end.sum() / nation_start.sum() - 1
    g_i = nation_end / nation_start - 1
    g_ri = (end / start - 1).where(start != 0, 0.0)
    national = start.mul(g).sum(axis=1)
    mix = start.mul(g_i - g, axis=1).sum(axis=1)
    regional = (start * g_ri.sub(g_i, axis=1)).sum(axis=1) + (end - start).where(start == 0, 0.0).sum(axis=1)
    return pd.DataFrame({
        "start": start.sum(axis=1), "end": end.sum(axis=1), "change": end.sum(axis=1) - start.sum(axis=1),
        "national": national, "industry_mix": mix, "regional": regional,
    })


def coefficient_of_variation(values: pd.Series, weights: pd.Series | None = None) -> float:
    """Standard deviation / mean of ``values`` across regions (population-weighted when weights are given)."""
    if weights is None:
        return float(values.std(ddof=0) / values.mean())
    values, weights = values.align(weights, join="inner")
    w = weights / weights.sum()
    mean = (w * values).sum()
    return float(np.sqrt((w * (values - mean) ** 2).sum()) / mean)


def ols(data: pd.DataFrame, formula: str):
    """statsmodels OLS of ``formula`` on ``data`` with heteroskedasticity-robust (HC1) standard errors."""
    import statsmodels.formula.api as smf

    return smf.ols(formula, data=data).fit(cov_type="HC1")


def beta_convergence(initial_level: pd.Series, growth_pct: pd.Series) -> dict:
    """Beta-convergence: OLS of annual growth (% a year) on log initial level, HC1 robust errors.

    A negative, significant beta means areas that started lower grew faster (they were catching up)."""
    data = pd.DataFrame({"growth": growth_pct, "log_initial": np.log(initial_level)}).dropna()
    fit = ols(data, "growth ~ log_initial")
    return {"beta": float(fit.params["log_initial"]), "se": float(fit.bse["log_initial"]),
            "p": float(fit.pvalues["log_initial"]), "r2": float(fit.rsquared), "n": int(fit.nobs), "fit": fit}


def zscores(table: pd.DataFrame) -> pd.DataFrame:
    """Each column standardised to mean 0 and standard deviation 1 across rows (population sd)."""
    return (table - table.mean()) / table.std(ddof=0)


# ---------------------------------------------------------------- trend tests for short, autocorrelated series

MIN_TREND_POINTS = 10  # STYLE.md: with fewer than about 10 annual points, describe rather than test


def sens_slope(series: pd.Series) -> float:
    """Theil-Sen slope of a year-indexed series: median of (x_j - x_i) / (t_j - t_i) over all pairs i < j,
    in the series' units per year (uses the index values as the time axis)."""
    series = series.dropna().sort_index()
    t, x = np.asarray(series.index, dtype=float), series.to_numpy(dtype=float)
    i, j = np.triu_indices(len(x), k=1)
    return float(np.median((x[j] - x[i]) / (t[j] - t[i])))


def mann_kendall_s(values) -> tuple[float, float]:
    """Mann-Kendall S = sum over i < j of sign(x_j - x_i), and its variance under independence with the
    tie correction: [n(n-1)(2n+5) - sum_ties t(t-1)(2t+5)] / 18."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(x[j] - x[i]).sum())
    _, counts = np.unique(x, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - (counts * (counts - 1) * (2 * counts + 5)).sum()) / 18
    return s, float(var_s)


def _mk_z(s: float, var_s: float) -> float:
    if var_s <= 0 or s == 0:
        return 0.0
    return (s - np.sign(s)) / np.sqrt(var_s)  # continuity correction


def modified_mann_kendall(series: pd.Series, alpha: float = 0.05) -> dict:
    """Mann-Kendall trend test with the Hamed & Rao (1998) variance correction for autocorrelation.

    Steps (Hamed, K.H. & Rao, A.R., 1998, J. Hydrology 204, 182-196): S and its variance under independence
    (``mann_kendall_s``); the series is detrended with Sen's slope and ranked; the autocorrelations r_k of the
    ranks (k = 1..n-1) that are significant at ``alpha`` (|r_k| > z_{1-alpha/2} / sqrt(n)) enter the correction
    factor n/n* = 1 + 2 / (n(n-1)(n-2)) * sum_k (n-k)(n-k-1)(n-k-2) r_k, and var_s is multiplied by it (as in
    the paper, negative significant autocorrelations lower the variance; pymannkendall uses |sum| instead).
    z = (S - sign(S)) / sqrt(var_s), two-sided normal p-value.

    Returns n, S, var_s (corrected), var_s_uncorrected, correction (n/n*), z, p, p_uncorrected, sen_slope
    (units of the series per year) and verdict: "rising"/"falling" when p < alpha, else "no clear trend";
    with fewer than 10 points no test is run and verdict is "too few years (n)"."""
    from scipy.stats import norm, rankdata

    series = series.dropna().sort_index()
    n = len(series)
    result = {"n": n, "S": np.nan, "var_s": np.nan, "var_s_uncorrected": np.nan, "correction": np.nan,
              "z": np.nan, "p": np.nan, "p_uncorrected": np.nan, "sen_slope": np.nan}
    if n < MIN_TREND_POINTS:
        return {**result, "verdict": f"too few years ({n})"}
    x = series.to_numpy(dtype=float)
    t = np.asarray(series.index, dtype=float)
    s, var0 = mann_kendall_s(x)
    slope = sens_slope(series)
    ranks = rankdata(x - slope * t)
    centred = ranks - ranks.mean()
    denom = (centred**2).sum()
    bound = norm.ppf(1 - alpha / 2) / np.sqrt(n)
    total = 0.0
    for k in range(1, n - 2):  # the (n-k-2) factor is 0 for k >= n-2
        r_k = (centred[:-k] * centred[k:]).sum() / denom if denom > 0 else 0.0
        if abs(r_k) > bound:
            total += (n - k) * (n - k - 1) * (n - k - 2) * r_k
    correction = 1 + 2 / (n * (n - 1) * (n - 2)) * total
    var_s = var0 * correction
    z, z0 = _mk_z(s, var_s), _mk_z(s, var0)
    p, p0 = float(2 * norm.sf(abs(z))), float(2 * norm.sf(abs(z0)))
    verdict = ("rising" if s > 0 else "falling") if p < alpha else "no clear trend"
    return {**result, "S": s, "var_s": float(var_s), "var_s_uncorrected": var0, "correction": float(correction),
            "z": float(z), "p": p, "p_uncorrected": p0, "sen_slope": slope, "verdict": verdict}


def newey_west_lags(n: int) -> int:
    """Newey-West (1994) rule of thumb for the HAC truncation lag: floor(4 (n/100)^(2/9)), at least 1.
    It grows with the sample: 1 lag up to 4 points, 2 for 5-27, 3 for 28-99, 4 from 100 (``trend_test`` uses 1)."""
    if n < 1:
        raise ValueError("n must be positive")
    return max(1, int(np.floor(4 * (n / 100) ** (2 / 9))))


def ols_trend_hac(series: pd.Series, lags: int | None = None, alpha: float = 0.05) -> dict:
    """OLS slope of a year-indexed series on the year (units of the series per year) with Newey-West HAC
    standard errors, ``lags`` from ``newey_west_lags(n)`` by default (Bartlett kernel, small-sample correction).
    Returns n, lags, slope, se, p and verdict ("rising"/"falling"/"no clear trend"; "too few years (n)"
    below 10 points, with the numbers still computed from 3 points on)."""
    import statsmodels.api as sm

    series = series.dropna().sort_index()
    n = len(series)
    lags = newey_west_lags(n) if lags is None else lags
    if n < 3:
        return {"n": n, "lags": lags, "slope": np.nan, "se": np.nan, "p": np.nan, "verdict": f"too few years ({n})"}
    years = np.asarray(series.index, dtype=float)
    fit = sm.OLS(series.to_numpy(dtype=float), sm.add_constant(years)).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})
    slope, p = float(fit.params[1]), float(fit.pvalues[1])
    if n < MIN_TREND_POINTS:
        verdict = f"too few years ({n})"
    else:
        verdict = ("rising" if slope > 0 else "falling") if p < alpha else "no clear trend"
    return {"n": n, "lags": lags, "slope": slope, "se": float(fit.bse[1]), "p": p, "verdict": verdict}
