"""Building processed datasets: incremental rebuilds, provenance, and faults that must lose nothing."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from fixtures import itl_table_csv
from helpers.pipeline import datasets
from helpers.errors import SourceFormatError, UnknownDatasetError

YEARS = ["2020", "2021"]
ROWS = [("UK", "UK", "United Kingdom", ["1,000", "1,100"]), ("ITL1", "TLI", "London", ["250", "300"])]


def _workbook() -> bytes:
    """The per-head workbook layout: a title row, then 'ITL, ITL code, Region name, years' (Tables 1, 2, 17)."""
    buffer = io.BytesIO()
    table = pd.DataFrame([[r[0], r[1], r[2], 10.0, 11.0] for r in ROWS], columns=["ITL", "ITL code", "Region name", *YEARS])
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet in ("Table 1", "Table 2", "Table 17"):
            pd.DataFrame([[f"{sheet}: title"]]).to_excel(writer, sheet_name=sheet, header=False, index=False)
            table.to_excel(writer, sheet_name=sheet, startrow=1, index=False)
    return buffer.getvalue()


@pytest.fixture
def accounts(project):
    """The regional_accounts dataset's three sources as small fixtures in the project's mirror."""
    project.add_source("gva_total_cp_2024", "ons_gva/t1.csv", itl_table_csv(ROWS, YEARS))
    project.add_source("population_2024", "ons_gva/t6.csv", itl_table_csv(ROWS, YEARS))
    project.add_source("gva_per_head_2023", "ons_gva/perhead.xlsx", _workbook())
    return project


def test_build_then_nothing_to_do_then_rebuild_on_change(accounts):
    dataset = datasets.get_dataset("regional_accounts")
    assert datasets.ensure_built(dataset) is True
    assert datasets.ensure_built(dataset) is False
    frame = datasets.load("regional_accounts")
    london = frame[(frame.region_code == "TLI") & (frame.source_id == "population_2024")]
    assert london.set_index("year")["value"].to_dict() == {2020: 250.0, 2021: 300.0}
    record = json.loads(dataset.provenance_path.read_text())
    assert [s["id"] for s in record["sources"]] == ["gva_total_cp_2024", "population_2024", "gva_per_head_2023"]
    assert record["rows"] == len(frame)

    changed = [("UK", "UK", "United Kingdom", ["1,000", "1,200"]), ROWS[1]]
    accounts.add_source("population_2024", "ons_gva/t6b.csv", itl_table_csv(changed, YEARS))
    assert datasets.ensure_built(dataset) is True
    frame = datasets.load("regional_accounts")
    uk = frame[(frame.region_code == "UK") & (frame.source_id == "population_2024")]
    assert uk.set_index("year")["value"][2021] == 1200.0


def _assert_fault_loses_nothing(project, dataset, before, match):
    with pytest.raises(SourceFormatError, match=match) as error:
        datasets.ensure_built(dataset)
    after = project.snapshot()
    processed = {k: v for k, v in before.items() if "processed" in k}
    assert {k: after[k] for k in processed} == processed, "the last good processed table was changed"
    assert not [k for k in after if k.endswith(".part")]
    return str(error.value)


def test_truncated_spreadsheet_keeps_last_good_table(accounts):
    dataset = datasets.get_dataset("regional_accounts")
    datasets.ensure_built(dataset)
    before = accounts.snapshot()
    truncated = _workbook()[:2000]  # as if a download stopped early; its checksum is declared, so only parsing fails
    accounts.add_source("gva_per_head_2023", "ons_gva/perhead_truncated.xlsx", truncated)
    message = _assert_fault_loses_nothing(accounts, dataset, before, "Could not build dataset 'regional_accounts'")
    assert "perhead_truncated.xlsx" in message and "delete it from data/raw" in message


def test_renamed_upstream_column_keeps_last_good_table(accounts):
    dataset = datasets.get_dataset("regional_accounts")
    datasets.ensure_built(dataset)
    before = accounts.snapshot()
    renamed = itl_table_csv(ROWS, YEARS).replace(b"ITL code", b"ITL21 code")
    accounts.add_source("population_2024", "ons_gva/t6_renamed.csv", renamed)
    message = _assert_fault_loses_nothing(accounts, dataset, before, "does not have the expected layout")
    assert "t6_renamed.csv" in message and "population_2024" in message and "'ITL code'" in message


def test_unknown_dataset():
    with pytest.raises(UnknownDatasetError, match=r"Unknown dataset 'gva'.*gva_by_industry"):
        datasets.get_dataset("gva")
