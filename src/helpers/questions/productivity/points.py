"""The productivity report's 'Main points' (question 3): one bullet per headline finding, opening with what the
data show, then the numbers, how much is a price or composition effect, the verdict of 'What holds up' and what it
does not show. Every number comes from the grids and tables passed in (``helpers.questions.productivity.findings``) or
from ``helpers.questions.productivity.sensitivity``. Sources: the ``source_ids`` of those tables.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from helpers import regions
from helpers.questions.productivity import convergence
from helpers.questions.productivity import findings as pc
from helpers.questions.productivity import sensitivity as sens
from helpers.questions.productivity.tables import ALPHA, format_p, measure_label

_p = format_p  # one p-value format for text and chart titles


def _where(grid: pd.DataFrame, sample: str, term: str, sign: int) -> str:
    """Which price bases and fixed-effect settings the significant specifications of ``sign`` use."""
    rows = grid[(grid["sample"] == sample) & (grid["term"] == term) & (np.sign(grid.coefficient) == sign)
                & (grid.p < ALPHA)]
    if rows.empty:
        return "none"
    fe = {True: "with", False: "without"}
    return (f"all {' and '.join(sorted(rows.basis.unique()))} prices, "
            f"{' and '.join(fe[v] for v in sorted(rows.itl1_fe.unique()))} ITL1 fixed effects")


def ict_share_point(ict: pd.DataFrame, verdict: str) -> str:
    """The ICT-share bullet: nominal first (the decisive check), then real, its price share and the influence
    checks."""
    spec, a = convergence.spec, ict.attrs
    share, nominal = (spec(ict, pc.OUT, "ict_share", **c) for c in ({}, {"basis": "nominal"}))
    vintage = sens.vintage_check(ict).loc["ict_share"]
    influence = sens.leverage_checks(ict, ("real",))
    top, cook = (sens.leverage_row(influence, "real", rule, "ict_share") for rule in ("top_ict", "cook"))
    data = sens.baseline_data(ict)
    parents = {regions.parent_itl1(c) for c in top.dropped}
    where = f", both in the {regions.region_name(parents.pop())}" if len(parents) == 1 else ""
    tops = " and ".join(f"{regions.region_name(c)} ({data.loc[c, 'ict_share']:.1f}%)" for c in top.dropped)
    k, n = convergence.significant_share(ict, pc.OUT, "ict_share")
    lost = (1 - nominal.coefficient / share.coefficient) * 100
    return (
        "**Outside London, areas with a larger ICT share did not raise their productivity faster once ICT's falling "
        f"prices are taken out.** In current prices, growth in {measure_label(a['measure'])}, {a['start_year']}-"
        f"{a['baseline']['end_year']}, rose by {nominal.coefficient:+.3f} points a year per point of {a['start_year']} "
        f"ICT share of GVA ({_p(nominal.p)}); {vintage.coefficient:+.3f} ({_p(vintage.p)}) with the ICT and finance "
        "shares from the April 2024 GVA release, the vintage the June 2024 productivity figures use (the other "
        f"specifications take them from the April 2023 release). In real terms it is {share.coefficient:+.3f} "
        f"({_p(share.p)}), but {lost:.0f}% of that is the price composition of real "
        "growth: ICT's deflator fell fast, which raises the measured volume growth of ICT-heavy areas. The real "
        f"link leans on the two largest ICT shares ({tops}{where}): without them it is {top.coefficient:+.3f} "
        f"({_p(top.p)}); without the areas whose Cook's distance exceeds 4/n ({len(cook.dropped)} areas) it is "
        f"{cook.coefficient:+.3f} ({_p(cook.p)}). {k} of {n} specifications are significant at 5% "
        f"({_where(ict, pc.OUT, 'ict_share', np.sign(share.coefficient))}); the grid is "
        f"{sens.grid_description(ict, pc.OUT, 'ict_share').split(': ', 1)[1]}; {sens.FIXED_EFFECTS_NOTE}. Verdict: {verdict}, because a claim "
        "about ICT and productivity has to hold in current prices. An association: it could not show that ICT raises "
        "productivity.")


def ict_growth_point(ict: pd.DataFrame, verdict: str) -> str:
    g, gn = convergence.spec(ict, pc.OUT, "ict_growth"), convergence.spec(ict, pc.OUT, "ict_growth", basis="nominal")
    k, n = convergence.significant_share(ict, pc.OUT, "ict_growth", sign=1)
    return (f"**Faster ICT growth did not go with faster productivity growth outside London.** The coefficient on "
            f"real ICT GVA growth is {g.coefficient:+.3f} ({_p(g.p)}), {gn.coefficient:+.3f} ({_p(gn.p)}) in current "
            f"prices. It is positive and significant in {k} of the same {n} specifications "
            f"({_where(ict, pc.OUT, 'ict_growth', 1)}), where ICT output and productivity share current-price shocks. "
            f"Verdict: {verdict}.")


def beta_point(beta: pd.DataFrame, verdicts: pd.Series, check_end_year: int) -> str:
    spec = convergence.spec
    b_out, b_all = spec(beta, pc.OUT, "log_initial"), spec(beta, pc.ALL, "log_initial")
    b_early = spec(beta, pc.ALL, "log_initial", end_year=check_end_year)
    k, n = convergence.significant_share(beta, pc.OUT, "log_initial", sign=-1)
    direction = "if anything, more productive areas grew faster" if b_out.coefficient > 0 else "not significant"
    return (f"**Lower-productivity areas did not catch up.** Outside London, beta (real growth on the log of the "
            f"{beta.attrs['start_year']} level) is {b_out.coefficient:+.2f} ({_p(b_out.p)}; {direction}); across all "
            f"areas it is {b_all.coefficient:+.2f} ({_p(b_all.p)}) and {b_early.coefficient:+.2f} with "
            f"{check_end_year} as end year. {'None' if k == 0 else k} of the {n} specifications outside London "
            f"show{'s' if k == 1 else ''} significant catching up (negative beta, p < 0.05). Verdict on convergence: "
            f"{verdicts.get('Beta-convergence, ITL2 areas outside London', '?')} outside London, "
            f"{verdicts.get('Beta-convergence, all ITL2 areas', '?')} across all areas.")


def _moved(start: float, end: float) -> str:
    """'barely changed' (less than half a CV point), 'narrowed' or 'widened'."""
    return "barely changed" if abs(end - start) < 0.5 else "narrowed" if end < start else "widened"


def sigma_title(cv: pd.DataFrame, by_period: pd.DataFrame, measure: str) -> str:
    """Title of the dispersion chart: the whole period for all areas and outside London first, then the peak and
    why the tested window starts where it does."""
    first, last, since = int(cv.index.min()), int(cv.index.max()), int(by_period.start_year.iloc[1])
    a, o = cv[pc.ALL], cv[pc.OUT]
    text = (f"Dispersion of {measure_label(measure)} across ITL2 areas, {first}-{last}: all areas {a[first]:.1f}% to "
            f"{a[last]:.1f}% ({_moved(a[first], a[last])}), outside London {o[first]:.1f}% to {o[last]:.1f}% "
            f"({_moved(o[first], o[last])}). Peak {a.max():.1f}% in {a.idxmax()}; trend tested from {since}, after the "
            "pre-crisis rise")
    return "\n".join(textwrap.wrap(text, 75))


def dispersion_point(by_period: pd.DataFrame, verdicts: pd.Series, check_end_year: int, measure: str) -> str:
    cv = convergence.sigma_cv(measure)
    every, outside = pc.sigma_findings(cv, by_period, check_end_year, measure)
    first, since, last = int(cv.index.min()), int(by_period.start_year.iloc[1]), int(cv.index.max())
    recent = int(by_period.start_year.iloc[-1])
    london = sens.london_relative(measure)
    early_out = outside.checks[f"end year {check_end_year}"]
    c = lambda sample, year: f"{cv.loc[year, sample]:.2f}%"  # noqa: E731
    whole_all, whole_out = (_moved(cv.loc[first, s], cv.loc[last, s]) for s in (pc.ALL, pc.OUT))
    return (f"**Over {first}-{last}, productivity gaps across all ITL2 areas {whole_all} and outside London they "
            f"{whole_out}; across all areas they narrowed from {since}, near the pre-crisis peak, and the fall since "
            f"{recent} is London's relative decline.** The coefficient of variation of {measure_label(measure)} "
            f"across all areas went from {c(pc.ALL, first)} in {first} to {c(pc.ALL, last)} in {last}; outside London "
            f"from {c(pc.OUT, first)} to {c(pc.OUT, last)}. Dispersion rose before the financial crisis (all areas: "
            f"a peak of {cv[pc.ALL].max():.2f}% in {cv[pc.ALL].idxmax()}), so one trend from {first} would describe "
            f"neither part; the trend is tested from {since}, the first sub-period after that rise, which starts near "
            f"the peak. From {since}, across all areas the CV went from {c(pc.ALL, since)} to {c(pc.ALL, last)} "
            f"({every.baseline[0]:+.2f} points a year, Sen's slope; modified Mann-Kendall {_p(every.baseline[1])}; "
            f"{verdicts.get(every.label, '?')}); outside London from {c(pc.OUT, since)} to {c(pc.OUT, last)} "
            f"({outside.baseline[0]:+.2f} a year, {_p(outside.baseline[1])}; {verdicts.get(outside.label, '?')}): it "
            f"fell to {check_end_year} ({early_out[0]:+.2f} a year, {_p(early_out[1])}), to {c(pc.OUT, check_end_year)}, "
            f"and was {c(pc.OUT, last)} in {last}. From {recent} to {last} the CV across all areas fell from "
            f"{c(pc.ALL, recent)} to {c(pc.ALL, last)} while outside London it went from {c(pc.OUT, recent)} to "
            f"{c(pc.OUT, last)}: the fall is London's {measure_label(measure)} dropping from {london.loc[recent]:.1f} "
            f"to {london.loc[last]:.1f} (UK = 100) towards the other areas. Current-price levels, so relative prices "
            "are in it; the sub-period slopes in the table describe, they are not tested.")


def london_point(shift_tables: dict, decomposition: pd.DataFrame, verdict: str) -> str:
    dynamic, static_imputed, ldn = shift_tables["dynamic"], shift_tables["static_imputed"], regions.LONDON
    d, (y0, y1) = decomposition.loc[ldn], decomposition.attrs["years"]
    return (f"**London's industries grew faster than the same industries nationally, "
            f"{dynamic.attrs['years'][0]}-{dynamic.attrs['years'][1]}, but in current prices that includes London's "
            f"relative price growth.** With annual weights and without imputed rent, London's regional shift-share "
            f"component is {dynamic.loc[ldn, 'regional_pct']:.1f}% of its {dynamic.attrs['years'][0]} GVA, beside an "
            f"industry-mix effect of {dynamic.loc[ldn, 'industry_mix_pct']:.1f}% (the earlier version of this report "
            f"used a static shift-share, with start-year weights over the 20 SIC sections and owner-occupiers' imputed "
            f"rent included, and gave {static_imputed.loc[ldn, 'regional_pct']:.1f}%); it stays positive in every "
            f"check ({verdict}), but it is not pure performance, since prices in London's industries can rise faster "
            f"than in the same industries elsewhere. In GVA per full-time employee, {y0}-{y1}, London grew "
            f"{d.change_pct_vs_gb:+.2f} points more than Great Britain: {d.between_vs_gb:+.2f} between industries "
            f"(its shift towards high-productivity industries), {d.within_vs_gb:+.2f} within industries and "
            f"{d.interaction_vs_gb:+.2f} from their interaction (employment shifts times productivity changes), "
            f"which add up to the {d.change_pct_vs_gb:+.2f} (current prices; employees, not hours).")


def main_points(beta: pd.DataFrame, ict: pd.DataFrame, by_period: pd.DataFrame, shift_tables: dict,
                decomposition: pd.DataFrame, verdicts: pd.Series, check_end_year: int) -> str:
    """The 'Main points' bullets (Markdown); ``verdicts``: the Verdict column of ``what_holds_up``."""
    bullets = [ict_share_point(ict, verdicts.get(pc.ICT_SHARE_LABEL, "?")),
               ict_growth_point(ict, verdicts.get(pc.ICT_GROWTH_LABEL, "?")),
               beta_point(beta, verdicts, check_end_year),
               dispersion_point(by_period, verdicts, check_end_year, ict.attrs["measure"]),
               london_point(shift_tables, decomposition, verdicts.get(pc.SHIFT_SHARE_LABEL, "?"))]
    return "\n".join(f"- {b}" for b in bullets)
