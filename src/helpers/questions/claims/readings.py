"""The readings of each checkable claim (``helpers.questions.claims.model``): the claimant's measure, window and
geography where open data allow, and one alternative per dimension, each a finding declared in ``findings.yml`` and
judged by the one verdict rule. Claims in the present tense are read on the latest release and the recent window
first; dated claims on the release public at their date (``model.release_at``).

Question 1's evidence gives the ICT-vs-finance readings (``helpers.questions.ict_finance.findings``); question 2's
trend of London's ICT location quotient gives the momentum readings (``lq_trend``), so that both questions read
"momentum outside London" on the same evidence.
"""

from __future__ import annotations

import math

from helpers import regions
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.findings.model import declarations, declared
from helpers.findings.numbers import release_name
from helpers.questions.claims import evidence as ev
from helpers.questions.claims.model import BASELINE, UNDATED, Claim, Reading, release_at, window_words
from helpers.questions.concentration import findings as q2
from helpers.questions.ict_finance import findings as q1
from helpers.stats import trends

QUESTION = "claims"
RULES = declarations(QUESTION)["rules"]
TREND_YEARS = trends.MIN_TREND_POINTS  # "increasingly": the last years a trend test allows, to the latest data
RANK_DIMENSIONS = {"ict_excl_telecoms_cp": "definition", "ict_cvm": "price basis", "ict_jobs": "definition",
                   "ict_cp_whole_series": "window"}


def label(key: str) -> str:
    """The words for a measure, definition or price basis (``findings.yml``'s ``labels``)."""
    return declarations(QUESTION)["labels"][key]


# ---------------------------------------------------------------- ICT against finance (question 1's evidence)


def q1_evidence() -> dict:
    """Question 1's evidence over the span of the chained-volume data (its report window)."""
    years = indicators.gva("J", "ITL1", basis="chained_volume").index
    return q1.evidence(int(years.min()), int(years.max()))


def ict_outgrowing_finance(claim: Claim) -> Claim:
    """Present tense: the latest release's recent window in current prices first (the newest data), then the whole
    series, real terms (the newest release with chained volume) and J excluding telecoms (61)."""
    e = q1_evidence()
    latest, end, last = e["releases"]["latest"], e["end_year"], e["latest_end"]
    recent = end - q1.RECENT_YEARS
    basis = {q1.CP: label("current_prices"), q1.CV: label("chained_volume")}

    def read(series, price, first, final, release, dimension):
        used = release or e["releases"][price]
        where = {"basis": basis[price], "start": first, "end": final, "release": release_name(used)}
        return Reading(declared(QUESTION, "ict_far_faster", q1.gap(e, series, price, first, final, release=release),
                                sources=e["comparison"].attrs["source_ids"], series=label(series), extra=where, **where),
                       dimension)

    readings = [read("j", q1.CP, recent, last, latest, BASELINE), read("j", q1.CP, e["start_year"], last, latest, "window"),
                read("j", q1.CV, recent, end, None, "price basis"), read("j_excl_61", q1.CP, recent, last, latest, "definition"),
                read("j_excl_61", q1.CV, recent, end, None, "definition")]
    return claim.with_readings(readings, q1={f.id: f for f in q1.findings(e)}, telecoms=q1.telecoms_share(e, (recent, end)))


# ---------------------------------------------------------------- momentum outside London (question 2's trend)


def lq_trend(first: int, last: int, release: str) -> dict:
    """Sen's slope of London's ICT location quotient over ``first``-``last`` in ``release`` with its 95% confidence
    interval (estimate, lower, upper, p, sources): question 2's finding ``london_ict_lq_recent_trend``
    (``helpers.questions.concentration.findings.ict_lq_trend``)."""
    found = q2.ict_lq_trend(first, last, release)
    return {"estimate": found.estimate, "lower": found.lower, "upper": found.upper, "p": found.p,
            "sources": tuple(found.sources)}


