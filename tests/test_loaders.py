"""Loaders on small fixtures written in the real layouts, including the awkward cases of shared/data/README.md."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures import gva_industry_csv, itl_table_csv, smc_csv

from helpers.data.loaders import common, employment, gva, innovation
from helpers.data.schema import TIDY_COLUMNS, TIDY_SCHEMA
from helpers.errors import SourceFormatError


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Total", ("TOTAL", "total")),
        ("A-E", ("A-E", "aggregate")),
        ("J (58-63)", ("J", "section")),
        ("D (35)", ("D", "section")),
        ("CA (10-12)", ("CA", "subsection")),
        ("CD-CF (19-21)", ("CD-CF", "subsection")),
        ("62", ("62", "division")),
        ("1", ("01", "division")),
        ("59-60", ("59-60", "division")),
        ("68IMP", ("68IMP", "division")),
        ("02-Mar", ("02-03", "division")),  # Excel damage for '2-3'
        ("11-Dec", ("11-12", "division")),  # Excel damage for '11-12'
    ],
)
def test_sic_labels(label, expected):
    assert common.parse_sic_label(label) == expected


def test_sic_label_unknown_is_an_error():
    with pytest.raises(ValueError, match="unrecognised SIC07"):
        common.parse_sic_label("Jay")


def test_gva_2024_layout_with_bom_thousands_and_excel_damage(tmp_path):
    raw = tmp_path / "t.csv"
    raw.write_bytes(
        gva_industry_csv(
            [
                ("TLI3", "Inner London - West", "02-Mar", "Forestry and fishing", [1, 2, 3, 4]),
                ("TLI3", "Inner London - West", "J (58-63)", "Information and communication", [41234, 45000, 51234, 1234567]),
            ],
            edition=2024,
        )
    )
    out = gva.read_gva_by_industry(raw, "gva_itl2_cp_2024")
    TIDY_SCHEMA.validate(out)
    assert list(out.columns) == TIDY_COLUMNS
    j = out[out.industry_code == "J"].set_index("year")["value"]
    assert j.to_dict() == {2019: 41234.0, 2020: 45000.0, 2021: 51234.0, 2022: 1234567.0}
    assert set(out.industry_code) == {"02-03", "J"}
    row = out.iloc[0]
    assert (row.region_name, row.geography_level, row.itl1_code) == ("Inner London - West", "ITL2", "TLI")
    assert out.unit.iloc[0].startswith("GBP million, current")


def test_gva_2023_layout_region_levels(tmp_path):
    raw = tmp_path / "t.csv"
    rows = [(code, name, "Total", "All industries", [10, 20, 30]) for code, name in
            [("UK", "United Kingdom"), ("TLB", "England"), ("TLC", "North East"), ("TLZ", "Extra-Regio"), ("UKX", "UK less ER")]]
    raw.write_bytes(gva_industry_csv(rows, edition=2023))
    out = gva.read_gva_by_industry(raw, "gva_itl1_cvm_2023")
    levels = out.drop_duplicates("region_code").set_index("region_code")["geography_level"].to_dict()
    assert levels == {"UK": "UK", "TLB": "Country", "TLC": "ITL1", "TLZ": "Extra-Regio", "UKX": "UK less Extra-Regio"}
    assert out.loc[out.region_code == "UKX", "region_name"].iloc[0] == "United Kingdom less Extra-Regio"
    assert (out.measure == "gva_chained_volume").all()


def test_renamed_column_names_file_and_column(tmp_path):
    raw = tmp_path / "renamed.csv"
    raw.write_bytes(gva_industry_csv([("TLC", "North East", "Total", "All", [1, 2, 3])]).replace(b"SIC07 code", b"SIC 2007 code"))
    with pytest.raises(SourceFormatError) as error:
        gva.read_gva_by_industry(raw, "gva_itl1_cp_2023")
    message = str(error.value)
    assert "renamed.csv" in message and "gva_itl1_cp_2023" in message and "'SIC07 code'" in message


def test_population_unavailable_cells_are_missing(tmp_path):
    raw = tmp_path / "pop.csv"
    raw.write_bytes(
        itl_table_csv(
            [
                ("ITL1", "TLM", "Scotland", ["5,466,000", "5,479,900"]),
                ("ITL3", "TLM61", "Inverness", ["120,000", "[u]"]),
            ],
            ["2021", "2022"],
        )
    )
    out = gva.read_itl_table(raw, "population_2024", None, measure="population", unit="persons")
    values = out.set_index(["region_code", "year"])["value"]
    assert values[("TLM", 2022)] == 5_479_900
    assert pd.isna(values[("TLM61", 2022)])
    assert out.set_index("region_code").loc["TLM61", "region_name"].iloc[0] == "Inverness"  # ITL3 name from file


def _smc_rows(missing: str) -> list[dict]:
    return [
        {"chart_type": "trend", "area_name": "United Kingdom", "primary_split_type": "time_period",
         "primary_split_value": "2023", "time_period": "2023", "value": "45.1", "unit": "billions of £"},
        {"chart_type": "geography", "area_name": "Cheshire", "area_type": "ITL2", "primary_split_type": "area_name",
         "primary_split_value": "Cheshire", "secondary_split_type": "quintile", "secondary_split_value": "5",
         "time_period": "2023", "value": "202.1", "unit": "millions of £"},
        {"chart_type": "geography", "area_name": "West Wales and The Valleys", "area_type": "ITL2",
         "primary_split_type": "area_name", "primary_split_value": "West Wales and The Valleys",
         "secondary_split_type": "quintile", "secondary_split_value": "1", "time_period": "2023", "value": missing,
         "unit": "millions of £"},
    ]


@pytest.mark.parametrize(("son", "source_id", "missing"), [(25, "berd_itl2_son25", ""), (26, "berd_itl2_son26", "NA")])
def test_smc_both_vintages_and_missing_markers(tmp_path, son, source_id, missing):
    raw = tmp_path / "smc.csv"
    raw.write_bytes(smc_csv(_smc_rows(missing), son=son))
    out = innovation.read_smc(raw, source_id).set_index(["region_code", "measure"])
    assert out.loc[("UK", "berd_total"), "value"] == 45.1
    assert out.loc[("TLD6", "berd_per_100k_residents"), "value"] == 202.1
    assert pd.isna(out.loc[("TLL1", "berd_per_100k_residents"), "value"])
    assert out.loc[("TLD6", "berd_per_100k_residents"), "itl1_code"] == "TLD"


def test_smc_pooled_period_has_no_year(tmp_path):
    rows = [
        {"chart_type": "trend", "area_name": "United Kingdom", "primary_split_type": "higher_degree_binary",
         "secondary_split_type": "year", "secondary_split_value": "2014", "time_period": "2014-2025", "value": "9.3"},
        {"chart_type": "geography_caterpillar", "area_name": "Cheshire", "primary_split_type": "higher_degree_binary",
         "secondary_split_type": "itl2_current_geo", "secondary_split_value": "Cheshire", "time_period": "2014-2025",
         "value": "16.0"},
    ]
    raw = tmp_path / "dr53.csv"
    raw.write_bytes(smc_csv(rows, son=26))
    out = innovation.read_smc(raw, "smc_postgraduate").set_index("region_code")
    assert out.loc["UK", "year"] == 2014 and out.loc["UK", "period"] == "2014"
    assert pd.isna(out.loc["TLD6", "year"]) and out.loc["TLD6", "period"] == "2014-2025"


def test_nesta_nuts_vintages(tmp_path):
    raw = tmp_path / "vc.csv"
    raw.write_text(
        "year,nuts_id,nuts_year_spec,gbp_venture_capital_received\n"
        "2012,UKI1,2010,1000\n"  # old London code: no ITL2 equivalent
        "2018,UKI3,2016,2500\n"  # NUTS 2016 = ITL2 2021
        "2018,UKM7,2016,300\n"
    )
    out = innovation.read_nesta_indicator(raw, "nesta_venture_capital").set_index("region_code")
    assert out.loc["UKI1", "geography_level"] == "NUTS2" and out.loc["UKI1", "itl1_code"] == "TLI"
    assert out.loc["TLI3", "geography_level"] == "ITL2" and out.loc["TLI3", "region_name"] == "Inner London - West"
    assert out.loc["TLM7", "itl1_code"] == "TLM"
    assert out["value"].sum() == 3800


def test_bres_rds_nuts_codes_and_names(tmp_path):
    import pyreadr
    frame = pd.DataFrame(
        {
            "DATE": [2021.0, 2021.0],
            "GEOGRAPHY_NAME": ["Northumberland and Tyne and Wear", "West Wales"],
            "GEOGRAPHY_CODE": ["UKC2", "UKL1"],
            "INDUSTRY_NAME": ["62 : Computer programming, consultancy and related activities", "01 : Crop and animal production"],
            "INDUSTRY_CODE": ["62", "01"],
            "COUNT": [12500.0, 4000.0],
        }
    )
    raw = tmp_path / "bres.rds"
    pyreadr.write_rds(str(raw), frame)
    out = employment.read_bres_sic2(raw).set_index("region_code")
    assert out.loc["TLC2", "industry_code"] == "62"
    assert out.loc["TLC2", "industry_name"] == "Computer programming, consultancy and related activities"
    assert out.loc["TLL1", "industry_code"] == "01"  # leading zero kept
    assert out.loc["TLL1", "region_name"] == "West Wales and The Valleys"
    assert out.loc["TLC2", "year"] == 2021


def test_bres_sections_by_nuts_names(tmp_path):
    import pyreadr
    frame = pd.DataFrame(
        {
            "DATE": [2022.0, 2022.0],
            "GEOGRAPHY_NAME": ["West Wales", "Inner London - East"],
            "SIC_SECTION_NAME": ["Information and communication", "Wholesale and retail trade; repair of motor vehicles"],
            "COUNT": [1234.5, 100.0],
        }
    )
    raw = tmp_path / "ft.rds"
    pyreadr.write_rds(str(raw), frame)
    out = employment.read_bres_ft_sections(raw).set_index("region_code")
    assert out.loc["TLL1", "industry_code"] == "J" and out.loc["TLL1", "value"] == 1234.5
    assert out.loc["TLI4", "industry_code"] == "G"


@pytest.mark.parametrize(("cell", "expected"), [("Mar 20 4 (r)", "2020-Q1"), ("Jun 21 (p)", "2021-Q2"),
                                                ("Dec 99  ", "1999-Q4"), ("1. Workforce Jobs estimates", None)])
def test_jobs05_quarter_labels(cell, expected):
    assert employment._quarter(cell) == expected
