"""Robustness grids for convergence and the ICT regression (question 3), built on ``helpers.questions.productivity.tables``.

Sources: ONS subregional productivity, June 2024 (``productivity_2024``: GVA per hour worked, GBP at current
prices, and chained-volume indices, ITL2, 2004-2022); ONS regional GVA by industry, Apr 2023 release, ITL2
(``gva_itl2_cp_2023``, ``gva_itl2_cvm_2023``: GBP million, 1998-2021) for the ICT regression.

Growth is in % a year; every growth method is applied to the same levels:
- ``cagr``: compound annual growth between the two endpoint years;
- ``trend``: log-linear trend growth, the OLS slope of ln(level) on year x 100 (log points a year, close to %);
- ``smoothed``: CAGR between 3-year averages centred one year inside each endpoint (start..start+2 against
  end-2..end, over end-start-2 years), which damps a single odd endpoint year;
- ``ons_smoothed``: CAGR of the ONS 5-year smoothed series (``gva_per_hour_smoothed``, current prices only, so
  nominal basis only), start-year level from the same series; ICT growth is then the current-price CAGR.
Real growth uses the chained-volume productivity index (and chained-volume ICT GVA); nominal growth uses the
current-price levels (GBP per hour; current-price ICT GVA). The initial level is always the current-price level of
the start year: in one year's cross-section it is the only level comparable across areas (the chained-volume
index is 2019 = 100 in every area), so the nominal basis is the one where growth and level share a price basis.

Estimators are plain numpy (OLS, HC1/HC3 errors with normal p-values as statsmodels gives them, and a vectorised
restricted wild bootstrap), so a grid of a few hundred fits with 499 bootstrap draws each takes about a second.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pandas as pd

from helpers import regions
from helpers.data.indicators import gva, previous_release
from helpers.questions.productivity import tables as productivity

PRODUCTIVITY_SOURCES = ["productivity_2024"]
ICT_SOURCES = ["productivity_2024", "gva_itl2_cp_2023", "gva_itl2_cvm_2023"]
GROWTH_METHODS = ("cagr", "trend", "smoothed", "ons_smoothed")
BASES = ("real", "nominal")
ERRORS = ("HC1", "HC3", "wild")
SAMPLES = ("all ITL2 areas", "without London")
SIGMA_PERIODS = ((2004, 2008), (2009, 2014), (2015, 2019), (2019, 2022))
BASELINE = {"basis": "real", "end_year": 2021, "growth_method": "cagr", "itl1_fe": False, "errors": "HC1"}


def trend_growth(series: pd.Series) -> float:
    """Log-linear trend growth of a year-indexed positive series: OLS slope of ln(value) on year x 100."""
    series = series.dropna()
    if len(series) < 2 or (series <= 0).any():
        return float("nan")
    years = np.asarray(series.index, dtype=float)
    return float(np.polyfit(years, np.log(series.to_numpy(dtype=float)), 1)[0] * 100)


def growth(levels: pd.DataFrame, start_year: int, end_year: int, method: str = "cagr") -> pd.Series:
    """Growth (% a year) of each column of a year x area table of levels between two years (module doc)."""
    if method not in GROWTH_METHODS:
        raise ValueError(f"method must be one of {GROWTH_METHODS}, not {method!r}")
    first, last = int(levels.index.min()), int(levels.index.max())
    span = 3 if method == "smoothed" else 1
    if not (first <= start_year and end_year <= last and end_year - start_year >= span):
        raise ValueError(f"years {start_year}-{end_year} do not fit the data ({first}-{last}) for {method}")
    window = levels.loc[start_year:end_year]
    if method == "trend":
        return window.apply(trend_growth)
    if method == "smoothed":  # ons_smoothed: CAGR of already-smoothed levels
        start, end = window.loc[start_year:start_year + 2].mean(), window.loc[end_year - 2:end_year].mean()
        years = end_year - start_year - 2
    else:
        start, end, years = window.loc[start_year], window.loc[end_year], end_year - start_year
    return ((end / start) ** (1 / years) - 1) * 100


def productivity_growth(basis: str, start_year: int, end_year: int, method: str = "cagr",
                        measure: str = "per_hour") -> pd.Series:
    """Labour productivity growth per ITL2 area (% a year): real (chained-volume index) or nominal (GBP)."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    if method == "ons_smoothed" and basis == "real":
        raise ValueError("ONS publishes smoothed productivity in current prices only: use basis='nominal'")
    kind = "real_index" if basis == "real" else "smoothed_level" if method == "ons_smoothed" else "level"
    return growth(_table("productivity", measure, kind), start_year, end_year, method)


