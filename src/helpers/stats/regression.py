"""Least squares for small regional cross-sections, in plain numpy: the coefficient of one term with the errors a
referee asks for, computed once per fit.

- ``design``: outcome and regressors (an intercept, the named columns and, for a fixed-effect column, one dummy per
  value but the first) from a table, rows with a missing value left out;
- ``hc_se``: heteroskedasticity-robust standard errors, HC1 (n / (n - k) scaling) or HC3 (leverage-corrected),
  for one or many residual columns; ``cluster_se``: cluster-robust (CRV1, scaled G / (G - 1) x (n - 1) / (n - k));
- ``WildCluster``: the restricted wild cluster bootstrap (WCR; Cameron, Gelbach and Miller 2008) with Webb's
  six-point weights, which behave with few clusters (Webb 2023; MacKinnon and Webb 2018): the p-value of
  H0: coefficient = b0 and the confidence interval found by inverting that test (the values of b0 it does not
  reject; Roodman, MacKinnon, Nielsen and Webb 2019, "Fast and wild"). Each observation its own cluster is the
  heteroskedasticity-only wild bootstrap. The same seeded draws serve every b0, so the interval is reproducible;
- ``fit``: one term's coefficient with HC1, HC3 and wild-cluster-bootstrap p-values and intervals;
- ``cooks_distance``; ``beta_convergence`` (growth on the log initial level).

Normal p-values and intervals for HC1/HC3, as statsmodels gives them with ``cov_type``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
REPS = 999  # bootstrap draws when a caller names none


def design(data: pd.DataFrame, outcome: str, regressors, fixed_effects: str | None = None):
    """(y, X, column names, rows used) of an OLS of ``outcome`` on an intercept, ``regressors`` and dummies of
    ``fixed_effects`` (one per value but the first); rows with a missing value in any of them are left out."""
    columns = [outcome, *regressors, *([fixed_effects] if fixed_effects else [])]
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(f"columns {missing} are not in the table; it has {list(data.columns)}")
    rows = data[columns].dropna()
    parts = [pd.Series(1.0, index=rows.index, name="Intercept"), rows[list(regressors)].astype(float)]
    if fixed_effects:
        parts.append(pd.get_dummies(rows[fixed_effects], prefix=fixed_effects, drop_first=True, dtype=float))
    x = pd.concat(parts, axis=1)
    return rows[outcome].to_numpy(dtype=float), x.to_numpy(dtype=float), list(x.columns), rows.index


def ols(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(coefficients, residuals) of the least-squares fit of y on x."""
    beta = np.linalg.pinv(x) @ y
    return beta, y - x @ beta


def hc_se(x: np.ndarray, resid: np.ndarray, kind: str = "HC1") -> np.ndarray:
    """Robust standard errors for one or many residual columns (resid: n or n x B) -> k or k x B."""
    if kind not in ("HC1", "HC3"):
        raise ValueError(f"kind must be HC1 or HC3, not {kind!r}")
    n, k = x.shape
    bread = np.linalg.pinv(x.T @ x)
    resid = resid.reshape(n, -1)
    if kind == "HC3":
        leverage = np.einsum("ij,jk,ik->i", x, bread, x)
        resid = resid / (1 - leverage)[:, None]
    scale = n / (n - k) if kind == "HC1" else 1.0
    a = bread @ x.T  # k x n
    return np.sqrt(scale * np.einsum("kn,nb->kb", a**2, resid**2)).squeeze()


def _groups(clusters) -> np.ndarray:
    """Cluster labels -> an indicator matrix, clusters x observations."""
    codes, _ = pd.factorize(np.asarray(clusters))
    return (codes[None, :] == np.arange(codes.max() + 1)[:, None]).astype(float)


def cluster_se(x: np.ndarray, resid: np.ndarray, clusters) -> np.ndarray:
    """Cluster-robust (CRV1) standard errors of every coefficient, one residual column."""
    n, k = x.shape
    groups = _groups(clusters)
    g = len(groups)
    a = np.linalg.pinv(x.T @ x) @ x.T  # k x n
    scores = groups @ (a.T * resid[:, None])  # G x k
    return np.sqrt(g / (g - 1) * (n - 1) / (n - k) * (scores**2).sum(axis=0))


