"""One check per claim in ``data/reference/claims.csv``: the evidence (figure, sources, vintages), a verdict from
``VERDICTS`` by a stated rule, a caveat, and the verdict the same rule gives under each alternative year, window
or definition a referee would ask for (``Evidence.alternatives``; ``Evidence.sensitivity`` says it in words).

Each claim is judged at its date (``claim_date`` in claims.csv) with the data that existed then where that
matters, on the claim's own definition where one is stated. A register that lists only some firms (WAIfinder)
cannot make a claim "not supported"; official totals can bound a claim that is implausibly large. Where open data
cannot answer, the verdict is "not checkable with open data" and any figure shown is labelled as context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.indicators import (
    AI_ORGS_SOURCE,
    BRES_SOURCE,
    GVA_2024_SOURCE,
    GVA_SOURCES,
    INNOVATE_UK_SOURCE,
    TECH_FIRMS_SOURCE,
    VENTURE_CAPITAL_SOURCE,
    WORKFORCE_JOBS_SOURCE,
)
from helpers.data.sources import get_source
from helpers.findings.model import BANDS
from helpers.questions.claims import evidence as ev
from helpers.questions.concentration import tables as concentration
from helpers.questions.ict_finance import tables as ict_finance
from helpers.stats import trends

SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_CHECKABLE = (
    "supported", "partly supported", "not supported", "not checkable with open data")
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_CHECKABLE)
WEST_MIDLANDS = ev.WEST_MIDLANDS
ALTERNATIVE_KINDS = ("definition", "window", "vintage", "single year")
HOTSPOTS = ("Glasgow", "Liverpool", "Leeds")  # the cities the Accenture claim names
WM_TECH_EMPLOYEES, WM_AI_JOBS, WM_AI_GVA_GBP_M, WM_AI_COMPANIES = 144_000, 69_500, 5_500, 140


@dataclass(frozen=True)
class Alternative:
    name: str  # the alternative year, window or definition
    verdict: str  # the check's rule applied to it
    figure: str  # its key number, short
    kind: str = "definition"  # one of ALTERNATIVE_KINDS: what the alternative changes


@dataclass(frozen=True)
class Evidence:
    figure: str  # the evidence in words, with numbers
    source_ids: tuple[str, ...]
    verdict: str
    rule: str  # how the verdict follows from the figure
    caveat: str
    alternatives: tuple[Alternative, ...] = ()
    value: float | None = None  # the baseline's key number, where there is one
    extra: dict | None = None  # other baseline numbers the text quotes (e.g. the cash-terms gap)

    @property
    def vintages(self) -> str:
        return "; ".join(f"{get_source(s).publisher}: {get_source(s).release}" for s in self.source_ids)

    @property
    def sensitivity(self) -> str:
        """'unchanged with A, B; changes to partly supported with C' (or why there is no alternative)."""
        if not self.alternatives:
            return "no alternative: nothing to recompute" if self.verdict == NOT_CHECKABLE else "no alternative tested"
        same = [a.name for a in self.alternatives if a.verdict == self.verdict]
        parts = [f"unchanged with {', '.join(same)}"] if same else []
        for verdict in VERDICTS:
            changed = [a.name for a in self.alternatives if a.verdict == verdict and verdict != self.verdict]
            if changed:
                parts.append(f"changes to {verdict} with {', '.join(changed)}")
        return "; ".join(parts)


def claim_date(claim_id: str) -> str:
    """The claim's date from claims.csv ("YYYY-MM-DD", "YYYY-MM" or "undated")."""
    return load("claims").set_index("claim_id").loc[claim_id, "claim_date"]


def _count_verdict(passed: Sequence[bool]) -> str:
    """supported if every test passes, partly if some do, not supported if none."""
    return SUPPORTED if all(passed) else PARTLY if any(passed) else NOT_SUPPORTED


# ---------------------------------------------------------------- ICT and finance, London's share


FAR_PP = 1.0  # "far faster": a CAGR gap of at least 1 point a year, four times the materiality band


def _far_verdict(real: float, cash: float) -> str:
    """supported if ICT's CAGR beat finance's by ``FAR_PP`` or more in real and in cash terms, partly if in one."""
    return _count_verdict([real >= FAR_PP, cash >= FAR_PP])


