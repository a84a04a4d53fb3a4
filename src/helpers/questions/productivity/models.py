"""The regressions of question 3 and their checks, on the areas of ``panel.area_panel``:

- ``ict_total``: real productivity growth on the start-year ICT share of GVA, with the finance share and log start-year
  productivity as controls. ICT growth is not a regressor: ICT's output is part of the growth on the left;
- ``ict_rest``: the same with ICT's own contribution taken out of growth (``panel``): does a larger ICT share go with
  faster growth in the rest of the area's economy (a spillover)?
- ``beta``: real productivity growth on log start-year productivity (negative: lower-productivity areas catch up).

Areas outside London, the question's (``beta`` has the sample with London as a check). Each fit gives the term's
coefficient with HC1, HC3 and the wild cluster bootstrap by ITL1 region (``helpers.stats.regression.fit``): the
bootstrap's 95% interval is the finding's, because neighbouring areas share shocks and errors that ignore it are too
narrow. Checks, one alternative each (``specifications``): the other geography level, the check end year, the growth
method (trend, 3-year endpoint averages), ITL1 fixed effects, influence (Cook's distance; the largest ICT shares: the
rules are in findings.yml), vintage (start-year shares from the latest release), spatial (the neighbours' mean of the
term as a control, ``helpers.data.adjacency``) and, for ``beta``, the sample with London.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import pandas as pd

from helpers.data.indicators import latest_release, with_sources
from helpers.data.memo import memoized
from helpers.findings.model import declarations
from helpers.questions.productivity import panel
from helpers.stats import regression

QUESTION = "productivity"
CONTROLS = ("ict_share", "finance_share", "log_initial")
MODELS = {"ict_total": ("growth", CONTROLS, "ict_share"), "ict_rest": ("rest_growth", CONTROLS, "ict_share"),
          "beta": ("growth", ("log_initial",), "log_initial")}
NEIGHBOURS = {"ict_share": "neighbours_ict_share", "log_initial": "neighbours_log_initial"}
CLUSTERS = "itl1"


@dataclass(frozen=True)
class Spec:
    """One specification: geography ``level``, ``end_year``, growth ``method``, ITL1 ``fixed_effects``, the
    ``influence`` rule that drops areas ("", "cook" or "top_ict_share"), shares from the latest release
    (``vintage``), the neighbours' mean of the term as a control (``spatial``) and London's areas kept (``london``)."""

    level: str
    end_year: int
    method: str = "cagr"
    fixed_effects: bool = False
    influence: str = ""
    vintage: bool = False
    spatial: bool = False
    london: bool = False


def specifications(model: str, base: Spec, check_level: str, check_end_year: int | None) -> list[tuple[str, str, Spec]]:
    """(key, dimension, specification) of the baseline (key "baseline") and of each check of ``model``; the end-year
    check only when ``check_end_year`` is before the baseline's."""
    out = [("baseline", "baseline", base), ("geography", "geography", replace(base, level=check_level))]
    if check_end_year is not None and check_end_year < base.end_year:
        out.append(("end_year", "end year", replace(base, end_year=check_end_year)))
    out += [("trend", "growth method", replace(base, method="trend")),
            ("smoothed", "growth method", replace(base, method="smoothed")),
            ("fixed_effects", "fixed effects", replace(base, fixed_effects=True)),
            ("cook", "influence", replace(base, influence="cook"))]
    if model == "beta":
        out.append(("london", "sample", replace(base, london=True)))
    else:
        out += [("top_ict_share", "influence", replace(base, influence="top_ict_share")),
                ("vintage", "vintage", replace(base, vintage=True))]
    return [*out, ("spatial", "spatial", replace(base, spatial=True))]


def data(measure: str, start_year: int, spec: Spec) -> pd.DataFrame:
    """The areas a specification is fitted on (before any influence rule drops some)."""
    table = panel.area_panel(measure, spec.level, start_year, spec.end_year, spec.method,
                             latest_release() if spec.vintage else None)
    return table if spec.london else panel.outside_london(table)


def variables(model: str, spec: Spec) -> tuple[str, tuple[str, ...], str]:
    """(outcome, regressors, term) of ``model`` under ``spec``."""
    outcome, regressors, term = MODELS[model]
    return outcome, (*regressors, NEIGHBOURS[term]) if spec.spatial else regressors, term


def dropped(model: str, table: pd.DataFrame, spec: Spec) -> list[str]:
    """The areas ``spec.influence`` drops, largest first: Cook's distance above the rule of findings.yml over n in
    the fit of ``model``, or start-year ICT shares above its quantile."""
    rules = declarations(QUESTION)["influence"]
    if spec.influence == "cook":
        outcome, regressors, _ = variables(model, spec)
        y, x, _, rows = regression.design(table, outcome, regressors, "itl1" if spec.fixed_effects else None)
        cook = pd.Series(regression.cooks_distance(y, x), index=rows)
        return list(cook[cook > rules["cook_distance"] / len(cook)].sort_values(ascending=False).index)
    if spec.influence == "top_ict_share":
        shares = table["ict_share"]
        return list(shares[shares > shares.quantile(rules["top_ict_share_quantile"])].sort_values(ascending=False).index)
    return []


def estimate(model: str, spec: Spec, *, measure: str, start_year: int, alpha: float, reps: int, seed: int) -> dict:
    """The fit of ``model`` under ``spec`` (``regression.fit``, clustered by ITL1 region) with the specification's
    fields and the areas it dropped."""
    table = data(measure, start_year, spec)
    drop = dropped(model, table, spec)
    outcome, regressors, term = variables(model, spec)
    fit = regression.fit(table.drop(index=drop), outcome, regressors, term, alpha=alpha, clusters=CLUSTERS,
                         fixed_effects=CLUSTERS if spec.fixed_effects else None, reps=reps, seed=seed)
    return {**asdict(spec), **fit, "dropped": tuple(drop), "sources": tuple(table.attrs["source_ids"])}


@memoized
def results(model: str, measure: str, start_year: int, end_year: int, level: str, check_level: str,
            check_end_year: int | None, alpha: float, reps: int, seed: int) -> pd.DataFrame:
    """One row per specification of ``model`` (``specifications``): key, dimension, the specification's fields,
    the fit (coefficient, HC1/HC3 and bootstrap p-values and intervals, n, clusters, r2) and the dropped areas."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {list(MODELS)}, not {model!r}")
    rows = [{"key": key, "dimension": dimension,
             **estimate(model, spec, measure=measure, start_year=start_year, alpha=alpha, reps=reps, seed=seed)}
            for key, dimension, spec in specifications(model, Spec(level, end_year), check_level, check_end_year)]
    out = pd.DataFrame(rows).set_index("key")
    return with_sources(out, [s for sources in out.pop("sources") for s in sources])