def ict_momentum_outside_london(claim: Claim) -> Claim:
    """'Increasingly' is a trend in the present tense: London's ICT LQ over the last ``TREND_YEARS`` years of the
    latest release, then the same years before the latest year's first estimate and the previous release."""
    latest, previous = indicators.latest_release(), indicators.previous_release()
    last = {r: int(indicators.london_share_and_lq("J", r).index.max()) for r in (latest, previous)}
    spans = [(last[latest] - TREND_YEARS + 1, last[latest], latest, BASELINE),
             (last[latest] - TREND_YEARS, last[latest] - 1, latest, "window"),
             (last[previous] - TREND_YEARS + 1, last[previous], previous, "release")]
    readings = []
    for first, final, release, dimension in spans:
        t = lq_trend(first, final, release)
        interval = (t["lower"], t["upper"]) if math.isfinite(t["lower"]) else None
        where = {"start": first, "end": final, "release": release_name(release)}
        readings.append(Reading(declared(QUESTION, "london_ict_lq_falling", t["estimate"], interval=interval, p=t["p"],
                                         sources=t["sources"], extra=where, **where), dimension))
    lq = indicators.london_share_and_lq("J", latest)["lq"]
    return claim.with_readings(readings, lq=lq, start=spans[0][0], first_estimate=last[latest])


# ---------------------------------------------------------------- Indeed postings: the national figure, the cities


def ai_demand_up_200pct(claim: Claim) -> Claim:
    """Indeed's AI postings index over the claimant's window against a year earlier (a different measure from
    Accenture's LinkedIn postings); the other Indeed measures, and the article's month, as alternatives."""
    figure = claim.figures["growth_pct"]
    month = ev.month_window(claim.published)
    windows = {"claim": (claim.window, BASELINE), "month": (month, "window")}
    readings = []
    for measure in ("ai_postings", "ai_share", "genai_postings", "genai_share"):
        for key, (window, dimension) in windows.items():
            if measure != "ai_postings" and key == "month":
                continue
            change = ev.ai_change(window)
            where = {"measure": label(measure), "window": window_words(window)}
            reading = declared(QUESTION, "growth_reached", change.at[measure, "change_pct"], threshold=RULES["nearly"] * figure,
                               sources=change.at[measure, "source_ids"].split(), figure=f"{figure:g}", extra=where, **where)
            readings.append(Reading(reading, dimension if measure == "ai_postings" else "definition", comparable=False))
    return claim.with_readings(readings, claim_window=ev.ai_change(claim.window), article_month=ev.ai_change(month))


def ai_demand_hotspots(claim: Claim) -> Claim:
    """Each named city's Indeed postings (all postings: Indeed publishes no AI postings by city) against the UK's over
    the claimant's window, then over the article's month."""
    month = ev.month_window(claim.published)
    readings = []
    for window, dimension in ((claim.window, BASELINE), (month, "window")):
        table = ev.city_change(window, claim.places)
        for city in claim.places:
            where = {"city": city, "window": window_words(window)}
            reading = declared(QUESTION, "city_held_up", table.at[city, "gap_to_uk_pp"], sources=table.attrs["source_ids"],
                               extra=where, **where)
            readings.append(Reading(reading, dimension, comparable=False))
    return claim.with_readings(readings, cities=ev.city_change(claim.window, claim.places))


# ---------------------------------------------------------------- the West Midlands (the claimant's own area)


def area_of(claim: Claim) -> str:
    """The area a claim is judged on: claims.csv ``geography`` (the West Midlands Combined Authority's claims: its
    metropolitan county, the ITL2 area TLG3)."""
    return claim.geography.split("|")[0]


def wm_fastest_growing_tech(claim: Claim) -> Claim:
    """The area's rank of ICT growth among the areas at its level outside London, on the release public at the
    claim's date (current prices, recent window), then one alternative per measure (``evidence.growth_ranks``)."""
    area, then = area_of(claim), release_at(claim.published)
    ranks = ev.growth_ranks(area, then["release"])
    level = regions.geography_level(area)
    readings = []
    for measure, row in ranks.iterrows():
        threshold = math.floor(row["of"] * RULES["fastest_share"]) + 0.5
        where = {"measure": label(measure), "start": row["first"], "end": row["last"]}
        reading = declared(QUESTION, "fastest_quarter", row["rank"], threshold=threshold, sources=row["sources"],
                           area=f"{regions.region_name(area)} ({area})", n=row["of"], level=level, extra=where, **where)
        readings.append(Reading(reading, RANK_DIMENSIONS.get(measure, BASELINE)))
    wider = ev.growth_ranks(regions.parent_itl1(area), then["release"])
    return claim.with_readings(readings, ranks=ranks.to_dict("index"), wider=wider.to_dict("index"), area=area, then=then)


