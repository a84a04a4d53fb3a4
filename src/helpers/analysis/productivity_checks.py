"""The productivity report's checks, 'What holds up' findings, main points and headline metrics (question 3).

Built from the robustness grids of ``helpers.analysis.convergence`` (beta-convergence and the ICT regression over
price basis, end year, growth method, ITL1 fixed effects and errors), the sigma-convergence sub-periods and the
shift-share tables of ``helpers.analysis.shift_share``. Sources: the ``source_ids`` of those tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions
from helpers.analysis import convergence, robustness
from helpers.analysis.productivity import ALPHA, measure_label

OUT, ALL = convergence.SAMPLES[1], convergence.SAMPLES[0]
TERM_LABELS = {"log_initial": "beta (log initial productivity)", "ict_share": "start-year ICT share of GVA",
               "ict_growth": "ICT GVA growth"}


def checks(check_end_year: int) -> dict[str, dict]:
    """Check name -> the change to the baseline specification (``convergence.BASELINE``)."""
    return {"nominal prices": {"basis": "nominal"}, f"end year {check_end_year}": {"end_year": check_end_year},
            "3-year endpoint averages": {"growth_method": "smoothed"},
            "ONS 5-year smoothed (nominal)": {"basis": "nominal", "growth_method": "ons_smoothed"},
            "log-linear trend growth": {"growth_method": "trend"}, "HC3 errors": {"errors": "HC3"},
            "wild bootstrap p": {"errors": "wild"}, "ITL1 fixed effects": {"itl1_fe": True}}


def check_table(grid: pd.DataFrame, sample: str, term: str, check_end_year: int) -> pd.DataFrame:
    """One row per check (baseline first): coefficient, standard error, p-value and number of areas."""
    rows = {"baseline": convergence.spec(grid, sample, term)}
    rows.update({name: convergence.spec(grid, sample, term, **change) for name, change in checks(check_end_year).items()})
    out = pd.DataFrame(rows).T[["coefficient", "se", "p", "n"]].astype(float)
    out = out.rename(columns={"coefficient": "Coefficient", "se": "Standard error", "p": "p-value", "n": "Areas"})
    out["Areas"] = out["Areas"].astype(int)
    out.attrs["source_ids"] = grid.attrs["source_ids"]
    return out.rename_axis("Specification")


def grid_finding(label: str, grid: pd.DataFrame, sample: str, term: str, check_end_year: int,
                 unit: str) -> robustness.Finding:
    """A finding whose baseline and checks are (coefficient, p) pairs read from ``grid``."""
    table = check_table(grid, sample, term, check_end_year)
    pairs = {name: (row["Coefficient"], row["p-value"]) for name, row in table.iterrows()}
    return robustness.Finding(label, pairs.pop("baseline"), pairs, rule="same_sign_significant", alpha=ALPHA, unit=unit)


def sigma_slope(cv: pd.Series, start: int, end: int) -> float:
    """OLS slope of the CV (%) on year over ``start``-``end`` (CV points a year)."""
    part = cv.loc[start:end].dropna()
    return float(np.polyfit(part.index.to_numpy(dtype=float), part.to_numpy(), 1)[0])


def sigma_finding(cv: pd.DataFrame, by_period: pd.DataFrame, check_end_year: int) -> robustness.Finding:
    """'Dispersion across ITL2 areas has fallen since the second sub-period began' (slope below 0), checked per
    later sub-period, without London and with the earlier end year."""
    periods = by_period[by_period["sample"] == ALL]
    since, last = int(periods.start_year.iloc[1]), int(cv.index.max())
    part = {f"{r.start_year}-{r.end_year}": r.slope_pp_per_year for r in periods.iloc[1:].itertuples()}
    checks_ = {**part, f"without London {since}-{last}": sigma_slope(cv[OUT], since, last),
               f"end year {check_end_year}": sigma_slope(cv[ALL], since, check_end_year)}
    return robustness.Finding(f"Productivity dispersion across ITL2 areas fell from {since} to {last}",
                              sigma_slope(cv[ALL], since, last), checks_, rule="below", unit="CV points a year")


def shift_share_finding(dynamic: pd.DataFrame, static: pd.DataFrame, dynamic_imputed: pd.DataFrame,
                        static_imputed: pd.DataFrame, dynamic_check: pd.DataFrame, check_end_year: int):
    """London's regional shift-share component is positive (its sections outgrew the same sections nationally)."""
    value = {name: t.loc[regions.LONDON, "regional_pct"] for name, t in [
        ("static (start-year weights)", static), ("with imputed rent", dynamic_imputed),
        ("static, with imputed rent", static_imputed), (f"end year {check_end_year}", dynamic_check)]}
    return robustness.Finding("London's regional shift-share component is positive",
                              dynamic.loc[regions.LONDON, "regional_pct"], value, rule="above",
                              unit="% of start-year GVA")


