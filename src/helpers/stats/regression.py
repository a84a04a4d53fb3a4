"""Regressions with heteroskedasticity-robust errors (statsmodels)."""

from __future__ import annotations

import numpy as np
import pandas as pd


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