def initial_level(start_year: int, method: str = "cagr", measure: str = "per_hour") -> pd.Series:
    """Start-year productivity level per ITL2 area (GBP, current prices); for ``smoothed``, the 3-year mean; for
    ``ons_smoothed``, the ONS 5-year smoothed level."""
    levels = _table("productivity", measure, "smoothed_level" if method == "ons_smoothed" else "level")
    return levels.loc[start_year:start_year + 2].mean() if method == "smoothed" else levels.loc[start_year]


@functools.lru_cache(maxsize=32)
def _table(kind: str, *args) -> pd.DataFrame:
    """The input tables, cached while a grid is built (``_grid`` clears the cache first, so a grid always
    reads the current data): productivity levels, the ICT regression data and ICT GVA levels."""
    if kind == "productivity":
        return productivity.productivity(args[0], "ITL2", args[1])
    if kind == "ict":
        return productivity.ict_productivity_data(*args)
    return gva("J", "ITL2", basis="chained_volume") if args[0] == "real" else gva("J", "ITL2", previous_release())


# ---------------------------------------------------------------- estimators


def _design(data: pd.DataFrame, formula: str):
    import patsy

    y, x = patsy.dmatrices(formula, data, return_type="dataframe")
    return y.iloc[:, 0].to_numpy(), x


def _hc_se(x: np.ndarray, resid: np.ndarray, kind: str = "HC1") -> np.ndarray:
    """Robust standard errors for one or many residual columns (resid: n or n x B) -> k or k x B."""
    n, k = x.shape
    bread = np.linalg.pinv(x.T @ x)
    resid = resid.reshape(n, -1)
    if kind == "HC3":
        leverage = np.einsum("ij,jk,ik->i", x, bread, x)
        resid = resid / (1 - leverage)[:, None]
    scale = n / (n - k) if kind == "HC1" else 1.0
    a = bread @ x.T  # k x n
    var = scale * np.einsum("kn,nb->kb", a**2, resid**2)
    return np.sqrt(var).squeeze()


def _wild_p(y: np.ndarray, x: np.ndarray, col: int, t_obs: float, reps: int, seed: int) -> float:
    x_r = np.delete(x, col, axis=1)
    fitted_r = x_r @ (np.linalg.pinv(x_r) @ y)
    resid_r = y - fitted_r
    signs = np.random.default_rng(seed).choice([-1.0, 1.0], size=(len(y), reps))
    y_star = fitted_r[:, None] + resid_r[:, None] * signs
    beta_star = np.linalg.pinv(x) @ y_star
    se_star = _hc_se(x, y_star - x @ beta_star)[col]
    return float(np.mean(np.abs(beta_star[col] / se_star) >= abs(t_obs)))


def wild_bootstrap_p(data: pd.DataFrame, formula: str, term: str, reps: int = 999, seed: int = 0) -> float:
    """Wild cluster-free bootstrap p-value (restricted, Rademacher weights) of H0: coefficient of ``term`` = 0.

    The model is refitted without ``term``; bootstrap outcomes are its fitted values plus its residuals times
    independent +1/-1 draws (seeded ``numpy`` generator); the p-value is the share of the ``reps`` bootstrap
    |t| (HC1) at least as large as the observed |t|. Robust to heteroskedasticity in small samples."""
    y, x = _design(data, formula)
    col = list(x.columns).index(term)
    x = x.to_numpy()
    beta = np.linalg.pinv(x) @ y
    return _wild_p(y, x, col, beta[col] / _hc_se(x, y - x @ beta)[col], reps, seed)


