"""Question 3's findings: does a larger ICT sector go with faster productivity growth outside London, do
lower-productivity areas catch up, does dispersion fall, and do London's industries outgrow the same industries
nationally?

``evidence`` gathers every table the findings use (the regressions of ``models`` with their checks, the dispersion
trends of ``dispersion``, the shift-share and productivity decomposition of ``shift_share``), ``findings`` states
the findings (``findings.yml`` declares them; the verdict rule is ``helpers.findings.model``), ``metrics`` the
headline figures and the wording file (``wording.md.j2``) the sentences.

One price basis for the regressions: real (chained-volume) growth, ICT's own contribution taken out for the spillover
test (``panel``), on the release that has real output at both geography levels. Regression intervals are the 95%
intervals of the wild cluster bootstrap by ITL1 region; a dimension of the robustness grid with several alternatives
is one check (``model.summarise``).
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data.indicators import productivity, with_sources
from helpers.data.memo import memoized
from helpers.findings import wording
from helpers.findings.model import ALPHA, Check, Finding, Metric, declared, summarise
from helpers.findings.numbers import release_name
from helpers.questions.productivity import dispersion, models, panel, shift_share

QUESTION = "productivity"
FINDING_MODELS = {"ict_share_total_growth": "ict_total", "ict_spillover": "ict_rest", "catching_up": "beta"}
OTHER_LEVEL = {"ITL2": "ITL3", "ITL3": "ITL2"}


@memoized
def evidence(measure: str, level: str, start_year: int | None, end_year: int | None, check_end_year: int | None,
             dispersion_start: int | None, dispersion_end: int | None, shift_share_start: int | None,
             shift_share_end: int | None, decomposition_start: int | None, decomposition_end: int | None,
             reps: int, seed: int = 0) -> dict:
    """Every table the findings, figures and charts use, each carrying its source ids; years left as None come
    from the data (each module's ``window``)."""
    start, end = panel.window(start_year, end_year, measure, level)
    other = OTHER_LEVEL[level]
    fits = {name: models.results(name, measure, start, end, level, other, check_end_year, ALPHA, reps, seed)
            for name in models.MODELS}
    d_start, d_end = dispersion.window(dispersion_start, dispersion_end, measure, level)
    spread = {sample: dispersion.checks(measure, level, other, sample, d_start, d_end, check_end_year, ALPHA)
              for sample in dispersion.SAMPLES}
    gva, jobs = shift_share.sections_gva(), shift_share.full_time_employees()
    ss = shift_share.window(shift_share_start, shift_share_end, gva)
    dec = shift_share.window(decomposition_start, decomposition_end, gva, jobs)
    return {"measure": measure, "level": level, "other_level": other, "start_year": start, "end_year": end,
            "check_end_year": check_end_year, "fits": fits,
            "panel": panel.area_panel(measure, level, start, end), "contribution": panel.ict_contribution(level),
            "dispersion_years": (d_start, d_end), "spread": dispersion.spread(measure, level), "trends": spread,
            "shift_share": shift_share.shift_share_tables(*ss, check_end_year), "shift_share_years": ss,
            "decomposition": shift_share.productivity_decomposition(*dec),
            "relative": productivity(measure, "ITL1", "relative")}


def regression_checks(fits: pd.DataFrame, direction: int) -> list[Check]:
    """One check per dimension of a regression's grid: the alternative with its interval, or with several the least
    favourable of them with their range (``summarise``)."""
    out = []
    alternatives = fits.drop(index="baseline")
    for dimension, rows in alternatives.groupby("dimension", sort=False):
        if len(rows) == 1:
            key, row = rows.index[0], rows.iloc[0]
            out.append(Check(wording.line(QUESTION, "check_name", key=key, row=row), dimension, row.coefficient,
                             row.lower, row.upper))
        else:
            out.append(summarise(dimension, dimension,
                                 {wording.line(QUESTION, "check_name", key=k, row=r): r.coefficient
                                  for k, r in rows.iterrows()}, direction))
    return out


def regression_finding(ev: dict, finding_id: str) -> Finding:
    fits = ev["fits"][FINDING_MODELS[finding_id]]
    base = fits.loc["baseline"]
    direction = -1 if finding_id == "catching_up" else 1
    return declared(QUESTION, finding_id, base.coefficient, checks=regression_checks(fits, direction),
                    interval=(base.lower, base.upper), p=base.p, sources=fits.attrs["source_ids"],
                    extra={"n": int(base.n), "clusters": int(base.clusters), "p_hc1": base.p_hc1,
                           "p_hc3": base.p_hc3}, level=ev["level"])


def dispersion_finding(ev: dict, sample: str) -> Finding:
    t, (start, end) = ev["trends"][sample], ev["dispersion_years"]
    base = t["baseline"]
    by_start = t["start_years"]
    checks = [summarise("start year", "start year",
                        {str(y): r.slope for y, r in by_start.iterrows() if y != start}, -1)]
    if "end_year" in t:
        checks.append(Check(wording.line(QUESTION, "check_name", key="end_year", row={"end_year": ev["check_end_year"]}),
                            "end year", t["end_year"]["slope"], t["end_year"]["lower"], t["end_year"]["upper"]))
    for key, dimension in (("sd_log", "statistic"), ("ols_hac", "estimator"), ("geography", "geography")):
        c = t[key]
        checks.append(Check(wording.line(QUESTION, "check_name", key=key, row={"level": ev["other_level"]}), dimension,
                            c["slope"], c.get("lower", float("nan")), c.get("upper", float("nan"))))
    finding_id = "dispersion_fell_all" if sample == "all" else "dispersion_fell_outside_london"
    return declared(QUESTION, finding_id, base["slope"], checks=checks, interval=(base["lower"], base["upper"]),
                    p=base["p"], sources=ev["spread"].attrs["source_ids"], level=ev["level"], start=start, end=end)


def shift_share_finding(ev: dict) -> Finding:
    tables, ldn = ev["shift_share"], regions.LONDON
    checks = [Check(wording.line(QUESTION, "check_name", key=key, row={"end_year": ev["check_end_year"]}),
                    "end year" if key == "dynamic_check" else "method", t.loc[ldn, "regional_pct"])
              for key, t in tables.items() if key != "dynamic"]
    start, end = ev["shift_share_years"]
    return declared(QUESTION, "london_regional_component_positive", tables["dynamic"].loc[ldn, "regional_pct"],
                    checks=checks, sources=[s for t in tables.values() for s in t.attrs["source_ids"]],
                    start=start, end=end)


def findings(ev: dict) -> list[Finding]:
    """The report's findings, in the order of "What holds up"."""
    return [*(regression_finding(ev, f) for f in FINDING_MODELS),
            *(dispersion_finding(ev, s) for s in dispersion.SAMPLES), shift_share_finding(ev)]


def figures(ev: dict) -> dict:
    """The figures the wording quotes, by name."""
    fits, data = ev["fits"], ev["panel"]
    outside = panel.outside_london(data)
    spread, (d_start, d_end) = ev["spread"], ev["dispersion_years"]
    return {"fits": {name: table.to_dict("index") for name, table in fits.items()},
            "areas": len(outside), "areas_all": len(data), "clusters": int(fits["ict_rest"].loc["baseline", "clusters"]),
            "contribution_mean": float(outside["ict_contribution"].mean()),
            "growth_mean": float(outside["growth"].mean()), "reference_year": ev["contribution"]["reference_year"],
            "release": release_name(panel.real_release(ev["level"])), "spread": spread.loc[d_start:d_end].to_dict("index"),
            "peak": (int(spread["all"].idxmax()), float(spread["all"].max())),
            "start_years": {s: ev["trends"][s]["start_years"] for s in dispersion.SAMPLES},
            "london": ev["shift_share"]["dynamic"].loc[regions.LONDON].to_dict(),
            "london_classic": ev["shift_share"]["static_imputed"].loc[regions.LONDON, "regional_pct"],
            "decomposition": ev["decomposition"].loc[regions.LONDON].to_dict(),
            "decomposition_years": ev["decomposition"].attrs["years"]}


def metrics(ev: dict, found: list[Finding]) -> list[Metric]:
    """The report's headline figures (``reports/metrics.csv``)."""
    out, f, n = [], {x.id: x for x in found}, figures(ev)
    end, measure = ev["end_year"], ev["measure"]

    def add(metric_id, value, unit, what, sources, **fields):
        out.append(Metric(metric_id, value, unit, wording.line(QUESTION, "metric", what=what, ev=ev, **fields), sources))

    rel = ev["relative"]
    add(f"london_productivity_{measure}_{end}", rel.loc[end, regions.LONDON], "UK = 100", "london_relative",
        rel.attrs["source_ids"], year=end)
    for finding_id, name in FINDING_MODELS.items():
        fits = ev["fits"][name]
        for key, suffix in (("baseline", ev["level"].lower()), ("geography", ev["other_level"].lower())):
            row = fits.loc[key]
            add(f"{name}_coefficient_{suffix}", row.coefficient, f[finding_id].unit, name, fits.attrs["source_ids"],
                row=row)
            add(f"{name}_p_{suffix}", row.p, "p-value", f"{name}_p", fits.attrs["source_ids"], row=row)
    rest = ev["fits"]["ict_rest"].loc["baseline"]
    add(f"areas_{ev['level'].lower()}_outside_london", rest.n, "areas", "areas", ev["fits"]["ict_rest"].attrs["source_ids"],
        row=rest)
    add(f"ict_contribution_mean_{ev['level'].lower()}", n["contribution_mean"], "points a year", "contribution",
        ev["panel"].attrs["source_ids"])
    spread, (d_start, d_end) = ev["spread"], ev["dispersion_years"]
    for year, which in ((d_start, "first"), (d_end, "last")):
        for sample in dispersion.SAMPLES:
            add(f"cv_{sample}_{which}_{ev['level'].lower()}", spread.loc[year, sample], "%", "cv",
                spread.attrs["source_ids"], year=year, sample=sample)
    ss, (s0, s1) = ev["shift_share"], ev["shift_share_years"]
    for table, component in (("dynamic", "regional"), ("dynamic", "industry_mix"), ("static_imputed", "regional")):
        add(f"london_{component}_pct_{table}", ss[table].loc[regions.LONDON, f"{component}_pct"],
            "% of start-year GVA", "shift_share", ss[table].attrs["source_ids"], table=table, component=component,
            start=s0, end=s1)
    dec = ev["decomposition"]
    y0, y1 = dec.attrs["years"]
    for part in ("change_pct", "within", "between", "interaction"):
        add(f"london_productivity_{part}_vs_gb", dec.loc[regions.LONDON, f"{part}_vs_gb"],
            "percentage points", "decomposition", dec.attrs["source_ids"], part=part,
            start=y0, end=y1)
    return out


def regression_table(ev: dict, model: str) -> pd.DataFrame:
    """A regression's baseline and checks for readers: coefficient, 95% interval (wild cluster bootstrap), its
    p-value, the HC1 and HC3 p-values, areas and clusters."""
    fits = ev["fits"][model]
    table = fits[["coefficient", "lower", "upper", "p", "p_hc1", "p_hc3", "n", "clusters"]].copy()
    table.index = [wording.line(QUESTION, "check_name", key=k, row=r) for k, r in fits.iterrows()]
    table.columns = [wording.line(QUESTION, "regression_column", key=c) for c in table.columns]
    return with_sources(table, fits.attrs["source_ids"])


def start_year_table(ev: dict) -> pd.DataFrame:
    """Sen's slope of the CV (CV points a year) by start year, with its interval and p-value, both samples."""
    parts = {wording.line(QUESTION, "sample", sample=s): ev["trends"][s]["start_years"][["slope", "lower", "upper", "p"]]
             for s in dispersion.SAMPLES}
    table = pd.concat(parts, axis=1)
    table.columns = [f"{s}: {wording.line(QUESTION, 'regression_column', key='p_mk' if c == 'p' else c)}"
                     for s, c in table.columns]
    return with_sources(table, ev["spread"].attrs["source_ids"])


def main_points(ev: dict, found: list[Finding]) -> str:
    """The report's Main points (Markdown)."""
    return wording.render(QUESTION, "main_points", ev=ev, f={x.id: x for x in found}, n=figures(ev))


def words(macro: str, **fields) -> str:
    """A passage of this question's wording (Markdown)."""
    return wording.render(QUESTION, macro, **fields)


def line(macro: str, **fields) -> str:
    """One line of this question's wording (chart titles, captions, labels)."""
    return wording.line(QUESTION, macro, **fields)
