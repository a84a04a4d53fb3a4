"""ONS ITL1, ITL2 and ITL3 (January 2021) boundaries, generalised (BUC), WGS84, with geometry made valid; and the
ONS LAD (December 2020) -> LAU1 -> ITL3 -> ITL2 -> ITL1 (January 2021) lookup."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import regions

BOUNDARY_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, unique=True),
        "region_name": pa.Column(str),
        "geography_level": pa.Column(str, pa.Check.isin(["ITL1", "ITL2", "ITL3"])),
        "itl1_code": pa.Column(str, pa.Check.isin(regions.itl1_codes())),
        "source_id": pa.Column(str),
        "geometry": pa.Column(checks=pa.Check(lambda s: s.is_valid.all() and (~s.is_empty).all(), error="valid, non-empty geometry")),
    },
    strict=True,
)

LAD_LOOKUP_SCHEMA = pa.DataFrameSchema(
    {
        "lad_code": pa.Column(str, pa.Check.str_matches(r"^[ENSW]\d{8}$")),
        "lad_name": pa.Column(str),
        "lau1_code": pa.Column(str, unique=True),
        "lau1_name": pa.Column(str),
        "itl3_code": pa.Column(str, pa.Check(lambda s: s.isin(regions.itl3_codes()), error="ITL3 code in the registry")),
        "itl2_code": pa.Column(str, pa.Check(lambda s: s.isin(regions.itl2_codes()), error="ITL2 code in the registry")),
        "itl1_code": pa.Column(str, pa.Check.isin(regions.itl1_codes())),
        "source_id": pa.Column(str),
    },
    strict=True,
)
LAD_LOOKUP_COLUMNS = {"LAD20CD": "lad_code", "LAD20NM": "lad_name", "LAU121CD": "lau1_code", "LAU121NM": "lau1_name",
                      "ITL321CD": "itl3_code", "ITL221CD": "itl2_code", "ITL121CD": "itl1_code"}


def build_itl1_boundaries(raw: dict[str, Path]) -> pd.DataFrame:
    return read_boundaries(raw["geo_itl1"], "geo_itl1", "ITL121CD", "ITL1")


def build_itl2_boundaries(raw: dict[str, Path]) -> pd.DataFrame:
    return read_boundaries(raw["geo_itl2"], "geo_itl2", "ITL221CD", "ITL2")


def build_itl3_boundaries(raw: dict[str, Path]) -> pd.DataFrame:
    return read_boundaries(raw["geo_itl3"], "geo_itl3", "ITL321CD", "ITL3")


def build_lad_lookup(raw: dict[str, Path]) -> pd.DataFrame:
    """One row per LAU1 area (a local authority district, or part of one in Scotland) with its ITL3/2/1 codes;
    the ITL codes must agree with the region registry."""
    path = raw["geo_lad_lookup"]
    frame = pd.read_excel(path, sheet_name=0, dtype=str, engine="calamine")
    missing = sorted(set(LAD_LOOKUP_COLUMNS) - set(frame.columns))
    if missing:
        raise ValueError(f"{path}: column(s) {missing} are missing (found {list(frame.columns)})")
    frame = frame[list(LAD_LOOKUP_COLUMNS)].rename(columns=LAD_LOOKUP_COLUMNS).dropna(subset=["lad_code"])
    frame = frame.apply(lambda column: column.str.strip())
    wrong = frame[frame.itl3_code.map(lambda c: regions.itl3().itl2_code.get(c)) != frame.itl2_code]
    if len(wrong):
        raise ValueError(f"{path}: ITL3 -> ITL2 differs from data/reference/itl3_regions.csv for {wrong.itl3_code.tolist()}")
    return frame.assign(source_id="geo_lad_lookup").sort_values(["lad_code", "lau1_code"]).reset_index(drop=True)


def read_boundaries(path: Path, source_id: str, code_column: str, level: str):
    import geopandas as gpd

    frame = gpd.read_file(path)
    if code_column not in frame.columns:
        raise ValueError(f"{path}: column {code_column!r} is missing (found {list(frame.columns)})")
    expected = regions.codes(level)
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
