"""Tables for comparing areas: the headline indicators of any areas (ITL1, ITL2 or ITL3, mixed) side by side with
the UK total, ICT and finance growth on both price bases, productivity relative to the UK, and ``similar_areas``:
the nearest areas at the same level on the standardised headline indicators. Every table carries its sources in
``attrs["source_ids"]`` and the year and release of each figure in ``attrs["years"]``/``attrs["releases"]``; the
window of growth comes from the data (the first and last year both price bases have)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.indicators import (
    AI_ORGS_SOURCE,
    GVA_PER_HEAD_SOURCE,
    POPULATION_SOURCE,
    PRODUCTIVITY_SOURCE,
    with_sources,
)
from helpers.data.sources import get_source
from helpers.stats import rates

MIN_AREAS, MAX_AREAS = 2, 6
BY_INDUSTRY_LEVELS = ("ITL1", "ITL2")  # GVA by industry stops at ITL2
INDICATORS = ("population", "gva_per_head", "gva_per_hour_uk100", "ict_share_pct", "ai_orgs_per_100k")
SIMILARITY = ("gva_per_head", "gva_per_hour_uk100", "ai_orgs_per_100k", "log_population")  # every level has them
SECTORS = {"J": "ICT", "K": "Finance"}
BASES = ("chained_volume", "current_prices")


def check_areas(codes: list[str]) -> list[str]:
    """``codes`` if there are two to six of them, else a sentence saying how many to give."""
    from helpers.errors import RegionalDivideError

    if not MIN_AREAS <= len(codes) <= MAX_AREAS:
        raise RegionalDivideError(f"Compare {MIN_AREAS} to {MAX_AREAS} areas, not {len(codes)}: e.g. "
                                  "areas = \"TLG, TLD, Leeds\".")
    return codes


def indicator_table(level: str) -> pd.DataFrame:
    """The headline indicators of every area at ``level`` (latest year of each source): population, GVA per head
    (GBP), GVA per hour worked (UK = 100), ICT share of GVA (%; ITL1 and ITL2 only) and AI organisations per
    100,000 people."""
    accounts = load("regional_accounts")
    per_head = accounts[(accounts.source_id == GVA_PER_HEAD_SOURCE) & (accounts.measure == "gva_per_head")]
    per_head_year = int(per_head.year.max())
    population_table = indicators.population(level)
    population_year = int(population_table.index.max())
    population = population_table.loc[population_year]
    relative = indicators.productivity("per_hour", level, "relative")
    release = indicators.previous_release()
    ict_year = int(indicators.gva("TOTAL", "ITL1", release).index.max())
    ict_share = (indicators.gva("J", level, release).iloc[-1] / indicators.gva("TOTAL", level, release).iloc[-1] * 100
                 if level in BY_INDUSTRY_LEVELS else pd.Series(np.nan, index=population.index))
    ai = indicators.ai_organisations("ITL1")
    table = pd.DataFrame({
        "population": population,
        "gva_per_head": per_head[per_head.year == per_head_year].set_index("region_code")["value"].reindex(population.index),
        "gva_per_hour_uk100": relative.iloc[-1].reindex(population.index),
        "ict_share_pct": ict_share.reindex(population.index),
        "ai_orgs_per_100k": ai_counts(level).reindex(population.index) / population * 100_000,
    })
    table.attrs["years"] = {"population": population_year, "gva_per_head": per_head_year,
                            "gva_per_hour_uk100": int(relative.index.max()), "ict_share_pct": ict_year,
                            "ai_orgs_per_100k": int(ai.index.max())}
    return table


def ai_counts(level: str) -> pd.Series:
    """AI organisations by area at ``level`` (ITL1, ITL2 or ITL3), from ``indicators.ai_organisations``."""
    return indicators.ai_organisations(level).iloc[-1]


def uk_row() -> pd.Series:
    """The UK total: sums over the 12 ITL1 regions (GVA per hour: UK less Extra-Regio = 100)."""
    itl1 = indicator_table("ITL1")
    release = indicators.previous_release()
    population = itl1["population"].sum()
    per_head = (itl1["gva_per_head"] * itl1["population"]).sum() / population
    ict = indicators.gva("J", "ITL1", release).iloc[-1].sum() / indicators.gva("TOTAL", "ITL1", release).iloc[-1].sum() * 100
    ai = indicators.ai_organisations("ITL1").iloc[-1].sum() / population * 100_000
    return pd.Series({"population": population, "gva_per_head": per_head, "gva_per_hour_uk100": 100.0,
                      "ict_share_pct": ict, "ai_orgs_per_100k": ai}, name=regions.UK_CODE)


def release(source_id: str) -> str:
    """A short release: the publisher and release of a manifest source."""
    source = get_source(source_id)
    return source.release if source.release.startswith(source.publisher) else f"{source.publisher}, {source.release}"


INDICATOR_SOURCES = {"population": [POPULATION_SOURCE], "gva_per_head": [GVA_PER_HEAD_SOURCE],
                     "gva_per_hour_uk100": [PRODUCTIVITY_SOURCE], "ai_orgs_per_100k": [AI_ORGS_SOURCE, POPULATION_SOURCE]}


def headline(codes: list[str]) -> pd.DataFrame:
    """The headline indicators of ``codes`` (any ITL levels) and the UK total, one row each; columns labelled with
    their unit, year and release; an ITL3 area's ICT share is missing (GVA by industry stops at ITL2)."""
    rows = [indicator_table(regions.geography_level(code)).loc[code] for code in codes] + [uk_row()]
    table = pd.DataFrame(rows, index=[*codes, regions.UK_CODE])
    years = indicator_table("ITL1").attrs["years"]
    sources = {**INDICATOR_SOURCES, "ict_share_pct": [indicators.GVA_SOURCES["ITL1"]]}
    releases = {c: "; ".join(release(s) for s in ids) for c, ids in sources.items()}
    table.attrs.update(years=years, releases=releases)
    table.index.name = "region_code"
    return with_sources(table, [s for ids in sources.values() for s in ids])


