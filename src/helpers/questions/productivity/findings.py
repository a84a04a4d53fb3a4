"""The productivity report's checks, 'What holds up' findings and headline metrics (question 3); the Main points
are in ``helpers.questions.productivity.points``.

Built from the robustness grids of ``helpers.questions.productivity.convergence`` (beta-convergence and the ICT regression over
price basis, end year, growth method, ITL1 fixed effects and errors), the influence and vintage checks and the
dispersion trend tests of ``helpers.questions.productivity.sensitivity``, and the shift-share tables of
``helpers.questions.productivity.shift_share``. Sources: the ``source_ids`` of those tables.

A claim about ICT and productivity must hold in current prices: real ICT growth is measured with ICT's own,
fast-falling deflator, so in real terms ICT-heavy areas record faster growth at the same nominal growth. For the
two ICT findings the nominal check is therefore *decisive*: when it fails, the verdict is "does not hold" whatever
the other checks say.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import regions
from helpers.questions.productivity import convergence
from helpers.questions.productivity import sensitivity as sens
from helpers.questions.productivity.tables import ALPHA, format_p, measure_label
from helpers.stats import robustness, trends

OUT, ALL = convergence.SAMPLES[1], convergence.SAMPLES[0]
TERM_LABELS = {"log_initial": "beta (log initial productivity)", "ict_share": "start-year ICT share of GVA",
               "ict_growth": "ICT GVA growth"}
NOMINAL = "nominal prices"
FIXED_EFFECTS = "ITL1 fixed effects (Northern Ireland dropped)"
ICT_SHARE_LABEL = "Larger start-year ICT share, faster productivity growth outside London"
ICT_GROWTH_LABEL = "Faster ICT growth, faster productivity growth outside London"
SHIFT_SHARE_LABEL = "London's regional shift-share component is positive (current prices)"
DISPERSION_UNIT = "CV percentage points a year"


@dataclass
class DecisiveFinding(robustness.Finding):
    """A finding that does not hold when its ``decisive`` check fails, whatever the other checks say."""

    decisive: str = ""


def checks(check_end_year: int) -> dict[str, dict]:
    """Check name -> the change to the baseline specification (``convergence.BASELINE``)."""
    return {NOMINAL: {"basis": "nominal"}, f"end year {check_end_year}": {"end_year": check_end_year},
            "3-year endpoint averages": {"growth_method": "smoothed"},
            "ONS 5-year smoothed (nominal)": {"basis": "nominal", "growth_method": "ons_smoothed"},
            "log-linear trend growth": {"growth_method": "trend"}, "HC3 errors": {"errors": "HC3"},
            "wild bootstrap": {"errors": "wild"}, FIXED_EFFECTS: {"itl1_fe": True}}


def check_table(grid: pd.DataFrame, sample: str, term: str, check_end_year: int) -> pd.DataFrame:
    """One row per check (baseline first): coefficient, standard error, p-value and number of areas; for the ICT
    terms outside London also the vintage check and the two influence checks (``productivity_sensitivity``)."""
    rows = {"baseline": convergence.spec(grid, sample, term)}
    rows.update({name: convergence.spec(grid, sample, term, **change) for name, change in checks(check_end_year).items()})
    out = pd.DataFrame(rows).T[["coefficient", "se", "p", "n"]].astype(float)
    if term in ("ict_share", "ict_growth") and sample == OUT:
        vintage, influence = sens.vintage_check(grid), sens.leverage_checks(grid, ("real",))
        out.loc[sens.VINTAGE_CHECK] = vintage.loc[term, ["coefficient", "se", "p", "n"]].astype(float)
        for rule, name in sens.LEVERAGE_RULES.items():
            out.loc[name] = sens.leverage_row(influence, "real", rule, term)[["coefficient", "se", "p", "n"]].astype(float)
    out = out.rename(columns={"coefficient": "Coefficient", "se": "Standard error", "p": "p-value", "n": "Areas"})
    out["Areas"] = out["Areas"].astype(int)
    out.attrs["source_ids"] = list(dict.fromkeys(grid.attrs["source_ids"] + [sens.VINTAGE_SOURCE]))
    return out.rename_axis("Specification")


def grid_finding(label: str, grid: pd.DataFrame, sample: str, term: str, check_end_year: int,
                 unit: str, decisive: str = "") -> robustness.Finding:
    """A finding whose baseline and checks are (coefficient, p) pairs read from ``check_table``."""
    table = check_table(grid, sample, term, check_end_year)
    pairs = {name: (row["Coefficient"], row["p-value"]) for name, row in table.iterrows()}
    return DecisiveFinding(label, pairs.pop("baseline"), pairs, rule="same_sign_significant", alpha=ALPHA, unit=unit,
                           decisive=decisive)


def sigma_slope(cv: pd.Series, start: int, end: int) -> float:
    """OLS slope of the CV (%) on year over ``start``-``end`` (CV points a year)."""
    part = cv.loc[start:end].dropna()
    return float(np.polyfit(part.index.to_numpy(dtype=float), part.to_numpy(), 1)[0])


def dispersion_label(sample: str, since: int, last: int) -> str:
    where = "across all ITL2 areas" if sample == ALL else "across ITL2 areas outside London"
    return f"Productivity dispersion {where} fell, {since}-{last}"


def sigma_findings(cv: pd.DataFrame, by_period: pd.DataFrame, check_end_year: int,
                   measure: str = "per_hour") -> list[robustness.Finding]:
    """'Dispersion fell from the second sub-period's start to the last year', for all areas and outside London:
    Sen's slope of the CV with the modified Mann-Kendall p-value, checked with the earlier end year, an OLS trend
    with Newey-West errors and the standard deviation of log levels. The sub-period slopes (4-6 years) are
    described in their own table, not tested, and are not checks here."""
    since, last = int(by_period.start_year.iloc[1]), int(cv.index.max())
    out = []
    for sample in (ALL, OUT):
        series, sd_log = cv[sample].loc[since:last], sens.sd_log_pct(measure, sample == OUT).loc[since:last]
        hac = trends.ols_trend_hac(series)
        checks_ = {f"end year {check_end_year}": sens.dispersion_trend(series.loc[:check_end_year]),
                   "OLS trend, Newey-West errors": (hac["slope"], hac["p"]),
                   "SD of log levels (x100)": sens.dispersion_trend(sd_log)}
        out.append(robustness.Finding(dispersion_label(sample, since, last), sens.dispersion_trend(series), checks_,
                                      rule="same_sign_significant", alpha=ALPHA, unit=DISPERSION_UNIT))
    return out


OLD_METHOD = "static, 20 sections with imputed rent (earlier version)"


def shift_share_finding(dynamic: pd.DataFrame, static: pd.DataFrame, dynamic_imputed: pd.DataFrame,
                        static_imputed: pd.DataFrame, dynamic_check: pd.DataFrame, check_end_year: int):
    """London's regional shift-share component is positive (its sections outgrew the same sections nationally)."""
    value = {name: t.loc[regions.LONDON, "regional_pct"] for name, t in [
        ("static (start-year weights)", static), ("with imputed rent", dynamic_imputed),
        (OLD_METHOD, static_imputed), (f"end year {check_end_year}", dynamic_check)]}
    return robustness.Finding(SHIFT_SHARE_LABEL,
                              dynamic.loc[regions.LONDON, "regional_pct"], value, rule="above",
                              unit="% of start-year GVA")