def findings(beta: pd.DataFrame, ict: pd.DataFrame, cv: pd.DataFrame, by_period: pd.DataFrame,
             shift_tables: dict, check_end_year: int) -> list[robustness.Finding]:
    """The report's headline findings with their checks, in the order of 'What holds up'."""
    per_ict = "pp of growth per pp"
    return [
        grid_finding("Larger start-year ICT share, faster productivity growth outside London", ict, OUT, "ict_share",
                     check_end_year, per_ict),
        grid_finding("Faster ICT growth, faster productivity growth outside London", ict, OUT, "ict_growth",
                     check_end_year, per_ict),
        grid_finding("Beta-convergence, all ITL2 areas", beta, ALL, "log_initial", check_end_year, "% a year per log point"),
        grid_finding("Beta-convergence, ITL2 areas outside London", beta, OUT, "log_initial", check_end_year,
                     "% a year per log point"),
        sigma_finding(cv, by_period, check_end_year),
        shift_share_finding(*shift_tables.values(), check_end_year),
    ]


def what_holds_up(items: list[robustness.Finding]) -> pd.DataFrame:
    """``robustness.robustness_table`` with labels in words."""
    table = robustness.robustness_table(items).set_index("finding").drop(columns="rule")
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
        if not robustness.holds(base, item, base):
            why = (f"the baseline estimate ({base.value:+.3g}, p = {base.p:.2f}) is not significant at {item.alpha:g}"
                   if base.p is not None else f"the baseline estimate ({base.value:+.3g}) fails its rule")
            lines.append(f"- *{item.label}*: {row['Verdict']}: {why}, and no check gives a significant "
                         "estimate of the baseline's sign.")
        else:
            lines.append(f"- *{item.label}*: {row['Verdict']}: it depends on {row['Conclusion changes with']} "
                         f"({row['Checks held']} checks hold).")
    return "\n".join(lines)


