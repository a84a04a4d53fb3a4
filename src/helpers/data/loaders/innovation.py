"""Innovation, skills and digital indicators: Nesta/BEIS NUTS2 indicators, Nesta EURITO AI-preprint counts and Social
Mobility Commission (SMC) State of the Nation datasets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers import regions
from helpers.data.loaders.common import check_layout, itl_columns, nuts_to_itl
from helpers.data.schema import raw_schema, tidy

# source id -> (value column, measure, unit)
NESTA = {
    "nesta_venture_capital": ("gbp_venture_capital_received", "venture_capital", "GBP raised by ventures (Crunchbase)"),
    "nesta_innovate_uk": ("gbp_innovate_uk_funding", "innovate_uk_funding", "GBP of Innovate UK grants"),
    "nesta_tech_firms_founded": ("companies_founded", "tech_firms_founded", "count of technology companies founded (Crunchbase)"),
    "nesta_hightech_employment": ("employment_high_tech", "hightech_employment", "persons employed in high-tech industries (BRES)"),
}
# Nesta EURITO files: source id -> (value column, measure, unit)
EURITO = {
    "nesta_ai_preprints": ("artificial_intelligence_count", "ai_preprint_participations",
                           "institution-paper participations in arXiv AI preprints (EURITO)"),
}
# SMC files: source id -> {chart type prefix: (measure, unit)}; other chart types are not loaded.
SMC = {
    "berd_itl2_son25": {
        "trend": ("berd_total", "GBP billion, 2023 prices (GDP deflator)"),
        "geography": ("berd_per_100k_residents", "GBP million per 100,000 residents"),
    },
    "berd_itl2_son26": {
        "trend": ("berd_total", "GBP billion, inflation-adjusted (base year not stated by SMC)"),
        "geography": ("berd_per_100k_residents", "GBP million per 100,000 residents"),
    },
    "smc_postgraduate": {
        "trend": ("postgraduate_degree_share", "% of 25-64 year olds with a higher degree"),
        "geography": ("postgraduate_degree_share", "% of 25-64 year olds with a higher degree"),
    },
    "smc_new_economy_jobs": {
        "trend": ("new_economy_jobs_share", "% of economically active 25-64 year olds in new-economy occupations"),
        "geography": ("new_economy_jobs_share", "% of economically active 25-64 year olds in new-economy occupations"),
    },
    "smc_gigabit_broadband": {
        "trend": ("gigabit_broadband_share", "% of premises with gigabit-capable broadband"),
        "geography": ("gigabit_broadband_share", "% of premises with gigabit-capable broadband"),
    },
}
SMC_SCHEMA = raw_schema(
    {
        "chart_type": str,
        "area_name": str,
        "primary_split_type": str,
        "primary_split_value": str,
        "secondary_split_type": str,
        "secondary_split_value": str,
        "time_period": str,
        "value": float,
        "unit": str,
    }
)
SMC_NATIONS = {"United Kingdom": "UK", "England": regions.ENGLAND_CODE, "Wales": "TLL", "Scotland": "TLM", "Northern Ireland": "TLN"}
# where an SMC file puts the ITL2 name (split types) and the year (split types)
SMC_AREA_SPLITS = ("area_name", "itl2_current_geo")
SMC_YEAR_SPLITS = ("year", "time_period")


def build_innovation(raw: dict[str, Path]) -> pd.DataFrame:
    nesta = [read_nesta_indicator(raw[s], s) for s in NESTA]
    smc = [read_smc(raw[s], s) for s in ("berd_itl2_son25", "berd_itl2_son26")]
    return pd.concat(nesta + smc, ignore_index=True)


def build_ai_preprints(raw: dict[str, Path]) -> pd.DataFrame:
    return pd.concat([read_eurito(raw[s], s) for s in EURITO], ignore_index=True)


def build_skills_and_adoption(raw: dict[str, Path]) -> pd.DataFrame:
    return pd.concat([read_smc(raw[s], s) for s in ("smc_postgraduate", "smc_new_economy_jobs", "smc_gigabit_broadband")], ignore_index=True)


def read_nesta_indicator(path: Path, source_id: str) -> pd.DataFrame:
    """A Nesta/BEIS NUTS2 indicator (year, nuts_id, nuts_year_spec, value).

    Codes of the NUTS 2016 vintage are ITL2 2021 codes (with TL for UK); older vintages differ in
    London and Scotland, so those rows keep their NUTS code with geography level 'NUTS2'. Every row
    carries its ITL1 region (NUTS1 = ITL1), so aggregate to ITL1 before comparing years.
    """
    value_column, measure, unit = NESTA[source_id]
    schema = raw_schema({"year": int, "nuts_id": str, "nuts_year_spec": int, value_column: float})
    frame = check_layout(pd.read_csv(path, dtype={"nuts_id": str}), path, source_id, schema)
    itl = frame["nuts_id"].map(nuts_to_itl)
    is_itl2 = (frame["nuts_year_spec"] == 2016) & itl.isin(regions.itl2_codes())
    long = pd.DataFrame(
        {
            "region_code": itl.where(is_itl2, frame["nuts_id"]),
            "region_name": itl.where(is_itl2).map(lambda c: regions.region_name(c) if isinstance(c, str) else None),
            "geography_level": is_itl2.map({True: "ITL2", False: "NUTS2"}),
            "itl1_code": itl.str[:3],
            "year": frame["year"],
            "period": frame["year"].astype(str),
            "value": frame[value_column],
        }
    )
    long["region_name"] = long["region_name"].fillna(
        "NUTS2 " + frame["nuts_id"] + " (" + frame["nuts_year_spec"].astype(str) + " boundaries)"
    )
    return tidy(long, measure=measure, unit=unit, source_id=source_id)


def read_eurito(path: Path, source_id: str) -> pd.DataFrame:
    """A Nesta EURITO indicator (year, region_type, region_year_spec, region_id, region_level, value) for the UK: the
    UK (NUTS0), its ITL1 regions (NUTS1 codes with TL for UK) and its NUTS2 areas. NUTS2 areas of the 2016 and later
    vintages are ITL2 areas; older vintages differ in London and Scotland, so those rows keep their NUTS code with
    geography level 'NUTS2'. The levels are nested: each is a complete count of the UK's participations."""
    value_column, measure, unit = EURITO[source_id]
    schema = raw_schema({"year": int, "region_year_spec": int, "region_id": str, "region_level": int, value_column: float})
    frame = check_layout(pd.read_csv(path, dtype={"region_id": str}), path, source_id, schema)
    frame = frame[frame["region_id"].str.startswith("UK") & frame["region_level"].between(0, 2)]
    itl = frame["region_id"].map(lambda c: regions.UK_CODE if c == "UK" else nuts_to_itl(c))
    known = (frame["region_level"] < 2) | ((frame["region_year_spec"] >= 2016) & itl.isin(regions.itl2_codes()))
    codes = itl.where(known, frame["region_id"])
    long = itl_columns(codes[known]).reindex(frame.index)
    nuts = ~known
    long.loc[nuts, "region_code"] = frame.loc[nuts, "region_id"]
    long.loc[nuts, "region_name"] = ("NUTS2 " + frame["region_id"] + " (" + frame["region_year_spec"].astype(str)
                                     + " boundaries)")[nuts]
    long.loc[nuts, "geography_level"] = "NUTS2"
    long.loc[nuts, "itl1_code"] = itl[nuts].str[:3]
    long = long.assign(year=frame["year"], period=frame["year"].astype(str), value=frame[value_column])
    return tidy(long, measure=measure, unit=unit, source_id=source_id)