def findings(beta: pd.DataFrame, ict: pd.DataFrame, cv: pd.DataFrame, by_period: pd.DataFrame,
             shift_tables: dict, check_end_year: int) -> list[robustness.Finding]:
    """The report's headline findings with their checks, in the order of 'What holds up'."""
    per_ict = "pp of growth per pp"
    return [
        grid_finding(ICT_SHARE_LABEL, ict, OUT, "ict_share", check_end_year, per_ict, decisive=NOMINAL),
        grid_finding(ICT_GROWTH_LABEL, ict, OUT, "ict_growth", check_end_year, per_ict, decisive=NOMINAL),
        grid_finding("Beta-convergence, all ITL2 areas", beta, ALL, "log_initial", check_end_year, "% a year per log point"),
        grid_finding("Beta-convergence, ITL2 areas outside London", beta, OUT, "log_initial", check_end_year,
                     "% a year per log point"),
        *sigma_findings(cv, by_period, check_end_year, ict.attrs.get("measure", "per_hour")),
        shift_share_finding(*shift_tables.values(), check_end_year),
    ]


def ict_scatter_title(table: pd.DataFrame) -> str:
    """Title of the real/nominal ICT-share scatter from its ``check_table``."""
    real, nominal = table.loc["baseline"], table.loc[NOMINAL]
    if real["p-value"] < ALPHA:
        kind = "a price effect" if nominal["p-value"] >= ALPHA else "in both price bases"
    else:
        kind = "not significant"
    return (f"Outside London the ICT-share link is {kind}: {real['Coefficient']:+.3f} real, "
            f"{nominal['Coefficient']:+.3f} nominal ({format_p(nominal['p-value'])})")


