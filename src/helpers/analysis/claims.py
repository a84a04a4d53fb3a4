"""Checks of the claims in the source articles and the policy paper (``data/reference/claims.csv``) against the
data in this repository: for each claim the evidence (figure, sources, vintages), a verdict from ``VERDICTS`` by
a stated rule, a one-sentence caveat and its sensitivity (the verdict under the alternative years, windows and
definitions). The checks themselves are in ``helpers.analysis.claim_checks``, their evidence tables in
``helpers.analysis.claim_evidence``.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.analysis import claim_evidence, robustness
from helpers.analysis.claim_checks import (ALTERNATIVE_KINDS, CHECKS, HOTSPOTS, NOT_CHECKABLE,  # noqa: F401
                                           NOT_SUPPORTED, PARTLY, SUPPORTED, VERDICTS, WEST_MIDLANDS, WM_AI_GVA_GBP_M,
                                           Alternative, Evidence)
from helpers.pipeline.datasets import load


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


def run(claim_ids: list[str] | None = None) -> dict[str, Evidence]:
    """The evidence for each claim in ``claim_ids`` (all claims by default), in claims.csv order."""
    table = claims()
    missing = sorted(set(table.index) - set(CHECKS))
    if missing:
        raise KeyError(f"claims.csv has claims with no check in helpers.analysis.claim_checks.CHECKS: {missing}")
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


def what_holds_up(results: dict[str, Evidence]) -> pd.DataFrame:
    """One row per checkable claim (a verdict other than 'not checkable', or alternatives to test): its verdict,
    then one column per kind of alternative (``ALTERNATIVE_KINDS``: definition, window, vintage, single year)
    listing each alternative's verdict and figure, the alternatives that change the verdict, and whether it holds:
    robust (unchanged in every alternative), sensitive (changed in at most half) or does not hold (changed in more
    than half), by ``robustness.verdict``."""
    table = claims()
    rows = []
    for claim_id, e in results.items():
        if e.verdict == NOT_CHECKABLE and not e.alternatives:
            continue
        row = {"claim": table.loc[claim_id, "claim"], "claim_date": table.loc[claim_id, "claim_date"], "verdict": e.verdict}
        for kind in ALTERNATIVE_KINDS:
            row[kind] = "; ".join(f"{a.name}: {a.verdict} ({a.figure})" for a in e.alternatives if a.kind == kind) or None
        row["changed_in"] = ", ".join(a.name for a in e.alternatives if a.verdict != e.verdict) or None
        row["holds"] = robustness.verdict(True, [a.verdict == e.verdict for a in e.alternatives])
        rows.append(pd.Series(row, name=claim_id))
    out = pd.DataFrame(rows).rename_axis("claim_id")
    out.attrs["source_ids"] = list(dict.fromkeys(s for e in results.values() for s in e.source_ids))
    return out


def holds_up_sentences(holds: pd.DataFrame) -> str:
    """One Markdown bullet per claim whose verdict is not robust: what it depends on."""
    return "\n".join(f"- **{row.claim}**: {row.verdict} on the baseline, {row.holds}; the verdict changes with "
                     f"{row.changed_in}." for row in holds.itertuples() if row.holds != "robust")


def ai_chart_title(change: pd.DataFrame) -> str:
    """The AI tracker chart's title from ``claim_evidence.ai_change``: the finding, computed."""
    ai = change.loc["ai_postings", "change_pct"]
    verdict = "not nearly 200%" if ai < 150 else "close to the claimed 200%"
    month = pd.Timestamp(change.attrs["period"]).strftime("%B %Y")
    return (f"UK job postings mentioning AI rose {ai:.0f}% in the year to {month}, {verdict}; "
            f"all postings {change.loc['all_postings', 'change_pct']:+.0f}%")


def _holds(e: Evidence) -> str:
    return {"robust": "it holds under every alternative", "sensitive": "it changes under some alternatives",
            "does not hold": "it changes under most alternatives"}[
        robustness.verdict(True, [a.verdict == e.verdict for a in e.alternatives])]


