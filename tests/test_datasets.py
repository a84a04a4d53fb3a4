"""Building processed datasets: incremental rebuilds, provenance, and faults that must lose nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from fixtures import itl_table_csv

from helpers.data import datasets
from helpers.data.imports import PACKAGE_DIR, code_files
from helpers.errors import ChecksumMismatchError, SourceFormatError, UnknownDatasetError

REPO = Path(__file__).resolve().parents[1]
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


def test_load_checks_again_after_a_file_changes_in_the_same_process(accounts):
    """``load`` skips the hashing while nothing changed, but a raw file damaged after a load, or a processed table
    deleted, is still caught on the next load in the same process."""
    datasets.load("regional_accounts")
    raw = accounts.raw / "ons_gva" / "t6.csv"
    raw.write_bytes(raw.read_bytes().replace(b"250", b"260"))
    with pytest.raises(ChecksumMismatchError, match="changed or damaged"):
        datasets.load("regional_accounts")
    raw.unlink()  # fetched again from the mirror on the next load
    dataset = datasets.get_dataset("regional_accounts")
    dataset.path.unlink()
    frame = datasets.load("regional_accounts")
    assert dataset.path.exists() and not frame.empty


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


# ---------------------------------------------------------------- reference tables and fingerprints


def test_a_reference_table_is_a_dataset(project):
    claims = datasets.load("claims")
    assert "claim_id" in claims.columns and claims["regions"].map(type).eq(str).all()  # no NaN for empty cells
    zones = datasets.load("ai_growth_zones")
    assert zones["targeted_funding_gbp"].dtype.kind == "i"
    record = datasets.provenance("claims")
    assert record["file"] == "data/reference/claims.csv" and record["rows"] == len(claims) and record["sources"] == []
    assert datasets.ensure_built(datasets.get_dataset("claims")) is False  # nothing to build


@pytest.fixture
def real_manifest(project):
    """The project's manifest replaced by the real one (fingerprints read it; nothing is fetched or built)."""
    (project.home / "data" / "sources.yml").write_bytes((REPO / "data" / "sources.yml").read_bytes())
    return project


def _fingerprints() -> dict[str, str]:
    return {name: datasets.fingerprint(name) for name in datasets.DATASETS}


def test_a_reference_file_changes_only_the_datasets_that_read_it(real_manifest):
    reference = real_manifest.home / "data" / "reference"
    before = _fingerprints()
    with (reference / "claims.csv").open("a") as handle:
        handle.write("new_claim,a new claim,quote,document,someone,growth comparison,\n")
    after = _fingerprints()
    assert [name for name in before if before[name] != after[name]] == ["claims"]

    with (reference / "sic2007_sections.csv").open("a") as handle:
        handle.write("Z,A new section,\n")
    assert [name for name, fp in _fingerprints().items() if fp != after[name]] == ["employment"]

    after = _fingerprints()
    with (reference / "itl1_regions.csv").open("a") as handle:
        handle.write("\n")
    changed = [name for name, fp in _fingerprints().items() if fp != after[name]]
    readers = [n for n, d in datasets.DATASETS.items() if isinstance(d, datasets.Dataset) and "itl1_regions.csv" in d.reference]
    assert changed == readers and "city_job_postings" not in readers  # not the tables, nor data without ITL codes


def test_a_dataset_fingerprint_covers_its_loader_and_the_helpers_it_imports():
    employment = datasets.get_dataset("employment")
    files = {f.relative_to(PACKAGE_DIR).as_posix() for f in code_files(employment.code_modules, with_packages=False)}
    assert {"data/loaders/employment.py", "data/loaders/common.py", "data/schema.py", "regions.py"} <= files
    assert not {"data/loaders/gva.py", "headlines.py", "data/datasets.py"} & files