def wm_tech_144k_employees(claim: Claim) -> Claim:
    """BRES employment in the area (employers classified in tech industries, without the self-employed: a different
    measure from a headcount of 'tech-based companies') in the last year on or before the claimant's count."""
    area, figure = area_of(claim), claim.figures["employees"]
    jobs = ev.tech_employment(area)
    year = int(claim.window[0][:4])
    upto = jobs.loc[:year]

    def read(definition, value, period, dimension):
        where = {"definition": label(definition), "period": period}
        return Reading(declared(QUESTION, "count_reached", value, threshold=RULES["nearly"] * figure,
                                sources=jobs.attrs["sources"][definition], area=f"{regions.region_name(area)} ({area})",
                                figure=f"{figure:,.0f}", extra=where, **where), dimension, comparable=False)

    last = {c: int(upto[c].last_valid_index()) for c in upto}
    three = upto["digital"].dropna().iloc[-3:]
    readings = [read("digital", upto.at[last["digital"], "digital"], last["digital"], BASELINE),
                read("ict", upto.at[last["ict"], "ict"], last["ict"], "definition"),
                read("digital", three.mean(), f"{three.index[0]}-{three.index[-1]} average", "window"),
                read("ft_employees_j", upto.at[last["ft_employees_j"], "ft_employees_j"], last["ft_employees_j"], "definition")]
    wider = ev.tech_employment(regions.parent_itl1(area))
    return claim.with_readings(readings, jobs=jobs, wider=wider.loc[last["digital"]], year=last["digital"], area=area,
                               provisional=jobs.attrs["provisional"])


# ---------------------------------------------------------------- context for claims no open series measures


def wm_140_ai_companies(claim: Claim) -> Claim:
    """Not checkable (no open data count AI firms' staff or output): the area's ICT employment and ICT GVA bound the
    figures only under one reading (AI jobs and output inside its tech sector), shown as context."""
    area, then = area_of(claim), release_at(claim.published)
    jobs = ev.tech_employment(area)
    gva = indicators.gva("J", regions.geography_level(area), then["release"])[area]
    orgs = load("ai_organisations")
    level = regions.geography_level(area).lower()
    here = orgs[orgs[f"{level}_code"] == area]
    return claim.with_readings((), ict_jobs=jobs["ict"].dropna(), gva=gva, gva_sources=gva.attrs["source_ids"],
                               organisations=len(here), companies=int(here.is_company.sum()), area=area, then=then)


CONTEXT_TOTALS = {"london_outpacing_ai": ("venture_capital", "innovate_uk_funding", "tech_firms_founded"),
                  "ai_postings_80pct_london": ("ai_organisations",), "tech_vacancies_65pct_london": ("ict_employment",)}


def london_context(claim: Claim) -> Claim:
    """Not checkable (no open regional series of AI postings, tech vacancies or AI investment to the claim's date):
    London's share of the nearest open totals, as context."""
    return claim.with_readings((), shares=[ev.london_share(t) for t in CONTEXT_TOTALS[claim.id]])


BUILDERS = {"ict_outgrowing_finance": ict_outgrowing_finance, "ict_momentum_outside_london": ict_momentum_outside_london,
            "ai_demand_up_200pct": ai_demand_up_200pct, "ai_demand_hotspots": ai_demand_hotspots,
            "wm_fastest_growing_tech": wm_fastest_growing_tech, "wm_tech_144k_employees": wm_tech_144k_employees,
            "wm_140_ai_companies": wm_140_ai_companies, **{c: london_context for c in CONTEXT_TOTALS}}


def read(claim: Claim) -> Claim:
    """The claim with its readings (none, for a claim no open data measure), and the release it is judged with."""
    build = BUILDERS.get(claim.id)
    claim = build(claim) if build else claim
    return claim.with_readings(claim.readings, dated=claim.published != UNDATED)
