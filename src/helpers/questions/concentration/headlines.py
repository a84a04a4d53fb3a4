"""Question 2's headline figures in the concentration report (``reports/metrics.csv``) and the figures its Main points
quote, each computed once from ``findings.evidence`` and named for the wording file."""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.findings import wording
from helpers.findings.model import Finding, Metric
from helpers.findings.numbers import release_name
from helpers.questions.concentration import data_quality, tables
from helpers.questions.concentration.findings import QUESTION, RECENT_YEARS, ai_org_shares

TESTED = ("rising", "falling", "no clear trend")


def estimator_disagreements(summary_table: pd.DataFrame) -> list[dict]:
    """The tested series and measures (London's share, LQ, Theil) on which the modified Mann-Kendall verdict and the
    OLS/Newey-West verdict differ: indicator, id, measure, mk_trend, mk_p, ols_trend, ols_p."""
    rows = []
    for total_id, row in summary_table.iterrows():
        for measure in tables.MEASURES:
            mk, ols = row[f"{measure}_trend"], row[f"{measure}_ols_trend"]
            if mk in TESTED and mk != ols:
                rows.append({"indicator": row["indicator"], "id": total_id, "measure": measure, "mk_trend": mk,
                             "mk_p": row[f"{measure}_p"], "ols_trend": ols, "ols_p": row[f"{measure}_ols_p"]})
    return rows


def start_years(ev: dict) -> pd.DataFrame:
    """Sen's slope of London's ICT LQ to the recent trend's last year from every start year (windows of five years
    or more): the effect of the start year the report picks."""
    lq = indicators.london_share_and_lq("J", ev["releases"]["latest"])["lq"]
    return tables.start_year_effects(lq, ev["recent"].extra["last"])


def figures(ev: dict) -> dict:
    """The figures the wording quotes, by name."""
    s = ev["summary"]
    lq = ev["over_time"]["ict_gva"]["london_lq"]
    bres = data_quality.jumps(["ict_employment"], level="ITL1")
    jobs = ev["over_time"]["ict_employment"]["london_lq"]
    return {"effect": tables.whole_economy_effect(s), "like": tables.like_for_like(s), "revision": ev["revision"],
            "lq_min": lq.min(), "lq_min_year": int(lq.idxmin()), "rows": s.to_dict("index"),
            "disagree": estimator_disagreements(s),
            "jumps": {"flags": len(bres), "areas": list(pd.unique(bres["region"])),
                      "reversals": int(bres["reversal"].sum()), "threshold": data_quality.JUMP_THRESHOLD_PCT},
            "jobs_without_flags": tables.jobs_lq_without_flags().iloc[-1], "jobs_recent": jobs.iloc[-3:],
            "innovate_flags": data_quality.level_flags("innovate_uk_funding").to_dict("records"),
            "innovate_partial": indicators.get_total("innovate_uk_funding").partial_years,
            "berd": tables.berd_comparison(), "preprints": ev["preprints"], "preprint_years": ev["preprint_years"],
            "preprint_pooled": tables.pooled_shares("ai_preprints", ev["preprint_years"]),
            "ai_orgs": ev["ai_orgs"], "gse_orgs": ai_org_shares(regions.GREATER_SOUTH_EAST),
            "releases": {k: release_name(v) for k, v in ev["releases"].items()}, "recent_years": RECENT_YEARS,
            "start_years": start_years(ev)}


def main_points(ev: dict, found: list[Finding]) -> str:
    """The report's Main points (Markdown)."""
    return wording.render(QUESTION, "main_points", ev=ev, f={f.id: f for f in found}, n=figures(ev))


def metrics(ev: dict, map_indicator: str) -> list[Metric]:
    """The report's headline figures: for every indicator London's and the Greater South East's share and London's
    LQ at both ends (and the slopes of the tested series); the ICT GVA revision between releases, the whole-economy
    effect and the recent trend of London's ICT LQ with its interval; London's and the Greater South East's share of
    AI-preprint participations pooled over the last five years and London's by year; the LQ of the map's indicator.
    Descriptions are the wording file's ``metric`` macro."""
    s, out = ev["summary"], []

    def add(metric_id, value, unit, what, sources, **fields):
        out.append(Metric(metric_id, value, unit, wording.line(QUESTION, "metric", what=what, **fields), tuple(sources)))

    for t in indicators.TOTALS.values():
        row = s.loc[t.id]
        add(f"london_share_{t.id}", row["london_share_last"], "% of total", "share", t.source_ids, t=t, row=row)
        add(f"gse_share_{t.id}", row["gse_share_last"], "% of total", "gse_share", t.source_ids, t=t, row=row)
        for end in ("first", "last") if row["first_year"] != row["last_year"] else ("last",):
            add(f"london_lq_{t.id}_{end}", row[f"london_lq_{end}"], "location quotient", "lq", t.source_ids, t=t,
                year=row[f"{end}_year"])
        for name, unit in (("london_share", "percentage points a year"), ("london_lq", "LQ a year"),
                           ("theil", "Theil index a year")):
            slope = row[f"{name}_slope_pp" if name == "london_share" else f"{name}_slope"]
            if pd.notna(slope):
                add(f"{name}_trend_{t.id}", slope, unit, "slope", t.source_ids, t=t, measure=name, row=row)
    _gva(ev, add)
    _recent(ev, add)
    _preprints(ev, add)
    total, lq = indicators.get_total(map_indicator), tables.location_quotients(map_indicator)
    add(f"lq_{map_indicator}_london", lq[regions.LONDON], "location quotient", "map_lq", total.source_ids, t=total,
        period=tables.lq_period(map_indicator))
    return out


