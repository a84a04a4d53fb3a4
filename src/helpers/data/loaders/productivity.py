"""ONS subregional labour productivity workbook (June 2024): GVA per hour worked and per filled job."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.loaders.common import check_layout, itl_columns, melt_years
from helpers.data.schema import raw_schema, tidy

SOURCE_ID = "productivity_2024"
# sheet -> (measure, unit, year-column prefix)
SHEETS = {
    "A1": ("gva_per_hour_index_smoothed", "index, UK less Extra-Regio = 100, current prices, 5-year smoothed", "Index_"),
    "A2": ("gva_per_hour_index", "index, UK less Extra-Regio = 100, current prices", "Index_"),
    "A3": ("gva_per_hour_smoothed", "GBP per hour worked, current prices, 5-year smoothed", "Pounds_"),
    "A4": ("gva_per_hour", "GBP per hour worked, current prices", "Pounds_"),
    "A5": ("gva_per_hour_cvm_index", "index, 2019 = 100, chained volume", "Index_"),
    "B1": ("gva_per_job_index_smoothed", "index, UK less Extra-Regio = 100, current prices, 5-year smoothed", "Index_"),
    "B2": ("gva_per_job_index", "index, UK less Extra-Regio = 100, current prices", "Index_"),
    "B3": ("gva_per_job_smoothed", "GBP per filled job, current prices, 5-year smoothed", "Pounds_"),
    "B4": ("gva_per_job", "GBP per filled job, current prices", "Pounds_"),
    "B5": ("gva_per_job_cvm_index", "index, 2019 = 100, chained volume", "Index_"),
}
LEVELS = ("UK", "Other", "ITL1", "ITL2", "ITL3")


def build_labour_productivity(raw: dict[str, Path]) -> pd.DataFrame:
    path = raw[SOURCE_ID]
    workbook = pd.read_excel(path, sheet_name=list(SHEETS), header=4, engine="calamine")
    parts = []
    for sheet, (measure, unit, prefix) in SHEETS.items():
        frame = workbook[sheet]
        schema = raw_schema({"ITL_level": str, "ITL_code": str, "Region_name": str}, year_columns=rf"^{prefix}\d{{4}}$")
        frame = check_layout(frame, path, SOURCE_ID, schema, part=f"sheet {sheet!r}")
        frame = frame[frame["ITL_level"].isin(LEVELS)]  # drops the notes rows under the table
        frame = pd.concat([frame, itl_columns(frame["ITL_code"], frame["Region_name"])], axis=1)
        long = melt_years(frame, ["region_code", "region_name", "geography_level", "itl1_code"], prefix=prefix)
        parts.append(tidy(long, measure=measure, unit=unit, source_id=SOURCE_ID))
    return pd.concat(parts, ignore_index=True)