def fit_terms(data: pd.DataFrame, formula: str, terms, errors=ERRORS, reps: int = 999, seed: int = 0) -> list[dict]:
    """OLS of ``formula`` once; for each term and each error type one dict: term, errors, coefficient, se, p,
    n, r2. HC1/HC3: robust se and normal p-value (as statsmodels' ``cov_type``); ``wild``: HC1 se and the wild
    bootstrap p-value."""
    if any(e not in ERRORS for e in errors):
        raise ValueError(f"errors must be among {ERRORS}, not {errors!r}")
    from scipy.stats import norm

    y, frame = _design(data, formula)
    x = frame.to_numpy()
    beta = np.linalg.pinv(x) @ y
    resid = y - x @ beta
    r2 = 1 - resid @ resid / np.sum((y - y.mean()) ** 2)
    se = {kind: _hc_se(x, resid, kind) for kind in ("HC1", "HC3")}
    rows = []
    for term in terms:
        col = list(frame.columns).index(term)
        for error in errors:
            kind = "HC3" if error == "HC3" else "HC1"
            t = beta[col] / se[kind][col]
            p = _wild_p(y, x, col, t, reps, seed) if error == "wild" else float(2 * norm.sf(abs(t)))
            rows.append({"term": term, "errors": error, "coefficient": float(beta[col]), "se": float(se[kind][col]),
                         "p": p, "n": len(y), "r2": float(r2)})
    return rows


def fit_term(data: pd.DataFrame, formula: str, term: str, errors: str = "HC1", reps: int = 999,
             seed: int = 0) -> dict:
    """One term of ``fit_terms``: coefficient, se, p, n, r2 under ``errors`` (HC1, HC3 or wild)."""
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {ERRORS}, not {errors!r}")
    row = fit_terms(data, formula, [term], (errors,), reps, seed)[0]
    return {k: row[k] for k in ("coefficient", "se", "p", "n", "r2")}


def _with_itl1(data: pd.DataFrame) -> pd.DataFrame:
    """Add the parent ITL1 code and drop areas alone in their ITL1 region (a fixed effect fits them exactly,
    leverage 1, which breaks HC3): Northern Ireland's single ITL2 area."""
    out = data.assign(itl1=[regions.parent_itl1(code) for code in data.index])
    sizes = out.groupby("itl1").itl1.transform("size")
    return out[sizes > 1]


# ---------------------------------------------------------------- grids


def beta_data(basis: str, start_year: int, end_year: int, method: str = "cagr",
              measure: str = "per_hour") -> pd.DataFrame:
    """Per ITL2 area: productivity growth (% a year) and log initial productivity (ln GBP per hour or job)."""
    data = pd.DataFrame({"growth": productivity_growth(basis, start_year, end_year, method, measure),
                         "log_initial": np.log(initial_level(start_year, method, measure))}).dropna()
    return data.rename_axis("itl2_code")


def ict_data(basis: str, start_year: int, end_year: int, method: str = "cagr",
             measure: str = "per_hour") -> pd.DataFrame:
    """``productivity.ict_productivity_data`` with productivity and ICT growth recomputed on ``basis`` with
    ``method`` (real: chained volume; nominal: current prices) and log initial productivity to match."""
    data = _table("ict", start_year, end_year, measure).copy()
    ict_levels = _table("ict_levels", basis)
    data["productivity_growth"] = productivity_growth(basis, start_year, end_year, method, measure)
    data["ict_growth"] = growth(ict_levels, start_year, end_year, "cagr" if method == "ons_smoothed" else method)
    data["log_initial_productivity"] = np.log(initial_level(start_year, method, measure))
    return data