def _ict_outgrowing_finance() -> Evidence:
    """Judged on the ICT-vs-finance report's own findings (``ict_finance_summary.findings``), not recomputed."""
    from helpers.questions.ict_finance import findings as q1

    ev = q1.evidence(*ict_finance.window(None, None))
    found = {f.id: f for f in q1.findings(ev)}
    real, cash = found["ict_outgrew_finance_real"], found["ict_outgrew_finance_cash"]
    real_x, cash_x = found["ict_excl_telecoms_outgrew_finance_real"], found["ict_excl_telecoms_outgrew_finance_cash"]
    variants = {"J excl. telecoms (61)": ((real_x.estimate, cash_x.estimate), "definition")}
    real_checks = {c.name: c.estimate for c in real.checks}
    for check in cash.checks:
        variants[check.name] = ((real_checks.get(check.name, real.estimate), check.estimate),
                                "vintage" if check.dimension == "release" else "window")
    said = lambda f: f"{f.statement} ({f.verdict} in the ICT-vs-finance report)"  # noqa: E731
    return Evidence(
        f"UK CAGR of ICT minus finance, {ev['start_year']}-{ev['end_year']}: {real.estimate:+.1f} points a year in real "
        f"terms (chained volume), {cash.estimate:+.1f} in cash terms (current prices); excluding telecoms (61): "
        f"{real_x.estimate:+.1f} and {cash_x.estimate:+.1f}. Findings: {said(real)}; {said(cash)}; {said(real_x)}; {said(cash_x)}",
        cash.sources, _far_verdict(real.estimate, cash.estimate),
        f"'far faster' = a CAGR gap of {FAR_PP:g} point a year or more; supported if so in real and cash terms, partly "
        f"if in one (gaps within {BANDS['growth_gap']:g} points count as about the same)",
        "ICT's real lead is mostly telecoms, whose implied price fell by almost all its value; finance's real output "
        "(FISIM) is itself estimated; the article is undated, so the latest data are used.",
        tuple(Alternative(name, _far_verdict(*v), f"{v[0]:+.1f} / {v[1]:+.1f} pp", kind)
              for name, (v, kind) in variants.items()), real.estimate, {"cash_gap": cash.estimate})


RECENT_YEARS = 10  # "increasingly": judged on the last 10 years to the latest data (the minimum for a trend test)


def _trend_verdict(trend: str) -> str:
    """'increasingly visible outside London' needs London's LQ to fall: a rise or no clear trend (a null result)
    does not support 'increasingly'."""
    return {"falling": SUPPORTED, "no clear trend": NOT_SUPPORTED, "rising": NOT_SUPPORTED}.get(trend, NOT_CHECKABLE)


def _mk_trend(values: pd.Series) -> tuple[str, str]:
    """Modified Mann-Kendall verdict of a year-indexed series and its figure (first, last, Sen slope, p)."""
    test = trends.modified_mann_kendall(values)
    return test["verdict"], (f"{values.iloc[0]:.2f} in {values.index[0]} to {values.iloc[-1]:.2f} in {values.index[-1]}, "
                             f"Sen slope {test['sen_slope']:+.4f} a year, p = {test['p']:.2f}: {test['verdict']}")


def _ict_momentum_outside_london() -> Evidence:
    """Judged on London's ICT location quotient (a falling LQ means ICT grew faster outside London relative to
    each area's whole economy) over the last ``RECENT_YEARS`` years, since an 'increasingly' claim is about the
    recent past; the trough year, the whole series, the older release, OLS and London's share are alternatives."""
    lq = concentration.concentration_over_time("ict_gva")["london_lq"]
    last = int(lq.index.max())
    recent, trough = lq.loc[last - RECENT_YEARS + 1:], int(lq.loc[:2015].idxmin())
    trend, figure = _mk_trend(recent)
    old = indicators.london_share_and_lq("J", indicators.previous_release())["lq"]
    old_last = int(old.index.max())
    ols = trends.ols_trend_hac(recent)
    share = ev.share_trend(indicators.gva("J", "ITL1", indicators.latest_release()), first=last - RECENT_YEARS + 1)
    windows = {f"LQ since its {trough} low, {trough}-{last}": (lq.loc[trough:], "window"),
               f"LQ, whole series {int(lq.index.min())}-{last}": (lq, "window"),
               f"LQ, last {RECENT_YEARS} years in the Apr 2023 release ({old_last - RECENT_YEARS + 1}-{old_last})":
                   (old.loc[old_last - RECENT_YEARS + 1:], "vintage")}
    alternatives = [Alternative(name, _trend_verdict(_mk_trend(v)[0]), _mk_trend(v)[1], kind)
                    for name, (v, kind) in windows.items()]
    alternatives.append(Alternative(f"LQ, OLS trend with Newey-West errors, {last - RECENT_YEARS + 1}-{last}",
                                    _trend_verdict(ols["verdict"]), f"slope {ols['slope']:+.4f} a year, p = {ols['p']:.2f}",
                                    "definition"))
    alternatives.append(Alternative(f"London's share of UK ICT GVA instead of the LQ, {share['first_year']}-{last}",
                                    _trend_verdict(share["trend"]), f"{share['first']:.1f}% to {share['last']:.1f}%, "
                                    f"{share['trend']}", "definition"))
    return Evidence(
        f"London's location quotient in ICT GVA (current prices, Apr 2024 release), last {RECENT_YEARS} years: {figure}. "
        f"It has risen since its {trough} low ({lq.loc[trough]:.2f}); over the whole series it went from "
        f"{lq.iloc[0]:.2f} in {lq.index[0]} to {lq.iloc[-1]:.2f}", (GVA_2024_SOURCE, GVA_SOURCES["ITL1"]),
        _trend_verdict(trend),
        f"London's ICT LQ over the last {RECENT_YEARS} years to the latest data: supported if it fell significantly "
        "(modified Mann-Kendall, p < 0.05); not supported if it rose or shows no clear trend, because a null result "
        "cannot support 'increasingly'",
        "Regional GVA by industry ends in 2022; the article is undated, so later momentum is not measured. The share "
        "is confounded by London's whole-economy growth, so the LQ is the measure.", tuple(alternatives),
        float(recent.iloc[-1] - recent.iloc[0]))


