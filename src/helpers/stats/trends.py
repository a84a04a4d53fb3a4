"""Trend tests for short, autocorrelated annual series: Sen's slope, the modified Mann-Kendall test (Hamed and Rao
1998) and an OLS slope with Newey-West (HAC) errors."""

from __future__ import annotations

import numpy as np
import pandas as pd


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



def sen_interval(series: pd.Series, alpha: float = 0.05) -> dict:
    """Sen's slope of a year-indexed series with its (1 - ``alpha``) confidence interval, from the modified
    Mann-Kendall variance (Hamed and Rao 1998, ``modified_mann_kendall``): with N pairwise slopes sorted and
    C = z_{1-alpha/2} sqrt(var S), the bounds are the slopes of rank (N - C)/2 and (N + C)/2 + 1 (Gilbert 1987,
    interpolated between ranks). Returns slope, lower, upper, p and n; NaN bounds below ``MIN_TREND_POINTS``."""
    from scipy.stats import norm

    series = series.dropna().sort_index()
    test = modified_mann_kendall(series, alpha)
    out = {"slope": sens_slope(series) if len(series) >= 2 else np.nan, "lower": np.nan, "upper": np.nan,
           "p": test["p"], "n": test["n"]}
    if test["n"] < MIN_TREND_POINTS or not np.isfinite(test["var_s"]):
        return out
    t, x = np.asarray(series.index, dtype=float), series.to_numpy(dtype=float)
    i, j = np.triu_indices(len(x), k=1)
    slopes = np.sort((x[j] - x[i]) / (t[j] - t[i]))
    half = norm.ppf(1 - alpha / 2) * np.sqrt(test["var_s"])
    ranks = np.array([(len(slopes) - half) / 2, (len(slopes) + half) / 2 + 1]) - 1  # 1-based ranks -> 0-based
    ranks = np.clip(ranks, 0, len(slopes) - 1)
    lower, upper = np.interp(ranks, np.arange(len(slopes)), slopes)
    return {**out, "lower": float(lower), "upper": float(upper)}
