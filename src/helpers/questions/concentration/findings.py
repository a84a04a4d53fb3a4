"""The concentration report's headline findings, their robustness checks ("What holds up") and its main points.

Each trend finding's estimate is Sen's slope with the modified Mann-Kendall p-value (``concentration.trend``);
it holds when the slope has the baseline's sign and p < alpha (``robustness`` rule ``same_sign_significant``).
Checks (columns): the relative measure (London's LQ for a share; the Theil index vs benchmark for an LQ), the
other GVA vintage (Apr 2023 release; the baseline is Apr 2024), the window ending 2019 (pre-COVID), the second
estimator (OLS with Newey-West errors) and the sample without provisional or partial years. A check that does
not apply to a series (no second vintage, series already ending before 2020, no provisional year) is left
empty and not counted. The window ending 2019 is a check declared for every series, never a finding of its own: a
sub-window that is significant when the whole period is not does not rescue the baseline (the verdict stays "does
not hold"), and the Main points do not quote it.

Series whose trend cannot be read (``Total.trend_caveat``: tech firms founded, from Crunchbase's back-filled founding
dates) are not trend findings; the Main points and the data-quality table say why.
"""

from __future__ import annotations

import pandas as pd

from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.indicators import with_sources
from helpers.questions.concentration import data_quality, vintages
from helpers.questions.concentration import tables as concentration
from helpers.stats import trends
from helpers.stats.robustness import Estimate, Finding, check_details, robustness_table

RELATIVE, VINTAGE, PRE_COVID = "relative measure", "other vintage (Apr 2023)", "window ending 2019"
ESTIMATOR, COMPLETE = "OLS, Newey-West", "without provisional/partial years"
CHECKS = (RELATIVE, VINTAGE, PRE_COVID, ESTIMATOR, COMPLETE)
VINTAGE_COLUMNS = {"london_share": "share_pct", "london_lq": "lq", "theil": "theil"}  # of vintages.london_share_and_lq
NA = float("nan")


def _mk(values: pd.Series, alpha: float) -> Estimate:
    values = values.dropna()
    if len(values) < trends.MIN_TREND_POINTS:
        return Estimate(NA)
    mk = trends.modified_mann_kendall(values)
    return Estimate(mk["sen_slope"], mk["p"])


def _ols(values: pd.Series, alpha: float) -> Estimate:
    result = trends.ols_trend_hac(values.dropna(), alpha=alpha)
    return Estimate(result["slope"], result["p"]) if result["n"] >= trends.MIN_TREND_POINTS else Estimate(NA)


def _pre_covid(values: pd.Series, alpha: float) -> Estimate:
    return _mk(values.loc[:2019], alpha) if values.index.max() > 2019 else Estimate(NA)


def trend_finding(total_id: str, measure: str, label: str, alpha: float = concentration.ALPHA) -> Finding:
    """A "London's share (or LQ) of X rose/fell" finding with its checks."""
    table = concentration.concentration_over_time(total_id)
    column = concentration.MEASURES[measure]
    values = table[column]
    relative = {"london_share": "london_lq", "london_lq": "theil"}.get(measure)
    checks = {RELATIVE: _mk(table[relative], alpha) if relative else Estimate(NA), VINTAGE: Estimate(NA), PRE_COVID: _pre_covid(values, alpha),
              ESTIMATOR: _ols(values, alpha), COMPLETE: Estimate(NA)}
    if total_id in ("ict_gva", "finance_gva"):  # the same measure computed on the Apr 2023 release
        old = indicators.london_share_and_lq("J" if total_id == "ict_gva" else "K", indicators.previous_release())
        checks[VINTAGE] = _mk(old[VINTAGE_COLUMNS[measure]], alpha)
    provisional = indicators.get_total(total_id).provisional_years
    if provisional:
        checks[COMPLETE] = _mk(values.drop(list(provisional), errors="ignore"), alpha)
    unit = {"london_share": "points a year", "london_lq": "LQ per year", "theil": "Theil per year"}[measure]
    return Finding(label, _mk(values, alpha), checks, rule="same_sign_significant", alpha=alpha, unit=unit)


