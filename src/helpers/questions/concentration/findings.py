"""Question 2's findings in the concentration report: is tech and AI activity concentrated in London and the Greater
South East, and is that concentration rising?

``evidence`` gathers the tables the findings and the report use; ``findings`` states the findings with their checks
(``findings.yml`` declares them; the verdict rule is ``helpers.findings.model``); ``metrics`` gives the headline
figures and the wording file (``wording.md.j2``) the sentences.

Trend findings: the estimate is Sen's slope with its 95% confidence interval from the modified Mann-Kendall variance
(``trends.sen_interval``); each check recomputes it under one alternative (the relative measure, the other GVA
release, the window ending before COVID, the OLS estimator with Newey-West errors and its interval, the sample without
the newest or partial year, the start year, ITL3 areas), one per dimension. ``ict_lq_trend`` is the recent trend of
London's ICT location quotient that question 4 also judges its "momentum outside London" claim by (same evidence).
Level findings (London's ICT-jobs LQ above 1, London's share of AI organisations above its population share, AI
research less London-centred than AI firms) have their natural thresholds and the range over their checks.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.memo import memoized
from helpers.findings import wording
from helpers.findings.model import ALPHA, PRE_COVID_END, Check, Finding, declarations, declared, summarise
from helpers.findings.numbers import fmt, release_name
from helpers.questions.concentration import data_quality, tables
from helpers.stats import trends

QUESTION = "concentration"
NA = math.nan
RECENT_YEARS = trends.MIN_TREND_POINTS  # "the last ten years": the fewest annual points a trend test takes
RECENT_SHARE_YEARS = 5  # London's share of AI research is pooled over the series' last five years
START_YEAR_SPAN = 2  # the start-year check: start years up to two either side of the one chosen


def check(key: str, estimate: float, lower: float = NA, upper: float = NA, **fields) -> Check:
    """The check ``key`` of ``findings.yml`` (its name filled with ``fields``) with its estimate and interval."""
    spec = declarations(QUESTION)["checks"][key]
    return Check(spec["name"].format(**fields), spec["dimension"], float(estimate), lower, upper)


def _years(values: pd.Series) -> dict:
    values = values.dropna()
    return {"first": int(values.index.min()), "last": int(values.index.max())}


def sen_check(key: str, values: pd.Series, **fields) -> Check:
    """A check whose estimate is Sen's slope of ``values`` with its 95% interval (none below 10 points)."""
    sen = trends.sen_interval(values.dropna(), ALPHA)
    return check(key, sen["slope"], sen["lower"], sen["upper"], **{**_years(values), **fields})


def relative_check(over: pd.DataFrame) -> Check:
    """The relative-measure check of a share trend, in the share's unit: Sen's slope of London's location quotient
    times London's share of the benchmark in the last year (points of share a year beyond the whole-economy effect)."""
    over = over.dropna(subset=["london_lq"])
    weight = over["london_benchmark_share_pct"].iloc[-1]
    return sen_check("relative_lq", over["london_lq"] * weight, share=fmt(weight, "pct", 1))


def ols_check(values: pd.Series) -> Check:
    """The estimator check: the OLS slope with its 95% interval from Newey-West (HAC) standard errors."""
    from scipy.stats import norm

    ols = trends.ols_trend_hac(values.dropna(), alpha=ALPHA)
    half = norm.ppf(1 - ALPHA / 2) * ols["se"]
    return check("ols", ols["slope"], ols["slope"] - half, ols["slope"] + half)


def start_year_check(values: pd.Series, first: int, last: int, direction: int) -> Check:
    """The least favourable Sen's slope over the start years within ``START_YEAR_SPAN`` of ``first`` (to ``last``)."""
    spec = declarations(QUESTION)["checks"]["start_year"]
    others = {f"{y}-{last}": trends.sens_slope(values.loc[y:last]) for y in
              range(first - START_YEAR_SPAN, first + START_YEAR_SPAN + 1) if y != first and y in values.index}
    return summarise(spec["name"].format(first=first, last=last), spec["dimension"], others, direction)


def trend_finding(finding_id: str, values: pd.Series, checks, sources, **fields) -> Finding:
    """A trend finding: Sen's slope of ``values`` with its 95% confidence interval (the range over its checks when the
    series is too short for one), its p-value and ``checks`` (None entries: checks that do not apply)."""
    values = values.dropna()
    sen = trends.sen_interval(values, ALPHA)
    interval = (sen["lower"], sen["upper"]) if math.isfinite(sen["lower"]) else None
    return declared(QUESTION, finding_id, sen["slope"], checks=[c for c in checks if c is not None], sources=sources,
                    interval=interval, p=sen["p"], extra=_years(values), **{**_years(values), **fields})


