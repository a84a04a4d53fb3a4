"""Checks of the claims in the source articles and the policy paper (``data/reference/claims.csv``) against the
data in this repository: for each claim the evidence (figure, sources, vintages), a verdict from ``VERDICTS`` by
a stated rule, a one-sentence caveat and its sensitivity (the verdict under the alternative years, windows and
definitions). The checks themselves are in ``helpers.questions.claims.checks``, their evidence tables in
``helpers.questions.claims.evidence``.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data.datasets import load
from helpers.data.memo import memoized
from helpers.questions.claims import checks as claim_checks
from helpers.questions.claims import checks_wm as claim_checks_wm
from helpers.questions.claims import evidence as claim_evidence
from helpers.questions.claims.checks import (  # noqa: F401
    ALTERNATIVE_KINDS,
    HOTSPOTS,
    NEARLY_200,
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    VERDICTS,
    WEST_MIDLANDS,
    WM_AI_GVA_GBP_M,
    Alternative,
    Evidence,
)
from helpers.questions.ict_finance import tables as ict_finance
from helpers.safe_text import markdown_text

CHECKS = {**claim_checks.CHECKS, **claim_checks_wm.CHECKS}
STABLE = "verdict stable"


def claims() -> pd.DataFrame:
    """The claims table written from ``../shared/seeds`` (id, claim, quote, document, claimant, claim_date,
    document_date, claim_type, regions)."""
    return load("claims").set_index("claim_id")


def growth_zones() -> pd.DataFrame:
    """The 5 AI Growth Zones with ITL1 region, announced figures (announcements, not outcomes) and basis."""
    zones = load("ai_growth_zones")
    zones.insert(2, "region", zones["itl1_code"].map(regions.region_name))
    return zones


def claims_naming(itl1: str) -> list[str]:
    """The ids of the claims that name the ITL1 region ``itl1`` (claims.csv ``regions``)."""
    table = claims()
    return [claim_id for claim_id, named in table["regions"].items() if itl1 in named.split("|")]


@memoized
def run(claim_ids: list[str] | None = None) -> dict[str, Evidence]:
    """The evidence for each claim in ``claim_ids`` (all claims by default), in claims.csv order."""
    table = claims()
    missing = sorted(set(table.index) - set(CHECKS))
    if missing:
        raise KeyError(f"claims.csv has claims with no check in helpers.questions.claims.findings.CHECKS: {missing}")
    unknown = sorted(set(claim_ids or []) - set(table.index))
    if unknown:
        raise KeyError(f"unknown claim ids {unknown}; known: {', '.join(table.index)}")
    return {claim_id: CHECKS[claim_id]() for claim_id in table.index if claim_ids is None or claim_id in claim_ids}


def check_all(claim_ids: list[str] | None = None, results: dict[str, Evidence] | None = None) -> pd.DataFrame:
    """Every claim (or those in ``claim_ids``) with its claimant, date, evidence, verdict, rule, sensitivity,
    caveat, sources and vintages; ``results`` (from ``run``) avoids running the checks again."""
    results = run(claim_ids) if results is None else results
    table = claims()
    rows = [{"claim_id": claim_id, "claim": table.loc[claim_id, "claim"], "claimant": table.loc[claim_id, "claimant"],
             "claim_date": table.loc[claim_id, "claim_date"], "evidence": e.figure, "verdict": e.verdict,
             "rule": e.rule, "sensitivity": e.sensitivity, "caveat": e.caveat, "sources": ", ".join(e.source_ids),
             "vintages": e.vintages} for claim_id, e in results.items()]
    out = pd.DataFrame(rows).set_index("claim_id")
    out.attrs["source_ids"] = list(dict.fromkeys(s for e in results.values() for s in e.source_ids))
    return out


def verdict_counts(results: dict[str, Evidence]) -> pd.Series:
    """Number of claims per verdict, in ``VERDICTS`` order."""
    return pd.Series([e.verdict for e in results.values()]).value_counts().reindex(list(VERDICTS), fill_value=0)


def stability(e: Evidence) -> str:
    """Whether a claim's verdict survives its alternatives, in its own words (not the findings' robust /
    sensitive / does not hold): 'verdict stable' or 'verdict changes under 2 of 5 alternatives (to partly
    supported)'."""
    changed = [a for a in e.alternatives if a.verdict != e.verdict]
    if not changed:
        return STABLE if e.alternatives else "no alternative to test"
    to = ", ".join(dict.fromkeys(a.verdict for a in changed))
    return f"verdict changes under {len(changed)} of {len(e.alternatives)} alternatives (to {to})"