def ai_share_finding(summary_table: pd.DataFrame) -> Finding:
    """London's share of AI organisations against its share of population (points above it); check: companies only."""
    row = summary_table.loc["ai_organisations"]
    orgs = load("ai_organisations")
    companies = orgs[orgs["is_company"] & (orgs["itl1_code"] != "")]
    company_share = (companies["itl1_code"] == "TLI").mean() * 100
    gap = row["london_share_last"] - row["london_benchmark_share_last"]
    return Finding(f"London's share of AI organisations is {row['london_share_last']:.0f}%, above its "
                   f"{row['london_benchmark_share_last']:.0f}% share of population", gap,
                   {"definition: companies only": company_share - row["london_benchmark_share_last"]},
                   rule="above", threshold=0.0, unit="points above population share")


NOISY_JOBS = "without flagged region-years"
AVERAGE_JOBS = "mean LQ 2019-2021"


def jobs_lq_finding(summary_table: pd.DataFrame) -> Finding:
    """London's ICT-jobs LQ above 1 in the last year; checks: last complete (non-provisional) year, first year,
    the GB totals without the region-years flagged as implausible jumps, and the 2019-2021 mean (BRES is noisy)."""
    table = concentration.concentration_over_time("ict_employment")["london_lq"]
    provisional = indicators.get_total("ict_employment").provisional_years
    final = table.drop(list(provisional), errors="ignore")
    return Finding(f"London's share of GB ICT jobs is {summary_table.loc['ict_employment', 'london_lq_last']:.1f} "
                   "times its share of all jobs (LQ above 1)", table.iloc[-1],
                   {COMPLETE: final.iloc[-1], f"first year ({table.index.min()})": table.iloc[0],
                    NOISY_JOBS: concentration.jobs_lq_without_flags().iloc[-1], AVERAGE_JOBS: table.loc[2019:2021].mean()},
                   rule="above", threshold=1.0, unit="location quotient")


def findings(summary_table: pd.DataFrame, alpha: float = concentration.ALPHA) -> list[Finding]:
    """The report's headline findings, in the order of the 'What holds up' table."""
    return [trend_finding("ict_gva", "london_share", "London's share of ICT GVA rose", alpha),
            trend_finding("ict_gva", "london_lq", "London's ICT LQ fell", alpha),
            trend_finding("ict_gva", "theil", "ICT GVA became less concentrated relative to all GVA (Theil fell)", alpha),
            trend_finding("finance_gva", "london_share", "London's share of finance GVA rose", alpha),
            trend_finding("venture_capital", "london_share", "London's share of venture capital rose", alpha),
            jobs_lq_finding(summary_table), ai_share_finding(summary_table)]


def what_holds_up(summary_table: pd.DataFrame, alpha: float = concentration.ALPHA) -> pd.DataFrame:
    """``robustness_table`` of ``findings`` with the sources of every series it reads."""
    table = robustness_table(findings(summary_table, alpha))
    totals = [indicators.get_total(t) for t in ("ict_gva", "finance_gva", "venture_capital", "ict_employment",
                                                 "ai_organisations")]
    return with_sources(table, [*indicators.sources_of(totals), *vintages.VINTAGE_SOURCES[2023]])


def reader_table(table: pd.DataFrame) -> pd.DataFrame:
    """The 'What holds up' table for readers: the finding as index, estimates, checks held, verdict."""
    shown = table.drop(columns=["rule"]).rename(columns={"unit": "Unit", "baseline": "Baseline",
                                                          "checks_held": "Checks held", "changed_in": "Changed in",
                                                          "verdict": "Verdict"})
    return with_sources(shown.set_index("finding").rename_axis("Finding"), table.attrs.get("source_ids", []))


