"""Tracking sources: `sources check` / `sources update` against a local HTTP server, with the lock, vintages,
revisions and rerun keys (issue: living data). Fixture files are in the real Indeed layouts."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from types import SimpleNamespace

import local_server
import pytest
import yaml
from local_server import Route

from helpers import cli
from helpers.data import download, sources, tracking, updates
from helpers.data.vintages import list_vintages, revisions

REGIONS = "indeed_postings_regions"
CITIES = "indeed_postings_cities"
OLD = (b"date,region,indeed_job_postings_index\n"
       b"2020-02-01,London,100.0\n2020-02-01,Scotland,100.0\n2020-02-01,Wales,100.0\n"
       b"2020-02-02,London,101.5\n2020-02-02,Scotland,99.0\n2020-02-02,Wales,100.2\n")
NEW = (OLD.replace(b"2020-02-02,London,101.5", b"2020-02-02,London,103.0")  # one revised value
       + b"2020-02-03,London,104.0\n2020-02-03,Scotland,98.5\n2020-02-03,Wales,100.9\n")  # one more day
CITY_FILE = (b"date,cities,indeed_job_postings_index\n2020-02-01,London (Primary Urban Area),100.0\n"
             b"2020-02-01,Manchester,100.0\n")


@pytest.fixture
def server():
    base, httpd = local_server.start()
    yield base, local_server.Handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def tracked(project, server, monkeypatch):
    """A project whose Indeed regions and cities sources track URLs on the local server; lock written; both
    datasets built from the versions in use."""
    base, handler = server
    monkeypatch.setattr(download, "TIMEOUT_S", 1)
    monkeypatch.setattr(download, "RETRIES", 0)
    project.add_source(REGIONS, "job_adverts/regions.csv", OLD)
    project.add_source(CITIES, "job_adverts/cities.csv", CITY_FILE)
    for entry in project.entries:
        entry["tracking"] = {"latest_url": f"{base}/latest/{entry['id']}.csv"}
    (project.home / "data/sources.yml").write_text(yaml.safe_dump({"sources": project.entries}, sort_keys=False))
    tracking.write_lock({e["id"]: {k: e[k] for k in ("release", "path", "url", "sha256", "bytes")}
                         | {"retrieved": "2026-08-19", "upstream": {"sha256": e["sha256"]}, "previous": []}
                         for e in project.entries})
    handler.routes = {f"/latest/{REGIONS}.csv": Route(OLD), f"/latest/{CITIES}.csv": Route(CITY_FILE)}
    from helpers.data.datasets import DATASETS, ensure_built

    for name in ("job_postings", "city_job_postings"):
        ensure_built(DATASETS[name])
    return SimpleNamespace(project=project, base=base, handler=handler)


def _set_latest(tracked, payload: bytes, source_id: str = REGIONS):
    tracked.handler.routes[f"/latest/{source_id}.csv"] = Route(payload)


def _point_at(tracked, route: str, source_id: str = REGIONS):
    project = tracked.project
    for entry in project.entries:
        if entry["id"] == source_id:
            entry["tracking"]["latest_url"] = f"{tracked.base}/{route}/{source_id}.csv"
    (project.home / "data/sources.yml").write_text(yaml.safe_dump({"sources": project.entries}, sort_keys=False))


def test_lock_decides_the_version_in_use(tracked):
    source = sources.get_source(REGIONS)
    assert source.is_tracking and source.retrieved == "2026-08-19"
    assert source.sha256 == hashlib.sha256(OLD).hexdigest()
    assert sources.load_manifest(locked=False)[REGIONS].sha256 == source.sha256


def test_check_exit_statuses(tracked, capsys):
    assert cli.main(["sources", "check"]) == 0  # nothing new: hashes compared (no metadata recorded yet)
    out = capsys.readouterr().out
    assert "current" in out and REGIONS in out and CITIES in out
    _set_latest(tracked, NEW)
    assert cli.main(["sources", "check"]) == tracking.UPDATES_AVAILABLE
    assert "update" in capsys.readouterr().out
    assert cli.main(["sources", "check", CITIES]) == 0
    assert cli.main(["sources", "check", "no_such_source"]) == 2


def test_check_uses_http_metadata_when_recorded(tracked):
    tracked.handler.headers_extra = {"ETag": '"v1"'}
    lock = sources.load_lock()
    lock[REGIONS]["upstream"] = {"etag": '"v1"', "sha256": "not the file's hash"}
    tracking.write_lock(lock)
    [result] = tracking.check([REGIONS])
    assert result.status == "current" and "metadata" in result.detail
    assert not any(h.startswith("GET") for h in tracked.handler.hits)  # decided from HEAD alone
    tracked.handler.headers_extra = {"ETag": '"v2"'}
    [result] = tracking.check([REGIONS])
    assert result.status == "update" and "ETag" in result.detail


def test_valid_new_version_is_taken_in(tracked, tmp_path):
    from helpers.data.datasets import fingerprint, load
    from helpers.site.state import run_key

    project = tracked.project
    before = {n: fingerprint(n) for n in ("job_postings", "city_job_postings")}
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}")
    runs = [SimpleNamespace(notebook_path=notebook, parameters={}, datasets=[d])
            for d in ("job_postings", "city_job_postings")]
    keys_before = [run_key(r, "code", before) for r in runs]
    _set_latest(tracked, NEW)

    [result] = updates.update([REGIONS], today=dt.date(2026, 9, 1))

    assert result.status == "updated", result.message
    sha = hashlib.sha256(NEW).hexdigest()
    locked = sources.load_lock()[REGIONS]
    assert locked["sha256"] == sha and locked["retrieved"] == "2026-09-01"
    assert locked["path"] == f"job_adverts/regions--{sha[:12]}.csv"
    assert locked["release"] == "Latest version retrieved 2026-09-01 (data to 2020-02-03)"
    assert locked["previous"][0]["sha256"] == hashlib.sha256(OLD).hexdigest()
    assert (project.raw / "job_adverts/regions.csv").read_bytes() == OLD  # the old version is kept
    assert (project.raw / locked["path"]).read_bytes() == NEW
    table = load("job_postings")
    assert "2020-02-03" in set(table["period"]) and len(table) == 9
    text = updates.summary([result])
    assert "rows 6 -> 9" in text and "3 new values, 0 dropped, 1 revised" in text and "101.5 -> 103" in text

    revised = revisions("job_postings", region_code="TLI", status="revised")
    assert revised[["period", "previous", "latest"]].values.tolist() == [["2020-02-02", 101.5, 103.0]]
    assert revisions("job_postings", status="new")["period"].tolist() == ["2020-02-03"] * 3
    assert revised.attrs["previous_vintage"][REGIONS] == "fixture"
    assert len(list_vintages("job_postings")) == 1 and list_vintages("city_job_postings") == []

    after = {n: fingerprint(n) for n in ("job_postings", "city_job_postings")}
    assert after["job_postings"] != before["job_postings"]
    assert after["city_job_postings"] == before["city_job_postings"]
    keys_after = [run_key(r, "code", after) for r in runs]
    assert keys_after[0] != keys_before[0] and keys_after[1] == keys_before[1]  # only the affected report reruns
    [again] = updates.update([REGIONS])
    assert again.status == "current"  # the latest version is now the one in use


RENAMED = OLD.replace(b"indeed_job_postings_index", b"job_postings_index") + b"2020-02-03,Wales,100.9\n"
CUT_AT_LINE = NEW[: NEW.index(b"2020-02-02,Scotland")]  # parses, but fewer rows than the version in use
CUT_MID_LINE = NEW[: NEW.index(b"2020-02-02,Scotland") + 13]


@pytest.mark.parametrize("payload, route, expected", [
    (RENAMED, "latest", r"indeed_job_postings_index.*Fix:.*adapt the loader"),
    (CUT_AT_LINE, "latest", r"lacks 2 values .*TLM.*2020-02-02.*truncated or partial.*--allow-shrink"),
    (CUT_MID_LINE, "latest", r"Rejected the latest version .*failed"),
    (NEW, "short", r"truncated: received \d+ of \d+ bytes|IncompleteRead|ChunkedEncoding|Connection broken"),
], ids=["renamed-column", "truncated-at-line", "truncated-mid-line", "short-download"])
def test_bad_version_is_rejected_and_nothing_changes(tracked, capsys, payload, route, expected):
    project = tracked.project
    _point_at(tracked, route)
    declared = len(payload) + 100 if route == "short" else True  # a connection cut short
    tracked.handler.routes[f"/{route}/{REGIONS}.csv"] = Route(payload, length=declared)
    before = project.snapshot()
    assert cli.main(["sources", "update", REGIONS]) == 1
    out = capsys.readouterr().out
    assert f"{REGIONS}: REJECTED" in out and "version in use" in out
    import re

    assert re.search(expected, out, re.S), out
    assert project.snapshot() == before  # lock, data/raw and data/processed unchanged
    assert sources.get_source(REGIONS).sha256 == hashlib.sha256(OLD).hexdigest()


def test_stalling_server_times_out_with_a_clear_message(tracked, capsys):
    project = tracked.project
    _point_at(tracked, "stall")
    before = project.snapshot()
    started = time.monotonic()
    assert cli.main(["sources", "check", REGIONS, "--timeout", "0.5"]) == tracking.CHECK_FAILED
    assert "error" in (out := capsys.readouterr().out) and "timed out (no answer within 0.5 s)" in out
    assert cli.main(["sources", "update", REGIONS, "--timeout", "0.5"]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "timed out" in out and "the version in use stays" in out
    assert time.monotonic() - started < 20
    assert project.snapshot() == before


def test_each_unreachable_source_is_one_short_line_and_one_sentence_says_what_to_do(tracked, capsys):
    import socket

    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    _point_at(tracked, "stall", REGIONS)
    for entry in tracked.project.entries:
        if entry["id"] == CITIES:
            entry["tracking"]["latest_url"] = f"http://127.0.0.1:{port}/latest/{CITIES}.csv"
    (tracked.project.home / "data/sources.yml").write_text(yaml.safe_dump({"sources": tracked.project.entries},
                                                                          sort_keys=False))
    assert cli.main(["sources", "check", "--timeout", "0.5"]) == tracking.CHECK_FAILED
    lines = capsys.readouterr().out.splitlines()
    regions = next(line for line in lines if line.startswith(REGIONS))
    cities = next(line for line in lines if line.startswith(CITIES))
    assert regions.split() == [REGIONS, "error", "127.0.0.1:", "timed", "out", "(no", "answer", "within", "0.5", "s)"]
    assert cities.split()[:4] == [CITIES, "error", "127.0.0.1:", "connection"] and cities.endswith("refused")
    assert max(len(line) for line in lines if line.startswith((REGIONS, CITIES))) < 100
    closing = [line for line in lines if "REGIONAL_DIVIDE_DATA_MIRROR" in line]
    assert len(closing) == 1 and closing[0].startswith("2 of 2 sources could not be checked") and "retry online" in closing[0]
    assert sum("nothing was changed" in line.lower() for line in lines) == 1  # said once, not once per source


def test_a_failed_check_does_not_hide_an_update(tracked, capsys):
    _set_latest(tracked, NEW)
    _point_at(tracked, "stall", CITIES)
    results = tracking.check(timeout=0.5)
    assert {r.id: r.status for r in results} == {REGIONS: "update", CITIES: "error"}
    assert tracking.check_status(results) == tracking.UPDATES_AVAILABLE


def test_pinned_sources_are_not_updated(tracked, capsys):
    tracked.project.add_source("pinned", "x.csv", b"a\n1\n")
    assert cli.main(["sources", "update", "pinned"]) == 2
    assert "pinned source(s), not tracking" in capsys.readouterr().err


def test_ons_workbook_sheet_is_extracted_in_the_pinned_layout(project, tmp_path):
    import pandas as pd

    rows = [["Table 1c: ITL1 current prices", None, None, None, None, None],
            ["ITL region code", "ITL region name", "SIC07 code", "SIC07 description", 1998, 1999],
            ["TLI", "London", "J (58-63)", "Information and communication", 1234.5, 1300],
            [None] * 6, ["Source: Office for National Statistics", None, None, None, None, None]]
    workbook = tmp_path / "latest.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.DataFrame([["contents"]]).to_excel(writer, sheet_name="Contents", header=False, index=False)
        pd.DataFrame(rows).to_excel(writer, sheet_name="Table1c", header=False, index=False)  # ONS 2023 spelling
    project.add_source("gva_itl1_cp_2023", "ons_gva/t1c.csv", b"x")
    entry = project.entries[-1] | {"tracking": {"latest_url": "http://127.0.0.1:9/x.xlsx", "sheet": "Table 1c",
                                                "header_starts": "ITL"}}
    (project.home / "data/sources.yml").write_text(yaml.safe_dump({"sources": [entry]}, sort_keys=False))
    out = tracking.extract_sheet(workbook, sources.get_source("gva_itl1_cp_2023"), tmp_path / "t1c.csv")
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["ITL region code", "ITL region name", "SIC07 code", "SIC07 description", "1998", "1999"]
    assert frame.values.tolist() == [["TLI", "London", "J (58-63)", "Information and communication", 1234.5, 1300]]
