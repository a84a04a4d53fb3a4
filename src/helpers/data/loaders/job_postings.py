"""Indeed Hiring Lab job postings index by UK region (daily; 1 Feb 2020 = 100; trends only, not counts)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers import regions
from helpers.data.loaders.common import check_layout, itl_columns
from helpers.data.schema import raw_schema, tidy

SOURCE_ID = "indeed_postings_regions"
SCHEMA = raw_schema({"date": str, "region": str, "indeed_job_postings_index": float})


def build_job_postings(raw: dict[str, Path]) -> pd.DataFrame:
    path = raw[SOURCE_ID]
    frame = check_layout(pd.read_csv(path), path, SOURCE_ID, SCHEMA)
    codes = frame["region"].map({r: regions.itl1_code_for_name(r) for r in frame["region"].unique()})
    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    long = pd.concat([itl_columns(codes)], axis=1).assign(
        period=dates.dt.strftime("%Y-%m-%d"), year=dates.dt.year, value=frame["indeed_job_postings_index"]
    )
    return tidy(
        long,
        measure="job_postings_index",
        unit="index, 1 Feb 2020 = 100, seasonally adjusted, 7-day trailing average",
        source_id=SOURCE_ID,
    )
