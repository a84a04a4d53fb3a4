"""Employment in the digital sector as DCMS (now DSIT) defines it, from ONS BRES at SIC 2007 subclass level.

The DCMS Sectors Economic Estimates define the digital sector by 22 SIC 2007 classes (4-digit; DCMS Sectors
Economic Estimates Methodology, digital sector SIC table): manufacture of electronics and computers (26.11-26.80),
their wholesale (46.51-46.52), software publishing (58.21, 58.29), telecommunications (61.10-61.90), computer
programming and consultancy (62.01-62.09), data processing and web portals (63.11-63.12) and repair of computers
and communication equipment (95.11-95.12). It adds manufacturing, wholesale and repair to SIC 58-63 and leaves out
publishing of books and newspapers, film and broadcasting (58.1, 59, 60) and news agencies (63.9).

BRES open-access subclass cells are rounded, so these sums differ slightly from sums of published 2-digit totals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.loaders.common import check_layout, itl_columns, nuts_to_itl
from helpers.data.loaders.employment import read_rds
from helpers.data.schema import raw_schema, tidy

SOURCE_ID = "bres_employment_sic5_2023"
DCMS_DIGITAL_CLASSES = (
    "2611", "2612", "2620", "2630", "2640", "2680", "4651", "4652", "5821", "5829",
    "6110", "6120", "6130", "6190", "6201", "6202", "6203", "6209", "6311", "6312", "9511", "9512",
)
DIGITAL_CODE = "DIGITAL"
DIGITAL_NAME = "Digital sector (DCMS definition, 22 SIC 2007 classes)"
SCHEMA = raw_schema({"DATE": float, "GEOGRAPHY_CODE": str, "INDUSTRY_CODE": str, "COUNT": float})


def build_digital_sector_employment(raw: dict[str, Path]) -> pd.DataFrame:
    """Employment (employees and working owners) in the DCMS digital sector by ITL2 area and year, 2015-2021."""
    path = raw[SOURCE_ID]
    frame = check_layout(read_rds(path), path, SOURCE_ID, SCHEMA)
    classes = frame["INDUSTRY_CODE"].str.strip().str.zfill(5).str[:4]
    found = set(classes)
    missing = [c for c in DCMS_DIGITAL_CLASSES if c not in found]
    if missing:
        raise ValueError(f"{path}: SIC classes {missing} of the DCMS digital sector are not in the file")
    digital = frame[classes.isin(DCMS_DIGITAL_CLASSES)]
    totals = digital.groupby(["GEOGRAPHY_CODE", "DATE"], as_index=False)["COUNT"].sum()
    codes = totals["GEOGRAPHY_CODE"].map(nuts_to_itl)
    long = itl_columns(codes).assign(
        industry_code=DIGITAL_CODE, industry_name=DIGITAL_NAME, industry_level="aggregate",
        year=totals["DATE"].astype(int), value=totals["COUNT"])
    long["period"] = long["year"].astype(str)
    return tidy(long, measure="employment", source_id=SOURCE_ID,
                unit="persons (employees and working owners), sum of rounded subclass cells")
