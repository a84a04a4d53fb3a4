"""Question 4: do the claims in the articles and the policy paper hold against open data? Every claim of
``data/reference/claims.csv`` is read (``readings``) and judged on its own scale by one rule (``model``); this module
gives the claims (``run``), the reader's claims table and its readings (``table``, ``readings_table``), the
headline figures (``metrics``), the Main points and the places the policy paper names (AI Growth Zones, public
compute sites). The words are in ``wording.md.j2``.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data.datasets import load
from helpers.data.indicators import with_sources
from helpers.data.memo import memoized
from helpers.findings import wording
from helpers.findings.model import Metric
from helpers.questions.claims import readings
from helpers.questions.claims.model import (  # noqa: F401  (the notebook and the profiles read them from here)
    CONTRADICTED,
    NOT_CHECKABLE,
    NOT_REPRODUCED,
    PARTLY,
    SCALE,
    SUPPORTED,
    Claim,
    claims_table,
    counted,
    date_words,
    days,
    unjudged,
    window_words,
)

QUESTION = "claims"
SCALE_IDS = {SUPPORTED: "supported", PARTLY: "partly_supported", CONTRADICTED: "contradicted",
             NOT_REPRODUCED: "not_reproduced", NOT_CHECKABLE: "not_checkable"}


@memoized
def run(claim_ids: tuple[str, ...] | None = None) -> dict[str, Claim]:
    """Every claim (or those in ``claim_ids``), in claims.csv order, with its readings."""
    claims = unjudged()
    unknown = sorted(set(claim_ids or ()) - set(claims))
    if unknown:
        raise KeyError(f"unknown claim ids {unknown}; the claims are the rows of data/reference/claims.csv: "
                       f"{', '.join(claims)}")
    return {cid: readings.read(c) for cid, c in claims.items() if claim_ids is None or cid in claim_ids}


def claims_naming(itl1: str) -> tuple[str, ...]:
    """The ids of the claims that name the ITL1 region ``itl1`` (claims.csv ``regions``)."""
    return tuple(c.id for c in unjudged().values() if itl1 in c.regions.split("|"))


def words(macro: str, **fields) -> str:
    """A passage of this question's wording (Markdown)."""
    return wording.render(QUESTION, macro, **fields)


def line(macro: str, **fields) -> str:
    """One line of this question's wording (titles, captions, table cells)."""
    return wording.line(QUESTION, macro, **fields)


def reading_text(reading) -> str:
    """A reading in words: its statement, estimate with unit and interval, and its verdict."""
    return line("reading", r=reading)


def table(claims: dict[str, Claim]) -> pd.DataFrame:
    """One row per claim for readers: verdict, claim and claimant, when and where it was published, what the
    claimant measured, what it is judged on, the evidence (baseline readings, context) and the alternatives;
    ``attrs["row_ids"]`` anchors each row (``claim-<id>``)."""
    rows = [{"Verdict": c.verdict, "Claim": line("claim_cell", c=c), "Published": line("published_cell", c=c),
             "What the claimant measured": line("measured_cell", c=c), "Judged on": line("judged_cell", c=c),
             "Evidence": line("evidence_cell", c=c), "Alternatives": line("alternatives_cell", c=c)}
            for c in claims.values()]
    out = pd.DataFrame(rows)
    out.attrs["row_ids"] = [f"claim-{c.id}" for c in claims.values()]
    out = with_sources(out, [s for c in claims.values() for s in c.sources])
    out.attrs["links"] = {"Published": [first_address(c.address) for c in claims.values()]}
    return out


def first_address(address) -> str | None:
    """The article's address (the first of several, ``" ; "``-separated), None when it has none."""
    text = address if isinstance(address, str) else ""
    return next((a.strip() for a in text.split(";") if a.strip()), None)


def sources_table() -> pd.DataFrame:
    """Every claim with its quote, the article it comes from (publisher and date, linked to its address) and the
    claimant's measurement; the rows of claims.csv, without the project's own file names."""
    claims = unjudged()
    out = pd.DataFrame([{"Claim": c.claim, "Quote": c.quote, "Article": line("article_cell", c=c),
                         "Measurement": c.measurement} for c in claims.values()])
    out.attrs["links"] = {"Article": [first_address(c.address) for c in claims.values()]}
    return out


def readings_table(claims: dict[str, Claim]) -> pd.DataFrame:
    """Long form: one row per reading of every claim, with its dimension, measure (comparable or different),
    estimate, interval and verdict by the one rule."""
    rows = [{"Claim": c.claim, "Reading": r.finding.statement, "Dimension": r.dimension,
             "Measure": line("comparability", r=r), "Estimate": line("estimate", f=r.finding),
             "Verdict of the reading": r.verdict}
            for c in claims.values() for r in c.readings]
    return with_sources(pd.DataFrame(rows), [s for c in claims.values() for s in c.sources])