def _decisive_failed(item: robustness.Finding) -> bool:
    decisive = getattr(item, "decisive", "")
    return bool(decisive) and robustness.holds(item.checks[decisive], item) is False


def what_holds_up(items: list[robustness.Finding]) -> pd.DataFrame:
    """``robustness.robustness_table`` with labels in words; a finding whose decisive check fails (module doc)
    does not hold."""
    table = robustness.robustness_table(items).set_index("finding").drop(columns="rule")
    for item in items:
        if _decisive_failed(item):
            table.loc[item.label, "verdict"] = "does not hold"
    table = table.rename(columns={"unit": "Unit", "baseline": "Baseline", "checks_held": "Checks held",
                                  "changed_in": "Conclusion changes with", "verdict": "Verdict"})
    return table.rename_axis("Finding")


def depends_on(items: list[robustness.Finding], table: pd.DataFrame) -> str:
    """One sentence per finding that is not robust, naming what it depends on."""
    lines = []
    for item in items:
        row = table.loc[item.label]
        if row["Verdict"] == "robust":
            continue
        base = robustness.as_estimate(item.baseline)
        held = [name for name, value in item.checks.items() if robustness.holds(value, item, base)]
        if not robustness.holds(base, item, base):
            why = (f"the baseline estimate ({base.value:+.3g}, p = {base.p:.2f}) is not significant at {item.alpha:g}"
                   if base.p is not None else f"the baseline estimate ({base.value:+.3g}) fails its rule")
            rest = (f"; only {', '.join(held)} gives a significant estimate of its sign" if held
                    else ", and no check gives a significant estimate of the baseline's sign")
            lines.append(f"- *{item.label}*: {row['Verdict']}: {why}{rest}.")
        elif _decisive_failed(item):
            check = robustness.as_estimate(item.checks[item.decisive])
            others = [c for c in row["Conclusion changes with"].split(", ") if c and c != item.decisive]
            lines.append(f"- *{item.label}*: does not hold: in current prices ({item.decisive}) the estimate is "
                         f"{check.value:+.3f} (p = {check.p:.2f}), so the real-terms estimate ({base.value:+.3f}) is "
                         "the price composition of real growth (ICT's falling deflator), not evidence on ICT and "
                         f"productivity; {row['Checks held']} checks hold, and the conclusion also changes with "
                         f"{', '.join(others) or 'no other check'}.")
        else:
            lines.append(f"- *{item.label}*: {row['Verdict']}: it depends on {row['Conclusion changes with']} "
                         f"({row['Checks held']} checks hold).")
    return "\n".join(lines)