MODELS = {"beta": ("growth ~ log_initial", ("log_initial",)),
          "ict": (productivity.ICT_FORMULA, ("ict_growth", "ict_share"))}


def in_sample(data: pd.DataFrame, sample: str) -> pd.DataFrame:
    """The rows (ITL2 areas) of ``data`` in ``sample``: all of them, or those whose ITL1 region is not London."""
    if sample not in SAMPLES:
        raise ValueError(f"sample must be one of {SAMPLES}, not {sample!r}")
    return data if sample == SAMPLES[0] else data[data.index.map(regions.parent_itl1) != regions.LONDON]


def _grid(model: str, start_year: int, end_years, bases, methods, fixed_effects, errors, reps, seed, measure):
    formula, terms = MODELS[model]
    _table.cache_clear()
    rows = []
    for basis, end_year, method in itertools.product(bases, end_years, methods):
        if method == "ons_smoothed" and basis == "real":
            continue  # ONS smooths current-price levels only
        data = (beta_data if model == "beta" else ict_data)(basis, start_year, end_year, method, measure)
        for fe, sample in itertools.product(fixed_effects, SAMPLES):
            subset = in_sample(data, sample)
            subset = _with_itl1(subset) if fe else subset
            spec = {"model": model, "basis": basis, "start_year": start_year, "end_year": end_year,
                    "growth_method": method, "itl1_fe": fe, "sample": sample}
            for result in fit_terms(subset, f"{formula} + C(itl1)" if fe else formula, terms, errors, reps, seed):
                rows.append({**spec, **result})
    out = pd.DataFrame(rows)
    baseline = {**BASELINE, "end_year": max(end_years)}
    out["is_baseline"] = (out[list(baseline)] == pd.Series(baseline)).all(axis=1)
    out.attrs.update(source_ids=list(PRODUCTIVITY_SOURCES if model == "beta" else ICT_SOURCES), baseline=baseline,
                     measure=measure, start_year=start_year)
    return out


def beta_grid(start_year: int = 2004, end_years=(2019, 2021), bases=BASES, methods=GROWTH_METHODS,
              fixed_effects=(False, True), errors=ERRORS, reps: int = 499, seed: int = 0,
              measure: str = "per_hour") -> pd.DataFrame:
    """Beta-convergence (growth ~ log initial level, ITL2) over every combination of price basis, end year,
    growth method, ITL1 fixed effects and errors, for all areas and without London's five. One row per
    specification: coefficient (beta, % a year per log point), se, p, n, r2 and ``is_baseline`` (the baseline:
    ``BASELINE`` with the latest end year, also in ``attrs["baseline"]``)."""
    return _grid("beta", start_year, end_years, bases, methods, fixed_effects, errors, reps, seed, measure)


def ict_grid(start_year: int = 2004, end_years=(2019, 2021), bases=BASES, methods=GROWTH_METHODS,
             fixed_effects=(False, True), errors=ERRORS, reps: int = 499, seed: int = 0,
             measure: str = "per_hour") -> pd.DataFrame:
    """The ICT regression (``productivity.ICT_FORMULA``) over the same grid as ``beta_grid``; one row per
    specification and term: ``ict_growth`` (pp of productivity growth per pp of ICT GVA growth) and
    ``ict_share`` (pp of productivity growth per pp of start-year ICT share of GVA)."""
    return _grid("ict", start_year, end_years, bases, methods, fixed_effects, errors, reps, seed, measure)


def one_at_a_time(grid: pd.DataFrame, sample: str = "all ITL2 areas", term: str | None = None) -> pd.DataFrame:
    """The baseline row and the rows that differ from it in exactly one dimension of ``BASELINE``, with a
    ``check`` column naming the change (e.g. "end_year=2019", "errors=wild"); ``term`` picks one term."""
    baseline = grid.attrs.get("baseline", BASELINE)
    rows = grid[(grid["sample"] == sample) & ((grid["term"] == term) if term else True)]
    differs = rows[list(baseline)] != pd.Series(baseline)
    picked = rows[differs.sum(axis=1) <= 1].copy()
    picked.insert(0, "check", [next((f"{d}={r[d]}" for d in baseline if r[d] != baseline[d]), "baseline")
                               for _, r in picked.iterrows()])
    picked.attrs = dict(grid.attrs)
    return picked.reset_index(drop=True)