def non_robust_notes(table: pd.DataFrame, findings_list: list[Finding]) -> str:
    """One sentence per finding that is not robust, saying what it depends on (Markdown list)."""
    details = check_details(findings_list)
    lines = []
    for _, row in table[table["verdict"] != "robust"].iterrows():
        rows = details[details["finding"] == row["finding"]].set_index("check")
        base = rows.loc["baseline"]
        held = [c for c in rows.index[1:] if rows["holds"].fillna(False).astype(bool)[c]]
        if not base["holds"]:
            depends = (f"the baseline itself fails (modified Mann-Kendall p = {base['p_value']:.2f})"
                       if pd.notna(base["p_value"]) else "the baseline itself fails its threshold")
            if held:
                depends += f"; it holds only under: {', '.join(held)}"
        else:
            depends = f"it changes under: {row['changed_in']}"
        lines.append(f"- **{row['finding']}** ({row['verdict']}): {depends}; {row['checks_held']} checks held.")
    return "\n".join(lines) or "Every finding is robust."


def _verdict(table: pd.DataFrame, start: str) -> str:
    return table.loc[table["finding"].str.startswith(start), "verdict"].iloc[0]


MEASURE_WORDS = {"london_share": "London's share", "london_lq": "London's LQ", "theil": "the Theil index"}


def estimator_disagreements(summary_table: pd.DataFrame) -> pd.DataFrame:
    """The tested series and measures (London's share, LQ, Theil) on which the modified Mann-Kendall verdict and the
    OLS/Newey-West verdict differ: indicator, measure, mk_trend, mk_p, ols_trend, ols_p."""
    rows = []
    for total_id, row in summary_table.iterrows():
        for measure in concentration.MEASURES:
            mk, ols = row[f"{measure}_trend"], row[f"{measure}_ols_trend"]
            if mk in ("rising", "falling", "no clear trend") and mk != ols:
                rows.append({"indicator": row["indicator"], "id": total_id, "measure": measure, "mk_trend": mk,
                             "mk_p": row[f"{measure}_p"], "ols_trend": ols, "ols_p": row[f"{measure}_ols_p"]})
    return pd.DataFrame(rows, columns=["indicator", "id", "measure", "mk_trend", "mk_p", "ols_trend", "ols_p"])


def disagreement_text(summary_table: pd.DataFrame) -> str:
    """The estimator disagreements in words ("" when there are none)."""
    parts = [f"{MEASURE_WORDS[d.measure]} of {d.indicator} "
             f"(modified Mann-Kendall: {d.mk_trend}, p = {d.mk_p:.3f}; OLS with Newey-West errors: {d.ols_trend}, "
             f"p = {d.ols_p:.3f})" for d in estimator_disagreements(summary_table).itertuples()]
    return "; ".join(parts)


def share_chart_title(summary_table: pd.DataFrame, totals: list) -> str:
    """Title of the chart of London's share over time: for how many testable series the share rose, and for how
    many the LQ (share relative to the benchmark) rose, as in 'What holds up'; series with a trend caveat named."""
    tested = [t for t in totals if summary_table.loc[t.id, "london_share_trend"] in ("rising", "falling", "no clear trend")]
    shares = [t for t in tested if summary_table.loc[t.id, "london_share_trend"] == "rising"]
    lqs = [t.label for t in tested if summary_table.loc[t.id, "london_lq_trend"] == "rising"]
    caveat = [t.label for t in totals if t.trend_caveat]
    return (f"London's share rose for {len(shares)} of {len(tested)} testable series, its LQ for {', '.join(lqs) or 'none'}"
            + (f" ({', '.join(caveat)}: no usable trend)" if caveat else ""))


def _population_share(year: int) -> float:
    pop = indicators.population_for_years([year]).iloc[0]
    return pop[concentration.regions.LONDON] / pop.sum() * 100