def _where(grid: pd.DataFrame, sample: str, term: str, sign: int) -> str:
    """Which price bases and fixed-effect settings the significant specifications of ``sign`` use."""
    rows = grid[(grid["sample"] == sample) & (grid["term"] == term) & (np.sign(grid.coefficient) == sign)
                & (grid.p < ALPHA)]
    if rows.empty:
        return "none"
    fe = {True: "with", False: "without"}
    return (f"{' and '.join(sorted(rows.basis.unique()))} prices, "
            f"{' and '.join(fe[v] for v in sorted(rows.itl1_fe.unique()))} ITL1 fixed effects")


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def main_points(beta: pd.DataFrame, ict: pd.DataFrame, by_period: pd.DataFrame, shift_tables: dict,
                decomposition: pd.DataFrame, verdicts: pd.Series, check_end_year: int) -> str:
    """The 'Main points' bullets (Markdown), every number computed from the tables passed in."""
    spec, end = convergence.spec, ict.attrs["baseline"]["end_year"]
    share, nominal, early = (spec(ict, OUT, "ict_share", **c) for c in ({}, {"basis": "nominal"},
                                                                         {"end_year": check_end_year}))
    wild = spec(ict, OUT, "ict_share", errors="wild")
    k, n = convergence.significant_share(ict, OUT, "ict_share")
    g, g_pos = spec(ict, OUT, "ict_growth"), convergence.significant_share(ict, OUT, "ict_growth", sign=1)
    b_out, b_all, b_all_early = spec(beta, OUT, "log_initial"), spec(beta, ALL, "log_initial"), \
        spec(beta, ALL, "log_initial", end_year=check_end_year)
    periods = by_period[by_period["sample"] == ALL].set_index("start_year")
    first, rest = periods.iloc[0], periods.iloc[1:]
    outside = by_period[by_period["sample"] == OUT].set_index("start_year")
    dynamic, static_imputed = shift_tables["dynamic"], shift_tables["static_imputed"]
    ldn, d = regions.LONDON, decomposition.loc[regions.LONDON]
    years = f"{ict.attrs['start_year']}-{end}"
    label = measure_label(ict.attrs["measure"])
    lost = (1 - nominal.coefficient / share.coefficient) * 100
    trend = lambda values: ", ".join(f"{v:+.2f}" for v in values)  # noqa: E731
    all_fell, out_fell = (rest.slope_pp_per_year < 0).all(), (outside.slope_pp_per_year.iloc[2:] < 0).all()
    bullets = [
        f"**ICT share (outside London): {verdicts.iloc[0]}.** Areas outside London with a larger ICT share of GVA in "
        f"{ict.attrs['start_year']} had faster *real* growth in {label}, {years}: {share.coefficient:+.3f} points a "
        f"year per point of share ({_p(share.p)}; wild bootstrap {_p(wild.p)}; {early.coefficient:+.3f}, "
        f"{_p(early.p)} with {check_end_year} as end year). In current prices it is {nominal.coefficient:+.3f} "
        f"({_p(nominal.p)}): {lost:.0f}% of it is the price composition of real growth (ICT's falling deflator "
        f"raises the measured volume growth of ICT-heavy areas). Significant at 5% in {k} of {n} specifications "
        f"of the grid ({_where(ict, OUT, 'ict_share', np.sign(share.coefficient))}). It does not show that ICT "
        "raises productivity.",
        f"**ICT growth: no link.** Outside London the coefficient on ICT GVA growth is {g.coefficient:+.3f} "
        f"({_p(g.p)}); it is positive and significant in {g_pos[0]} of {g_pos[1]} specifications "
        f"({_where(ict, OUT, 'ict_growth', 1)}), where ICT output and productivity share current-price shocks.",
        f"**Catching up: not shown.** Beta outside London is {b_out.coefficient:+.2f} ({_p(b_out.p)}; "
        f"{'positive: if anything, more productive areas grew faster' if b_out.coefficient > 0 else 'negative'}); "
        f"across all areas it is {b_all.coefficient:+.2f} ({_p(b_all.p)}) and "
        f"is {b_all_early.coefficient:+.2f} with {check_end_year} as end year. Specifications significant at 5% "
        "with the baseline's sign: {} of {} outside London.".format(*convergence.significant_share(beta, OUT, 'log_initial')),
        f"**Dispersion by sub-period.** The CV of {label} across ITL2 areas changed by "
        f"{first.slope_pp_per_year:+.2f} points a year in {first.name}-{first.end_year}, then "
        f"{trend(rest.slope_pp_per_year)} in the later periods ({'each one falling' if all_fell else 'not all falling'}"
        f"); outside London, from {outside.index[2]}: {trend(outside.slope_pp_per_year.iloc[2:])} "
        f"({'falling' if out_fell else 'not falling'}). One linear trend would hide this; nominal levels; "
        "a description, not a test.",
        f"**London's own performance, not only its mix.** With annual weights and without imputed rent, London's "
        f"sections outgrew the same sections nationally by {dynamic.loc[ldn, 'regional_pct']:.1f}% of its "
        f"{dynamic.attrs['years'][0]} GVA (the static sum with imputed rent said "
        f"{static_imputed.loc[ldn, 'regional_pct']:.1f}%), beside an industry-mix effect of "
        f"{dynamic.loc[ldn, 'industry_mix_pct']:.1f}%. In GVA per full-time employee, "
        f"{decomposition.attrs['years'][0]}-{decomposition.attrs['years'][1]}, London grew "
        f"{d.change_pct_vs_gb:+.1f} points more than Great Britain: {d.between_vs_gb:+.1f} from its shift towards "
        f"high-productivity industries, {d.within_vs_gb:+.1f} within industries (current prices; employees, not hours).",
    ]
    return "\n".join(f"- {b}" for b in bullets)


