"""Robustness-grid building blocks for convergence and the ICT regression (helpers.questions.productivity.convergence)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.questions.productivity import convergence


def test_trend_growth_of_exponential_series():
    years = range(2004, 2020)
    series = pd.Series([100 * np.exp(0.03 * (y - 2004)) for y in years], index=years)
    assert convergence.trend_growth(series) == pytest.approx(3.0)
    assert np.isnan(convergence.trend_growth(pd.Series([1.0, -1.0], index=[1, 2])))


def test_growth_methods_on_known_levels():
    levels = pd.DataFrame({"a": [100, 110, 121, 133.1, 146.41], "b": [100, 100, 100, 100, 200]},
                          index=range(2010, 2015))
    cagr = convergence.growth(levels, 2010, 2014, "cagr")
    assert cagr["a"] == pytest.approx(10.0) and cagr["b"] == pytest.approx((2 ** 0.25 - 1) * 100)
    smoothed = convergence.growth(levels, 2010, 2014, "smoothed")
    assert smoothed["a"] == pytest.approx(((levels.a.loc[2012:].mean() / levels.a.loc[:2012].mean()) ** 0.5 - 1) * 100)
    assert smoothed["a"] == pytest.approx(10.0)  # constant 10% growth survives averaging
    assert convergence.growth(levels, 2010, 2014, "trend")["a"] == pytest.approx(np.log(1.1) * 100)
    with pytest.raises(ValueError):
        convergence.growth(levels, 2010, 2012, "smoothed")  # 3-year averages need 4+ years
    with pytest.raises(ValueError):
        convergence.growth(levels, 2010, 2014, "median")


def test_robust_standard_errors_match_statsmodels():
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    x = sm.add_constant(rng.normal(size=(30, 2)))
    y = x @ [1.0, 0.5, -0.2] + rng.normal(size=30) * (1 + np.abs(x[:, 1]))
    for kind in ("HC1", "HC3"):
        fit = sm.OLS(y, x).fit(cov_type=kind)
        np.testing.assert_allclose(convergence._hc_se(x, fit.resid, kind), fit.bse, rtol=1e-10)


def _data(beta: float, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    noise = rng.normal(size=n) * (0.5 + np.abs(x))  # heteroskedastic
    return pd.DataFrame({"y": 1 + beta * x + noise, "x": x, "z": rng.normal(size=n)})


def test_wild_bootstrap_detects_a_real_effect_and_is_seeded():
    data = _data(beta=2.0, n=40, seed=1)
    p = convergence.wild_bootstrap_p(data, "y ~ x + z", "x", reps=999, seed=5)
    assert p < 0.01
    assert p == convergence.wild_bootstrap_p(data, "y ~ x + z", "x", reps=999, seed=5)


def test_wild_bootstrap_size_under_the_null():
    pvalues = [convergence.wild_bootstrap_p(_data(0.0, 30, seed), "y ~ x + z", "x", reps=199, seed=seed)
               for seed in range(120)]
    rejection = np.mean(np.asarray(pvalues) < 0.05)
    assert rejection < 0.12  # nominal 5%; HC1 t-tests over-reject with n = 30 and heteroskedasticity
    assert 0.3 < np.mean(pvalues) < 0.7  # roughly uniform


def test_fit_term_errors_and_fixed_effect_singletons():
    data = _data(beta=1.0, n=40, seed=2)
    hc1 = convergence.fit_term(data, "y ~ x", "x", "HC1")
    hc3 = convergence.fit_term(data, "y ~ x", "x", "HC3")
    wild = convergence.fit_term(data, "y ~ x", "x", "wild", reps=199)
    assert hc1["coefficient"] == hc3["coefficient"] == wild["coefficient"]
    assert hc3["se"] > hc1["se"] * 0.9 and 0 <= wild["p"] <= 1
    with pytest.raises(ValueError):
        convergence.fit_term(data, "y ~ x", "x", "HC0")
    areas = pd.DataFrame({"v": range(4)}, index=["TLC1", "TLC2", "TLN0", "TLD1"])
    assert convergence._with_itl1(areas).index.tolist() == ["TLC1", "TLC2"]


def test_fit_terms_one_fit_many_terms_and_errors():
    data = _data(beta=1.0, n=40, seed=3)
    rows = convergence.fit_terms(data, "y ~ x + z", ["x", "z"], ("HC1", "HC3", "wild"), reps=99)
    assert len(rows) == 6 and {r["term"] for r in rows} == {"x", "z"}
    import statsmodels.formula.api as smf

    fit = smf.ols("y ~ x + z", data=data).fit(cov_type="HC3")
    hc3 = next(r for r in rows if r["term"] == "z" and r["errors"] == "HC3")
    assert hc3["p"] == pytest.approx(fit.pvalues["z"]) and hc3["r2"] == pytest.approx(fit.rsquared)


def test_significant_share_and_spec():
    rows = [{"basis": b, "end_year": 2021, "growth_method": "cagr", "itl1_fe": False, "errors": "HC1",
             "sample": "s", "term": "x", "coefficient": c, "p": p}
            for b, c, p in [("real", 0.5, 0.01), ("nominal", 0.1, 0.5)]]
    grid = pd.DataFrame(rows)
    assert convergence.spec(grid, "s", "x", basis="nominal").coefficient == 0.1
    assert convergence.significant_share(grid, "s", "x") == (1, 2)
    assert convergence.significant_share(grid, "s", "x", sign=-1) == (0, 2)


def test_ons_smoothed_growth_is_nominal_only(real_data):
    with pytest.raises(ValueError):
        convergence.productivity_growth("real", 2004, 2021, "ons_smoothed")
    from helpers.questions.productivity import tables as productivity

    smoothed = productivity.productivity("per_hour", "ITL2", "smoothed_level")
    growth = convergence.productivity_growth("nominal", 2004, 2021, "ons_smoothed")
    assert growth["TLC1"] == pytest.approx(((smoothed.loc[2021, "TLC1"] / smoothed.loc[2004, "TLC1"]) ** (1 / 17) - 1) * 100)


def test_one_at_a_time_picks_baseline_and_single_changes():
    rows = []
    for basis in ("real", "nominal"):
        for end_year in (2019, 2021):
            rows.append({"basis": basis, "end_year": end_year, "growth_method": "cagr", "itl1_fe": False,
                         "errors": "HC1", "sample": "all ITL2 areas", "coefficient": 1.0})
    grid = pd.DataFrame(rows)
    picked = convergence.one_at_a_time(grid)
    assert sorted(picked.check) == ["baseline", "basis=nominal", "end_year=2019"]


def test_grids_on_real_data(real_data):
    sigma = convergence.sigma_by_period()
    assert len(sigma) == 8 and sigma.attrs["source_ids"] == ["productivity_2024"]
    grid = convergence.beta_grid(end_years=(2021,), bases=("real",), methods=("cagr",), errors=("HC1",),
                                 fixed_effects=(False,))
    base = grid[grid.is_baseline & (grid["sample"] == "all ITL2 areas")].iloc[0]
    from helpers.questions.productivity import tables as productivity

    published = productivity.beta_convergence("per_hour", 2004, 2021)
    assert base.coefficient == pytest.approx(published["beta"]) and base.n == 41


def test_cooks_distance_matches_statsmodels():
    import statsmodels.formula.api as smf

    from helpers.questions.productivity import sensitivity as sens

    data = _data(beta=1.0, n=30, seed=4)
    expected = smf.ols("y ~ x + z", data=data).fit().get_influence().cooks_distance[0]
    np.testing.assert_allclose(sens.cooks_distance(data, "y ~ x + z").to_numpy(), expected, rtol=1e-9)