def _changed(e: Evidence) -> str:
    return "; ".join(f"{a.name} ({a.verdict})" for a in e.alternatives if a.verdict != e.verdict) or "none"


def main_points(results: dict[str, Evidence]) -> str:
    """The report's opening bullets, in Markdown, with every number taken from the checks' own tables."""
    counts = verdict_counts(results)
    date = claims().loc["ai_demand_up_200pct", "claim_date"]
    ai = claim_evidence.ai_change(date[:7])["change_pct"]
    jobs = claim_evidence.wm_employment()
    ranks = claim_evidence.growth_ranks()
    wm, fastest, tech = (results[c] for c in ("wm_140_ai_companies", "wm_fastest_growing_tech", "wm_tech_144k_employees"))
    gva = claim_evidence.wm_ict_gva()["2021 (Apr 2023 release)"]
    checkable = len(results) - counts[NOT_CHECKABLE]
    return "\n".join([
        f"- **{checkable} of {len(results)} claims can be checked against open data**: {counts[SUPPORTED]} supported, "
        f"{counts[PARTLY]} partly supported, {counts[NOT_SUPPORTED]} not supported; {counts[NOT_CHECKABLE]} are surveys, "
        "targets, announcements or regional AI figures no open series measures.",
        f"- **AI demand rose about {ai['ai_postings']:.0f}%, not nearly 200%.** On Indeed's AI tracker, UK postings that "
        f"mention AI rose {ai['ai_postings']:+.0f}% from June 2024 to June 2025 (the AI share {ai['ai_share']:+.0f}%, while "
        f"all postings fell {-ai['all_postings']:.0f}%); only generative-AI terms come near (postings "
        f"{ai['genai_postings']:+.0f}%, share {ai['genai_share']:+.0f}%). The named hotspots cannot be checked for AI: "
        "the city series cover all postings.",
        f"- **The West Midlands' 'fastest-growing tech sector' depends on the release.** Without telecoms it ranked "
        f"{ranks.loc['j_excl_61_cvm_2016_2021', 'rank']} of 11 outside London in real growth 2016-2021 (Apr 2023 "
        f"release) but {ranks.loc['j_excl_61_cp_2017_2022', 'rank']} of 11 in current prices 2017-2022 in the release "
        f"current when the claim was made, because that release revised its 2016-2021 growth from "
        f"{ranks.loc['j_excl_61_cp_2016_2021', 'wm_growth']:.1f}% to {ranks.loc['j_excl_61_cp24_2016_2021', 'wm_growth']:.1f}% "
        f"a year: {fastest.verdict}, and {_holds(fastest)}.",
        f"- **144,000 tech employees is well above the official counts**: the DCMS digital sector averaged "
        f"{jobs.attrs['average']['dcms_digital']:,.0f} and ICT (SIC 58-63) {jobs.attrs['average']['ict_sic_58_63']:,.0f} "
        f"in 2019-2021: {tech.verdict}. The verdict changes only with {_changed(tech)}, and the digital sector jumps "
        f"{jobs.attrs['jump_2021_pct']['dcms_digital']:.0f}% in that single provisional year.",
        f"- **69,500 AI jobs and GBP 5.5bn are implausible as AI figures**: they would be {wm.value:.0f}% of all ICT "
        f"employment and {WM_AI_GVA_GBP_M / gva:.0%} of the region's whole ICT GVA: {wm.verdict}, and {_holds(wm)}; the "
        "'140 AI companies' cannot be tested on WAIfinder, an incomplete register.",
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
        metrics.append((f"wm_{column}_employment_avg_2019_2021", jobs.attrs["average"][column], "persons",
                        f"West Midlands employment, {name}, average 2019-2021 (the 144,000 claim)", sources[column]))
        metrics.append((f"wm_{column}_employment_2021", jobs.loc[2021, column], "persons",
                        f"West Midlands employment, {name}, 2021 (provisional; the 144,000 claim)", sources[column]))
    for verdict, n in verdict_counts(results).items():
        metrics.append((f"claims_{verdict.replace(' ', '_')}", n, "claims", f"Claims with verdict '{verdict}'", []))
    return metrics