def what_holds_up(results: dict[str, Evidence]) -> pd.DataFrame:
    """One row per checkable claim (a verdict other than 'not checkable', or alternatives to test): its verdict,
    then one column per kind of alternative (``ALTERNATIVE_KINDS``: definition, window, vintage, single year)
    listing each alternative's verdict and figure, the alternatives that change the verdict, and the verdict's
    ``stability``."""
    table = claims()
    rows = []
    for claim_id, e in results.items():
        if e.verdict == NOT_CHECKABLE and not e.alternatives:
            continue
        row = {"claim": table.loc[claim_id, "claim"], "claim_date": table.loc[claim_id, "claim_date"], "verdict": e.verdict}
        for kind in ALTERNATIVE_KINDS:
            row[kind] = "; ".join(f"{a.name}: {a.verdict} ({a.figure})" for a in e.alternatives if a.kind == kind) or None
        row["changed_in"] = ", ".join(a.name for a in e.alternatives if a.verdict != e.verdict) or None
        row["stability"] = stability(e)
        rows.append(pd.Series(row, name=claim_id))
    out = pd.DataFrame(rows).rename_axis("claim_id")
    out.attrs["source_ids"] = list(dict.fromkeys(s for e in results.values() for s in e.source_ids))
    return out


def holds_up_sentences(holds: pd.DataFrame) -> str:
    """One Markdown bullet per claim whose verdict is not stable: what it depends on."""
    return "\n".join(f"- **{markdown_text(row.claim)}**: {row.verdict} on the baseline; {row.stability}: {row.changed_in}."
                      for row in holds.itertuples() if row.stability != STABLE)


def ai_range(change: pd.DataFrame) -> tuple[float, float]:
    """Lowest and highest year-on-year change (%) of the four AI measures of ``claim_evidence.ai_change``."""
    values = change.loc[["ai_postings", "ai_share", "genai_postings", "genai_share"], "change_pct"]
    return float(values.min()), float(values.max())


def ai_chart_title(change: pd.DataFrame) -> str:
    """The AI tracker chart's title from ``claim_evidence.ai_change``: the finding, computed."""
    low, high = ai_range(change)
    month = pd.Timestamp(change.attrs["period"]).strftime("%B %Y")
    reach = "no Indeed AI measure reaches" if high < NEARLY_200 else "an Indeed AI measure reaches"
    return (f"In the year to {month} Indeed's AI measures rose {low:+.0f}% to {high:+.0f}%: {reach} 'nearly 200%' "
            f"(+{NEARLY_200}%); all postings {change.loc['all_postings', 'change_pct']:+.0f}%")


def _changed(e: Evidence) -> str:
    return "; ".join(f"{a.name} ({a.verdict})" for a in e.alternatives if a.verdict != e.verdict) or "none"


