"""The region registry against ONS conventions (shared/data/README.md) and the boundary files."""

from __future__ import annotations

import re

import pytest

from helpers import regions
from helpers.errors import UnknownRegionError


def test_itl1_registry():
    table = regions.itl1()
    assert table.index.tolist() == [f"TL{c}" for c in "CDEFGHIJKLMN"]
    gss = dict(zip(table.index, table.gss_code))
    assert [gss[f"TL{c}"] for c in "CDEFGHIJK"] == [f"E1200000{i}" for i in range(1, 10)]
    assert (gss["TLL"], gss["TLM"], gss["TLN"]) == ("W92000004", "S92000003", "N92000002")
    assert (table.nuts2016_code == "UK" + table.index.str[2]).all()


def test_colours_fixed_distinct_and_hex():
    colours = regions.itl1_colours()
    assert len(set(colours.values())) == 12
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours.values())


def test_itl2_registry_maps_to_itl1():
    table = regions.itl2()
    assert len(table) == 41
    assert set(table.itl1_code) == set(regions.itl1_codes())
    assert (table.index.str[:3] == table.itl1_code).all()
    assert (table.nuts2016_code == "UK" + table.index.str[2:]).all()


@pytest.mark.parametrize(
    ("name", "code"),
    [("Yorkshire & the Humber", "TLE"), ("East of England", "TLH"), ("London", "TLI"), ("Northern Ireland", "TLN")],
)
def test_itl1_names_from_other_publishers(name, code):
    assert regions.itl1_code_for_name(name) == code


def test_itl2_nuts2016_names():
    assert regions.itl2_code_for_name("Northumberland and Tyne and Wear") == "TLC2"
    assert regions.itl2_code_for_name("West Wales") == "TLL1"
    assert regions.itl2_code_for_name("West Wales and The Valleys") == "TLL1"


def test_levels_and_parents():
    assert [regions.geography_level(c) for c in ("UK", "UKX", "TLB", "TLZ", "TLI", "TLI3", "TLI31")] == [
        "UK", "UK less Extra-Regio", "Country", "Extra-Regio", "ITL1", "ITL2", "ITL3"]
    assert regions.parent_itl1("TLG31") == "TLG" and regions.parent_itl1("UK") is None


def test_unknown_region_lists_valid_codes():
    with pytest.raises(UnknownRegionError, match=r"Unknown region code 'TLX'.*Valid codes: TLC, TLD"):
        regions.validate_region("TLX")
    with pytest.raises(UnknownRegionError, match="Closest known names"):
        regions.itl1_code_for_name("West Midland")