class WildCluster:
    """The restricted wild cluster bootstrap of the coefficient in column ``col`` of ``x`` (module doc): ``p(b0)``
    and ``interval(alpha)``; its t statistics use CRV1 errors."""

    def __init__(self, y: np.ndarray, x: np.ndarray, col: int, clusters, reps: int = REPS, seed: int = 0):
        n, k = x.shape
        self.y, self.x, self.col = y, x, col
        self.groups = _groups(clusters)
        g = len(self.groups)
        if g < 2:
            raise ValueError("the wild cluster bootstrap needs at least 2 clusters")
        self.scale = g / (g - 1) * (n - 1) / (n - k)
        self.a = (np.linalg.pinv(x.T @ x) @ x.T)[col]  # the coefficient is a @ y
        self.pinv = np.linalg.pinv(x)
        self.x_r, self.x_c = np.delete(x, col, axis=1), x[:, col]
        self.pinv_r = np.linalg.pinv(self.x_r)
        draws = np.random.default_rng(seed).choice(WEBB, size=(g, reps))
        self.weights = self.groups.T @ draws  # n x reps: each observation takes its cluster's draw
        self.estimate = float(self.a @ y)
        self.se = float(self._se((y - x @ (self.pinv @ y))[:, None])[0])

    def _se(self, resid: np.ndarray) -> np.ndarray:
        scores = self.groups @ (self.a[:, None] * resid)
        return np.sqrt(self.scale * (scores**2).sum(axis=0))

    def p(self, b0: float = 0.0) -> float:
        """Bootstrap p-value of H0: coefficient = b0 (two-sided, symmetric)."""
        fitted = self.x_r @ (self.pinv_r @ (self.y - b0 * self.x_c)) + b0 * self.x_c
        y_star = fitted[:, None] + (self.y - fitted)[:, None] * self.weights
        b_star = self.a @ y_star
        t_star = (b_star - b0) / self._se(y_star - self.x @ (self.pinv @ y_star))
        return float(np.mean(np.abs(t_star) >= abs(self.estimate - b0) / self.se))

    def _bound(self, side: int, alpha: float) -> float:
        inside, step = self.estimate, max(self.se, 1e-12)
        outside = self.estimate + side * 2 * step
        for _ in range(60):  # widen until the test rejects
            if self.p(outside) <= alpha:
                break
            inside, step = outside, step * 2
            outside = self.estimate + side * 2 * step
        else:
            return side * np.inf
        for _ in range(60):  # then halve the bracket
            if abs(outside - inside) <= 1e-6 * self.se:
                break
            middle = (inside + outside) / 2
            inside, outside = (middle, outside) if self.p(middle) > alpha else (inside, middle)
        return float((inside + outside) / 2)

    def interval(self, alpha: float) -> tuple[float, float]:
        """The values of b0 the test does not reject at level ``alpha`` (a 1 - ``alpha`` confidence interval)."""
        return self._bound(-1, alpha), self._bound(1, alpha)


def fit(data: pd.DataFrame, outcome: str, regressors, term: str, *, alpha: float, fixed_effects: str | None = None,
        clusters: str | None = None, reps: int = REPS, seed: int = 0) -> dict:
    """OLS of ``outcome`` on ``regressors`` (and ``fixed_effects`` dummies); for ``term``: coefficient, HC1 and HC3
    standard errors with normal p-values and 1 - ``alpha`` intervals (``se_hc1``, ``p_hc1``, ``lower_hc1``, ...), and the wild
    cluster bootstrap by the ``clusters`` column (each row its own cluster when None): ``p``, ``lower``, ``upper``;
    also n, the number of clusters and R-squared."""
    from scipy.stats import norm

    y, x, names, rows = design(data, outcome, regressors, fixed_effects)
    col = names.index(term)
    beta, resid = ols(y, x)
    groups = data.loc[rows, clusters].to_numpy() if clusters else np.arange(len(y))
    z, out = norm.ppf(1 - alpha / 2), {"term": term, "coefficient": float(beta[col])}
    for kind in ("HC1", "HC3"):
        se = float(hc_se(x, resid, kind)[col])
        out.update({f"se_{kind.lower()}": se, f"p_{kind.lower()}": float(2 * norm.sf(abs(beta[col] / se))),
                    f"lower_{kind.lower()}": float(beta[col] - z * se), f"upper_{kind.lower()}": float(beta[col] + z * se)})
    boot = WildCluster(y, x, col, groups, reps, seed)
    lower, upper = boot.interval(alpha)
    out.update({"se_cluster": boot.se, "p": boot.p(0.0), "lower": lower, "upper": upper, "n": len(y),
                "clusters": len(set(groups)), "r2": float(1 - resid @ resid / np.sum((y - y.mean()) ** 2))})
    return out


def cooks_distance(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Cook's distance of each observation: e_i^2 / (k s^2) x h_i / (1 - h_i)^2."""
    n, k = x.shape
    _, resid = ols(y, x)
    leverage = np.einsum("ij,jk,ik->i", x, np.linalg.pinv(x.T @ x), x)
    s2 = resid @ resid / (n - k)
    return resid**2 / (k * s2) * leverage / (1 - leverage) ** 2


def beta_convergence(initial_level: pd.Series, growth_pct: pd.Series) -> dict:
    """Beta-convergence: OLS of annual growth (% a year) on the log initial level, HC1 errors: beta, se, p, r2, n.
    A negative, significant beta means areas that started lower grew faster (they were catching up)."""
    from scipy.stats import norm

    data = pd.DataFrame({"growth": growth_pct, "log_initial": np.log(initial_level)}).dropna()
    y, x, _, _ = design(data, "growth", ["log_initial"])
    beta, resid = ols(y, x)
    se = float(hc_se(x, resid)[1])
    return {"beta": float(beta[1]), "se": se, "p": float(2 * norm.sf(abs(beta[1] / se))),
            "r2": float(1 - resid @ resid / np.sum((y - y.mean()) ** 2)), "n": len(y)}
