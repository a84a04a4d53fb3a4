"""Tables for comparing areas: the headline indicators of any areas (ITL1, ITL2 or ITL3, mixed) side by side with
the UK total, ICT and finance growth on both price bases, productivity relative to the UK, and ``similar_areas``:
the nearest areas at the same level on the standardised headline indicators. Every table carries its sources in
``attrs["source_ids"]`` and the year and release of each figure in ``attrs["years"]``/``attrs["releases"]``.

GVA by industry is published for ITL1, ITL2 and ITL3 areas: the ICT share comes from the newest release (current
prices), and ICT and finance growth is measured as question 1 measures it (``indicators.growth_release`` and
``growth_window``: the newest release with both price bases, over the years both cover, the UK from its published
row)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.headline import indicator_table as headline_table
from helpers.data.indicators import (
    PRODUCTIVITY_SOURCE,
    with_sources,
)
from helpers.data.sources import get_source
from helpers.stats import rates

MIN_AREAS, MAX_AREAS = 2, 6
INDICATORS = ("population", "gva_per_head", "gva_per_hour_uk100", "ict_share_pct", "ai_orgs_per_100k")
SIMILARITY = ("gva_per_head", "gva_per_hour_uk100", "ai_orgs_per_100k", "log_population")  # every level has them
MIN_SIMILARITY = 2  # the fewest of them an area is compared on
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
    """The headline indicators of every area at ``level`` (``helpers.data.headline``, the table the profiles show:
    an area's figures are the same on both pages), without the UK row."""
    table = headline_table(level)
    out = table.drop(index=regions.UK_CODE)
    out.attrs.update(years=table.attrs["years"], column_sources=table.attrs["column_sources"])
    return out


def uk_row() -> pd.Series:
    """The UK total of the headline indicators (``helpers.data.headline``)."""
    return headline_table("ITL1").loc[regions.UK_CODE]


def release(source_id: str) -> str:
    """A short release: the publisher and release of a manifest source."""
    source = get_source(source_id)
    return source.release if source.release.startswith(source.publisher) else f"{source.publisher}, {source.release}"




def headline(codes: list[str]) -> pd.DataFrame:
    """The headline indicators of ``codes`` (any ITL levels) and the UK total, one row each; columns labelled with
    their unit, year and release."""
    rows = [indicator_table(regions.geography_level(code)).loc[code] for code in codes] + [uk_row()]
    table = pd.DataFrame(rows, index=[*codes, regions.UK_CODE])
    years = headline_table("ITL1").attrs["years"]
    levels = dict.fromkeys(["ITL1", *map(regions.geography_level, codes)])
    sources = {c: list(dict.fromkeys(s for level in levels for s in headline_table(level).attrs["column_sources"][c]))
               for c in INDICATORS}
    releases = {c: "; ".join(dict.fromkeys(release(s) for s in ids)) for c, ids in sources.items()}
    table.attrs.update(years=years, releases=releases)
    table.index.name = "region_code"
    return with_sources(table, [s for ids in sources.values() for s in ids])


def growth(codes: list[str]) -> pd.DataFrame:
    """ICT and finance growth, % a year (compound), on chained volume and current prices, for each area (ITL1, ITL2
    or ITL3) and the UK, measured as question 1 measures it: in ``indicators.growth_release()`` over
    ``indicators.growth_window()``, the UK from its published row (not a sum of regions: chained volumes are not
    additive)."""
    release, (first, last) = indicators.growth_release(), indicators.growth_window()
    rows, sources = [], []
    for basis in BASES:
        for sector, label in SECTORS.items():
            series = {}
            for level in dict.fromkeys(map(regions.geography_level, codes)):
                table = indicators.gva(sector, level, release, basis)
                sources += table.attrs.get("source_ids", [])
                series.update({c: table[c] for c in codes if regions.geography_level(c) == level})
            uk = indicators.uk_gva(sector, basis, release)
            sources += uk.attrs["source_ids"]
            series[regions.UK_CODE] = uk
            for code, values in series.items():
                rows.append({"region_code": code, "sector": label, "basis": basis,
                             "cagr_pct": rates.cagr(values.loc[first], values.loc[last], last - first)})
    out = pd.DataFrame(rows)
    wide = out.pivot_table(index="region_code", columns=["sector", "basis"], values="cagr_pct", sort=False)
    wide = wide.reindex([*codes, regions.UK_CODE])
    wide.columns = [f"{sector}, {'chained volume' if basis == 'chained_volume' else 'current prices'}, % a year"
                    for sector, basis in wide.columns]
    wide.attrs.update(window=(first, last), release=release)
    return with_sources(wide, list(dict.fromkeys(sources)))


def area_label(code: str) -> str:
    """An area for readers: its name and code, e.g. "Leeds (TLE42)"; the UK as "United Kingdom (UK)"."""
    name = "United Kingdom" if code == regions.UK_CODE else regions.region_name(code)
    return f"{name} ({code})"


def by_name(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one row per area code) with its rows labelled by ``area_label``, the index named "area"."""
    out = table.rename(index=area_label)
    out.index.name = "area"
    return out


def productivity(codes: list[str]) -> pd.DataFrame:
    """GVA per hour worked relative to the UK (= 100), year by area."""
    columns = {code: indicators.productivity("per_hour", regions.geography_level(code), "relative")[code] for code in codes}
    table = pd.DataFrame(columns)
    return with_sources(table, [PRODUCTIVITY_SOURCE])


def similar_areas(code: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` areas at ``code``'s level nearest to it on the standardised headline indicators every level has
    (GVA per head, GVA per hour worked, AI organisations per 100,000 people, log population; each z-scored across
    the areas of that level, Euclidean distance, equal weights), nearest first, with their distance. An area missing
    some of them (no population row for some Scottish ITL2 codes) is compared on those it has; with fewer than
    ``MIN_SIMILARITY`` of them, the table is empty and ``attrs["missing"]`` names what it lacks."""
    level = regions.geography_level(code)
    table = indicator_table(level).assign(log_population=lambda t: np.log(t["population"]))
    has = [c for c in SIMILARITY if code in table.index and pd.notna(table.at[code, c])]
    missing = [c for c in SIMILARITY if c not in has]
    if len(has) < MIN_SIMILARITY:
        out = pd.DataFrame({"area": [], "distance": []}, index=pd.Index([], name="code"))
        out.attrs["method"] = {"level": level, "indicators": has, "areas": 0, "missing": missing}
        return with_sources(out, similarity_sources(level))
    features = table[has].dropna()
    z = (features - features.mean()) / features.std(ddof=0)
    distance = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1)).drop(code).sort_values()
    nearest = distance.head(n)
    out = pd.DataFrame({"area": [regions.region_name(c) for c in nearest.index], "distance": nearest.round(2)},
                       index=pd.Index(nearest.index, name="code"))
    out.attrs["method"] = {"level": level, "indicators": has, "areas": len(features), "missing": missing}
    return with_sources(out, similarity_sources(level))


def similarity_sources(level: str) -> list[str]:
    """The sources of the indicators ``similar_areas`` compares at ``level``."""
    columns = headline_table(level).attrs["column_sources"]
    return list(dict.fromkeys(s for c in ("gva_per_head", "gva_per_hour_uk100", "ai_orgs_per_100k") for s in columns[c]))
