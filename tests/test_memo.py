"""``helpers.data.memo``: memoized table builders are computed once per argument set and data version, hand out
independent copies."""

from __future__ import annotations

import os

import pandas as pd

from helpers.data import datasets, memo


def _counting_builder():
    calls = []

    @memo.memoized
    def claims_of_kind(kind: str, columns=("claim_id",)) -> pd.DataFrame:
        calls.append((kind, columns))
        table = datasets.load("claims")
        out = table[list(columns)].copy() if kind == "all" else table.loc[table.claim_type == kind, list(columns)]
        out.attrs["note"] = "fresh"
        return out

    return claims_of_kind, calls


def test_second_call_served_from_memo_with_equal_result(project):
    build, calls = _counting_builder()
    first = build("all")
    second = build("all")
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second)
    build("statistic")
    assert len(calls) == 2


def test_list_and_tuple_arguments_share_an_entry(project):
    build, calls = _counting_builder()
    build("all", columns=["claim_id"])
    build("all", columns=("claim_id",))
    assert len(calls) == 1


def test_callers_get_independent_copies(project):
    build, _ = _counting_builder()
    first = build("all")
    first["claim_id"] = "changed"
    first.attrs["note"] = "changed"
    second = build("all")
    assert "changed" not in set(second["claim_id"])
    assert second.attrs["note"] == "fresh"


def test_changed_data_is_read_afresh(project):
    build, calls = _counting_builder()
    before = build("all")
    reference = project.home / "data" / "reference" / "claims.csv"
    text = reference.read_text(encoding="utf-8")
    header, first_row = text.splitlines()[:2]
    reference.write_text(header + "\n" + first_row + "\n", encoding="utf-8")
    stat = reference.stat()
    os.utime(reference, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new version even on coarse clocks
    after = build("all")
    assert len(calls) == 2
    assert len(after) <= 1 < len(before)


def test_the_memo_keys_on_content_not_on_modification_times(project):
    """Touching a reference table (a new modification time, the same bytes) keeps the memoized result; the data
    version is the tables' content fingerprints."""
    build, calls = _counting_builder()
    build("all")
    version = datasets.data_version()
    reference = project.home / "data" / "reference" / "claims.csv"
    stat = reference.stat()
    os.utime(reference, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    build("all")
    assert len(calls) == 1 and datasets.data_version() == version


def test_unhashable_arguments_run_the_builder_every_time(project):
    calls = []

    @memo.memoized
    def total(frame: pd.DataFrame) -> float:
        calls.append(1)
        return float(frame["v"].sum())

    frame = pd.DataFrame({"v": [1.0, 2.0]})
    assert total(frame) == total(frame) == 3.0
    assert len(calls) == 2


def test_clear_forgets_every_result(project):
    build, calls = _counting_builder()
    build("all")
    memo.clear()
    build("all")
    assert len(calls) == 2
