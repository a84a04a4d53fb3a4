"""Compare areas (``helpers.questions.compare``): the number of areas, similar areas at the same level, the ITL3
AI counts (checked against the processed organisations with pandas alone) and the rendered report."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPO

from helpers import regions
from helpers.errors import RegionalDivideError
from helpers.questions.compare import tables as compare


def test_two_to_six_areas():
    assert compare.check_areas(["TLG", "TLD"]) == ["TLG", "TLD"]
    for codes in (["TLG"], ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI"]):
        with pytest.raises(RegionalDivideError, match="Compare 2 to 6 areas"):
            compare.check_areas(codes)


@pytest.mark.parametrize("code", ["TLG", "TLE4", "TLE42"])
def test_similar_areas_are_at_the_same_level_nearest_first(real_data, code):
    similar = compare.similar_areas(code)
    level = regions.geography_level(code)
    assert len(similar) == 5 and code not in similar.index
    assert all(regions.geography_level(c) == level for c in similar.index)
    assert similar["distance"].is_monotonic_increasing and (similar["distance"] > 0).all()
    assert similar.attrs["method"]["areas"] >= 0.9 * len(regions.codes(level))


def test_itl3_ai_counts_match_the_placed_organisations(real_data):
    orgs = pd.read_parquet(REPO / "data" / "processed" / "ai_organisations.parquet")
    expected = orgs.loc[orgs["itl3_code"] != "", "itl3_code"].value_counts()
    counts = compare.ai_counts("ITL3")
    assert counts[counts > 0].sort_index().to_dict() == expected.sort_index().to_dict()


def test_headline_and_growth_name_every_area_and_the_uk(real_data):
    headline = compare.headline(["TLG", "TLE42"])
    assert list(headline.index) == ["TLG", "TLE42", "UK"] and headline.attrs["source_ids"]
    assert pd.isna(headline.at["TLE42", "ict_share_pct"]) and headline.at["UK", "gva_per_hour_uk100"] == 100
    growth = compare.growth(["TLG", "TLE42"])
    assert list(growth.index) == ["TLG", "UK"] and growth.shape[1] == 4  # no GVA by industry at ITL3


def test_ai_organisations_at_itl3_are_keyed_on_itl3_and_add_up_to_itl1(real_data):
    from helpers.data import indicators

    orgs = pd.read_parquet(REPO / "data" / "processed" / "ai_organisations.parquet")
    itl3 = indicators.ai_organisations("ITL3").iloc[0]
    assert list(itl3.index) == regions.codes("ITL3")
    expected_itl1 = orgs.loc[orgs["itl1_code"] != "", "itl1_code"].value_counts()
    by_parent = itl3.groupby(itl3.index.str[:3]).sum()  # an ITL3 code begins with its ITL1 code
    assert by_parent[by_parent > 0].sort_index().to_dict() == expected_itl1.sort_index().to_dict()
    placed = set(orgs.loc[orgs["itl3_code"] != "", "itl3_code"])
    assert placed and (itl3.loc[sorted(placed)] > 0).all()
