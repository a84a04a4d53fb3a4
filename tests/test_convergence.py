"""Question 3's estimators and areas: helpers.stats.regression (OLS, HC1/HC3, cluster-robust errors, the wild
cluster bootstrap, Cook's distance), helpers.questions.productivity.panel (growth methods, ICT's own contribution, the
area panel) and helpers.data.adjacency. Reference numbers come from statsmodels or from the raw ONS files read with
pandas alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.questions.productivity import panel
from helpers.stats import regression


def test_trend_growth_of_exponential_series():
    years = range(2004, 2020)
    series = pd.Series([100 * np.exp(0.03 * (y - 2004)) for y in years], index=years)
    assert panel.trend_growth(series) == pytest.approx(3.0)
    assert np.isnan(panel.trend_growth(pd.Series([1.0, -1.0], index=[1, 2])))


def test_growth_methods_on_known_levels():
    levels = pd.DataFrame({"a": [100, 110, 121, 133.1, 146.41], "b": [100, 100, 100, 100, 200]},
                          index=range(2010, 2015))
    cagr = panel.growth(levels, 2010, 2014, "cagr")
    assert cagr["a"] == pytest.approx(10.0) and cagr["b"] == pytest.approx((2 ** 0.25 - 1) * 100)
    smoothed = panel.growth(levels, 2010, 2014, "smoothed")
    assert smoothed["a"] == pytest.approx(10.0)  # constant 10% growth survives averaging
    assert panel.growth(levels, 2010, 2014, "trend")["a"] == pytest.approx(np.log(1.1) * 100)
    with pytest.raises(ValueError):
        panel.growth(levels, 2010, 2012, "smoothed")  # 3-year averages need 4+ years
    with pytest.raises(ValueError, match="method must be one of"):
        panel.growth(levels, 2010, 2014, "median")


def _data(beta: float, n: int, seed: int, clusters: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    noise = rng.normal(size=n) * (0.5 + np.abs(x))  # heteroskedastic
    return pd.DataFrame({"y": 1 + beta * x + noise, "x": x, "z": rng.normal(size=n),
                         "g": rng.integers(0, clusters, size=n)})


def test_robust_and_cluster_errors_match_statsmodels():
    import statsmodels.api as sm

    data = _data(0.5, 40, 0)
    y, x, names, _ = regression.design(data, "y", ["x", "z"])
    assert names == ["Intercept", "x", "z"]
    _, resid = regression.ols(y, x)
    for kind in ("HC1", "HC3"):
        fit = sm.OLS(y, x).fit(cov_type=kind)
        np.testing.assert_allclose(regression.hc_se(x, resid, kind), fit.bse, rtol=1e-10)
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": data["g"].to_numpy()})
    np.testing.assert_allclose(regression.cluster_se(x, resid, data["g"]), fit.bse, rtol=1e-10)
    with pytest.raises(ValueError, match="HC1 or HC3"):
        regression.hc_se(x, resid, "HC0")
    with pytest.raises(KeyError, match="not in the table"):
        regression.design(data, "y", ["w"])


def test_fit_reports_hc_p_values_as_statsmodels_and_a_bootstrap_interval():
    import statsmodels.formula.api as smf

    data = _data(1.0, 60, 3)
    out = regression.fit(data, "y", ["x", "z"], "x", alpha=0.05, clusters="g", reps=199)
    expected = smf.ols("y ~ x + z", data=data).fit(cov_type="HC3")
    assert out["coefficient"] == pytest.approx(expected.params["x"])
    assert out["p_hc3"] == pytest.approx(expected.pvalues["x"]) and out["r2"] == pytest.approx(expected.rsquared)
    assert out["lower"] < out["coefficient"] < out["upper"] and out["clusters"] == 10 and out["n"] == 60
    assert out["p"] < 0.05 and out["lower"] > 0  # a real effect: the interval excludes zero


def test_wild_cluster_bootstrap_inverts_its_own_test_and_is_seeded():
    data = _data(0.0, 80, 5, clusters=12)
    y, x, _, rows = regression.design(data, "y", ["x", "z"])
    boot = regression.WildCluster(y, x, 1, data.loc[rows, "g"], reps=199, seed=2)
    lower, upper = boot.interval(0.05)
    assert boot.p(lower - 1e-3 * boot.se) <= 0.05 < boot.p((lower + upper) / 2)
    assert boot.p(upper + 1e-3 * boot.se) <= 0.05
    assert boot.p(0.0) == regression.WildCluster(y, x, 1, data.loc[rows, "g"], reps=199, seed=2).p(0.0)
    with pytest.raises(ValueError, match="at least 2 clusters"):
        regression.WildCluster(y, x, 1, np.zeros(len(y)))


def test_wild_cluster_bootstrap_size_under_the_null():
    pvalues = []
    for seed in range(60):
        data = _data(0.0, 60, seed, clusters=12)
        y, x, _, _ = regression.design(data, "y", ["x", "z"])
        pvalues.append(regression.WildCluster(y, x, 1, data["g"], reps=199, seed=seed).p(0.0))
    assert np.mean(np.asarray(pvalues) < 0.05) < 0.15 and 0.3 < np.mean(pvalues) < 0.7


def test_cooks_distance_matches_statsmodels():
    import statsmodels.api as sm

    data = _data(1.0, 30, 4)
    y, x, _, _ = regression.design(data, "y", ["x", "z"])
    expected = sm.OLS(y, x).fit().get_influence().cooks_distance[0]
    np.testing.assert_allclose(regression.cooks_distance(y, x), expected, rtol=1e-9)


def _raw_itl3(sheet: str, prefix: str) -> pd.DataFrame:
    from helpers.data.sources import fetch

    raw = pd.read_excel(fetch(["productivity_2024"])["productivity_2024"], sheet_name=sheet, header=4, engine="calamine")
    raw = raw[raw.ITL_level == "ITL3"].set_index("ITL_code")
    table = raw[[c for c in raw.columns if str(c).startswith(prefix)]].astype(float).T
    table.index = [int(c.split("_")[1]) for c in table.index]
    return table


def _raw_gva(source: str, code: str) -> pd.DataFrame:
    from helpers.data.sources import fetch

    raw = pd.read_csv(fetch([source])[source], thousands=",", dtype={"SIC07 code": str})
    rows = raw[raw["SIC07 code"] == code].set_index("ITL region code")
    table = rows[[c for c in rows.columns if c.isdigit()]].astype(float).T
    table.index = table.index.astype(int)
    return table


def test_spillover_regression_back_tested_on_the_raw_itl3_files(real_data):
    """ICT's own contribution by ONS chain-linking (previous-year current-price shares up to the 2019 reference year,
    volumes after), the growth of the rest, the start-year shares and the OLS on the ITL3 areas outside London, all
    from the raw April 2023 Tables 3b/3c and the June 2024 productivity workbook."""
    from helpers.questions.productivity import models

    start, end, reference = 2004, 2021, 2019
    j_cv, t_cv = _raw_gva("gva_itl3_cvm_2023", "J (58-63)"), _raw_gva("gva_itl3_cvm_2023", "Total")
    j_cp, t_cp = _raw_gva("gva_itl3_cp_2023", "J (58-63)"), _raw_gva("gva_itl3_cp_2023", "Total")
    k_cp = _raw_gva("gva_itl3_cp_2023", "K (64-66)")
    index, level = _raw_itl3("A5", "Index_"), _raw_itl3("A4", "Pounds_")
    factor = pd.Series(1.0, index=index.columns)
    for year in range(start + 1, end + 1):
        weight = (j_cp / t_cp).loc[year - 1] if year - 1 <= reference else (j_cv / t_cv).loc[year - 1]
        contribution = weight * (j_cv.loc[year] / j_cv.loc[year - 1] - 1) * 100
        growth = (t_cv.loc[year] / t_cv.loc[year - 1] - 1) * 100
        factor *= 1 - contribution / (100 + growth)
    rest = ((index.loc[end] * factor / index.loc[start]) ** (1 / (end - start)) - 1) * 100
    data = pd.DataFrame({"rest": rest, "ict": j_cp.loc[start] / t_cp.loc[start] * 100,
                         "fin": k_cp.loc[start] / t_cp.loc[start] * 100, "log": np.log(level.loc[start])})
    data = data[~data.index.str.startswith("TLI")]
    x = np.column_stack([np.ones(len(data)), data[["ict", "fin", "log"]].to_numpy()])
    expected = np.linalg.lstsq(x, data["rest"].to_numpy(), rcond=None)[0][1]
    result = models.results("ict_rest", "per_hour", start, end, "ITL3", "ITL2", None, 0.05, 49, 0).loc["baseline"]
    assert len(data) >= 150 and result.n == len(data)
    assert result.coefficient == pytest.approx(expected, rel=1e-6)
    areas = panel.area_panel("per_hour", "ITL3", start, end)
    assert areas.loc[data.index, "rest_growth"].to_numpy() == pytest.approx(data["rest"].to_numpy(), rel=1e-6)


def test_neighbours_are_symmetric_and_islands_have_one(real_data):
    from helpers.data import adjacency

    table = adjacency.neighbours("ITL3")
    assert len(table) == 179 and all(table.values())
    touching = [(a, b) for a, near in table.items() for b in near if len(near) > 1 and len(table[b]) > 1]
    assert all(a in table[b] for a, b in touching)
    lag = adjacency.spatial_lag(pd.Series({code: 1.0 for code in table}), "ITL3")
    assert (lag == 1.0).all()