def headlines(relative: pd.DataFrame, sigma: pd.DataFrame, beta: pd.DataFrame, ict: pd.DataFrame,
              by_period: pd.DataFrame, shift_tables: dict, classic: pd.DataFrame, decomposition: pd.DataFrame,
              check_end_year: int) -> list[tuple]:
    """The report's headline figures as ``(metric_id, value, unit, description, source_ids)`` for
    ``record_metric``; each description and source list comes from the table that gives the value. ``classic``:
    ``productivity.shift_share_itl1`` (static, 20 sections with imputed rent: the old method)."""
    measure, start, end = ict.attrs["measure"], ict.attrs["start_year"], ict.attrs["baseline"]["end_year"]
    label, period, ldn = measure_label(measure), f"{start}-{end}", regions.LONDON
    spec, rows = convergence.spec, []

    def fit_metric(metric, row, sample, term, what, sources, how="HC1"):
        text = (f"{TERM_LABELS[term]} coefficient, {int(row['n'])} ITL2 areas ({sample}), {row['basis']} {label}, "
                f"{start}-{row['end_year']}, {row['growth_method']}, {how}")
        unit = "percentage points per log point" if term == "log_initial" else f"pp of productivity growth per pp of {what}"
        rows.append((metric, row["coefficient"], unit, text, sources))
        rows.append((metric.replace("coefficient", "p") if "coefficient" in metric else metric.replace("beta", "beta_p", 1),
                     row["p"], "p-value", f"Robust (HC1) p-value of the {text}", sources))

    def grid_metric(metric, grid, sample, term, what, **change):
        fit_metric(metric, spec(grid, sample, term, **change), sample, term, what, grid.attrs["source_ids"])

    rows.append((f"london_productivity_{measure}_{end}", relative.loc[end, ldn], "UK = 100",
                 f"London {label}, {end}, relative to UK less Extra-Regio", relative.attrs["source_ids"]))
    for which, i in (("first", 0), ("last", -1)):
        rows.append((f"sigma_cv_pct_{which}_{measure}", sigma["cv"].iloc[i] * 100, "%",
                     f"Coefficient of variation (%) of {label} across the ITL2 areas, {sigma.index[i]}, current prices",
                     sigma.attrs["source_ids"]))
    grid_metric(f"beta_{measure}_{period}".replace("-", "_"), beta, ALL, "log_initial", "")
    grid_metric(f"beta_without_london_{measure}_{period}".replace("-", "_"), beta, OUT, "log_initial", "")
    grid_metric("ict_growth_coefficient_all", ict, ALL, "ict_growth", "ICT growth")
    grid_metric("ict_growth_coefficient_without_london", ict, OUT, "ict_growth", "ICT growth")
    grid_metric("ict_share_coefficient_without_london", ict, OUT, "ict_share", "ICT share")
    grid_metric("ict_share_coefficient_without_london_nominal", ict, OUT, "ict_share", "ICT share", basis="nominal")
    grid_metric(f"ict_share_coefficient_without_london_{check_end_year}", ict, OUT, "ict_share", "ICT share",
                end_year=check_end_year)
    base = spec(ict, OUT, "ict_share")
    vintage = sens.vintage_check(ict)
    fit_metric("ict_share_coefficient_without_london_nominal_vintage_2024",
               {**vintage.loc["ict_share"], "basis": "nominal", "end_year": end, "growth_method": "cagr"}, OUT,
               "ict_share", "ICT share", vintage.attrs["source_ids"],
               "HC1, ICT and finance shares and ICT growth from the Apr 2024 GVA release")
    influence = sens.leverage_checks(ict, ("real",))
    for rule, suffix in (("cook", "no_influential"), ("top_ict", "no_top2_ict_share")):
        row = sens.leverage_row(influence, "real", rule, "ict_share")
        fit_metric(f"ict_share_coefficient_without_london_{suffix}", {**row, "end_year": end, "growth_method": "cagr"},
                   OUT, "ict_share", "ICT share", influence.attrs["source_ids"],
                   f"HC1, {sens.LEVERAGE_RULES[rule]}: {', '.join(row['dropped'])} dropped")
    k, n = convergence.significant_share(ict, OUT, "ict_share")
    rows.append(("ict_share_significant_specifications", k, f"of {n} specifications",
                 f"Specifications of the ICT grid outside London where the start-year ICT share coefficient has the "
                 f"baseline's sign ({'+' if base.coefficient > 0 else '-'}) and p < {ALPHA:g}; "
                 f"{sens.grid_description(ict, OUT, 'ict_share')}", ict.attrs["source_ids"]))
    for r in by_period.itertuples():
        sample = "all" if r.sample == ALL else "without_london"
        rows.append((f"sigma_slope_{sample}_{r.start_year}_{r.end_year}", r.slope_pp_per_year, DISPERSION_UNIT,
                     f"OLS slope of the CV (%) of {label} across ITL2 areas ({r.sample}), {r.start_year}-{r.end_year}; "
                     "a description, not tested", by_period.attrs["source_ids"]))
    cv = convergence.sigma_cv(measure)
    for item, sample in zip(sigma_findings(cv, by_period, check_end_year, measure), (ALL, OUT)):
        first, last = item.label.rsplit(" ", 1)[-1].split("-")
        slope, p = item.baseline
        key, text = f"{'all' if sample == ALL else 'without_london'}_{first}_{last}", \
            f"the CV (%) of {label} across ITL2 areas ({sample}), {first}-{last}"
        rows.append((f"sigma_trend_{key}", slope, DISPERSION_UNIT, f"Sen's slope of {text}", cv.attrs["source_ids"]))
        rows.append((f"sigma_trend_p_{key}", p, "p-value", f"Modified Mann-Kendall (Hamed & Rao 1998) p-value of the "
                     f"trend in {text}", cv.attrs["source_ids"]))
    dynamic = shift_tables["dynamic"]
    d0, d1 = dynamic.attrs["years"]
    rows.append((f"london_regional_component_{d0}_{d1}", dynamic.loc[ldn, "regional_pct"], f"% of {d0} GVA",
                 "London's regional shift-share component, annual (dynamic) weights, excluding imputed rent, current "
                 "prices (includes London's relative price growth)", dynamic.attrs["source_ids"]))
    s0, s1 = classic.attrs.get("years", (None, None))
    rows.append((f"london_regional_component_static_imputed_{s0}_{s1}", classic.loc[ldn, "regional_pct"],
                 f"% of {s0} GVA", "Old method: London's regional shift-share component, static (start-year "
                 "weights), 20 sections including imputed rent, current prices", classic.attrs["source_ids"]))
    y0, y1 = decomposition.attrs["years"]
    for part in ("change_pct", "within", "between", "interaction"):
        name = "change" if part == "change_pct" else part
        what = {"change_pct": "total change", "interaction": "interaction term of the change"}.get(
            part, f"{part}-industry part of the change")
        rows.append((f"london_productivity_{name}_vs_gb_{y0}_{y1}", decomposition.loc[ldn, f"{part}_vs_gb"],
                     f"pp of {y0} GVA per full-time employee", f"London minus Great Britain, {what} in GVA per "
                     f"full-time employee, {y0}-{y1}, current prices (within + between + interaction = total change)",
                     decomposition.attrs["source_ids"]))
    return rows + verdict_metrics(findings(beta, ict, cv, by_period, shift_tables, check_end_year),
                                  [check_table(ict, OUT, "ict_share", check_end_year).attrs["source_ids"]] * 2
                                  + [beta.attrs["source_ids"]] * 2 + [cv.attrs["source_ids"]] * 2
                                  + [[i for t in shift_tables.values() for i in t.attrs["source_ids"]]])


VERDICT_SLUGS = ("ict_share_productivity_without_london", "ict_growth_productivity_without_london",
                 "beta_convergence_all", "beta_convergence_without_london", "dispersion_fell_all",
                 "dispersion_fell_without_london", "london_regional_component_positive")  # in the order of ``findings``


def verdict_metrics(items: list[robustness.Finding], sources: list[list[str]]) -> list[tuple]:
    """One metric per 'What holds up' row (``what_holds_up``), ``verdict_<slug>``: 2 robust, 1 sensitive, 0 does
    not hold; description: the finding's label; ``sources``: those of the tables each finding's estimates come from."""
    verdicts, score = what_holds_up(items)["Verdict"], {"robust": 2, "sensitive": 1, "does not hold": 0}
    return [(f"verdict_{slug}", score[verdicts[item.label]], "verdict (2 robust, 1 sensitive, 0 does not hold)",
             item.label, list(dict.fromkeys(ids))) for item, slug, ids in zip(items, VERDICT_SLUGS, sources, strict=True)]


from helpers.questions.productivity.points import main_points, sigma_title  # noqa: E402,F401  (the notebook calls them from here)
