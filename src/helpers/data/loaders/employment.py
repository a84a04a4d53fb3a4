"""Employment: ONS BRES (Nomis open access) by ITL2 and SIC, and ONS JOBS05 workforce jobs by region."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers import regions
from helpers.data.loaders.common import check_layout, itl_columns, nuts_to_itl
from helpers.data.schema import raw_schema, tidy
from helpers.sic import section_for_name, sic_sections  # noqa: F401 (re-exported for the loader's callers)

BRES_SIC2 = "bres_employment_sic2_2023"
BRES_FT_SECTIONS = "bres_ft_employees_sections_2024"
JOBS05 = "workforce_jobs_2021"
BRES_SIC2_SCHEMA = raw_schema(
    {"DATE": float, "GEOGRAPHY_CODE": str, "INDUSTRY_NAME": str, "INDUSTRY_CODE": str, "COUNT": float}
)
BRES_FT_SCHEMA = raw_schema({"DATE": float, "GEOGRAPHY_NAME": str, "SIC_SECTION_NAME": str, "COUNT": float})
# JOBS05 sheet names start with a number; these are not ITL1 regions.
JOBS05_SPECIAL = {"England": regions.ENGLAND_CODE, "Great Britain": regions.GREAT_BRITAIN_CODE, "United Kingdom": "UK"}
QUARTER_MONTHS = {"Mar": 1, "Jun": 2, "Sep": 3, "Dec": 4}


def build_employment(raw: dict[str, Path]) -> pd.DataFrame:
    return pd.concat(
        [
            read_bres_sic2(raw[BRES_SIC2]),
            read_bres_ft_sections(raw[BRES_FT_SECTIONS]),
            read_jobs05(raw[JOBS05]),
        ],
        ignore_index=True,
    )


def read_rds(path: Path) -> pd.DataFrame:
    import pyreadr

    return next(iter(pyreadr.read_r(str(path)).values()))


def read_bres_sic2(path: Path) -> pd.DataFrame:
    """BRES employment (employees + working owners) by ITL2 (NUTS 2016 codes) and SIC division, 2015-2021."""
    frame = check_layout(read_rds(path), path, BRES_SIC2, BRES_SIC2_SCHEMA)
    codes = frame["GEOGRAPHY_CODE"].map({c: nuts_to_itl(c) for c in frame["GEOGRAPHY_CODE"].unique()})
    long = itl_columns(codes).assign(
        industry_code=frame["INDUSTRY_CODE"].str.strip().str.zfill(2),
        industry_name=frame["INDUSTRY_NAME"].str.replace(r"^\d+\s*:\s*", "", regex=True).str.strip(),
        industry_level="division",
        year=frame["DATE"].astype(int),
        value=frame["COUNT"],
    )
    long["period"] = long["year"].astype(str)
    return tidy(long, measure="employment", unit="persons (employees and working owners), rounded", source_id=BRES_SIC2)


def read_bres_ft_sections(path: Path) -> pd.DataFrame:
    """BRES full-time employees by ITL2 (NUTS 2016 names) and SIC section, 2015-2022."""
    frame = check_layout(read_rds(path), path, BRES_FT_SECTIONS, BRES_FT_SCHEMA)
    codes = frame["GEOGRAPHY_NAME"].map({n: regions.itl2_code_for_name(n) for n in frame["GEOGRAPHY_NAME"].unique()})
    sections = frame["SIC_SECTION_NAME"].map({n: section_for_name(n) for n in frame["SIC_SECTION_NAME"].unique()})
    long = itl_columns(codes).assign(
        industry_code=sections,
        industry_name=sections.map(sic_sections()["name"]),
        industry_level="section",
        year=frame["DATE"].astype(int),
        value=frame["COUNT"],
    )
    long["period"] = long["year"].astype(str)
    return tidy(long, measure="full_time_employees", unit="persons (full-time employees)", source_id=BRES_FT_SECTIONS)


def read_jobs05(path: Path) -> pd.DataFrame:
    """JOBS05 workforce jobs (thousands, seasonally adjusted) by region and SIC section, quarterly."""
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    parts = []
    for sheet_name, sheet in sheets.items():
        match = re.fullmatch(r"\d+\.\s*(.+)", sheet_name.strip())
        if not match:
            continue  # the Introduction sheet
        region = match.group(1)
        code = JOBS05_SPECIAL.get(region) or regions.itl1_code_for_name(region)
        parts.append(_read_jobs05_sheet(sheet, code, path, sheet_name))
    if len(parts) != 15:
        raise ValueError(f"expected 15 region sheets in JOBS05, found {len(parts)}: {list(sheets)}")
    return pd.concat(parts, ignore_index=True)


def _read_jobs05_sheet(sheet: pd.DataFrame, code: str, path: Path, sheet_name: str) -> pd.DataFrame:
    header = sheet.iloc[5].fillna("").astype(str).str.strip()
    if header.iloc[0] != "SIC 2007 section" or "J" not in header.values:
        raise ValueError(f"{path}, sheet {sheet_name!r}: row 6 should hold 'SIC 2007 section' and the section letters")
    data = sheet.iloc[6:].copy()
    quarters = data.iloc[:, 0].map(_quarter)
    data = data[quarters.notna()]
    columns = {i: label for i, label in enumerate(header) if re.fullmatch(r"[A-U]|G-T|A-T", label)}
    values = data.iloc[:, list(columns)].set_axis(list(columns.values()), axis=1)
    values["period"] = quarters[quarters.notna()]
    long = values.melt(id_vars="period", var_name="sic", value_name="value")
    long["industry_code"] = long["sic"].replace({"A-T": "TOTAL"})
    long["industry_level"] = long["sic"].map(lambda s: "total" if s == "A-T" else "aggregate" if "-" in s else "section")
    long["industry_name"] = long["sic"].map(
        lambda s: "All jobs" if s == "A-T" else "Total services" if s == "G-T" else sic_sections()["name"][s]
    )
    long["year"] = long["period"].str[:4].astype(int)
    long = pd.concat([long, itl_columns(pd.Series(code, index=long.index))], axis=1)
    return tidy(
        long.drop(columns="sic"),
        measure="workforce_jobs",
        unit="thousand jobs, seasonally adjusted (employee jobs, self-employment, HM Forces, supported trainees)",
        source_id=JOBS05,
    )


def _quarter(cell: object) -> str | None:
    """'Mar 20 4 (r)' / datetime(1996, 3, 1) -> '2020-Q1' / '1996-Q1'; None for notes and blank rows."""
    if hasattr(cell, "month") and hasattr(cell, "year"):
        return f"{cell.year}-Q{(cell.month - 1) // 3 + 1}"
    match = re.match(r"^(Mar|Jun|Sep|Dec)\s+(\d{2})\b", str(cell).strip())
    if not match:
        return None
    two_digit = int(match.group(2))
    year = 1900 + two_digit if two_digit >= 90 else 2000 + two_digit
    return f"{year}-Q{QUARTER_MONTHS[match.group(1)]}"
