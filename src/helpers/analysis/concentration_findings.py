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

from helpers.analysis import concentration, indicators, statistics, vintages
from helpers.analysis.robustness import Estimate, Finding, check_details, robustness_table
from helpers.analysis.tables import with_sources
from helpers.pipeline.datasets import load

RELATIVE, VINTAGE, PRE_COVID = "relative measure", "other vintage (Apr 2023)", "window ending 2019"
ESTIMATOR, COMPLETE = "OLS, Newey-West", "without provisional/partial years"
CHECKS = (RELATIVE, VINTAGE, PRE_COVID, ESTIMATOR, COMPLETE)
VINTAGE_COLUMNS = {"london_share": "share_pct", "london_lq": "lq", "theil": "theil"}  # of vintages.london_share_and_lq
NA = float("nan")


def _mk(values: pd.Series, alpha: float) -> Estimate:
    values = values.dropna()
    if len(values) < statistics.MIN_TREND_POINTS:
        return Estimate(NA)
    mk = statistics.modified_mann_kendall(values)
    return Estimate(mk["sen_slope"], mk["p"])


def _ols(values: pd.Series, alpha: float) -> Estimate:
    result = statistics.ols_trend_hac(values.dropna(), alpha=alpha)
    return Estimate(result["slope"], result["p"]) if result["n"] >= statistics.MIN_TREND_POINTS else Estimate(NA)


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
        old = vintages.london_share_and_lq("J" if total_id == "ict_gva" else "K", 2023)
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


def jobs_lq_finding(summary_table: pd.DataFrame) -> Finding:
    """London's ICT-jobs LQ above 1 in the last year; checks: last complete (non-provisional) year, first year."""
    table = concentration.concentration_over_time("ict_employment")["london_lq"]
    provisional = indicators.get_total("ict_employment").provisional_years
    final = table.drop(list(provisional), errors="ignore")
    return Finding(f"London's share of GB ICT jobs is {summary_table.loc['ict_employment', 'london_lq_last']:.1f} "
                   "times its share of all jobs (LQ above 1)", table.iloc[-1],
                   {COMPLETE: final.iloc[-1], f"first year ({table.index.min()})": table.iloc[0]},
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


def main_points(summary_table: pd.DataFrame, revision: dict, holds: pd.DataFrame) -> str:
    """The 'Main points' bullets (Markdown), every number from the summary, the vintage check and the table."""
    w = concentration.whole_economy_effect(summary_table)
    s = summary_table
    ict, firms, vc, jobs, ai = (s.loc[i] for i in ("ict_gva", "tech_firms_founded", "venture_capital",
                                                   "ict_employment", "ai_organisations"))
    lq_pre = holds.loc[holds["finding"] == "London's ICT LQ fell", PRE_COVID].iloc[0]
    lq = concentration.concentration_over_time("ict_gva")["london_lq"]
    low, low_year = lq.min(), lq.idxmin()
    pre = statistics.modified_mann_kendall(lq.loc[:2019])
    return "\n".join([
        f"- **London's rising share of ICT output is a whole-economy effect.** London's share of UK ICT GVA rose from "
        f"{w['london_share_first']:.1f}% in {w['first_year']} to {w['london_share_last']:.1f}% in {w['last_year']} "
        f"({w['share_change_pp']:+.1f} points; Sen's slope {ict['london_share_slope_pp']:+.2f} points a year, modified "
        f"Mann-Kendall p = {ict['london_share_p']:.3f}), but its share of all GVA rose faster, from "
        f"{w['london_benchmark_share_first']:.1f}% to {w['london_benchmark_share_last']:.1f}% "
        f"({w['benchmark_change_pp']:+.1f} points), so its ICT location quotient fell from {w['london_lq_first']:.2f} to "
        f"{w['london_lq_last']:.2f}. The share finding is {_verdict(holds, 'London' + chr(39) + 's share of ICT GVA')} "
        f"(it does not survive the relative measure); the fall of the LQ is not a significant trend over the whole "
        f"period (p = {ict['london_lq_p']:.2f}; {_verdict(holds, 'London' + chr(39) + 's ICT LQ')}): it fell to "
        f"{low:.2f} in {low_year} (Sen's slope {lq_pre:+.4f} a year to 2019: {pre['verdict']}, p = {pre['p']:.3f}) and rose after. Shares are in current prices: chained-volume GVA "
        f"does not add up across regions, so no volume share is computed.",
        f"- **One release revises as much as a decade of trend.** {vintages.sentence(revision)} The shares here use the "
        f"Apr 2024 release ({revision['share_latest_apr2024']:.1f}% in {revision['last_year']}).",
        f"- **Tech firms and venture capital are far more concentrated than output.** London's share of tech firms "
        f"founded (Crunchbase) rose from {firms['london_share_first']:.0f}% in {firms['first_year']:.0f} to "
        f"{firms['london_share_last']:.0f}% in {firms['last_year']:.0f} and its LQ against population from "
        f"{firms['london_lq_first']:.1f} to {firms['london_lq_last']:.1f} ({_verdict(holds, 'London' + chr(39) + 's share of tech firms')}; "
        f"Crunchbase may cover London start-ups better than others, which this check cannot remove). Its share of "
        f"venture capital went from {vc['london_share_first']:.0f}% to {vc['london_share_last']:.0f}% "
        f"({vc['first_year']:.0f}-{vc['last_year']:.0f}) with no significant trend (p = {vc['london_share_p']:.2f}; "
        f"{_verdict(holds, 'London' + chr(39) + 's share of venture')}). Innovate UK funding has 9 complete years "
        f"(2010 and 2020 are partial and left out): too few to test.",
        f"- **Levels, not trends, for jobs and AI.** London has {jobs['london_share_last']:.0f}% of GB ICT jobs "
        f"(LQ {jobs['london_lq_last']:.1f}; {jobs['last_year']:.0f} is provisional; "
        f"{_verdict(holds, 'London' + chr(39) + 's share of GB ICT jobs')}) and {ai['london_share_last']:.0f}% of the "
        f"UK's AI organisations against {ai['london_benchmark_share_last']:.0f}% of its people (the Greater South East "
        f"{ai['gse_share_last']:.0f}%; {_verdict(holds, 'London' + chr(39) + 's share of AI')}). BRES has "
        f"{jobs['n_years']:.0f} years and WAIfinder one snapshot, so neither can say whether concentration is rising; "
        f"WAIfinder counts presence at an address, often a head office, not size or where AI work is done.",
        f"- **What this does not show:** open regional data on AI jobs, AI skills or AI investment over time do not "
        f"exist; the Theil index of ICT GVA against all GVA shows no trend either (p = {ict['theil_p']:.2f}).",
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
    total = indicators.get_total(map_indicator)
    metrics.append((f"lq_{map_indicator}_london", lq_itl1[concentration.regions.LONDON], "location quotient",
                    f"London's location quotient of {total.label} (vs {total.benchmark_label}), "
                    f"{concentration.lq_period(map_indicator)}", list(total.source_ids)))
    return metrics
