"""Loaders of the Indeed AI tracker, the national and city postings indices, and the DCMS digital sector from BRES
subclasses, on small fixtures in the publishers' layouts."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.loaders import digital_sector, indeed
from helpers.data.schema import TIDY_SCHEMA, validate
from helpers.errors import SourceFormatError


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_ai_share_keeps_the_uk_rows_and_the_national_index_both_variables(tmp_path):
    share = _write(tmp_path, "ai.csv", "date,jobcountry,AI_share_postings\n2024-06-01,GB,3.5\n2024-06-01,US,4.0\n"
                                       "2025-06-01,GB,7.0\n")
    genai = _write(tmp_path, "genai.csv", "date,jobcountry,GenAI_share_postings\n2025-06-01,GB,0.5\n")
    national = _write(tmp_path, "national.csv",
                      "date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"
                      "2025-06-01,GB,80.0,81.0,total postings\n2024-06-01,GB,100.0,99.0,total postings\n"
                      "2025-06-01,GB,70.0,71.0,new postings\n")
    rows = indeed.build_ai_postings({"indeed_ai_share": share, "indeed_genai_share": genai,
                                     "indeed_postings_national": national})
    validate(rows, TIDY_SCHEMA, what="fixture")
    ai = rows[rows.measure == "ai_share_of_postings"].set_index("period")["value"]
    assert ai.to_dict() == {"2024-06-01": 3.5, "2025-06-01": 7.0}  # the US row is not the UK
    assert set(rows.region_code) == {"UK"}
    total = rows[rows.measure == "job_postings_index"].set_index("period")["value"]
    assert total.to_dict() == {"2024-06-01": 100.0, "2025-06-01": 80.0}  # seasonally adjusted column
    assert rows[rows.measure == "new_job_postings_index"]["value"].tolist() == [70.0]


def test_ai_share_file_without_uk_rows_or_with_a_renamed_column_is_refused(tmp_path):
    no_uk = _write(tmp_path, "ai.csv", "date,jobcountry,AI_share_postings\n2024-06-01,US,4.0\n")
    with pytest.raises(ValueError, match="no rows for jobcountry 'GB'"):
        indeed.read_share(no_uk, "indeed_ai_share")
    renamed = _write(tmp_path, "ai2.csv", "date,country,AI_share_postings\n2024-06-01,GB,4.0\n")
    with pytest.raises(SourceFormatError, match="jobcountry"):
        indeed.read_share(renamed, "indeed_ai_share")


def test_city_names_lose_the_primary_urban_area_suffix(tmp_path):
    cities = _write(tmp_path, "cities.csv", "date,cities,indeed_job_postings_index\n2020-02-01,London (Primary Urban Area),100\n"
                                            "2020-02-01,Leeds,100\n2021-02-01,Leeds,120.5\n")
    table = indeed.build_city_postings({"indeed_postings_cities": cities})
    validate(table, indeed.CITY_POSTINGS_SCHEMA, what="fixture")
    assert sorted(table.city.unique()) == ["Leeds", "London"]
    assert table[(table.city == "Leeds") & (table.period == "2021-02-01")]["value"].item() == 120.5


def test_digital_sector_sums_exactly_the_22_dcms_classes(tmp_path):
    import pyreadr
    # one subclass per DCMS class (value 10 each) plus two outside the definition (5811 book publishing, 5911 film)
    codes = [f"{c}0" for c in digital_sector.DCMS_DIGITAL_CLASSES] + ["58110", "59111"]
    frame = pd.DataFrame({
        "DATE": [2021.0] * len(codes) * 2,
        "GEOGRAPHY_NAME": ["West Midlands"] * len(codes) + ["Inner London - West"] * len(codes),
        "GEOGRAPHY_CODE": ["UKG3"] * len(codes) + ["UKI3"] * len(codes),
        "INDUSTRY_NAME": [f"{c} : x" for c in codes] * 2,
        "INDUSTRY_CODE": codes * 2,
        "COUNT": [10.0] * len(codes) * 2,
    })
    path = tmp_path / "bres5.rds"
    pyreadr.write_rds(str(path), frame)
    rows = digital_sector.build_digital_sector_employment({"bres_employment_sic5_2023": path})
    validate(rows, TIDY_SCHEMA, what="fixture")
    assert rows.set_index("region_code")["value"].to_dict() == {"TLG3": 220.0, "TLI3": 220.0}
    assert set(rows.itl1_code) == {"TLG", "TLI"}
    assert len(digital_sector.DCMS_DIGITAL_CLASSES) == 22 == len(set(digital_sector.DCMS_DIGITAL_CLASSES))


def test_digital_sector_refuses_a_file_missing_a_class(tmp_path):
    import pyreadr
    frame = pd.DataFrame({"DATE": [2021.0], "GEOGRAPHY_NAME": ["x"], "GEOGRAPHY_CODE": ["UKG3"], "INDUSTRY_NAME": ["x"],
                          "INDUSTRY_CODE": ["62012"], "COUNT": [5.0]})
    path = tmp_path / "bres5.rds"
    pyreadr.write_rds(str(path), frame)
    with pytest.raises(ValueError, match="are not in the file"):
        digital_sector.build_digital_sector_employment({"bres_employment_sic5_2023": path})
