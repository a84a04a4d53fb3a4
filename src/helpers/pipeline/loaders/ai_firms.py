"""Nesta WAIfinder: AI organisations in the UK with their ITL1/ITL2 region (via their place's NUTS 2016 codes).

A curated, web-scraped population (Glass.ai extract 2022, refreshed Sep 2023), not an official statistic.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import regions
from helpers.pipeline.loaders.common import nuts_to_itl

SOURCE_ID = "waifinder_orgs_2023"
ORG_TYPE_COLUMNS = {"Company": "is_company", "Funder": "is_funder", "Incubator / accelerator": "is_incubator",
                    "University / RTO": "is_university"}
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
        "itl2_code": pa.Column(str, pa.Check.isin(regions.itl2_codes())),
        "itl1_code": pa.Column(str, pa.Check.isin(regions.itl1_codes())),
        "source_id": pa.Column(str),
    },
    strict=True,
)


def build_ai_organisations(raw: dict[str, Path]) -> pd.DataFrame:
    path = raw[SOURCE_ID]
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
                "itl2_code": nuts_to_itl(nuts["2"]["id"]),
                "itl1_code": nuts_to_itl(nuts["1"]["id"]),
                "source_id": SOURCE_ID,
            }
        )
    return pd.DataFrame(rows).sort_values(["itl1_code", "itl2_code", "name"], kind="stable").reset_index(drop=True)
