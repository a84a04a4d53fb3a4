"""Checks of the claims in the source articles and the policy paper (``data/reference/claims.csv``) against the
data in this repository: for each claim the evidence (figure, sources, vintages), a verdict from ``VERDICTS`` by
a stated rule, and a one-sentence caveat. Where open data cannot answer, the closest open proxy is shown and
the verdict is "not checkable with open data".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from helpers.analysis import concentration, ict_finance, indicators

from helpers import regions
from helpers.config import paths
from helpers.pipeline.datasets import load
from helpers.pipeline.sources import get_source

SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_CHECKABLE = (
    "supported", "partly supported", "not supported", "not checkable with open data")
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_CHECKABLE)
WEST_MIDLANDS = "TLG"


@dataclass(frozen=True)
class Evidence:
    figure: str  # the evidence in words, with numbers
    source_ids: tuple[str, ...]
    verdict: str
    rule: str  # how the verdict follows from the figure
    caveat: str

    @property
    def vintages(self) -> str:
        return "; ".join(f"{get_source(s).publisher}: {get_source(s).release}" for s in self.source_ids)


def claims() -> pd.DataFrame:
    """The claims table written from ``../shared/seeds`` (id, claim, quote, document, claimant, claim_type)."""
    return pd.read_csv(paths().reference / "claims.csv", dtype=str, keep_default_na=False).set_index("claim_id")


def growth_zones() -> pd.DataFrame:
    """The 5 AI Growth Zones with ITL1 region, announced figures (announcements, not outcomes) and basis."""
    zones = pd.read_csv(paths().reference / "ai_growth_zones.csv", dtype={"targeted_funding_gbp": int}, keep_default_na=False)
    zones.insert(2, "region", zones["itl1_code"].map(regions.region_name))
    return zones


def check_all() -> pd.DataFrame:
    """Every claim with its evidence, verdict, rule, caveat, sources and vintages."""
    table = claims()
    missing = sorted(set(table.index) - set(CHECKS))
    if missing:
        raise KeyError(f"claims.csv has claims with no check in helpers.analysis.claims.CHECKS: {missing}")
    rows = []
    for claim_id, claim in table.iterrows():
        evidence = CHECKS[claim_id]()
        rows.append({"claim_id": claim_id, "claim": claim["claim"], "claimant": claim["claimant"],
                     "evidence": evidence.figure, "verdict": evidence.verdict, "rule": evidence.rule,
                     "caveat": evidence.caveat, "sources": ", ".join(evidence.source_ids), "vintages": evidence.vintages})
    return pd.DataFrame(rows).set_index("claim_id")


# ---------------------------------------------------------------- the checks


def _ict_outgrowing_finance() -> Evidence:
    gaps = {basis: ict_finance.growth_comparison(basis, "J", "K", 1998, 2021).loc["UK", "cagr_gap_pp"]
            for basis in ("chained_volume", "current_prices")}
    faster = sum(gap > 0 for gap in gaps.values())
    verdict = {2: SUPPORTED, 1: PARTLY, 0: NOT_SUPPORTED}[faster]
    return Evidence(
        f"UK CAGR of ICT minus finance, 1998-2021: {gaps['chained_volume']:+.1f} points a year in chained volume, "
        f"{gaps['current_prices']:+.1f} in current prices",
        tuple(ict_finance.PRICE_BASES.values()), verdict,
        "supported if ICT grew faster on both price bases, partly if on one",
        "ICT's real growth owes much to falling ICT prices; in cash terms finance grew as fast or faster.")


def _ict_momentum_outside_london() -> Evidence:
    row = concentration.summary().loc["ict_gva"]
    verdict = {"falling": SUPPORTED, "no clear trend": PARTLY, "rising": NOT_SUPPORTED}[row["london_share_trend"]]
    return Evidence(
        f"London's share of UK ICT GVA: {row['london_share_first']:.1f}% in {row['first_year']}, "
        f"{row['london_share_last']:.1f}% in {row['last_year']} (trend {row['london_share_slope_pp']:+.2f} points a year, "
        f"{row['london_share_trend']})",
        ("gva_itl1_cp_2023",), verdict,
        "supported if London's share fell significantly, not supported if it rose significantly",
        "Regional GVA by industry ends in 2021 in this release; later momentum is not measured.")


def _london_outpacing_ai() -> Evidence:
    summary = concentration.summary()
    series = ["venture_capital", "innovate_uk_funding", "tech_firms_founded"]
    trends = {s: summary.loc[s, "london_share_trend"] for s in series}
    rising = sum(t == "rising" for t in trends.values())
    verdict = SUPPORTED if rising >= 2 else PARTLY if rising == 1 else NOT_SUPPORTED
    text = "; ".join(f"{indicators.get_total(s).label}: {summary.loc[s, 'london_share_first']:.0f}% "
                     f"({summary.loc[s, 'first_year']}) to {summary.loc[s, 'london_share_last']:.0f}% "
                     f"({summary.loc[s, 'last_year']}), {trends[s]}" for s in series)
    return Evidence(f"London's share: {text}", ("nesta_venture_capital", "nesta_innovate_uk", "nesta_tech_firms_founded"),
                    verdict, "supported if London's share rose significantly in 2 of the 3 series, partly if in 1",
                    "Open regional series on AI jobs and AI training do not exist; these are tech investment and firm "
                    "counts that end in 2018-2020.")


def _ai_postings_80pct() -> Evidence:
    share = concentration.summary().loc["ai_organisations", "london_share_last"]
    return Evidence(f"Proxy: London holds {share:.0f}% of the UK's AI organisations (WAIfinder, 2023)",
                    ("waifinder_orgs_2023",), NOT_CHECKABLE,
                    "no open data on job postings by AI skill and region",
                    "Indeed's open data give all postings, not AI postings; organisations are not vacancies.")


def _tech_vacancies_65pct() -> Evidence:
    share = concentration.summary().loc["ict_employment", "london_share_last"]
    return Evidence(f"Proxy: London has {share:.0f}% of Great Britain's ICT jobs (BRES, SIC 58-63, 2021)",
                    ("bres_employment_sic2_2023",), NOT_CHECKABLE,
                    "no open data on tech vacancies by region",
                    "Vacancies are a flow and jobs a stock; a 65% share of vacancies against a third of jobs would mean "
                    "London hires far more than its size, which the stock alone cannot confirm.")


def _survey_claim(what: str) -> Callable[[], Evidence]:
    def check() -> Evidence:
        table = indicators.ecosystem_table()["postgraduate_share"]
        return Evidence(
            f"Proxy: adults 25-64 with a higher degree, London {table[regions.LONDON]:.0f}% vs median of other regions "
            f"{table.drop(regions.LONDON).median():.0f}%", ("smc_postgraduate",), NOT_CHECKABLE,
            f"{what} comes from a private business survey with no open microdata",
            "Qualifications measure the stock of skills, not firms' spending or training plans.")
    return check


def _ai_demand_up_200pct() -> Evidence:
    postings = load("job_postings").assign(date=lambda d: pd.to_datetime(d.period))
    latest = postings.date.max()
    now = postings[postings.date == latest].set_index("region_code")["value"]
    year_ago = postings[postings.date == latest - pd.DateOffset(years=1)].set_index("region_code")["value"]
    change = (now / year_ago - 1) * 100
    hotspots = {"TLM": "Scotland (Glasgow)", "TLD": "North West (Liverpool)", "TLE": "Yorkshire (Leeds)"}
    text = ", ".join(f"{name} {change[code]:+.0f}%" for code, name in hotspots.items())
    return Evidence(f"Proxy: all Indeed job postings, {latest.date()} vs a year earlier: {text}; "
                    f"range across regions {change.min():+.0f}% to {change.max():+.0f}%",
                    ("indeed_postings_regions",), NOT_CHECKABLE,
                    "no open regional series of AI job postings",
                    "All postings move with the economy; AI postings are a small share and can rise while the total falls.")


def _ai_13m_jobs() -> Evidence:
    jobs = load("employment")
    uk = jobs[(jobs.source_id == "workforce_jobs_2021") & (jobs.region_code == "UK") & (jobs.industry_code == "TOTAL")]
    latest = uk.sort_values("period").iloc[-1]
    share = 13_000 / latest["value"] * 100
    return Evidence(f"Context: UK workforce jobs {latest['value'] / 1000:.1f} million ({latest['period']}); 13 million would be "
                    f"{share:.0f}% of them", ("workforce_jobs_2021",), NOT_CHECKABLE,
                    "a forecast for 2035", "'Directly or indirectly' is not defined, so no data can test it.")


def _wm_fastest_growing() -> Evidence:
    outside = [c for c in regions.itl1_codes() if c != regions.LONDON]
    gva_growth = ict_finance.growth_comparison("chained_volume", "J", "K", 1998, 2021).loc[outside, "J_cagr_pct"]
    jobs = indicators.employment(indicators.ICT_DIVISIONS)
    jobs_growth = (jobs.loc[jobs.index.max()] / jobs.loc[jobs.index.min()] - 1) * 100
    jobs_growth = jobs_growth.drop(regions.LONDON).dropna()
    gva_rank = int(gva_growth.rank(ascending=False)[WEST_MIDLANDS])
    jobs_rank = int(jobs_growth.rank(ascending=False)[WEST_MIDLANDS])
    top3 = (gva_rank <= 3) + (jobs_rank <= 3)
    verdict = {2: SUPPORTED, 1: PARTLY, 0: NOT_SUPPORTED}[top3]
    return Evidence(f"West Midlands rank outside London: real ICT GVA growth 1998-2021 {gva_rank} of {len(gva_growth)} "
                    f"({gva_growth[WEST_MIDLANDS]:.1f}% a year); ICT employment growth {jobs.index.min()}-{jobs.index.max()} "
                    f"{jobs_rank} of {len(jobs_growth)} ({jobs_growth[WEST_MIDLANDS]:+.0f}%)",
                    ("gva_itl1_cvm_2023", "bres_employment_sic2_2023"), verdict,
                    "supported if in the top 3 outside London on both measures, partly if on one",
                    "'Tech sector' here is SIC J (GVA) and SIC 58-63 (jobs); the claim's own definition is not stated.")


def _wm_tech_144k() -> Evidence:
    jobs = indicators.employment(indicators.ICT_DIVISIONS)
    year = int(jobs.index.max())
    value = jobs.loc[year, WEST_MIDLANDS]
    ratio = value / 144_000
    verdict = SUPPORTED if 0.85 <= ratio <= 1.15 else PARTLY if 0.6 <= ratio <= 1.4 else NOT_SUPPORTED
    return Evidence(f"ICT employment (SIC 58-63) in the West Midlands, {year}: {value:,.0f} ({ratio:.0%} of 144,000); "
                    "firm counts are not in the repository", ("bres_employment_sic2_2023",), verdict,
                    "supported within 15% of 144,000, partly within 40%",
                    "Broader 'digital tech' definitions add tech roles in other industries, which SIC 58-63 leaves out.")


def _wm_140_ai_companies() -> Evidence:
    orgs = load("ai_organisations")
    companies = int((orgs[orgs.itl1_code == WEST_MIDLANDS]["is_company"]).sum())
    verdict = SUPPORTED if companies >= 140 else PARTLY if companies >= 100 else NOT_SUPPORTED
    return Evidence(f"AI companies in the West Midlands listed by WAIfinder (2023): {companies}; the 69,500 jobs and "
                    "GBP 5.5bn are not checkable with open data", ("waifinder_orgs_2023",), verdict,
                    "supported if 140 or more, partly if 100-139 (company count only)",
                    "WAIfinder lists self-described AI organisations; employment and GVA of AI firms are not published by region.")


def _announcement(figure: str) -> Callable[[], Evidence]:
    def check() -> Evidence:
        return Evidence(figure, (), NOT_CHECKABLE, "an announcement or target, not an outcome in official statistics",
                        "Announced investment and jobs are commitments; official statistics will show outcomes years later.")
    return check


CHECKS: dict[str, Callable[[], Evidence]] = {
    "ict_outgrowing_finance": _ict_outgrowing_finance,
    "ict_momentum_outside_london": _ict_momentum_outside_london,
    "london_outpacing_ai": _london_outpacing_ai,
    "ai_postings_80pct_london": _ai_postings_80pct,
    "tech_vacancies_65pct_london": _tech_vacancies_65pct,
    "ai_budget_19_vs_13": _survey_claim("The share of tech budgets spent on AI"),
    "genai_training_58_vs_40": _survey_claim("Firms' investment in generative-AI training"),
    "ai_demand_up_200pct": _ai_demand_up_200pct,
    "ai_13m_jobs_2035": _ai_13m_jobs,
    "wm_fastest_growing_tech": _wm_fastest_growing,
    "wm_tech_144k_employees": _wm_tech_144k,
    "wm_140_ai_companies": _wm_140_ai_companies,
    "agz_investment_jobs": _announcement("Announcement: GBP 28.2bn and 15,000+ jobs for 5 zones together; no per-zone figures "
                                         "in the sources (table of zones below)"),
    "skills_7_6m_by_2030": _announcement("Target; the later policy paper states a different target (10 million by 2030)"),
    "skills_10m_by_2030": _announcement("Target; the earlier speech stated 7.6 million by 2030, so the two documents disagree"),
    "one_million_students": _announcement("Target for secondary-school students; no open delivery statistics"),
    "one_million_courses": _announcement("Delivery claim by government and industry partners; no open statistics of courses"),
}
