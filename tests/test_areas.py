"""The one area resolver (``helpers.data.areas``): common city names, accents and case, suggestions, several areas,
and the landing page's search entries. The codes expected are read from the registry files and the ONS LAD lookup
(pandas alone), not from the resolver."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPO

from helpers.data import areas
from helpers.errors import UnknownRegionError

ITL3 = pd.read_csv(REPO / "data" / "reference" / "itl3_regions.csv", dtype=str)


def _itl3(official_name: str) -> str:
    return ITL3.loc[ITL3["itl3_name"] == official_name, "itl3_code"].item()


@pytest.mark.parametrize(("typed", "official"), [
    ("Bristol", "Bristol, City of"), ("Edinburgh", "City of Edinburgh"), ("Glasgow", "Glasgow City"),
    ("Hull", "Kingston upon Hull, City of"), ("Brighton", "Brighton and Hove"), ("Stoke", "Stoke-on-Trent"),
    ("Leeds", "Leeds"), ("LEEDS", "Leeds"), ("stoke on trent", "Stoke-on-Trent"), ("Brístol", "Bristol, City of")])
def test_common_city_names_find_their_itl3_area(typed, official):
    assert areas.resolve(typed) == _itl3(official)


def test_newcastle_is_newcastle_upon_tyne_and_a_place_resolves_at_a_coarser_level(real_data):
    lookup = pd.read_parquet(REPO / "data" / "processed" / "lad_lookup.parquet")
    tyne = lookup.loc[lookup["lad_name"] == "Newcastle upon Tyne", "itl3_code"].item()
    assert areas.resolve("Newcastle") == tyne
    assert areas.resolve("Leeds", levels=("ITL1",)) == _itl3_parent("Leeds")
    assert areas.resolve("tle42", levels=("ITL1",)) == _itl3_parent("Leeds")


def _itl3_parent(official_name: str) -> str:
    return ITL3.loc[ITL3["itl3_name"] == official_name, "itl1_code"].item()


def test_a_miss_names_the_closest_places():
    with pytest.raises(UnknownRegionError, match=r"Did you mean Edinburgh \(TLM75\)"):
        areas.resolve("Edinbrugh")
    with pytest.raises(UnknownRegionError, match=r"No area given"):
        areas.resolve("  ")


def test_several_areas_from_text_or_a_list():
    assert areas.resolve_many("[TLG, TLD, Leeds]") == ["TLG", "TLD", _itl3("Leeds")]
    assert areas.resolve_many(["Bristol", "bristol", "TLK11"]) == [_itl3("Bristol, City of")]


def test_search_entries_cover_every_registry_area_and_the_aliases():
    entries = areas.search_entries()
    codes = {e["code"] for e in entries}
    assert set(ITL3["itl3_code"]) <= codes
    assert {e["name"] for e in entries} >= {"Bristol", "Glasgow", "Leeds", "Hull"}
    assert all(e["area"].startswith("TL") for e in entries)


def test_ai_ecosystem_focus_region_takes_names_through_the_resolver(real_data):
    import json

    from helpers.questions.ecosystem import findings as q2

    itl1 = pd.read_csv(REPO / "data" / "reference" / "itl1_regions.csv", dtype=str)
    lad = pd.read_parquet(REPO / "data" / "processed" / "lad_lookup.parquet")
    for code, name in zip(itl1["itl1_code"], itl1["itl1_name"]):
        assert q2.focus_region(name) == code and q2.focus_region(code.lower()) == code
    birmingham = lad.loc[lad["lad_name"] == "Birmingham", "itl1_code"].item()
    assert q2.focus_region("Birmingham") == birmingham
    with pytest.raises(UnknownRegionError):
        q2.focus_region("Atlantis")
    cells = json.loads((REPO / "notebooks" / "ai_ecosystem.ipynb").read_text())["cells"]
    assert any("q2.focus_region(focus_region)" in "".join(c["source"]) for c in cells)
