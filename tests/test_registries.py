"""The registries that hold one fact each: region codes by level and ITL1 parents (``helpers.regions``), SIC 2007
sections and the ICT/finance divisions (``helpers.sic``), and the year x region reshaper (``analysis.tables``).
Expected values are written out here from ONS conventions, not read from the modules' own constants."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import regions, sic
from helpers.data.indicators import with_sources, year_by_region
from helpers.errors import UnknownRegionError

ITL1 = ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN"]


def test_codes_by_level():
    assert regions.codes("ITL1") == ITL1
    itl2 = regions.codes("ITL2")
    assert len(itl2) == 41 and itl2[:3] == ["TLC1", "TLC2", "TLD1"] and itl2[-1] == "TLN0"
    assert regions.codes("ITL2") == regions.itl2_codes()


@pytest.mark.parametrize("level", ["ITL4", "itl1", "UK", ""])
def test_codes_rejects_other_levels(level):
    with pytest.raises(ValueError, match="level must be one of"):
        regions.codes(level)


@pytest.mark.parametrize(("code", "parent"), [("TLI", "TLI"), ("TLI3", "TLI"), ("TLG31", "TLG"), ("TLN0", "TLN"),
                                              ("TLC2", "TLC"), ("UK", None), ("UKX", None), ("TLB", None), ("TLZ", None)])
def test_parent_itl1(code, parent):
    assert regions.parent_itl1(code) == parent


def test_parent_itl1_of_every_itl2_area_is_its_registry_region():
    parents = {area: regions.parent_itl1(area) for area in regions.codes("ITL2")}
    assert set(parents.values()) == set(ITL1)
    assert [a for a, p in parents.items() if p == "TLI"] == ["TLI3", "TLI4", "TLI5", "TLI6", "TLI7"]
    assert regions.in_itl1("TLI5", "TLI") and not regions.in_itl1("TLJ1", "TLI") and not regions.in_itl1("UK", "TLI")


@pytest.mark.parametrize("code", ["TLX", "TLX1", "TLC9", "UKI3"])
def test_parent_itl1_of_unknown_codes_is_an_error(code):
    with pytest.raises(UnknownRegionError):
        regions.parent_itl1(code)


def test_sic_sections_and_divisions():
    sections = sic.sic_sections()
    assert sections.index.tolist() == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert sic.section_name("J") == "Information and communication"
    assert sic.section_for_name(" Financial and insurance activities ") == "K"
    assert sic.section_for_name("Water supply; sewerage and waste management") == "E"  # an alias
    with pytest.raises(ValueError, match="unknown SIC 2007 section name"):
        sic.section_for_name("Tech")
    assert sic.ICT_DIVISIONS == ["58", "59", "60", "61", "62", "63"]
    assert sic.SOFTWARE_DIVISIONS == ["62", "63"]
    assert sic.FINANCE_DIVISIONS == ["64", "65", "66"]
    assert sic.section_divisions() == {"J": sic.ICT_DIVISIONS, "K": sic.FINANCE_DIVISIONS}
    with pytest.raises(ValueError, match="divisions are defined"):
        sic.divisions("C")


def test_analysis_and_loader_use_the_sic_registry():
    from helpers.data import indicators
    from helpers.data.loaders import employment
    from helpers.questions import ict_finance
    from helpers.questions.ict_finance import decomposition  # noqa: F401

    assert indicators.ICT_DIVISIONS is sic.ICT_DIVISIONS and indicators.SOFTWARE_DIVISIONS is sic.SOFTWARE_DIVISIONS
    assert ict_finance.decomposition.DIVISIONS == {"J": ["58", "59", "60", "61", "62", "63"], "K": ["64", "65", "66"]}
    assert employment.section_for_name is sic.section_for_name and employment.sic_sections is sic.sic_sections


def _rows(records):
    columns = ["region_code", "geography_level", "itl1_code", "year", "value", "source_id"]
    return pd.DataFrame(records, columns=columns)


def test_year_by_region_pivots_orders_and_sums():
    rows = _rows([("TLI", "ITL1", "TLI", 2020, 5.0, "a"), ("TLC", "ITL1", "TLC", 2020, 1.0, "a"),
                  ("TLC", "ITL1", "TLC", 2021, 2.0, "b"), ("TLC", "ITL1", "TLC", 2021, 3.0, "b"),
                  ("TLI3", "ITL2", "TLI", 2020, 99.0, "c")])
    table = year_by_region(rows, "ITL1")
    assert table.columns.tolist() == ITL1 and table.index.tolist() == [2020, 2021]
    assert table.loc[2020, "TLC"] == 1.0 and table.loc[2021, "TLC"] == 5.0  # two rows for one cell are summed
    assert table.loc[2020, "TLI"] == 5.0 and pd.isna(table.loc[2021, "TLI"]) and table["TLD"].isna().all()
    assert table.attrs["source_ids"] == ["a", "b"]  # the ITL2 row's source is not in the table
    explicit = year_by_region(rows[rows.geography_level == "ITL1"], columns=["TLI", "TLC"])
    assert explicit.columns.tolist() == ["TLI", "TLC"] and explicit.loc[2020].tolist() == [5.0, 1.0]


def test_year_by_region_aggregates_itl2_to_itl1_and_indexes_dates():
    rows = _rows([("TLI3", "ITL2", "TLI", 2020, 2.0, "x"), ("TLI4", "ITL2", "TLI", 2020, 3.0, "x"),
                  ("UKJ1", "NUTS2", "TLJ", 2020, 4.0, "x")])
    table = year_by_region(rows, "ITL1", aggregate_from_itl2=True)
    assert table.loc[2020, "TLI"] == 5.0 and table.loc[2020, "TLJ"] == 4.0
    assert year_by_region(rows, "ITL1").empty
    dated = rows.assign(date=pd.to_datetime(["2020-02-01", "2020-02-02", "2020-02-01"]))
    wide = year_by_region(dated, index="date")
    assert wide.index.tolist() == [pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-02")]
    assert wide.columns.tolist() == ["TLI3", "TLI4", "UKJ1"]


def test_with_sources_keeps_order_and_drops_duplicates():
    table = with_sources(pd.DataFrame({"x": [1]}), ["b", "a", "b"])
    assert table.attrs["source_ids"] == ["b", "a"]