def main_points(results: dict[str, Evidence]) -> str:
    """The report's opening bullets, in Markdown, with every number taken from the checks' own tables."""
    counts = verdict_counts(results)
    date = claims().loc["ai_demand_up_200pct", "claim_date"]
    change = claim_evidence.ai_change(date[:7])
    ai, (low, high) = change["change_pct"], ai_range(change)
    measures = change.loc[["ai_postings", "ai_share", "genai_postings", "genai_share"], "change_pct"]
    low_m, high_m = measures.idxmin(), measures.idxmax()
    ranks = claim_evidence.growth_ranks()
    defs = claim_evidence.wm_tech_definitions()
    average = next(c for c in defs.columns if c.startswith("average"))
    wm, fastest, tech, demand = (results[c] for c in ("wm_140_ai_companies", "wm_fastest_growing_tech",
                                                      "wm_tech_144k_employees", "ai_demand_up_200pct"))
    ict, momentum = results["ict_outgrowing_finance"], results["ict_momentum_outside_london"]
    gva = claim_evidence.wm_ict_gva()["2021 (Apr 2023 release)"]
    checkable = len(results) - counts[NOT_CHECKABLE]
    base, real = ranks.loc[claim_checks_wm.RANK_BASELINE], ranks.loc["j_excl_61_cvm_2016_2021"]
    jobs_rank, cut = ranks.loc["ict_jobs_2015_2021"], ranks["wm_growth"]
    month = pd.Timestamp(change.attrs["period"]).strftime("%B %Y")
    return "\n".join([
        f"- **{checkable} of {len(results)} claims can be checked against open data**: {counts[SUPPORTED]} supported, "
        f"{counts[PARTLY]} partly supported, {counts[NOT_SUPPORTED]} not supported; {counts[NOT_CHECKABLE]} are surveys, "
        "targets, announcements or regional AI figures no open series measures.",
        f"- **'AI demand up nearly 200%' is {'not ' if high < NEARLY_200 else ''}reproduced by any Indeed measure: "
        f"{low:+.0f}% ({change.loc[low_m, 'label']}) to {high:+.0f}% ({change.loc[high_m, 'label']}), {month} on a year earlier; Accenture's measure is not "
        f"published.** Rule: 'nearly 200%' = +{NEARLY_200}% or more. On AI postings ({ai['ai_postings']:+.0f}%, while "
        f"all postings fell {-ai['all_postings']:.0f}%) the claim is {demand.verdict}; {stability(demand)}. The named "
        "hotspots cannot be checked for AI: the city series cover all postings.",
        f"- **'ICT is growing far faster than finance' is {ict.verdict}** ('far faster' = a gap of "
        f"{claim_checks.FAR_PP:g} point a year or more): in real terms ICT's lead is {ict.value:+.1f} points a year, "
        f"mostly the telecoms deflator; in cash terms it is {ict.extra['cash_gap']:+.1f} "
        f"(ICT {ict_finance.pace(ict.extra['cash_gap'])}). {stability(ict).capitalize()}. "
        f"'ICT momentum outside London' is **{momentum.verdict}**: judged over the last {claim_checks.RECENT_YEARS} "
        f"years on London's ICT location quotient, {momentum.figure.split(': ', 1)[1].split('. It has')[0]}, so ICT did "
        f"not become relatively stronger outside London (only a falling LQ supports 'increasingly'; a rise or no clear "
        f"trend does not); {stability(momentum)}.",
        f"- **The West Midlands' 'fastest-growing tech sector' is {fastest.verdict}: it depends on the measure and the "
        f"vintage.** Among the {base['of']} regions outside London it ranks {real['rank']} on real growth 2016-2021 "
        f"(J excluding telecoms, Apr 2023 release), {jobs_rank['rank']} of {jobs_rank['of']} on BRES ICT jobs 2015-2021, "
        f"but {base['rank']} in current prices 2016-2022 in the Apr 2024 release, the latest at the claim's date, which "
        f"cut its 2016-2021 growth from {cut['j_excl_61_cp_2016_2021']:.1f}% to {cut['j_excl_61_cp24_2016_2021']:.1f}% "
        "a year.",
        f"- **144,000 tech employees is {'well ' if defs['latest value'].max() < 0.85 * 144_000 else ''}above every "
        f"official count** ({defs.iloc[0]['latest value']:,.0f} full-time "
        f"employees in SIC J in {defs.iloc[0]['latest year']}; {defs.iloc[1][average]:,.0f} in SIC 58-63 and "
        f"{defs.iloc[2][average]:,.0f} in the DCMS digital sector, {average}): {tech.verdict}, but the claim's "
        f"definition is not stated and probably broader; {stability(tech)}. '140 AI companies employing 69,500 and GBP "
        f"5.5bn' is {wm.verdict}: if these were AI jobs within the region's tech sector they would be {wm.value:.0f}% of "
        f"all its ICT employment and {WM_AI_GVA_GBP_M / gva:.0%} of its ICT GVA, so they are probably whole-firm "
        "headcount and turnover, which no open data measures.",
    ])


def headline_metrics(results: dict[str, Evidence]) -> list[tuple]:
    """The report's headline figures as ``(metric_id, value, unit, description, source_ids)`` for
    ``record_metric``, each built from the table that produced it: the year-on-year change of UK AI postings and
    of the AI share at the '200%' claim's date, West Midlands ICT and DCMS-digital employment (average 2019-2021
    and 2021) used for the 144,000 claim, and the number of claims per verdict."""
    ai = claim_evidence.ai_change(claims().loc["ai_demand_up_200pct", "claim_date"][:7])
    metrics = [(f"uk_{m}_change_{ai.attrs['period'].replace('-', '_')}", ai.loc[m, "change_pct"], "% on a year earlier",
                f"UK {ai.loc[m, 'label']} on the Indeed AI tracker, mean of {ai.attrs['period']} vs a year earlier "
                "(the '200%' claim)", ai.loc[m, "source_ids"].split()) for m in ("ai_postings", "ai_share", "genai_postings")]
    jobs = claim_evidence.wm_employment()
    names = {"ict_sic_58_63": "ICT (SIC 58-63)", "dcms_digital": "DCMS digital sector (22 SIC classes)"}
    sources = {"ict_sic_58_63": [claim_evidence.BRES_SOURCE], "dcms_digital": [claim_evidence.DIGITAL_SOURCE]}
    for column, name in names.items():
        metrics.append((f"wm_{column}_employment_avg_2019_2021", round(jobs.attrs["average"][column]), "persons",
                        f"West Midlands employment, {name}, average 2019-2021 (the 144,000 claim)", sources[column]))
        metrics.append((f"wm_{column}_employment_2021", round(jobs.loc[2021, column]), "persons",
                        f"West Midlands employment, {name}, 2021 (provisional; the 144,000 claim)", sources[column]))
    ft = claim_evidence.wm_ft_employees_j()
    metrics.append((f"wm_ft_employees_J_{ft.index.max()}", round(ft.iloc[-1]), "persons (full-time employees)",
                    f"West Midlands full-time employees in SIC section J, {ft.index.max()} (BRES; the 144,000 claim)",
                    ft.attrs["source_ids"]))
    for verdict, n in verdict_counts(results).items():
        metrics.append((f"claims_{verdict.replace(' ', '_')}", n, "claims", f"Claims with verdict '{verdict}'", []))
    return metrics