def ict_lq_trend(first_year: int | None = None, last_year: int | None = None, release: str | None = None) -> Finding:
    """"London's ICT location quotient rose over the last ten years": Sen's slope of London's LQ in ICT GVA (current
    prices) over ``first_year``-``last_year`` (default: the last ``RECENT_YEARS`` years of ``release``, default the
    newest), with its checks: the other release over a window as long ending at its last year (or ``last_year``), the
    same length of window ending the year before the release's newest year (a first estimate), OLS with Newey-West
    errors, other start years and the window ending before COVID."""
    latest, previous = indicators.latest_release(), indicators.previous_release()
    release = release or latest
    table = indicators.london_share_and_lq("J", release)
    lq = table["lq"]
    last = int(last_year or lq.index.max())
    first = int(first_year or last - RECENT_YEARS + 1)
    if not (lq.index.min() <= first < last <= lq.index.max()):
        raise ValueError(f"London's ICT location quotient in the {release_name(release)} covers "
                         f"{lq.index.min()}-{lq.index.max()}, not {first}-{last}. Fix: choose years in that range.")
    other_release = previous if release != previous else latest
    other = indicators.london_share_and_lq("J", other_release)
    other_last, span = min(last, int(other.index.max())), last - first
    newest = last == int(lq.index.max()) and first > lq.index.min()
    checks = [sen_check("release", other["lq"].loc[other_last - span:other_last], release=release_name(other_release)),
              sen_check("first_estimate", lq.loc[first - 1:last - 1]) if newest else None,
              ols_check(lq.loc[first:last]), start_year_check(lq, first, last, 1),
              sen_check("pre_covid", lq.loc[first:PRE_COVID_END]) if first < PRE_COVID_END < last else None]
    return trend_finding("london_ict_lq_recent_trend", lq.loc[first:last], checks,
                         [*table.attrs["source_ids"], *other.attrs["source_ids"]], years=span + 1,
                         release=release_name(release))


def _gva_trend(finding_id: str, industry: str, total_id: str, column: str, ev: dict) -> Finding:
    """A whole-series trend of London's share or LQ (``column`` of ``london_share_and_lq``) or of the Theil index of
    an industry's GVA, with its checks."""
    latest = ev["over_time"][total_id]
    measure = {"share_pct": "london_share_pct", "lq": "london_lq", "theil": "theil"}[column]
    values = latest[measure]
    old = indicators.london_share_and_lq(industry, ev["releases"]["previous"])
    checks = [relative_check(latest) if column == "share_pct" else None,
              sen_check("release", old[column], release=release_name(ev["releases"]["previous"])),
              sen_check("pre_covid", values.loc[:PRE_COVID_END]), ols_check(values),
              sen_check("first_estimate", values.iloc[:-1])]
    if column == "theil":
        itl3 = tables.concentration_over_time(total_id, "ITL3")
        checks.append(sen_check("itl3", itl3["theil"], areas=int(itl3["regions"].max())))
    sources = [*latest.attrs["source_ids"], *old.attrs["source_ids"]]
    return trend_finding(finding_id, values, checks, sources)


def ai_org_shares(areas=(regions.LONDON,)) -> dict[str, float]:
    """The share (%) of the UK's AI organisations (WAIfinder) located in ``areas`` (ITL1 codes): all organisations by
    their coordinates, companies only, and all by the region of their place name."""
    orgs = load("ai_organisations")

    def share(rows: pd.DataFrame, column: str = "itl1_code") -> float:
        rows = rows[rows[column] != ""]
        return float(rows[column].isin(areas).mean() * 100)

    return {"all": share(orgs), "companies": share(orgs[orgs["is_company"]]), "place": share(orgs, "place_itl1_code")}


def _jobs_lq(ev: dict) -> Finding:
    lq = ev["over_time"]["ict_employment"]["london_lq"]
    total = indicators.get_total("ict_employment")
    final = lq.drop(list(total.provisional_years), errors="ignore")
    recent = lq.iloc[-3:]
    windows = {f"first year {lq.index.min()}": lq.iloc[0],
               f"mean of {recent.index.min()}-{recent.index.max()}": recent.mean()}
    spec = declarations(QUESTION)["checks"]["windows"]
    checks = [check("provisional", final.iloc[-1], last=int(final.index.max())),
              summarise(spec["name"], spec["dimension"], windows, threshold=1.0),
              check("jobs_flags", tables.jobs_lq_without_flags().iloc[-1]),
              check("software", ev["over_time"]["software_employment"]["london_lq"].iloc[-1])]
    return declared(QUESTION, "london_ict_jobs_lq_above_one", lq.iloc[-1], checks=checks,
                    sources=[*total.source_ids], last=int(lq.index.max()))