def _gva(ev: dict, add) -> None:
    """ICT GVA: the years of the series, the revision between the releases, the whole-economy effect."""
    s, r, ict = ev["summary"], ev["revision"], indicators.get_total("ict_gva")
    both = ev["revisions"].attrs["source_ids"]
    names = {k: release_name(v) for k, v in ev["releases"].items()}
    for end in ("first", "last"):
        add(f"{end}_year_ict_gva", s.loc["ict_gva", f"{end}_year"], "year", f"{end}_year", ict.source_ids, t=ict)
    for which in ("previous", "latest"):
        add(f"london_share_ict_gva_{which}_release", r[f"share_{which}"], "% of total", "release_share", both,
            year=r["last_common_year"], release=names[which])
    add("london_share_ict_gva_revision", r["share_revision"], "percentage points", "revision", both, r=r, n=names)
    add("london_share_ict_gva_revision_years_of_trend", r["share_years_of_trend"], "years", "revision_years", both, r=r)
    add("london_share_ict_gva_max_revision_settled", r["share_settled_max_abs_revision"], "percentage points",
        "settled_revision", both, r=r, n=names)
    add("london_share_ict_gva_change_newest_year", r["share_latest_change"], "percentage points", "newest_change",
        ict.source_ids, r=r, n=names)
    like, w = tables.like_for_like(s), tables.whole_economy_effect(s)
    add("london_ict_gva_share_per_population_share", like["ict_per_population"], "ratio", "per_population",
        sorted({*ict.source_ids, indicators.POPULATION_SOURCE}), year=like["ict_year"])
    add("london_share_ict_gva_change", w["share_change_pp"], "percentage points", "share_change", ict.source_ids, w=w,
        n=names)
    add("london_share_total_gva_change", w["benchmark_change_pp"], "percentage points", "benchmark_change",
        ict.source_ids, w=w, n=names)
    add("london_population_share", like["population_share"], "% of total", "population",  # the year population has
        [indicators.POPULATION_SOURCE], year=like["ict_year"])
    lq = ev["over_time"]["ict_gva"]["london_lq"]
    add("london_lq_ict_gva_min", lq.min(), "location quotient", "lq_min", ict.source_ids, w=w)
    add("london_lq_ict_gva_min_year", int(lq.idxmin()), "year", "lq_min_year", ict.source_ids, w=w)
    add("london_lq_trend_p_ict_gva", s.loc["ict_gva", "london_lq_p"], "p-value", "lq_p", ict.source_ids, w=w)


def _recent(ev: dict, add) -> None:
    """The recent trend of London's ICT LQ: Sen's slope with its 95% interval, its years and the LQ at both ends."""
    f = ev["recent"]
    table = indicators.london_share_and_lq("J", ev["releases"]["latest"])
    first, last = int(f.extra["first"]), int(f.extra["last"])
    sources = f.sources
    for key, value, unit in (("slope", f.estimate, "LQ a year"), ("lower", f.lower, "LQ a year"),
                             ("upper", f.upper, "LQ a year"), ("first_year", first, "year"), ("last_year", last, "year"),
                             ("lq_first", table.loc[first, "lq"], "location quotient"),
                             ("lq_last", table.loc[last, "lq"], "location quotient")):
        add(f"london_ict_lq_recent_{key}", value, unit, "recent", sources, key=key, first=first, last=last, f=f)


def _preprints(ev: dict, add) -> None:
    """AI-preprint participations: London's and the Greater South East's share pooled over the last five years of the
    series (the partial year included, and named) and London's share in every year."""
    years, by_year = ev["preprint_years"], ev["preprints"]
    pooled, sources = tables.pooled_shares("ai_preprints", years), by_year.attrs["source_ids"]
    partial = [y for y in by_year.index if by_year.loc[y, "partial"]]
    for area, key in (("london", "london_share_pct"), ("gse", "gse_share_pct")):
        add(f"{area}_share_ai_preprints_recent", pooled[key], "% of total", "preprints_pooled", sources, area=area,
            first=min(years), last=max(years), partial=partial)
    for year, row in by_year.iterrows():
        add(f"london_share_ai_preprints_{year}", row["london_share_pct"], "% of total", "preprints_year", sources,
            year=year, partial=bool(row["partial"]))


def share_chart_title(summary_table: pd.DataFrame, totals: list) -> str:
    """Title of the chart of London's share over time: for how many testable series the share rose, for which the LQ
    rose (modified Mann-Kendall), and which series have no usable trend (``Total.trend_caveat``)."""
    tested = [t for t in totals if summary_table.loc[t.id, "london_share_trend"] in TESTED]
    rising = [t for t in tested if summary_table.loc[t.id, "london_share_trend"] == TESTED[0]]
    lqs = [t.label for t in tested if summary_table.loc[t.id, "london_lq_trend"] == TESTED[0]]
    return wording.line(QUESTION, "share_chart_title", rising=len(rising), tested=len(tested), lqs=lqs,
                        caveat=[t.label for t in totals if t.trend_caveat])