def like_for_like(summary_table: pd.DataFrame) -> dict:
    """London's share of ICT GVA, AI organisations and venture capital each as a multiple of its share of UK
    population (one benchmark for all three); venture capital pooled over its complete years."""
    ict, ai = summary_table.loc["ict_gva"], summary_table.loc["ai_organisations"]
    vc = concentration.location_quotients("venture_capital")
    pop = _population_share(int(ict["last_year"]))
    return {"ict_year": int(ict["last_year"]), "population_share": pop, "ict_share": ict["london_share_last"],
            "ict_per_population": ict["london_share_last"] / pop, "ict_lq_gva": ict["london_lq_last"],
            "ai_lq": ai["london_lq_last"], "vc_lq": vc[concentration.regions.LONDON],
            "vc_period": concentration.lq_period("venture_capital")}


def main_points(summary_table: pd.DataFrame, revision: dict, holds: pd.DataFrame) -> str:
    """The 'Main points' bullets (Markdown), every number from the summary, the vintage check and the table."""
    w, s, q = concentration.whole_economy_effect(summary_table), summary_table, "London" + chr(39)
    ict, firms, vc, jobs, iuk = (s.loc[i] for i in ("ict_gva", "tech_firms_founded", "venture_capital",
                                                    "ict_employment", "innovate_uk_funding"))
    lq = concentration.concentration_over_time("ict_gva")["london_lq"]
    like, noise = like_for_like(s), concentration.jobs_noise(s)
    flags = data_quality.level_flags("innovate_uk_funding")
    flag_text = "; ".join(f"{f.year}, London {f.london_share_pct:.1f}% against a median of {f.median_pct:.1f}%"
                          for f in flags.itertuples())
    disagree = disagreement_text(s)
    partial = " and ".join(map(str, indicators.get_total("innovate_uk_funding").partial_years))
    above = [name for name, key in (("AI organisations", "ai_lq"), ("venture capital", "vc_lq"))
             if like[key] > like["ict_per_population"]]
    more = f"{' and '.join(above)} {'are' if len(above) > 1 else 'is'}" if above else "neither AI organisations nor venture capital is"
    return "\n".join([
        f"- **London's rising share of ICT output is a whole-economy effect.** London's share of UK ICT GVA rose from "
        f"{w['london_share_first']:.1f}% in {w['first_year']} to {w['london_share_last']:.1f}% in {w['last_year']} "
        f"({w['share_change_pp']:+.1f} points; Sen's slope {ict['london_share_slope_pp']:+.2f} points a year, modified "
        f"Mann-Kendall p = {ict['london_share_p']:.3f}), but its share of all GVA rose faster, from "
        f"{w['london_benchmark_share_first']:.1f}% to {w['london_benchmark_share_last']:.1f}% "
        f"({w['benchmark_change_pp']:+.1f} points), so its ICT location quotient fell from {w['london_lq_first']:.2f} to "
        f"{w['london_lq_last']:.2f}. The share finding is {_verdict(holds, q + 's share of ICT GVA')} (it does not "
        f"survive the relative measure); the fall of the LQ is not a significant trend (p = {ict['london_lq_p']:.2f}; "
        f"{_verdict(holds, q + 's ICT LQ')}): described, it fell to {lq.min():.2f} in {lq.idxmin()} and rose after. "
        f"Shares are in current prices: chained-volume GVA does not add up across regions.",
        f"- **The latest years are revised by up to {revision['share_max_abs_revision']:.0f} points, so the "
        f"{revision['last_year']} endpoint is fragile.** {vintages.sentence(revision)}",
        f"- **Against one benchmark, population, {more} more concentrated in London than ICT output.** London has {like['population_share']:.1f}% of UK residents ({like['ict_year']}); its share "
        f"is {like['ict_per_population']:.1f} times that for ICT GVA ({like['ict_share']:.1f}%, {like['ict_year']}), "
        f"{like['ai_lq']:.1f} times for AI organisations (WAIfinder, a Mar 2022 company extract refreshed Sep 2023; "
        f"{_verdict(holds, q + 's share of AI')}) and {like['vc_lq']:.1f} times for venture capital "
        f"({like['vc_period']}). Against their own benchmarks, its ICT GVA is {like['ict_lq_gva']:.2f} times its "
        f"share of all GVA and its ICT jobs {jobs['london_lq_last']:.1f} times its share of all GB jobs "
        f"({jobs['last_year']:.0f}, provisional; {_verdict(holds, q + 's share of GB ICT jobs')}). The BRES jobs "
        f"series is noisy ({noise['flags']} year-on-year jumps beyond {data_quality.JUMP_THRESHOLD_PCT:.0f}% across ITL1 "
        f"regions: {noise['areas']}); London's LQ stays above 1 without the flagged region-years ({noise['without_flags']:.2f}) "
        f"and as the 2019-2021 mean ({noise['mean_2019_2021']:.2f}), so the level, not its year-to-year moves, is read.",
        f"- **No usable trend beyond GVA.** London's share of venture capital went from {vc['london_share_first']:.0f}% "
        f"to {vc['london_share_last']:.0f}% ({vc['first_year']:.0f}-{vc['last_year']:.0f}; "
        f"{_verdict(holds, q + 's share of venture')}). The two trend tests disagree on "
        f"{disagree or 'no series'}: the modified Mann-Kendall verdict is the one reported, because it corrects for "
        f"the persistence of short annual series, which the OLS t-test with Newey-West errors handles only in long "
        f"samples. London's share of tech firms founded (Crunchbase) went from {firms['london_share_first']:.0f}% in "
        f"{firms['first_year']:.0f} to {firms['london_share_last']:.0f}% in {firms['last_year']:.0f}, but Crunchbase "
        f"records founding dates with a lag and sooner for London start-ups, so this is not a usable trend and is "
        f"not tested. Innovate UK funding has {iuk['n_years']:.0f} usable years ({iuk['first_year']:.0f}-"
        f"{iuk['last_year']:.0f}; {partial} partial; implausible level left out: {flag_text}): too few to test.",
        f"- **What this does not show:** open regional data on AI jobs, AI skills or AI investment over time do not "
        f"exist; WAIfinder is one snapshot of presence at an address (often a head office), BRES has "
        f"{jobs['n_years']:.0f} years and business R&D one comparable year (2023, State of the Nation 2025; the 2024 "
        f"figure of the pre-publication 2026 file is on another price base and is only a flagged comparison, see "
        f"Caveats); the Theil index of ICT GVA against all GVA shows no trend "
        f"(p = {ict['theil_p']:.2f}).",
    ])


