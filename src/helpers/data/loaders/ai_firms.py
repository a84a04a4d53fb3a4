"""Nesta WAIfinder: AI organisations in the UK, placed in ITL3/ITL2/ITL1 areas by a spatial join of their
latitude/longitude with the ONS ITL3 (January 2021) boundaries.

A curated, web-scraped population (Glass.ai extract 2022, refreshed Sep 2023), not an official statistic.

Why a spatial join: the file also gives each organisation's *place* (a town or city) with that place's NUTS 2016
codes, but every London place carries one NUTS2 code (UKI3, Inner London West), so the place codes put almost
all of London's ~1,900 organisations in one ITL2 area. The place-based ITL1/ITL2 codes are kept as check columns
(``place_itl1_code``, ``place_itl2_code``). ITL3 areas nest in ITL2 and ITL1, so ``itl2_code`` and ``itl1_code``
are the ITL3 area's parents (data/reference/itl3_regions.csv). The boundaries are generalised (BUC, clipped to
the coastline): a point outside every polygon (on the coast, a pier, an island) goes to the nearest ITL3 area
within ``MAX_SNAP_METRES``; beyond that it keeps empty codes. ``itl_match`` says which: "within", "nearest" or
"unmatched"; the counts are logged when the table is built. ``itl_source_id`` names the boundary file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import regions
from helpers.data.loaders.common import nuts_to_itl
from helpers.data.loaders.geo import read_boundaries

SOURCE_ID = "waifinder_orgs_2023"
BOUNDARY_SOURCE = "geo_itl3"
MAX_SNAP_METRES = 5_000  # BUC boundaries are generalised to about 500 m and clipped to the coast
BRITISH_NATIONAL_GRID = "EPSG:27700"
MATCHES = ("within", "nearest", "unmatched")
ORG_TYPE_COLUMNS = {"Company": "is_company", "Funder": "is_funder", "Incubator / accelerator": "is_incubator",
                    "University / RTO": "is_university"}
LOG = logging.getLogger(__name__)


def _code_or_empty(valid):
    return pa.Check(lambda s: s.isin(list(valid()) + [""]), error="a registry code, or '' when unmatched")


AI_ORGANISATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "name": pa.Column(str),
        "url": pa.Column(str, nullable=True),
        "org_types": pa.Column(str),
        **{column: pa.Column(bool) for column in ORG_TYPE_COLUMNS.values()},
        "latitude": pa.Column(float, pa.Check.in_range(49.0, 61.5)),
        "longitude": pa.Column(float, pa.Check.in_range(-9.0, 2.5)),
        "postcode": pa.Column(str, nullable=True),
        "place_name": pa.Column(str),
        "nuts3_code": pa.Column(str, nullable=True),
        "place_itl2_code": pa.Column(str, pa.Check.isin(regions.itl2_codes())),
        "place_itl1_code": pa.Column(str, pa.Check.isin(regions.itl1_codes())),
        "itl3_code": pa.Column(str, _code_or_empty(regions.itl3_codes)),
        "itl2_code": pa.Column(str, _code_or_empty(regions.itl2_codes)),
        "itl1_code": pa.Column(str, _code_or_empty(regions.itl1_codes)),
        "itl_match": pa.Column(str, pa.Check.isin(MATCHES)),
        "snap_distance_m": pa.Column(float, pa.Check.ge(0), nullable=True),
        "source_id": pa.Column(str),
        "itl_source_id": pa.Column(str, pa.Check.eq(BOUNDARY_SOURCE)),
    },
    strict=True,
)


def build_ai_organisations(raw: dict[str, Path]) -> pd.DataFrame:
    orgs = read_organisations(raw[SOURCE_ID])
    boundaries = read_boundaries(raw[BOUNDARY_SOURCE], BOUNDARY_SOURCE, "ITL321CD", "ITL3")
    placed = place_in_areas(orgs, boundaries)
    counts = placed.itl_match.value_counts().reindex(list(MATCHES), fill_value=0)
    LOG.info("WAIfinder organisations placed by spatial join: %s", counts.to_dict())
    ordered = placed.sort_values(["itl1_code", "itl2_code", "itl3_code", "name"], kind="stable").reset_index(drop=True)
    return ordered[list(AI_ORGANISATIONS_SCHEMA.columns)]


def read_organisations(path: Path) -> pd.DataFrame:
    """One row per organisation with its types, location and its place's NUTS-derived ITL1/ITL2 codes."""
    document = json.loads(path.read_text(encoding="utf-8"))
    missing = [key for key in ("orgs", "places", "org_types") if key not in document]
    if missing:
        raise ValueError(f"{path}: JSON keys {missing} are missing (expected orgs, places, org_types)")
    type_names = document["org_types"]
    places = {place["id"]: place for place in document["places"]}
    rows = []
    for org in document["orgs"]:
        place = places[org["place_id"]]
        types = [type_names[t] for t in org["types"]]
        nuts = place["region"]
        rows.append(
            {
                "name": org["name"],
                "url": org.get("url") or None,
                "org_types": "|".join(types),
                **{column: label in types for label, column in ORG_TYPE_COLUMNS.items()},
                "latitude": float(org["location"]["lat"]),
                "longitude": float(org["location"]["lon"]),
                "postcode": org["location"].get("postcode") or None,
                "place_name": place["name"],
                "nuts3_code": nuts.get("3", {}).get("id"),
                "place_itl2_code": nuts_to_itl(nuts["2"]["id"]),
                "place_itl1_code": nuts_to_itl(nuts["1"]["id"]),
                "source_id": SOURCE_ID,
            }
        )
    return pd.DataFrame(rows)


def place_in_areas(orgs: pd.DataFrame, boundaries, max_snap_metres: float = MAX_SNAP_METRES) -> pd.DataFrame:
    """``orgs`` (latitude, longitude) with itl3_code (the ITL3 polygon containing the point, else the nearest
    within ``max_snap_metres``, else ""), its ITL2 and ITL1 parents, ``itl_match`` and ``snap_distance_m``
    (0 inside a polygon, missing when unmatched). ``boundaries``: a GeoDataFrame with ``region_code``."""
    import geopandas as gpd

    points = gpd.GeoDataFrame(orgs.reset_index(drop=True),
                              geometry=gpd.points_from_xy(orgs.longitude, orgs.latitude), crs="EPSG:4326")
    points = points.to_crs(BRITISH_NATIONAL_GRID)
    areas = boundaries[["region_code", "geometry"]].to_crs(BRITISH_NATIONAL_GRID)
    within = gpd.sjoin(points, areas, how="left", predicate="within")
    within = within[~within.index.duplicated()]["region_code"]  # a point on a shared edge: keep the first
    outside = within.index[within.isna()]
    nearest = gpd.sjoin_nearest(points.loc[outside], areas, how="left", max_distance=max_snap_metres,
                                distance_col="distance")
    nearest = nearest[~nearest.index.duplicated()]
    code = within.fillna(nearest["region_code"]).fillna("")
    distance = pd.Series(0.0, index=points.index).where(within.notna(), nearest["distance"])
    match = pd.Series("within", index=points.index).where(within.notna(), "nearest").where(code != "", "unmatched")
    parents = regions.itl3()
    out = orgs.reset_index(drop=True).assign(
        itl3_code=code.astype(str),
        itl2_code=code.map(parents["itl2_code"]).fillna("").astype(str),
        itl1_code=code.map(parents["itl1_code"]).fillna("").astype(str),
        itl_match=match, snap_distance_m=distance.astype(float))
    return out.assign(itl_source_id=boundaries["source_id"].iloc[0] if "source_id" in boundaries else BOUNDARY_SOURCE)
