"""Small raw files in the real upstream layouts, written by the tests (see shared/data/README.md)."""

from __future__ import annotations

import csv
import io

YEARS_2023 = [str(y) for y in range(2019, 2022)]


def gva_industry_csv(rows: list[tuple[str, str, str, str, list[int]]], *, edition: int = 2023) -> bytes:
    """An ONS GVA-by-industry CSV: Apr 2023 header (no BOM) or Apr 2024 header (BOM, CRLF); values
    written with quoted thousands separators as in the Excel exports."""
    years = YEARS_2023 if edition == 2023 else [*YEARS_2023, "2022"]
    head = ["ITL region code", "ITL region name"] if edition == 2023 else ["ITL code", "Region name"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if edition == 2024 else "\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([*head, "SIC07 code", "SIC07 description", *years])
    for code, name, sic, description, values in rows:
        writer.writerow([code, name, sic, description, *[f"{v:,}" for v in values[: len(years)]]])
    text = out.getvalue()
    return (("\ufeff" + text) if edition == 2024 else text).encode("utf-8")


def itl_table_csv(rows: list[tuple[str, str, str, list[str]]], years: list[str]) -> bytes:
    """An ONS all-ITL table export ('ITL', 'ITL code', 'Region name', years), BOM and CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ITL", "ITL code", "Region name", *years])
    for row in rows:
        writer.writerow([row[0], row[1], row[2], *row[3]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


SMC_26_COLUMNS = [
    "measure_code", "measure_title", "chart_type", "area_code", "area_type", "area_name", "primary_split_type",
    "primary_split_value", "secondary_split_type", "secondary_split_value", "tertiary_split_type",
    "tertiary_split_value", "fourth_split_type", "fourth_split_value", "time_period", "value", "lci", "uci",
    "sample_size", "unit", "value_note", "variable_used", "weight_used", "age_used", "year_used", "label",
]
SMC_25_COLUMNS = [c for c in SMC_26_COLUMNS if c not in ("variable_used", "weight_used", "age_used", "year_used", "label")]


def smc_csv(rows: list[dict], *, son: int) -> bytes:
    """An SMC State of the Nation long file: SON26 (26 columns, missing = 'NA') or SON25 (21, missing = '')."""
    columns = SMC_26_COLUMNS if son == 26 else SMC_25_COLUMNS
    missing = "NA" if son == 26 else ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, missing) for c in columns])
    return out.getvalue().encode("utf-8")