def _london_outpacing_ai() -> Evidence:
    summary = concentration.summary()
    series = ["venture_capital", "innovate_uk_funding", "tech_firms_founded"]
    text = "; ".join(f"{indicators.get_total(s).label} {summary.loc[s, 'london_share_first']:.0f}% "
                     f"({summary.loc[s, 'first_year']}) to {summary.loc[s, 'london_share_last']:.0f}% "
                     f"({summary.loc[s, 'last_year']}), {summary.loc[s, 'london_share_trend']}" for s in series)
    return Evidence(f"Context, not evidence (series end 2018-2020): London's share of {text}",
                    (VENTURE_CAPITAL_SOURCE, INNOVATE_UK_SOURCE, TECH_FIRMS_SOURCE), NOT_CHECKABLE,
                    "no open regional series of AI jobs, AI investment or AI training runs to the claim's date (2025)",
                    "The open tech series end in 2018-2020 and measure tech, not AI; they cannot test a 2025 claim.")


def _ai_postings_80pct() -> Evidence:
    share = concentration.summary().loc["ai_organisations", "london_share_last"]
    return Evidence(f"Context, not evidence: London holds {share:.0f}% of the UK's AI organisations in Nesta's WAIfinder "
                    "(with Innovate UK BridgeAI, Sep 2023)", (AI_ORGS_SOURCE,), NOT_CHECKABLE,
                    "no open data on AI job postings by region (Indeed's AI tracker is national only)",
                    "WAIfinder places self-described AI organisations at one address, often a head office; "
                    "organisations are not postings.")


def _tech_vacancies_65pct() -> Evidence:
    share = concentration.summary().loc["ict_employment", "london_share_last"]
    return Evidence(f"Context, not evidence: London has {share:.0f}% of Great Britain's ICT jobs (BRES, SIC 58-63, 2021)",
                    (BRES_SOURCE,), NOT_CHECKABLE, "no open data on tech vacancies by region",
                    "Vacancies are a flow and jobs a stock; a 65% share of vacancies against a third of jobs would mean "
                    "London hires far more than its size, which the stock alone cannot confirm.")


def _survey_claim(what: str) -> Callable[[], Evidence]:
    def check() -> Evidence:
        return Evidence(f"No open data: {what} by region is measured only in Accenture's survey of firms", (),
                        NOT_CHECKABLE, "a private business survey with no open microdata and no official equivalent",
                        "No proxy is shown: qualifications or degrees measure people's skills, not firms' budgets or training.")
    return check


# ---------------------------------------------------------------- AI demand, forecasts


NEARLY_200 = 170  # "nearly 200%": a rise of 170% or more


def _growth_verdict(change_pct: float) -> str:
    """'nearly 200%': supported from +170%, partly from +100% (at least a doubling), not supported below."""
    return SUPPORTED if change_pct >= NEARLY_200 else PARTLY if change_pct >= 100 else NOT_SUPPORTED