def report_metrics(summary_table: pd.DataFrame, revision: dict, map_indicator: str, lq_itl1: pd.Series) -> list[tuple]:
    """Every headline figure of the report as ``record_metric`` arguments, each built from the object that holds
    its value: the summary's rows (``concentration.headline_metrics``), the vintage check and the map LQ (its
    description and sources from ``map_indicator``'s own ``Total``)."""
    metrics = [m for t in indicators.TOTALS for m in concentration.headline_metrics(summary_table, t)]
    year, sources = revision["last_common_year"], vintages.VINTAGE_SOURCES
    for vintage, key in ((2023, "share_apr2023"), (2024, "share_apr2024")):
        metrics.append((f"london_share_ict_gva_{year}_apr{vintage}", revision[key], "% of total",
                        f"London's share of UK ICT GVA (SIC J), {year}, {indicators.GVA_VINTAGES[vintage]}",
                        list(sources[vintage])))
    metrics.append((f"london_share_ict_gva_revision_{year}", revision["share_revision"], "percentage points",
                    f"Revision of London's {year} ICT GVA share, Apr 2024 minus Apr 2023 release",
                    [*sources[2023], *sources[2024]]))
    metrics.append(("london_share_ict_gva_revision_years_of_trend", revision["share_years_of_trend"], "years",
                    f"The {year} revision of London's ICT GVA share divided by its Sen slope per year",
                    [*sources[2023], *sources[2024]]))
    both = [*sources[2023], *sources[2024]]
    first, settled = revision["first_year"], revision["settled_last_year"]
    metrics.append((f"london_share_ict_gva_max_revision_{first}_{settled}", revision["share_settled_max_abs_revision"],
                    "percentage points", f"Largest absolute revision of London's ICT GVA share in {first}-{settled}, "
                    "Apr 2024 minus Apr 2023 release", both))
    last = revision["last_year"]
    metrics.append((f"london_share_ict_gva_change_{last - 1}_{last}", revision["share_latest_change"],
                    "percentage points", f"Change of London's share of {indicators.get_total('ict_gva').label} from {last - 1} "
                    f"to {last}, {indicators.GVA_VINTAGES[2024]}", list(sources[2024])))
    like = like_for_like(summary_table)
    ict = indicators.get_total("ict_gva")
    metrics.append((f"london_ict_gva_share_per_population_share_{like['ict_year']}", like["ict_per_population"], "ratio",
                    f"London's share of {ict.label} divided by its share of UK population, {like['ict_year']}",
                    sorted({*ict.source_ids, indicators.POPULATION_SOURCE})))
    w, lq = concentration.whole_economy_effect(summary_table), concentration.concentration_over_time("ict_gva")["london_lq"]
    y0, y1, release = w["first_year"], w["last_year"], indicators.GVA_VINTAGES[2024]
    metrics += [(m, v, u, d, list(ict.source_ids)) for m, v, u, d in [
        (f"london_share_ict_gva_change_{y0}_{y1}", w["share_change_pp"], "percentage points",
         f"Change of London's share of {ict.label} from {y0} to {y1}, {release}"),
        (f"london_share_total_gva_change_{y0}_{y1}", w["benchmark_change_pp"], "percentage points",
         f"Change of London's share of {w['benchmark']} from {y0} to {y1}, {release}"),
        ("london_lq_ict_gva_min", lq.min(), "location quotient", f"Lowest LQ of London for {ict.label}, {y0}-{y1}"),
        ("london_lq_ict_gva_min_year", lq.idxmin(), "year", f"Year of the lowest LQ of London for {ict.label}"),
        ("london_lq_trend_p_ict_gva", summary_table.loc["ict_gva", "london_lq_p"], "p-value",
         f"Modified Mann-Kendall p-value of the trend in London's LQ of {ict.label}, {y0}-{y1}")]]
    metrics += verdict_metrics(summary_table)
    total = indicators.get_total(map_indicator)
    metrics.append((f"lq_{map_indicator}_london", lq_itl1[concentration.regions.LONDON], "location quotient",
                    f"London's location quotient of {total.label} (vs {total.benchmark_label}), "
                    f"{concentration.lq_period(map_indicator)}", list(total.source_ids)))
    return metrics