def verdict_counts(claims: dict[str, Claim]) -> pd.Series:
    """Number of claims on each level of the scale, in its order (the data of the verdicts chart)."""
    return with_sources(pd.Series(counted(claims), name="claims").rename_axis("verdict"),
                        [s for c in claims.values() for s in c.sources])


def main_points(claims: dict[str, Claim]) -> str:
    """The report's Main points (Markdown)."""
    return words("main_points", c=claims, n=counted(claims))


def metrics(claims: dict[str, Claim]) -> list[Metric]:
    """The headline figures (``reports/metrics.csv``): the claims on each level of the scale and the key numbers of
    the checkable claims' readings (``figures_of``)."""
    out = [Metric(f"claims_{SCALE_IDS[level]}", n, "claims", line("metric", what="count", level=level))
           for level, n in counted(claims).items()]
    for c in claims.values():
        out += [Metric(metric_id, value, unit, line("metric", what=what, c=c, **fields), tuple(sources))
                for metric_id, what, value, unit, sources, fields in figures_of(c)]
    return out


def figures_of(c: Claim) -> list[tuple]:
    """A claim's headline figures: (metric id, what it is (the ``metric`` macro's case), value, unit, sources,
    the fields its description quotes). Ids name the window by its role (the claimant's window, the article's month),
    so that the landing page can quote them; descriptions name the dates."""
    context = c.context
    if c.id == "ai_demand_up_200pct":
        return [(f"uk_{m}_change_{key}", "indeed", t.at[m, "change_pct"], "% on a year earlier",
                 t.at[m, "source_ids"].split(), {"measure": readings.label(m), "window": window_words(t.attrs["window"])})
                for key in ("claim_window", "article_month") for t in [context[key]] for m in t.index]
    if c.id == "ai_demand_hotspots":
        t = context["cities"]
        return [(f"{city.lower()}_postings_gap_to_uk_claim_window", "city", t.at[city, "gap_to_uk_pp"],
                 "percentage points", t.attrs["source_ids"], {"city": city, "window": window_words(c.window)})
                for city in c.places]
    if c.id in ("ict_outgrowing_finance", "ict_momentum_outside_london", "wm_fastest_growing_tech"):
        f = c.baseline[0].finding
        return [(f"{c.id}_baseline", "baseline", f.estimate, f.unit, f.sources, {"f": f})]
    if c.id == "wm_tech_144k_employees":
        jobs, year, area = context["jobs"], context["year"], context["area"]
        wider = regions.parent_itl1(area)
        return [(f"{code}_{d}_employment_{year}", "employment", value, "persons", jobs.attrs["sources"][d],
                 {"definition": readings.label(d), "area": code, "year": year})
                for code, d, value in ((area, "digital", jobs.at[year, "digital"]), (area, "ict", jobs.at[year, "ict"]),
                                       (wider, "digital", context["wider"]["digital"]))]
    return []


def growth_zones() -> pd.DataFrame:
    """The 5 AI Growth Zones with their ITL1 region, announced figures (announcements, not outcomes) and source."""
    zones = load("ai_growth_zones")
    zones.insert(2, "region", zones["itl1_code"].map(regions.region_name))
    return zones


def compute_sites() -> pd.DataFrame:
    """The public compute sites the policy paper names, with their ITL3 area, ITL1 region and source (the
    government's funding in pounds, missing where the paper states none)."""
    sites = load("public_compute_sites")
    sites.insert(3, "region", sites["itl1_code"].map(regions.region_name))
    sites["government_funding_gbp"] = pd.to_numeric(sites["government_funding_gbp"].replace("", None), errors="coerce")
    return sites


def zones_table(zones: pd.DataFrame) -> pd.DataFrame:
    """The AI Growth Zones for readers: region, status, targeted funding and the source, linked to its address."""
    out = zones.set_index("zone")[["region", "status", "targeted_funding_gbp", "source"]]
    out.attrs["links"] = {"source": [first_address(a) for a in zones["address"]]}
    return out


def sites_table(sites: pd.DataFrame) -> pd.DataFrame:
    """The public compute sites for readers: place, region, what, status, funding and the document naming each,
    linked to its address."""
    out = sites.set_index("site")[["place", "region", "what", "status", "government_funding_gbp", "document"]]
    out.attrs["links"] = {"document": [first_address(a) for a in sites["address"]]}
    return out


def places_by_region() -> pd.DataFrame:
    """ITL1 region x (AI Growth Zones, public compute sites): counts, every region listed."""
    zones, sites = growth_zones(), compute_sites()
    out = pd.DataFrame({"ai_growth_zones": zones.groupby("itl1_code").size(),
                        "public_compute_sites": sites.groupby("itl1_code").size()})
    return out.reindex(regions.codes("ITL1"), fill_value=0).fillna(0).astype(int).rename_axis("region_code")


def ai_chart_title(c: Claim) -> str:
    """The Indeed chart's title: the claim's window and the range of Indeed's measures over it, in words."""
    return line("ai_chart_title", c=c)
