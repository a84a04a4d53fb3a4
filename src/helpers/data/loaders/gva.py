"""ONS regional GVA: by industry (Tables 1b/1c/2b/2c/3b/3c, Apr 2023; Tables 2c/3c Apr 2024), GVA totals and
population (Tables 1 and 6, Apr 2024) and the per-head workbook (Apr 2023)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.loaders.common import YEAR_COLUMN, check_layout, itl_columns, melt_years, parse_sic_label
from helpers.data.schema import raw_schema, tidy

GVA_CP = ("gva_current_prices", "GBP million, current basic prices")
GVA_CVM = ("gva_chained_volume", "GBP million, chained volume measure in 2019 money value")
GVA_BY_INDUSTRY = {
    "gva_itl1_cp_2023": GVA_CP,
    "gva_itl1_cvm_2023": GVA_CVM,
    "gva_itl2_cp_2023": GVA_CP,
    "gva_itl2_cvm_2023": GVA_CVM,
    "gva_itl2_cp_2024": GVA_CP,
    "gva_itl3_cp_2023": GVA_CP,
    "gva_itl3_cvm_2023": GVA_CVM,
    "gva_itl3_cp_2024": GVA_CP,
}
# The Apr 2023 CSVs say 'ITL region code/name', the Apr 2024 ones 'ITL code'/'Region name'.
HEADER_ALIASES = {"ITL region code": "ITL code", "ITL region name": "Region name"}
INDUSTRY_SCHEMA = raw_schema(
    {"ITL code": str, "Region name": str, "SIC07 code": str, "SIC07 description": str}, year_columns=YEAR_COLUMN
)
ITL_TABLE_SCHEMA = raw_schema({"ITL": str, "ITL code": str, "Region name": str}, year_columns=YEAR_COLUMN)

# (source id, sheet or None for CSV) -> (measure, unit)
REGIONAL_ACCOUNTS = {
    ("gva_total_cp_2024", None): GVA_CP,
    ("population_2024", None): ("population", "persons, mid-year resident population"),
    ("gva_per_head_2023", "Table 1"): GVA_CP,
    ("gva_per_head_2023", "Table 2"): ("gva_per_head", "GBP per head, current basic prices"),
    ("gva_per_head_2023", "Table 17"): ("population", "persons, mid-year resident population"),
}


def build_gva_by_industry(raw: dict[str, Path]) -> pd.DataFrame:
    return pd.concat([read_gva_by_industry(raw[s], s) for s in GVA_BY_INDUSTRY], ignore_index=True)


def read_gva_by_industry(path: Path, source_id: str) -> pd.DataFrame:
    """One ONS GVA-by-industry CSV (quoted thousands separators, optional BOM) as tidy rows."""
    measure, unit = GVA_BY_INDUSTRY[source_id]
    frame = pd.read_csv(path, thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str}).rename(
        columns=HEADER_ALIASES
    )
    frame = check_layout(frame, path, source_id, INDUSTRY_SCHEMA)
    industries = frame["SIC07 code"].map(parse_sic_label)
    frame["industry_code"] = industries.str[0]
    frame["industry_level"] = industries.str[1]
    frame["industry_name"] = frame["SIC07 description"].str.strip()
    frame = pd.concat([frame, itl_columns(frame["ITL code"], frame["Region name"])], axis=1)
    ids = ["region_code", "region_name", "geography_level", "itl1_code", "industry_code", "industry_name", "industry_level"]
    return tidy(melt_years(frame, ids), measure=measure, unit=unit, source_id=source_id)


def build_regional_accounts(raw: dict[str, Path]) -> pd.DataFrame:
    parts = []
    for (source_id, sheet), (measure, unit) in REGIONAL_ACCOUNTS.items():
        parts.append(read_itl_table(raw[source_id], source_id, sheet, measure=measure, unit=unit))
    return pd.concat(parts, ignore_index=True)


def read_itl_table(path: Path, source_id: str, sheet: str | None, *, measure: str, unit: str) -> pd.DataFrame:
    """An ONS all-ITL table ('ITL', 'ITL code', 'Region name', years): a CSV export or a workbook sheet
    (title row above the header). '[u]' (unavailable) cells become missing values."""
    if sheet is None:
        frame = pd.read_csv(path, thousands=",", encoding="utf-8-sig", na_values=["[u]", "[x]"])
    else:
        frame = pd.read_excel(path, sheet_name=sheet, header=1, engine="calamine", na_values=["[u]", "[x]"])
        frame.columns = [str(c).strip() for c in frame.columns]
        frame = frame[frame["ITL code"].notna() & frame["ITL"].isin(["UK", "Other", "ITL1", "ITL2", "ITL3"])]
    frame = check_layout(frame, path, source_id, ITL_TABLE_SCHEMA, part=f"sheet {sheet!r}" if sheet else "")
    frame = pd.concat([frame, itl_columns(frame["ITL code"], frame["Region name"])], axis=1)
    long = melt_years(frame, ["region_code", "region_name", "geography_level", "itl1_code"])
    return tidy(long, industry_code="TOTAL", industry_name="All industries", industry_level="total",
                measure=measure, unit=unit, source_id=source_id)
