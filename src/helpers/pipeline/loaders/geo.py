"""ONS ITL1 and ITL2 (January 2021) boundaries, generalised (BUC), WGS84, with geometry made valid."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import regions

BOUNDARY_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, unique=True),
        "region_name": pa.Column(str),
        "geography_level": pa.Column(str, pa.Check.isin(["ITL1", "ITL2"])),
        "itl1_code": pa.Column(str, pa.Check.isin(regions.itl1_codes())),
        "source_id": pa.Column(str),
        "geometry": pa.Column(checks=pa.Check(lambda s: s.is_valid.all() and (~s.is_empty).all(), error="valid, non-empty geometry")),
    },
    strict=True,
)


def build_itl1_boundaries(raw: dict[str, Path]) -> pd.DataFrame:
    return read_boundaries(raw["geo_itl1"], "geo_itl1", "ITL121CD", "ITL1")


def build_itl2_boundaries(raw: dict[str, Path]) -> pd.DataFrame:
    return read_boundaries(raw["geo_itl2"], "geo_itl2", "ITL221CD", "ITL2")


def read_boundaries(path: Path, source_id: str, code_column: str, level: str):
    import geopandas as gpd

    frame = gpd.read_file(path)
    if code_column not in frame.columns:
        raise ValueError(f"{path}: column {code_column!r} is missing (found {list(frame.columns)})")
    expected = regions.itl1_codes() if level == "ITL1" else regions.itl2_codes()
    if sorted(frame[code_column]) != sorted(expected):
        raise ValueError(f"{path}: {level} codes differ from data/reference ({sorted(set(frame[code_column]) ^ set(expected))})")
    codes = frame[code_column].astype(str)
    return gpd.GeoDataFrame(
        {
            "region_code": codes,
            "region_name": codes.map(regions.region_name),
            "geography_level": level,
            "itl1_code": codes.str[:3],
            "source_id": source_id,
        },
        geometry=frame.geometry.make_valid(),
        crs=frame.crs,
    ).sort_values("region_code").reset_index(drop=True)