def _ai_orgs(ev: dict) -> Finding:
    row, shares = ev["summary"].loc["ai_organisations"], ev["ai_orgs"]
    population = row["london_benchmark_share_last"]
    checks = [check("companies", shares["companies"] - population), check("place", shares["place"] - population)]
    return declared(QUESTION, "london_ai_orgs_above_population", shares["all"] - population, checks=checks,
                    sources=indicators.get_total("ai_organisations").source_ids)


def _preprints_trend(ev: dict) -> Finding:
    over, by_year = ev["over_time"]["ai_preprints"], ev["preprints"]
    values = over["london_share_pct"]
    first, last = _years(values)["first"], _years(values)["last"]
    partial = [y for y in by_year.index if by_year.loc[y, "partial"]]
    recent = values.iloc[-RECENT_SHARE_YEARS:]
    checks = [sen_check("partial", by_year["london_share_pct"], year=", ".join(map(str, partial))) if partial else None,
              ols_check(values), relative_check(over), sen_check("gse", over["gse_share_pct"]),
              start_year_check(values, first, last, 1), sen_check("recent", recent, years=len(recent))]
    return trend_finding("london_ai_preprints_share_trend", values, checks, over.attrs["source_ids"])


def _research_vs_firms(ev: dict) -> Finding:
    by_year, years = ev["preprints"], ev["preprint_years"]
    orgs, gse_orgs = ev["ai_orgs"], ai_org_shares(regions.GREATER_SOUTH_EAST)
    pooled = tables.pooled_shares("ai_preprints", years)
    complete = [y for y in years if not by_year.loc[y, "partial"]]
    spec = declarations(QUESTION)["checks"]["windows"]
    each = {str(y): by_year.loc[y, "london_share_pct"] - orgs["all"] for y in years}
    checks = [check("complete_years", tables.pooled_shares("ai_preprints", complete)["london_share_pct"] - orgs["all"],
                    first=min(complete), last=max(complete)),
              summarise(spec["name"], spec["dimension"], each, -1),
              check("companies", pooled["london_share_pct"] - orgs["companies"]),
              check("gse", pooled["gse_share_pct"] - gse_orgs["all"])]
    sources = [*by_year.attrs["source_ids"], *indicators.get_total("ai_organisations").source_ids]
    return declared(QUESTION, "london_ai_research_below_ai_firms", pooled["london_share_pct"] - orgs["all"],
                    checks=checks, sources=sources, first=min(years), last=max(years))


@memoized
def evidence(recent_start: int | None = None) -> dict:
    """Every table the findings and the report use (each carries its source ids): the summary of every indicator,
    the concentration tables over time, the two GVA releases and their revisions, the recent trend of London's ICT LQ
    from ``recent_start`` (default: the last ten years) and the AI-preprint shares by year."""
    over_time = {t: tables.concentration_over_time(t) for t in indicators.TOTALS}
    preprints = tables.shares_by_year("ai_preprints")
    revisions = data_quality.revisions("J")
    return {"summary": tables.summary(), "over_time": over_time, "revisions": revisions,
            "revision": data_quality.revision_against_trend(revisions),
            "releases": {"latest": indicators.latest_release(), "previous": indicators.previous_release()},
            "recent": ict_lq_trend(recent_start), "preprints": preprints,
            "preprint_years": [int(y) for y in preprints.index[-RECENT_SHARE_YEARS:]], "ai_orgs": ai_org_shares()}


def findings(ev: dict) -> list[Finding]:
    """The report's findings, in the order of its "What holds up" table."""
    over = ev["over_time"]["venture_capital"]
    vc = trend_finding("london_vc_share_trend", over["london_share_pct"],
                       [relative_check(over), ols_check(over["london_share_pct"])],
                       over.attrs["source_ids"])
    return [_gva_trend("london_ict_share_trend", "J", "ict_gva", "share_pct", ev),
            _gva_trend("london_ict_lq_trend", "J", "ict_gva", "lq", ev), ev["recent"],
            _gva_trend("ict_theil_trend", "J", "ict_gva", "theil", ev),
            _gva_trend("london_finance_share_trend", "K", "finance_gva", "share_pct", ev), vc,
            _jobs_lq(ev), _ai_orgs(ev), _preprints_trend(ev), _research_vs_firms(ev)]


def words(macro: str, **fields) -> str:
    """A passage of this question's wording (Markdown)."""
    return wording.render(QUESTION, macro, **fields)


def line(macro: str, **fields) -> str:
    """One line of this question's wording (chart titles, captions, labels)."""
    return wording.line(QUESTION, macro, **fields)

