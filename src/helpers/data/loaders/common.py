"""Parsing pieces shared by the loaders: validated reading, ITL region columns, year melting, SIC labels."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import regions
from helpers.data.schema import describe, validate

# Excel turned these SIC ranges into dates in the Apr 2024 ITL2 CSV (see shared/data/README.md).
EXCEL_DAMAGED_SIC = {"02-Mar": "2-3", "11-Dec": "11-12"}
YEAR_COLUMN = r"^\d{4}$"


def check_layout(
    frame: pd.DataFrame, path: Path, source_id: str, schema: pa.DataFrameSchema, *, part: str = ""
) -> pd.DataFrame:
    """Validate a raw frame's layout (columns and types); errors name the file, ``part`` (e.g. a sheet) and column."""
    return validate(frame, schema, what=describe(path, source_id) + (f", {part}" if part else ""))


def itl_columns(codes: pd.Series, file_names: pd.Series | None = None) -> pd.DataFrame:
    """region_code, region_name, geography_level, itl1_code for ITL 2021 codes.

    Names come from the registry for UK/ITL1/ITL2 codes (one spelling everywhere) and from the file
    for ITL3 areas, which the registry does not hold.
    """
    codes = codes.astype(str).str.strip()
    unique = pd.Series(codes.unique())
    levels = unique.map(regions.geography_level)
    names = {}
    for code, level in zip(unique, levels):
        names[code] = None if level == "ITL3" else regions.region_name(code)
    region_name = codes.map(names)
    if file_names is not None:
        region_name = region_name.fillna(file_names.astype(str).str.strip())
    return pd.DataFrame(
        {
            "region_code": codes,
            "region_name": region_name,
            "geography_level": codes.map(dict(zip(unique, levels))),
            "itl1_code": codes.map(lambda c: regions.parent_itl1(c) or ""),
        },
        index=codes.index,
    )


def melt_years(frame: pd.DataFrame, id_columns: list[str], *, prefix: str = "") -> pd.DataFrame:
    """Wide year columns (``1998``.. or ``<prefix>1998``..) to long rows with ``year``, ``period`` and ``value``."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d{{4}})$")
    year_columns = [c for c in frame.columns if pattern.match(str(c))]
    long = frame.melt(id_vars=id_columns, value_vars=year_columns, var_name="year", value_name="value")
    long["year"] = long["year"].map(lambda c: int(pattern.match(str(c)).group(1)))
    long["period"] = long["year"].astype(str)
    return long


def parse_sic_label(label: str) -> tuple[str, str]:
    """ONS 'SIC07 code' label -> (industry_code, industry_level).

    'Total' -> ('TOTAL', 'total'); 'A-E' -> aggregate; 'J (58-63)' -> ('J', 'section');
    'CA (10-12)' -> ('CA', 'subsection'); '62', '59-60', '68IMP' -> division (two-digit, zero-padded).
    """
    label = EXCEL_DAMAGED_SIC.get(label.strip(), label.strip())
    if label.lower() == "total":
        return "TOTAL", "total"
    if re.fullmatch(r"[A-Z]-[A-Z]", label):
        return label, "aggregate"
    section = re.fullmatch(r"([A-Z]{1,2}(?:-[A-Z]{2})?) \([\d-]+\)", label)
    if section:
        code = section.group(1)
        return code, "section" if len(code) == 1 else "subsection"
    division = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?(IMP)?", label)
    if division:
        first, last, imputed = division.groups()
        code = first.zfill(2) + (f"-{last.zfill(2)}" if last else "") + (imputed or "")
        return code, "division"
    raise ValueError(f"unrecognised SIC07 code label {label!r}")


def nuts_to_itl(code: str) -> str:
    """NUTS 2016 UK code to ITL 2021 code: 'UKI3' -> 'TLI3'."""
    if not code.startswith("UK"):
        raise ValueError(f"{code!r} is not a UK NUTS code")
    return "TL" + code[2:]