def headlines(relative: pd.DataFrame, sigma: pd.DataFrame, beta: pd.DataFrame, ict: pd.DataFrame,
              by_period: pd.DataFrame, shift_tables: dict, classic: pd.DataFrame, decomposition: pd.DataFrame,
              check_end_year: int) -> list[tuple]:
    """The report's headline figures as ``(metric_id, value, unit, description, source_ids)`` for
    ``record_metric``; each description and source list comes from the table that gives the value. ``classic``:
    ``productivity.shift_share_itl1`` (static, 20 sections with imputed rent), kept under its old id."""
    measure, start, end = ict.attrs["measure"], ict.attrs["start_year"], ict.attrs["baseline"]["end_year"]
    label, period, ldn = measure_label(measure), f"{start}-{end}", regions.LONDON
    spec, rows = convergence.spec, []

    def grid_metric(metric, grid, sample, term, what, **change):
        row, n = spec(grid, sample, term, **change), int(spec(grid, sample, term, **change)["n"])
        text = (f"{TERM_LABELS[term]} coefficient, {n} ITL2 areas ({sample}), {row.basis} {label}, "
                f"{start}-{row.end_year}, {row.growth_method}, HC1")
        unit = "percentage points per log point" if term == "log_initial" else f"pp of productivity growth per pp of {what}"
        rows.append((metric, row.coefficient, unit, text, grid.attrs["source_ids"]))
        rows.append((metric.replace("coefficient", "p") if "coefficient" in metric else metric.replace("beta", "beta_p", 1),
                     row.p, "p-value", f"Robust (HC1) p-value of the {text}", grid.attrs["source_ids"]))

    rows.append((f"london_productivity_{measure}_{end}", relative.loc[end, ldn], "UK = 100",
                 f"London {label}, {end}, relative to UK less Extra-Regio", relative.attrs["source_ids"]))
    for which, i in (("first", 0), ("last", -1)):
        rows.append((f"sigma_cv_{which}_{measure}", sigma["cv"].iloc[i], "coefficient of variation",
                     f"Dispersion of {label} across ITL2 areas, {sigma.index[i]}", sigma.attrs["source_ids"]))
    grid_metric(f"beta_{measure}_{period}".replace("-", "_"), beta, ALL, "log_initial", "")
    grid_metric(f"beta_without_london_{measure}_{period}".replace("-", "_"), beta, OUT, "log_initial", "")
    grid_metric("ict_growth_coefficient_all", ict, ALL, "ict_growth", "ICT growth")
    grid_metric("ict_growth_coefficient_without_london", ict, OUT, "ict_growth", "ICT growth")
    grid_metric("ict_share_coefficient_without_london", ict, OUT, "ict_share", "ICT share")
    grid_metric("ict_share_coefficient_without_london_nominal", ict, OUT, "ict_share", "ICT share", basis="nominal")
    grid_metric(f"ict_share_coefficient_without_london_{check_end_year}", ict, OUT, "ict_share", "ICT share",
                end_year=check_end_year)
    k, n = convergence.significant_share(ict, OUT, "ict_share")
    rows.append(("ict_share_significant_specifications", k, f"of {n} specifications",
                 f"Specifications of the ICT grid (outside London) where the start-year ICT share coefficient has "
                 f"the baseline's sign and p < {ALPHA:g}", ict.attrs["source_ids"]))
    for r in by_period.itertuples():
        sample = "all" if r.sample == ALL else "without_london"
        rows.append((f"sigma_slope_{sample}_{r.start_year}_{r.end_year}", r.slope_pp_per_year, "CV points a year",
                     f"OLS slope of the CV of {label} across ITL2 areas ({r.sample}), {r.start_year}-{r.end_year}",
                     by_period.attrs["source_ids"]))
    s0, s1 = classic.attrs.get("years", (None, None))
    rows.append((f"london_regional_component_{s0}_{s1}", classic.loc[ldn, "regional_pct"], f"% of {s0} GVA",
                 "London's regional shift-share component, static, 20 sections including imputed rent, current prices",
                 classic.attrs["source_ids"]))
    dynamic = shift_tables["dynamic"]
    d0, d1 = dynamic.attrs["years"]
    rows.append((f"london_regional_component_dynamic_{d0}_{d1}", dynamic.loc[ldn, "regional_pct"], f"% of {d0} GVA",
                 "London's regional shift-share component, annual (dynamic), excluding imputed rent, current prices",
                 dynamic.attrs["source_ids"]))
    y0, y1 = decomposition.attrs["years"]
    for part in ("within", "between"):
        rows.append((f"london_productivity_{part}_vs_gb_{y0}_{y1}", decomposition.loc[ldn, f"{part}_vs_gb"],
                     f"pp of {y0} GVA per full-time employee", f"London minus Great Britain, {part}-industry part "
                     f"of the change in GVA per full-time employee, {y0}-{y1}, current prices", decomposition.attrs["source_ids"]))
    return rows
