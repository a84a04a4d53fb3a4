"""Indeed Hiring Lab, national and city series: the AI tracker (share of UK postings that mention AI or generative
AI), the UK job postings index (total and new postings), its occupational categories and the city indices.

Indeed's ``jobcountry`` GB is its UK site (Northern Ireland included), so these rows carry region code ``UK``.
All are 7-day trailing averages of daily data; the indices are 1 Feb 2020 = 100. No series here is regional
except the cities, and none gives counts of postings.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.data.loaders.common import check_layout, itl_columns
from helpers.data.schema import raw_schema, tidy

AI_SHARE, GENAI_SHARE, NATIONAL, CITIES, SECTORS = (
    "indeed_ai_share", "indeed_genai_share", "indeed_postings_national", "indeed_postings_cities", "indeed_postings_sectors")
INDEED_UK = "GB"  # Indeed's country code for its UK site
SHARE_FILES = {  # source id -> (value column, measure)
    AI_SHARE: ("AI_share_postings", "ai_share_of_postings"),
    GENAI_SHARE: ("GenAI_share_postings", "genai_share_of_postings"),
}
NATIONAL_VARIABLES = {"total postings": "job_postings_index", "new postings": "new_job_postings_index"}
CITY_POSTINGS_SCHEMA = pa.DataFrameSchema(
    {
        "city": pa.Column(str, pa.Check.str_length(min_value=2)),
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "year": pa.Column("Int64", pa.Check.in_range(2020, 2030)),
        "value": pa.Column(float, nullable=True),
        "source_id": pa.Column(str),
    },
    strict=True,
    unique=["city", "period"],
)


def build_ai_postings(raw: dict[str, Path]) -> pd.DataFrame:
    """UK rows: % of postings mentioning AI, % mentioning generative AI, and the total and new postings indices."""
    return pd.concat([*(read_share(raw[s], s) for s in SHARE_FILES), read_national(raw[NATIONAL])], ignore_index=True)


def read_share(path: Path, source_id: str) -> pd.DataFrame:
    """One AI-tracker file (date, jobcountry, <share column>): the UK rows, % of postings."""
    column, measure = SHARE_FILES[source_id]
    frame = check_layout(pd.read_csv(path), path, source_id, raw_schema({"date": str, "jobcountry": str, column: float}))
    uk = frame[frame["jobcountry"] == INDEED_UK]
    if uk.empty:
        raise ValueError(f"{path}: no rows for jobcountry {INDEED_UK!r} (Indeed's UK site)")
    return _uk_rows(uk["date"], uk[column], measure=measure, source_id=source_id,
                    unit="% of Indeed UK job postings whose text mentions the terms, 7-day trailing average")


def read_national(path: Path) -> pd.DataFrame:
    """The UK postings index, seasonally adjusted: total postings and new postings (on Indeed 7 days or fewer)."""
    schema = raw_schema({"date": str, "jobcountry": str, "indeed_job_postings_index_SA": float, "variable": str})
    frame = check_layout(pd.read_csv(path), path, NATIONAL, schema)
    unknown = sorted(set(frame["variable"]) - set(NATIONAL_VARIABLES))
    if unknown:
        raise ValueError(f"{path}: unknown values in column 'variable': {unknown}")
    parts = [_uk_rows(rows["date"], rows["indeed_job_postings_index_SA"], measure=NATIONAL_VARIABLES[variable],
                      source_id=NATIONAL, unit="index, 1 Feb 2020 = 100, seasonally adjusted, 7-day trailing average")
             for variable, rows in frame.groupby("variable")]
    return pd.concat(parts, ignore_index=True)


def build_sector_postings(raw: dict[str, Path]) -> pd.DataFrame:
    """The UK postings index of each Indeed occupational category (total and new postings), 1 Feb 2020 = 100, seasonally
    adjusted: one row per category, measure and day, the category in ``industry_code`` and ``industry_name``."""
    path = raw[SECTORS]
    schema = raw_schema({"date": str, "jobcountry": str, "indeed_job_postings_index": float, "variable": str,
                         "display_name": str})
    frame = check_layout(pd.read_csv(path), path, SECTORS, schema)
    frame = frame[frame["jobcountry"] == INDEED_UK]
    unknown = sorted(set(frame["variable"]) - set(NATIONAL_VARIABLES))
    if frame.empty or unknown:
        raise ValueError(f"{path}: no rows for jobcountry {INDEED_UK!r}" if frame.empty else
                         f"{path}: unknown values in column 'variable': {unknown}")
    parts = [_uk_rows(rows["date"], rows["indeed_job_postings_index"], measure=NATIONAL_VARIABLES[variable],
                      source_id=SECTORS, unit="index, 1 Feb 2020 = 100, seasonally adjusted, 7-day trailing average")
             .assign(industry_code=category, industry_name=category)
             for (variable, category), rows in frame.groupby(["variable", "display_name"])]
    return tidy(pd.concat(parts, ignore_index=True))


def build_city_postings(raw: dict[str, Path]) -> pd.DataFrame:
    """The job postings index of 58 UK cities (primary urban areas), 1 Feb 2020 = 100, seasonally adjusted."""
    path = raw[CITIES]
    schema = raw_schema({"date": str, "cities": str, "indeed_job_postings_index": float})
    frame = check_layout(pd.read_csv(path), path, CITIES, schema)
    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return pd.DataFrame({
        "city": frame["cities"].str.replace(" (Primary Urban Area)", "", regex=False).str.strip(),
        "period": dates.dt.strftime("%Y-%m-%d"), "year": dates.dt.year.astype("Int64"),
        "value": frame["indeed_job_postings_index"].astype(float), "source_id": CITIES,
    }).sort_values(["city", "period"], kind="stable").reset_index(drop=True)


def _uk_rows(dates: pd.Series, values: pd.Series, *, measure: str, unit: str, source_id: str) -> pd.DataFrame:
    dates = pd.to_datetime(dates, format="%Y-%m-%d")
    long = itl_columns(pd.Series("UK", index=dates.index)).assign(
        period=dates.dt.strftime("%Y-%m-%d"), year=dates.dt.year, value=values.astype(float))
    return tidy(long, measure=measure, unit=unit, source_id=source_id)
