"""The checks of the West Midlands claims (``data/reference/claims.csv``): 'one of the fastest-growing tech
sectors outside London', '144,000 employees' and '140 AI companies employing 69,500 people, GBP 5.5bn'.
Same conventions as ``helpers.questions.claims.checks`` (verdicts, rules, alternatives); evidence tables in
``helpers.questions.claims.evidence``.
"""

from __future__ import annotations

from collections.abc import Callable

from helpers.data.datasets import load
from helpers.data.indicators import AI_ORGS_SOURCE, BRES_SOURCE, GVA_2024_SOURCE, GVA_SOURCES
from helpers.questions.claims import evidence as ev
from helpers.questions.claims.checks import (
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    WEST_MIDLANDS,
    WM_AI_GVA_GBP_M,
    WM_AI_JOBS,
    WM_TECH_EMPLOYEES,
    Alternative,
    Evidence,
    claim_date,
)

# At the claim's date (Oct 2024) the latest regional GVA was the Apr 2024 release: current prices to 2022. The
# repository has chained volume by division only from the Apr 2023 release (to 2021), a superseded release then.
RANK_BASELINE = "j_excl_61_cp24_2016_2022"  # the ICT-vs-finance report's recent window, to 2022


def _rank_verdict(rank: int) -> str:
    """'one of the fastest growing outside London': supported in the top 3 of 11, partly in the top 5 (upper
    half), not supported below."""
    return SUPPORTED if rank <= 3 else PARTLY if rank <= 5 else NOT_SUPPORTED


# The measures the verdict weighs: one per kind of evidence a referee would ask for (cash, real, jobs).
VERDICT_MEASURES = {RANK_BASELINE: "current prices 2016-2022 (Apr 2024 release)",
                    "j_excl_61_cvm_2016_2021": "real growth 2016-2021 (Apr 2023 release)",
                    "ict_jobs_2015_2021": "BRES jobs SIC 58-63, 2015-2021 (2021 provisional)",
                    "digital_jobs_2015_2021": "BRES jobs DCMS digital, 2015-2021 (2021 provisional)"}


def _measures_verdict(ranks) -> str:
    """Supported if the West Midlands is in the top 3 outside London on every ``VERDICT_MEASURES`` measure, partly
    if on some (the answer depends on the measure), not supported if on none."""
    top = [int(ranks.loc[m, "rank"]) <= 3 for m in VERDICT_MEASURES]
    return SUPPORTED if all(top) else PARTLY if any(top) else NOT_SUPPORTED


def _wm_fastest_growing() -> Evidence:
    ranks = ev.growth_ranks()
    variants = {"same years as the real series, 2016-2021 (Apr 2024)": ("j_excl_61_cp24_2016_2021", "window"),
                "five years, 2017-2022 (Apr 2024)": ("j_excl_61_cp_2017_2022", "window"),
                "window from 1998, 1998-2022 (Apr 2024)": ("j_excl_61_cp_1998_2022", "window"),
                "whole J (with telecoms), 2016-2022 (Apr 2024)": ("j_cp24_2016_2022", "definition"),
                "current prices 2016-2021 in the superseded Apr 2023 release": ("j_excl_61_cp_2016_2021", "vintage"),
                "jobs SIC 58-63, 2015-2020 (final years only)": ("ict_jobs_2015_2020", "single year"),
                "jobs DCMS digital, 2015-2020 (final years only)": ("digital_jobs_2015_2020", "single year")}
    said = lambda m: f"{ranks.loc[m, 'rank']} of {ranks.loc[m, 'of']}"  # noqa: E731
    per_measure = "; ".join(f"{name}: {said(m)}" for m, name in VERDICT_MEASURES.items())
    return Evidence(
        f"Depends on the measure and the vintage. West Midlands' rank outside London by measure (GVA: J excluding "
        f"telecoms): "
        f"{per_measure}. The Apr 2024 release (the latest at the claim's date, {claim_date('wm_fastest_growing_tech')}) "
        f"cut its 2016-2021 growth in current prices from {ranks.loc['j_excl_61_cp_2016_2021', 'wm_growth']:.1f}% to "
        f"{ranks.loc['j_excl_61_cp24_2016_2021', 'wm_growth']:.1f}% a year (rank {said('j_excl_61_cp_2016_2021')} to "
        f"{said('j_excl_61_cp24_2016_2021')}); that release's chained-volume tables are not in this repository's data",
        tuple(ranks.attrs["source_ids"]), _measures_verdict(ranks),
        "one of the fastest = top 3 of the regions outside London; supported if so on every measure (current prices, "
        "real growth, jobs on two definitions), partly if on some, not supported if on none",
        "The claim names no measure or period; real growth uses the superseded Apr 2023 release, and the jobs "
        "measures end in the provisional 2021, when the West Midlands series jumps.",
        tuple(Alternative(name, _rank_verdict(int(ranks.loc[m, "rank"])), said(m), kind)
              for name, (m, kind) in variants.items()), float(ranks.loc[RANK_BASELINE, "rank"]))