def growth(codes: list[str]) -> pd.DataFrame:
    """ICT and finance growth, % a year (compound) over the years both price bases cover, on chained volume and
    current prices, for each area at ITL1 or ITL2 and the UK (an ITL3 area has no row: no GVA by industry)."""
    rows, sources = [], []
    for basis in BASES:
        for sector, label in SECTORS.items():
            for level in BY_INDUSTRY_LEVELS:
                wanted = [c for c in codes if regions.geography_level(c) == level]
                if level == "ITL1":
                    wanted = [*wanted, regions.UK_CODE]
                if not wanted:
                    continue
                table = indicators.gva(sector, level, basis=basis)
                sources += table.attrs.get("source_ids", [])
                if regions.UK_CODE in wanted:
                    table = table.assign(**{regions.UK_CODE: table.sum(axis=1)})
                first, last = _window()
                for code in wanted:
                    rows.append({"region_code": code, "sector": label, "basis": basis,
                                 "cagr_pct": rates.cagr(table.at[first, code], table.at[last, code], last - first),
                                 "start_year": first, "end_year": last})
    out = pd.DataFrame(rows)
    wide = out.pivot_table(index="region_code", columns=["sector", "basis"], values="cagr_pct", sort=False)
    wide = wide.reindex([c for c in [*codes, regions.UK_CODE] if c in wide.index])
    wide.columns = [f"{sector}, {'chained volume' if basis == 'chained_volume' else 'current prices'}, % a year"
                    for sector, basis in wide.columns]
    wide.attrs["window"] = _window()
    return with_sources(wide, list(dict.fromkeys(sources)))


def _window() -> tuple[int, int]:
    """The first and last year that both price bases of GVA by industry cover (ITL1)."""
    spans = [indicators.gva("TOTAL", "ITL1", basis=basis).index for basis in BASES]
    return int(max(s.min() for s in spans)), int(min(s.max() for s in spans))


def productivity(codes: list[str]) -> pd.DataFrame:
    """GVA per hour worked relative to the UK (= 100), year by area."""
    columns = {code: indicators.productivity("per_hour", regions.geography_level(code), "relative")[code] for code in codes}
    table = pd.DataFrame(columns)
    return with_sources(table, [PRODUCTIVITY_SOURCE])


def similar_areas(code: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` areas at ``code``'s level nearest to it on the standardised headline indicators every level has
    (GVA per head, GVA per hour worked, AI organisations per 100,000 people, log population; each z-scored across
    the areas of that level, Euclidean distance, equal weights), nearest first, with their distance."""
    level = regions.geography_level(code)
    table = indicator_table(level).assign(log_population=lambda t: np.log(t["population"]))
    features = table[list(SIMILARITY)].dropna()
    z = (features - features.mean()) / features.std(ddof=0)
    distance = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1)).drop(code).sort_values()
    nearest = distance.head(n)
    out = pd.DataFrame({"area": [regions.region_name(c) for c in nearest.index], "distance": nearest.round(2)},
                       index=pd.Index(nearest.index, name="code"))
    out.attrs["method"] = {"level": level, "indicators": list(SIMILARITY), "areas": len(features)}
    return with_sources(out, [s for ids in INDICATOR_SOURCES.values() for s in ids])