def _ai_demand_up_200pct() -> Evidence:
    day = claim_date("ai_demand_up_200pct")
    month = ev.ai_change(day[:7])
    change = month["change_pct"]
    cities = ev.city_change(day[:7], HOTSPOTS)["change_pct"]
    names = {"ai_share": "AI share alone", "genai_postings": "generative-AI postings",
             "genai_share": "generative-AI share alone"}
    alternatives = [Alternative(label, _growth_verdict(change[m]), f"{change[m]:+.0f}%") for m, label in names.items()]
    on_day = ev.ai_change(day[:7], day=day).loc["ai_postings", "change_pct"]
    alternatives.append(Alternative(f"7-day average on {day}", _growth_verdict(on_day), f"{on_day:+.0f}%", "window"))
    hotspots = ", ".join(f"{city} {cities[city]:+.0f}%" for city in HOTSPOTS)
    return Evidence(
        f"Indeed AI tracker, UK, {month.attrs['period']} vs a year earlier (monthly means): AI postings "
        f"{change['ai_postings']:+.0f}%, AI share of postings {change['ai_share']:+.0f}%, generative-AI postings "
        f"{change['genai_postings']:+.0f}%, generative-AI share of postings {change['genai_share']:+.0f}%, all postings "
        f"{change['all_postings']:+.0f}%: no Indeed measure reaches +{NEARLY_200}%. Named hotspots, all postings "
        f"(not AI): {hotspots}; London {cities['London']:+.0f}%, UK {cities.iloc[-1]:+.0f}%",
        (*ev.AI_SOURCES, ev.CITY_SOURCE), _growth_verdict(change["ai_postings"]),
        f"AI postings (AI share x all-postings index); 'nearly 200%' = +{NEARLY_200}% or more (supported), partly "
        "supported from +100% (a doubling), not supported below",
        "Accenture's measure is not published, so no Indeed measure is its equivalent; Indeed's tracker is national only, so the hotspots can be compared "
        "only on all postings, which says nothing about AI.", tuple(alternatives), change["ai_postings"])


def _ai_13m_jobs() -> Evidence:
    jobs = load("employment")
    uk = jobs[(jobs.source_id == WORKFORCE_JOBS_SOURCE) & (jobs.region_code == regions.UK_CODE)
              & (jobs.industry_code == "TOTAL")]
    latest = uk.sort_values("period").iloc[-1]
    share = 13_000 / latest["value"] * 100
    return Evidence(f"Context, not evidence: UK workforce jobs {latest['value'] / 1000:.1f} million ({latest['period']}); "
                    f"13 million would be {share:.0f}% of them", (WORKFORCE_JOBS_SOURCE,), NOT_CHECKABLE,
                    "a forecast for 2035", "'Directly or indirectly' is not defined, so no data can test it.")


def _announcement(figure: str) -> Callable[[], Evidence]:
    def check() -> Evidence:
        return Evidence(figure, (), NOT_CHECKABLE, "an announcement or target, not an outcome in official statistics",
                        "Announced investment and jobs are commitments; official statistics will show outcomes years later.")
    return check


# The West Midlands checks are in ``helpers.questions.claims.checks_wm``; ``helpers.questions.claims.findings.CHECKS`` has both.
CHECKS: dict[str, Callable[[], Evidence]] = {
    "ict_outgrowing_finance": _ict_outgrowing_finance,
    "ict_momentum_outside_london": _ict_momentum_outside_london,
    "london_outpacing_ai": _london_outpacing_ai,
    "ai_postings_80pct_london": _ai_postings_80pct,
    "tech_vacancies_65pct_london": _tech_vacancies_65pct,
    "ai_budget_19_vs_13": _survey_claim("the share of tech budgets spent on AI"),
    "genai_training_58_vs_40": _survey_claim("firms' investment in generative-AI training"),
    "ai_demand_up_200pct": _ai_demand_up_200pct,
    "ai_13m_jobs_2035": _ai_13m_jobs,
    "agz_investment_jobs": _announcement("Announcement: GBP 28.2bn and 15,000+ jobs for 5 zones together; no per-zone figures "
                                         "in the sources (table of zones below)"),
    "skills_7_6m_by_2030": _announcement("Target stated at London Tech Week (June 2025); the Jan 2026 policy paper raised it "
                                         "to 10 million ('we have raised our ambition'): a revision, not a disagreement"),
    "skills_10m_by_2030": _announcement("Target (Jan 2026), raised from the 7.6 million stated in June 2025 ('we have raised "
                                        "our ambition'); no open statistics of AI training"),
    "one_million_students": _announcement("Target for secondary-school students; no open delivery statistics"),
    "one_million_courses": _announcement("Delivery claim by government and industry partners; no open statistics of courses"),
}
