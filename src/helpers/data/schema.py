"""The canonical long layout for statistical series, and schema validation with pandera.

Every statistical dataset in ``data/processed/`` has exactly these columns, so every notebook reads
data the same way. Raw layouts are validated too, so that a changed upstream file fails with a message
naming the file and the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.errors import SourceFormatError
from helpers.regions import GEOGRAPHY_LEVELS

TIDY_COLUMNS = [
    "region_code",  # ITL 2021 code (UK, UKX, TLB, TLC.., TLC1..), or NUTS 2 code where no ITL equivalent exists
    "region_name",
    "geography_level",  # one of regions.GEOGRAPHY_LEVELS
    "itl1_code",  # the ITL1 region containing the area; empty for UK-wide rows
    "industry_code",  # SIC 2007: TOTAL, section letter (J), aggregate (A-E), division ("62", "59-60"); empty if none
    "industry_name",
    "industry_level",  # total / aggregate / section / subsection / division; empty if none
    "period",  # "2021", "2021-Q2", "2020-02-01" or a pooled range "2014-2025"
    "year",  # calendar year of the period; <NA> for pooled ranges
    "measure",
    "unit",
    "value",
    "source_id",  # manifest id in data/sources.yml
]
KEY = ["region_code", "industry_code", "period", "measure", "source_id"]
INDUSTRY_LEVELS = ("", "total", "aggregate", "section", "subsection", "division")

TIDY_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, pa.Check.str_matches(r"^(UK|UKX|GB|TL[A-Z0-9]{1,4}|UK[A-Z0-9]{1,3})$")),
        "region_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "geography_level": pa.Column(str, pa.Check.isin(GEOGRAPHY_LEVELS)),
        "itl1_code": pa.Column(str, pa.Check.str_matches(r"^(TL[C-N])?$")),
        "industry_code": pa.Column(str),
        "industry_name": pa.Column(str),
        "industry_level": pa.Column(str, pa.Check.isin(INDUSTRY_LEVELS)),
        "period": pa.Column(str, pa.Check.str_length(min_value=4)),
        "year": pa.Column("Int64", pa.Check.in_range(1990, 2030), nullable=True),
        "measure": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column(float, nullable=True),
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
    unique=KEY,
    report_duplicates="all",
)


def tidy(frame: pd.DataFrame, **constants: object) -> pd.DataFrame:
    """Return ``frame`` in the canonical layout: add ``constants`` as columns, fill absent optional
    columns with "" (or <NA> for year), order the columns and sort rows by the key."""
    out = frame.assign(**constants)
    for column in ("itl1_code", "industry_code", "industry_name", "industry_level"):
        if column not in out:
            out[column] = ""
    if "year" not in out:
        out["year"] = pd.NA
    out["year"] = out["year"].astype("Int64")
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    for column in TIDY_COLUMNS:
        if column not in ("year", "value"):
            out[column] = out[column].fillna("").astype(str)
    return out[TIDY_COLUMNS].sort_values(KEY, kind="stable").reset_index(drop=True)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, what: str) -> pd.DataFrame:
    """Validate ``frame`` against ``schema``; on failure raise SourceFormatError naming ``what`` and the columns."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            examples = ", ".join(map(repr, group["failure_case"].head(3).tolist()))
            if check == "column_in_dataframe":  # pandera names the missing column in failure_case, not in column
                lines.append(f"  - missing column(s): {examples}")
            else:
                lines.append(f"  - column {column!r}: {check} (e.g. {examples})")
        raise SourceFormatError(
            f"{what} does not have the expected layout:\n" + "\n".join(lines[:12]) + "\n"
            "Fix: if the publisher changed the file, update its loader in src/helpers/data/loaders/ and the entry in "
            "data/sources.yml; otherwise delete the file from data/raw and run `make data` to fetch it again."
        ) from exc


def raw_schema(columns: dict[str, object], *, year_columns: str | None = None) -> pa.DataFrameSchema:
    """A schema that requires ``columns`` (name -> dtype or None for any) and optionally year columns
    matching the regex ``year_columns``; other columns are allowed."""
    spec = {name: pa.Column(dtype, nullable=True, coerce=dtype is not None) for name, dtype in columns.items()}
    if year_columns:
        spec[year_columns] = pa.Column(float, regex=True, nullable=True, coerce=True)
    return pa.DataFrameSchema(spec, strict=False)


def describe(path: Path, source_id: str) -> str:
    """How errors name a raw file: 'data/raw/<path> (source <id>)'."""
    return f"{path} (source {source_id!r})"