def _ratio_verdict(ratio: float) -> str:
    return SUPPORTED if 0.85 <= ratio <= 1.15 else PARTLY if 0.6 <= ratio <= 1.4 else NOT_SUPPORTED


def _wm_tech_144k() -> Evidence:
    jobs, table = ev.wm_employment(), ev.wm_tech_definitions(WM_TECH_EMPLOYEES)
    average, jump = jobs.attrs["average"], jobs.attrs["jump_2021_pct"]
    ft = table.iloc[0]
    variants = {"SIC 58-63, average 2019-2021": (average["ict_sic_58_63"], "definition"),
                f"BRES full-time employees, section J, {ft['latest year']} (full-time only)": (ft["latest value"], "definition"),
                "DCMS digital, 2021 only (provisional)": (jobs.loc[2021, "dcms_digital"], "single year"),
                "SIC 58-63, 2021 only (provisional)": (jobs.loc[2021, "ict_sic_58_63"], "single year"),
                "DCMS digital, 2020": (jobs.loc[2020, "dcms_digital"], "single year")}
    base = average["dcms_digital"]
    rows = "; ".join(f"{name} ({row['counts']}): {row['latest value']:,.0f} in {row['latest year']}" for name, row in table.iterrows())
    return Evidence(
        f"West Midlands official tech counts: {rows}. Averages 2019-2021: DCMS digital {base:,.0f} "
        f"({base / WM_TECH_EMPLOYEES:.0%} of 144,000), SIC 58-63 {average['ict_sic_58_63']:,.0f}. The provisional 2021 "
        f"jumps {jump['dcms_digital']:+.0f}% (digital) in one year. Firm counts (2,400) are not in the repository",
        tuple(dict.fromkeys([*jobs.attrs["source_ids"], *table.attrs["source_ids"]])), _ratio_verdict(base / WM_TECH_EMPLOYEES),
        "DCMS digital sector (the broadest official definition), average 2019-2021: supported within 15% of 144,000, "
        "partly within 40%",
        "The claim's definition is not stated and is probably broader: BRES misses most self-employed people and tech "
        "roles in firms outside SIC J (or outside the digital sector); BRES by division after 2021 is not in the repository.",
        tuple(Alternative(name, _ratio_verdict(v / WM_TECH_EMPLOYEES), f"{v:,.0f} ({v / WM_TECH_EMPLOYEES:.0%})", kind)
              for name, (v, kind) in variants.items()), base)


def _wm_140_ai_companies() -> Evidence:
    orgs = load("ai_organisations")
    wm = orgs[orgs.itl1_code == WEST_MIDLANDS]
    companies, organisations = int(wm["is_company"].sum()), len(wm)
    jobs, gva = ev.wm_employment(), ev.wm_ict_gva()
    gva21 = gva["2021 (Apr 2023 release)"]
    ict, digital = jobs.attrs["average"]["ict_sic_58_63"], jobs.attrs["average"]["dcms_digital"]
    jobs_share, gva_share = WM_AI_JOBS / ict, WM_AI_GVA_GBP_M / gva21
    return Evidence(
        f"Context, not evidence: if these were AI jobs within the region's tech sector they would be {jobs_share:.0%} "
        f"of it (SIC 58-63, {ict:,.0f}, average 2019-2021) and {WM_AI_JOBS / digital:.0%} of the DCMS digital sector "
        f"({digital:,.0f}); GBP 5.5bn would be {gva_share:.0%} of the region's whole ICT GVA (GBP {gva21:,.0f}m, 2021). "
        "The claim does not say what it counts: whole-firm headcount and turnover of AI-using firms in any industry "
        f"would fit, and no open data measures them. WAIfinder lists {organisations} AI organisations of all types in "
        f"the region (companies, universities and research organisations, incubators and funders), of which {companies} are "
        f"companies: the regional profile counts all {organisations}, the claims check the companies",
        (BRES_SOURCE, ev.DIGITAL_SOURCE, GVA_SOURCES["ITL1"], GVA_2024_SOURCE, AI_ORGS_SOURCE), NOT_CHECKABLE,
        "no open data on AI firms' headcount or turnover; the official totals bound the figures only under an "
        "assumed reading (AI jobs and GVA inside the region's tech sector), so they are context, not a test",
        "WAIfinder (Nesta with Innovate UK BridgeAI, Sep 2023) lists self-described AI organisations at one address, "
        "often a head office, so it can neither confirm nor refute 140; AI firms need not be in SIC J, and GBP 5.5bn "
        "may be turnover rather than GVA.", (), jobs_share * 100)


CHECKS: dict[str, Callable[[], Evidence]] = {
    "wm_fastest_growing_tech": _wm_fastest_growing,
    "wm_tech_144k_employees": _wm_tech_144k,
    "wm_140_ai_companies": _wm_140_ai_companies,
}
