"""Trend tests for short, autocorrelated annual series (helpers.stats.trends)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import kendalltau, norm

from helpers.stats import trends


def _series(values, start: int = 2000) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=range(start, start + len(values)))


def test_small_example_by_hand():
    values = [3, 1, 4, 5, 2, 6, 8, 7, 10, 9, 12, 11]  # no ties, n = 12
    n = len(values)
    s_hand = sum(np.sign(values[j] - values[i]) for i in range(n) for j in range(i + 1, n))
    var_hand = n * (n - 1) * (2 * n + 5) / 18  # textbook variance without ties
    s, var_s = trends.mann_kendall_s(values)
    assert s == s_hand == 52 and var_s == pytest.approx(var_hand) == pytest.approx(212.666666)
    result = trends.modified_mann_kendall(_series(values))
    assert result["S"] == s_hand and result["var_s_uncorrected"] == pytest.approx(var_hand)
    z_hand = (s_hand - 1) / np.sqrt(var_hand)
    assert result["p_uncorrected"] == pytest.approx(2 * norm.sf(z_hand))
    assert result["var_s"] == pytest.approx(var_hand * result["correction"])
    slopes = [(values[j] - values[i]) / (j - i) for i in range(n) for j in range(i + 1, n)]
    assert result["sen_slope"] == pytest.approx(np.median(slopes))
    assert result["verdict"] == "rising"


def test_ties_reduce_the_variance():
    s, var_s = trends.mann_kendall_s([1, 2, 2, 3, 3, 3])
    n = 6
    assert var_s == pytest.approx((n * (n - 1) * (2 * n + 5) - 2 * 1 * 9 - 3 * 2 * 11) / 18)
    assert s == 11


def test_linear_trend_plus_noise_is_rising():
    rng = np.random.default_rng(1)
    series = _series(0.5 * np.arange(20) + rng.normal(0, 1, 20))
    result = trends.modified_mann_kendall(series)
    assert result["verdict"] == "rising" and result["p"] < 0.01
    assert result["sen_slope"] == pytest.approx(0.5, abs=0.15)
    assert trends.ols_trend_hac(series)["verdict"] == "rising"
    falling = trends.modified_mann_kendall(-series)
    assert falling["verdict"] == "falling" and falling["sen_slope"] < 0


def test_white_noise_mostly_no_trend():
    rng = np.random.default_rng(42)
    verdicts = [trends.modified_mann_kendall(_series(rng.normal(size=20)))["verdict"] for _ in range(200)]
    assert verdicts.count("no clear trend") / len(verdicts) >= 0.88


def test_random_walk_uncorrected_over_rejects_modified_is_less_significant():
    rng = np.random.default_rng(7)
    reps, n = 300, 25
    raw_rejects = modified_rejects = less_significant = 0
    corrections = []
    for _ in range(reps):
        walk = _series(np.cumsum(rng.normal(size=n)))  # AR(1) with phi = 1: no deterministic trend
        _, tau_p = kendalltau(walk.index, walk.to_numpy())
        result = trends.modified_mann_kendall(walk)
        raw_rejects += result["p_uncorrected"] < 0.05
        modified_rejects += result["p"] < 0.05
        less_significant += result["p"] >= result["p_uncorrected"]
        corrections.append(result["correction"])
        assert result["p_uncorrected"] == pytest.approx(tau_p, abs=0.02)  # same test as scipy's tau (no ties)
    assert raw_rejects / reps > 0.4  # the textbook test finds "trends" in most random walks
    # the correction inflates var(S) (median factor ~1.9 here) and rejects less often, though with 25 points
    # and a unit root it cannot remove the over-rejection altogether (Hamed & Rao's own simulations agree)
    assert np.median(corrections) > 1.5
    assert modified_rejects < raw_rejects
    assert less_significant / reps > 0.85


def test_too_few_years_refused():
    result = trends.modified_mann_kendall(_series(range(9)))
    assert result["verdict"] == "too few years (9)" and np.isnan(result["p"])
    assert trends.ols_trend_hac(_series(range(9)))["verdict"] == "too few years (9)"


def test_newey_west_lags_grow_with_the_sample():
    assert [trends.newey_west_lags(n) for n in (4, 5, 27, 28, 99, 100)] == [1, 2, 2, 3, 3, 4]
    with pytest.raises(ValueError):
        trends.newey_west_lags(0)


def test_ols_trend_hac_matches_statsmodels():
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    series = _series(0.2 * np.arange(30) + rng.normal(size=30))
    result = trends.ols_trend_hac(series)
    fit = sm.OLS(series.to_numpy(), sm.add_constant(np.arange(2000, 2030, dtype=float))).fit(
        cov_type="HAC", cov_kwds={"maxlags": 3, "use_correction": True})
    assert result["lags"] == 3
    assert result["slope"] == pytest.approx(fit.params[1]) and result["se"] == pytest.approx(fit.bse[1])