def spec(grid: pd.DataFrame, sample: str, term: str, **changes) -> pd.Series:
    """The row of ``grid`` for ``sample`` and ``term`` at the baseline specification changed by ``changes``
    (e.g. ``basis="nominal"``)."""
    wanted = {**grid.attrs.get("baseline", BASELINE), **changes, "sample": sample, "term": term}
    rows = grid[(grid[list(wanted)] == pd.Series(wanted)).all(axis=1)]
    if len(rows) != 1:
        raise KeyError(f"{len(rows)} rows match {wanted}")
    return rows.iloc[0]


def significant_share(grid: pd.DataFrame, sample: str, term: str, alpha: float = 0.05,
                      sign: int | None = None) -> tuple[int, int]:
    """(specifications where ``term`` has ``sign`` (default: the baseline's) and p < ``alpha``, specifications)."""
    rows = grid[(grid["sample"] == sample) & (grid["term"] == term)]
    sign = np.sign(spec(grid, sample, term)["coefficient"]) if sign is None else sign
    return int(((np.sign(rows.coefficient) == sign) & (rows.p < alpha)).sum()), len(rows)


# ---------------------------------------------------------------- sigma-convergence


def sigma_cv(measure: str = "per_hour") -> pd.DataFrame:
    """Year x sample: coefficient of variation (%, unweighted, current-price levels) of ITL2 productivity, for
    all areas and without London's five."""
    out = pd.DataFrame({sample: productivity.sigma_convergence(measure, "ITL2", exclude_london=exclude)["cv"] * 100
                        for sample, exclude in [(SAMPLES[0], False), (SAMPLES[1], True)]})
    out.attrs["source_ids"] = list(PRODUCTIVITY_SOURCES)
    return out


def sigma_by_period(periods=SIGMA_PERIODS, measure: str = "per_hour") -> pd.DataFrame:
    """Sigma-convergence by sub-period: CV (%) in the first and last year and its OLS slope on year (CV
    percentage points a year; negative = converging), for all areas and without London; with so few years per
    period the slopes describe, they are not tested."""
    cv, rows = sigma_cv(measure), []
    for sample in SAMPLES:
        for start, end in periods:
            part = cv[sample].loc[start:end].dropna()
            if part.empty or part.index.min() != start or part.index.max() != end:
                raise ValueError(f"sub-period {start}-{end} is outside the data ({cv.index.min()}-{cv.index.max()})")
            slope = np.polyfit(part.index.to_numpy(dtype=float), part.to_numpy(), 1)[0]
            rows.append({"sample": sample, "start_year": start, "end_year": end, "cv_start_pct": part.iloc[0],
                         "cv_end_pct": part.iloc[-1], "slope_pp_per_year": float(slope)})
    out = pd.DataFrame(rows)
    out.attrs["source_ids"] = list(PRODUCTIVITY_SOURCES)
    return out


def sigma_fitted(by_period: pd.DataFrame, sample: str = SAMPLES[0]) -> dict[str, pd.Series]:
    """Per sub-period, the fitted line (year -> CV %) through its end points' years, for charts."""
    cv = sigma_cv()[sample]
    out = {}
    for _, row in by_period[by_period["sample"] == sample].iterrows():
        part = cv.loc[row.start_year:row.end_year]
        coef = np.polyfit(part.index.to_numpy(dtype=float), part.to_numpy(), 1)
        out[f"{row.start_year}-{row.end_year}"] = pd.Series(np.polyval(coef, part.index.to_numpy(dtype=float)),
                                                            index=part.index)
    return out