def read_smc(path: Path, source_id: str) -> pd.DataFrame:
    """A Social Mobility Commission long-format file: UK/nation trend rows and ITL2 geography rows.

    SON 2026 files write missing values as 'NA', SON 2025 files as empty strings; both are read as missing.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["NA", ""])
    frame = check_layout(frame, path, source_id, SMC_SCHEMA)
    parts = []
    for chart_prefix, (measure, unit) in SMC[source_id].items():
        rows = frame[frame["chart_type"].fillna("").str.startswith(chart_prefix)]
        if rows.empty:
            raise ValueError(f"{path}: no rows with chart_type starting {chart_prefix!r}")
        reader = _smc_trend if chart_prefix == "trend" else _smc_geography
        parts.append(tidy(reader(rows, source_id), measure=measure, unit=unit, source_id=source_id))
        if chart_prefix != "trend":
            parts += _smc_limits(rows, reader(rows, source_id), measure, unit, source_id)
    return pd.concat(parts, ignore_index=True)


# The survey limits an SMC file publishes beside an estimate: column -> (suffix of the measure, unit or None: the
# estimate's unit)
SMC_LIMITS = {"lci": ("_lower", None), "uci": ("_upper", None), "sample_size": ("_sample_size", "sample size as published (respondents; premises for broadband)")}


def _smc_limits(rows: pd.DataFrame, estimates: pd.DataFrame, measure: str, unit: str, source_id: str) -> list[pd.DataFrame]:
    """The lower and upper 95% confidence limits and the sample size of survey estimates (``<measure>_lower``,
    ``_upper``, ``_sample_size``), where the file gives them (none for administrative counts such as broadband)."""
    out = []
    for column, (suffix, limit_unit) in SMC_LIMITS.items():
        values = pd.to_numeric(rows[column], errors="coerce") if column in rows else pd.Series(dtype=float)
        if values.notna().any():
            out.append(tidy(estimates.assign(value=values), measure=measure + suffix, unit=limit_unit or unit,
                            source_id=source_id))
    return out


def _split_value(rows: pd.DataFrame, wanted_types: tuple[str, ...]) -> pd.Series:
    """The split value whose split type is one of ``wanted_types`` (SMC files put it in different slots)."""
    out = pd.Series(pd.NA, index=rows.index, dtype=object)
    for slot in ("primary", "secondary", "tertiary"):
        hit = rows[f"{slot}_split_type"].isin(wanted_types) & out.isna()
        out[hit] = rows.loc[hit, f"{slot}_split_value"]
    return out


def _smc_trend(rows: pd.DataFrame, source_id: str) -> pd.DataFrame:
    # DR54 splits its UK trend into in (1) / not in (NA) a new-economy occupation: keep 'in'.
    if (rows["secondary_split_type"] == "rdjob").any():
        rows = rows[rows["secondary_split_value"].astype(str).str.startswith("1")]
    years = pd.to_numeric(_split_value(rows, SMC_YEAR_SPLITS), errors="coerce")
    if years.isna().any():
        raise ValueError(f"{source_id}: trend rows without a year split")
    codes = rows["area_name"].map(SMC_NATIONS)
    if codes.isna().any():
        raise ValueError(f"{source_id}: unknown trend areas {sorted(set(rows.loc[codes.isna(), 'area_name']))}")
    return itl_columns(codes).assign(year=years.astype(int), period=years.astype(int).astype(str), value=rows["value"])


def _smc_geography(rows: pd.DataFrame, source_id: str) -> pd.DataFrame:
    names = _split_value(rows, SMC_AREA_SPLITS)
    codes = names.map(lambda n: regions.itl2_code_for_name(n))
    period = rows["time_period"].astype(str)
    year = pd.to_numeric(period, errors="coerce")  # pooled ranges such as '2014-2025' have no single year
    return itl_columns(codes).assign(period=period, year=year.astype("Int64"), value=rows["value"])
