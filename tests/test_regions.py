"""The region registry against ONS conventions (shared/data/README.md) and the boundary files."""

from __future__ import annotations

import re

import pytest

from helpers import regions
from helpers.data import areas
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


# ---------------------------------------------------------------- ITL3, names and local authorities


def _geojson_itl3() -> dict[str, str]:
    """ITL3 code -> name, read independently from the ONS boundary file as fetched into data/raw."""
    import json

    from helpers.data.sources import fetch

    path = fetch(["geo_itl3"])["geo_itl3"]
    features = json.loads(path.read_text())["features"]
    return {f["properties"]["ITL321CD"]: f["properties"]["ITL321NM"] for f in features}


def test_itl3_registry_has_179_areas_each_in_a_known_itl2_area():
    codes = regions.codes("ITL3")
    assert len(codes) == len(set(codes)) == 179 and codes == sorted(codes)
    table = regions.itl3()
    assert set(table.itl2_code) <= set(regions.itl2_codes()) and set(table.itl2_code) == set(regions.itl2_codes())
    assert (table.index.str[:4] == table.itl2_code).all() and (table.index.str[:3] == table.itl1_code).all()
    assert regions.parent_itl1("TLI31") == "TLI" and regions.parent_itl2("TLE32") == "TLE3"
    assert regions.region_name("TLE32") == "Sheffield"
    assert regions.validate_region("TLE32", levels=("ITL3",)) == "TLE32"
    with pytest.raises(UnknownRegionError, match="Unknown region code 'TLE32'"):
        regions.validate_region("TLE32", levels=("ITL1", "ITL2"))


def test_itl3_names_match_the_ons_boundaries(real_data):
    assert {c: regions.region_name(c) for c in regions.codes("ITL3")} == _geojson_itl3()


@pytest.mark.parametrize(("text", "code"), [("west midlands", "TLG"), ("WEST MIDLANDS", "TLG"), ("tle32", "TLE32"),
                                            ("Sheffield", "TLE32"), ("Yorkshire & the Humber", "TLE"),
                                            ("Northumberland and Tyne and Wear", "TLC2")])
def test_resolve_names_and_codes(text, code):
    assert areas.resolve(text) == code


def test_resolve_suggests_on_a_miss():
    with pytest.raises(UnknownRegionError, match=r"Unknown region 'West Midland'.*Did you mean West Midlands \(TLG"):
        areas.resolve("West Midland")
    with pytest.raises(UnknownRegionError, match=r"Did you mean .*TLE3"):
        areas.resolve("TLE9", levels=("ITL2",))


def test_local_authority_finds_its_itl3_area(real_data):
    assert areas.resolve("Birmingham") == "TLG31" and regions.parent_itl1(areas.resolve("Birmingham")) == "TLG"
    assert areas.resolve("E08000025") == "TLG31"  # Birmingham's LAD 2020 code
    assert areas.resolve("Stockton-on-Tees") == "TLC11" and areas.resolve("Stockton-on-Tees", levels=("ITL1",)) == "TLC"
    with pytest.raises(UnknownRegionError, match="'Highland' is split across ITL3 areas"):
        areas.resolve("Highland")
    assert areas.resolve("Highland", levels=("ITL2",)) == "TLM6"