VERDICT_SLUGS = (("london_share_ict_gva_rose", "ict_gva"), ("london_lq_ict_gva_fell", "ict_gva"),
                 ("theil_ict_gva_fell", "ict_gva"), ("london_share_finance_gva_rose", "finance_gva"),
                 ("london_share_venture_capital_rose", "venture_capital"), ("london_lq_ict_employment_above_1",
                 "ict_employment"), ("london_share_ai_organisations_above_population", "ai_organisations"))


def verdict_metrics(summary_table: pd.DataFrame) -> list[tuple]:
    """``verdict_<slug>`` per 'What holds up' row (slugs in the order of ``findings``): 2 robust, 1 sensitive, 0 does
    not hold; description: the label; sources: its series' (and Apr 2023 for GVA, read by the vintage check)."""
    alpha = summary_table.attrs.get("alpha", concentration.ALPHA)
    labels, table = [i.label for i in findings(summary_table, alpha)], what_holds_up(summary_table, alpha)
    verdicts, score = table.set_index("finding")["verdict"], {"robust": 2, "sensitive": 1, "does not hold": 0}
    return [(f"verdict_{slug}", score[verdicts[label]], "verdict (2 robust, 1 sensitive, 0 does not hold)", label,
             list(dict.fromkeys([*indicators.get_total(t).source_ids, *(vintages.VINTAGE_SOURCES[2023] if t in
                                 ("ict_gva", "finance_gva") else [])])))
            for label, (slug, t) in zip(labels, VERDICT_SLUGS, strict=True)]
