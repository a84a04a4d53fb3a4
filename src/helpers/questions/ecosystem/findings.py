"""The AI-ecosystem report's main points, its 'What holds up' table, chart titles and extra headline figures.

Only the ``ecosystem.LEVELS`` indicators (levels of the AI economy: organisations, money, firms, skills) enter the
ranks counted and the composite ordering; gigabit broadband and the Indeed postings index (a change since 1 Feb 2020,
not a level) stay out. The composite is the unweighted mean of the z-scores across the 12 ITL1 regions: a descriptive
ordering, not a measure. Findings (``robustness.Finding``): London ranks first on most level indicators (share of the
level indicators it leads, above one half); the leader outside London on the composite (its lead over the next region,
above 0); London's postings index below the median of the other regions (below 0). Each is checked against the
alternatives a referee would ask for (the partial Innovate UK year, the other BERD edition, ranks instead of
z-scores, z-scores without London, the old composite with broadband and postings, another postings window).
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import ecosystem, indicators
from helpers.data.indicators import with_sources
from helpers.stats import inequality
from helpers.stats.robustness import Finding, check_details, robustness_table

LONDON = regions.LONDON
SHORT_WINDOW, LONG_WINDOW = 1, 182  # postings checks: the latest day, the last six months


def composite(table: pd.DataFrame, columns=ecosystem.LEVELS, without: str | None = None) -> pd.Series:
    """Unweighted mean z-score of ``columns`` per region, highest first (``without``: a region left out of the
    standardisation)."""
    data = table[list(columns)].drop(index=[without] if without else [])
    return inequality.zscores(data).mean(axis=1).sort_values(ascending=False)


def _ranks(table: pd.DataFrame, columns=ecosystem.LEVELS) -> pd.DataFrame:
    return table[list(columns)].rank(ascending=False, method="min")


def _share_first(table: pd.DataFrame, columns=ecosystem.LEVELS) -> float:
    return float((_ranks(table, columns).loc[LONDON] == 1).mean())


def _lead(order: pd.Series, leader: str, higher_is_better: bool = True) -> float:
    """``leader``'s score minus the best other region's (outside London); negative when another region leads."""
    others = order.drop(index=[LONDON, leader], errors="ignore")
    best = others.max() if higher_is_better else others.min()
    return float(order[leader] - best) if higher_is_better else float(best - order[leader])


def alternatives(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The indicator table under each alternative: Innovate UK with its partial year 2020, BERD 2024 from the
    pre-publication State of the Nation 2026 input file (another price base; a flagged comparison) instead of the
    published 2025 edition (2023)."""
    with_partial = table.copy()
    years = list(ecosystem.INNOVATE_UK_YEARS)
    with_partial["innovate_uk_per_head"] = ecosystem._per_head(indicators.innovation_total("innovate_uk_funding"), years, 1)
    berd = table.copy()
    berd["berd_per_head"] = ecosystem._per_head(indicators.business_rd(editions=indicators.BERD_SOURCES), [2024], 1_000_000)
    return {f"Innovate UK with {max(years)} (partial)": with_partial, "BERD 2024 (pre-publication SoN 2026 file)": berd}


def findings(table: pd.DataFrame) -> list[Finding]:
    """The report's findings with their checks (see the module docstring)."""
    alt = alternatives(table)
    money = [c for c in ecosystem.LEVELS if c not in ("postgraduate_share", "new_economy_share")]
    k, n = int((_ranks(table).loc[LONDON] == 1).sum()), len(ecosystem.LEVELS)
    first = Finding(f"London ranks first on {k} of {n} level indicators of the AI economy", _share_first(table),
                    {**{name: _share_first(t) for name, t in alt.items()},
                     "money and firms only (no skills)": _share_first(table, money)},
                    rule="above", threshold=0.5, unit="share of indicators led")
    order = composite(table)
    leader = order.drop(index=LONDON).index[0]
    all_nine = composite(table, list(table.columns))
    mean_rank = _ranks(table).mean(axis=1)
    second = Finding(f"Outside London, {regions.region_name(leader)} has the highest mean z-score on the level indicators",
                     _lead(order, leader),
                     {**{name: _lead(composite(t), leader) for name, t in alt.items()},
                      "mean rank instead of z-scores": _lead(mean_rank, leader, higher_is_better=False),
                      "z-scores without London": _lead(composite(table, without=LONDON), leader),
                      "with broadband and postings (all 9)": _lead(all_nine, leader)},
                     rule="above", threshold=0.0, unit="lead over the next region")
    postings = table["job_postings_index"]
    gap = {name: _postings_gap(ecosystem.postings_mean(days)) for name, days in
           (("latest day", SHORT_WINDOW), ("last 6 months", LONG_WINDOW))}
    third = Finding("London's job-postings index (change since Feb 2020) is below the median of the other regions",
                    _postings_gap(postings), gap, rule="below", threshold=0.0, unit="index points (Feb 2020 = 100)")
    return [first, second, third]


def _postings_gap(values: pd.Series) -> float:
    return float(values[LONDON] - values.drop(index=LONDON).median())


def what_holds_up(table: pd.DataFrame) -> pd.DataFrame:
    """``robustness_table`` of ``findings`` for readers (finding as index), with the sources of the table."""
    shown = robustness_table(findings(table)).drop(columns=["rule"])
    shown = shown.rename(columns={"unit": "Unit", "baseline": "Baseline", "checks_held": "Checks held",
                                  "changed_in": "Changed in", "verdict": "Verdict"})
    return with_sources(shown.set_index("finding").rename_axis("Finding"),
                        [*table.attrs.get("source_ids", []), *indicators.BERD_SOURCES])


def non_robust_notes(table: pd.DataFrame) -> str:
    """One sentence per finding that is not robust, saying what it depends on."""
    details = check_details(findings(table))
    lines = []
    for name, rows in details.groupby("finding", sort=False):
        changed = rows[(rows["check"] != "baseline") & (rows["holds"] == False)]["check"].tolist()  # noqa: E712
        if not rows.iloc[0]["holds"]:
            lines.append(f"- **{name}** (does not hold): the baseline itself fails.")
        elif changed:
            lines.append(f"- **{name}**: it changes under {', '.join(changed)}.")
    return "\n".join(lines) or "Every finding is robust."


def _verdict(holds: pd.DataFrame, start: str) -> str:
    return holds.loc[holds.index.str.startswith(start), "Verdict"].iloc[0]


def main_points(table: pd.DataFrame, meta: pd.DataFrame) -> str:
    """The 'Main points' bullets (Markdown), every number computed from the indicator table."""
    holds = what_holds_up(table)
    others = table.drop(index=LONDON)
    k, n = int((_ranks(table).loc[LONDON] == 1).sum()), len(ecosystem.LEVELS)
    led = [meta.loc[c, "label"] for c in ecosystem.LEVELS if _ranks(table).loc[LONDON, c] == 1]
    order = composite(table).drop(index=LONDON)
    postings = table["job_postings_index"]
    periods = "; ".join(f"{meta.loc[c, 'label']}: {meta.loc[c, 'period']}" for c in table.columns)
    name = regions.region_name
    return "\n".join([
        f"- **London leads on {k} of {n} level indicators of the AI economy** ({', '.join(led)}): "
        f"{table.loc[LONDON, 'ai_orgs_per_100k']:.1f} AI organisations per 100,000 people against "
        f"{others['ai_orgs_per_100k'].median():.1f} in the median other region, and GBP "
        f"{table.loc[LONDON, 'vc_per_head']:,.0f} of venture capital per head against GBP "
        f"{others['vc_per_head'].median():,.0f} (What holds up: {_verdict(holds, 'London ranks first')}). These are counts of "
        f"presence and money per resident, not of AI work done in the region.",
        f"- **Outside London, {name(order.index[0])} comes first, then {name(order.index[1])}**, on the unweighted "
        f"mean of z-scores of the {n} level indicators ({order.iloc[0]:+.2f} and {order.iloc[1]:+.2f}; "
        f"What holds up: {_verdict(holds, 'Outside London')}). The ordering is descriptive: the indicators are not weighted and "
        f"cover different years; gigabit broadband and the postings index are left out of it.",
        f"- **Job postings are a change, not a level.** Indeed's index (1 Feb 2020 = 100, all jobs, not AI jobs) "
        f"averaged {postings[LONDON]:.1f} in London over the last three months, against {postings.drop(index=LONDON).median():.1f} "
        f"in the median other region; the highest was {name(postings.idxmax())} ({postings.max():.1f}) "
        f"(What holds up: {_verdict(holds, 'London' + chr(39) + 's job-postings')}). A high value means postings fell less since "
        f"Feb 2020, not that the region has more AI demand.",
        f"- **Periods differ by indicator**, per-head values use the 2022 population: {periods}.",
        "- **What this does not show:** AI jobs, AI skills or AI revenue by region (no open regional data); with 12 "
        "regions, rank correlations below about 0.58 in absolute value are not significant at 5%.",
    ])


def summary_sentence(table: pd.DataFrame) -> str:
    """The opening sentence (replaces the one that averaged z-scores of all nine indicators)."""
    k, n = int((_ranks(table).loc[LONDON] == 1).sum()), len(ecosystem.LEVELS)
    order = composite(table).drop(index=LONDON)
    return (f"London ranks first on {k} of the {n} level indicators; outside London, {regions.region_name(order.index[0])} "
            "has the highest unweighted mean z-score on them (descriptive; broadband and postings left out).")


def postings_title(postings: pd.DataFrame, table: pd.DataFrame, focus_region: str) -> str:
    """Title of the postings chart, with the same statistic as the indicator table (the 3-month mean) and why
    ``focus_region`` is highlighted."""
    mean = table["job_postings_index"]
    return (f"Mean of the last 3 months to {postings.index[-1].date()}: {regions.short_label(focus_region)} "
            f"{mean[focus_region]:.0f} (highlighted: {regions.region_name(focus_region)}, the region this report focuses on), London "
            f"{mean[LONDON]:.0f}; highest {regions.short_label(mean.idxmax())} {mean.max():.0f}")


def report_metrics(table: pd.DataFrame) -> list[tuple]:
    """Extra headline figures as ``record_metric`` arguments, each from the computation that produced it: the
    count of level indicators London leads (the count the text and heatmap title give; its description also
    states the count over all indicators) and its postings gap."""
    k = int((_ranks(table).loc[LONDON] == 1).sum())
    k_all = int((table.rank(ascending=False, method="min").loc[LONDON] == 1).sum())
    sources = indicators.sources_of([ecosystem.get_ecosystem(c) for c in ecosystem.LEVELS])
    postings = ecosystem.get_ecosystem("job_postings_index")
    return [("london_first_ranks", k, "indicators",
             f"Level indicators of the AI economy on which London ranks first, of {len(ecosystem.LEVELS)} "
             f"(of all {len(table.columns)} indicators, with broadband and postings: {k_all})", sources),
            ("london_postings_gap_median_other", _postings_gap(table["job_postings_index"]), "index points",
             "London's Indeed postings index (3-month mean, 1 Feb 2020 = 100) minus the median of the other regions",
             list(postings.source_ids))]
