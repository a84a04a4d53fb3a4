"""Updates you can trust (issue 20): against a local server, a plausible-but-wrong release is held (values scaled by
1,000, two regions' series swapped, a flat series, dates after today) with a non-zero exit, no traceback and the lock
unchanged; a maintainer can take one in on purpose (``--accept-revisions``); downloads are bounded (a gzip bomb, an
endless stream, a workbook bomb: peak memory measured in a child process), redirects to another host and plain http
are refused, and each URL is downloaded once per update.

The fixture file is in the real Indeed regional layout: four regions over 200 days, each a different smooth curve
that starts at 100 on 1 Feb 2020 (the index base); the manifest entry carries the plausibility limits declared for
``indeed_postings_regions`` in the real data/sources.yml.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import os
import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace

import local_server
import pytest
import yaml
from local_server import Route

from helpers import cli
from helpers.data import download, sources, tracking

ROOT = Path(__file__).resolve().parents[1]
REGIONS = "indeed_postings_regions"
NAMES = {"London": 0, "North East": 1, "Scotland": 2, "Wales": 3}
DAYS = 200
START = dt.date(2020, 2, 1)
TODAY = dt.date.today()


def value(k: int, day: int) -> float:
    """Region k's index on ``day``: 100 on day 0, then its own wave and trend (no two alike)."""
    return 100 + (6 + 3 * k) * math.sin(day / (7 + 5 * k)) + (0.15 - 0.1 * k) * day


def rows(transform=lambda name, day, v: v, days: int = DAYS) -> list[tuple[str, str, str]]:
    return [((START + dt.timedelta(days=d)).isoformat(), name, f"{transform(name, d, value(k, d)):.2f}")
            for d in range(days) for name, k in NAMES.items()]


def as_csv(table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "region", "indeed_job_postings_index"])
    writer.writerows(table)
    return out.getvalue().encode()


IN_USE = as_csv(rows())


@pytest.fixture
def live(project, monkeypatch):
    """The regional source tracking a URL on a local server, with the real manifest's plausibility limits; lock
    written; the job-postings dataset built from the version in use."""
    base, httpd = local_server.start()
    monkeypatch.setattr(download, "TIMEOUT_S", 2)
    monkeypatch.setattr(download, "RETRIES", 0)
    real = {e["id"]: e for e in yaml.safe_load((ROOT / "data/sources.yml").read_text())["sources"]}
    project.add_source(REGIONS, "job_adverts/regions.csv", IN_USE)
    project.entries[-1] |= {"tracking": {"latest_url": f"{base}/latest.csv"}, "plausibility": real[REGIONS]["plausibility"]}
    _write_manifest(project)
    tracking.write_lock({REGIONS: {k: project.entries[-1][k] for k in ("release", "path", "url", "sha256", "bytes")}
                         | {"retrieved": "2020-08-20", "upstream": {"sha256": project.entries[-1]["sha256"]}}})
    local_server.Handler.routes = {"/latest.csv": Route(IN_USE)}
    from helpers.data.datasets import DATASETS, ensure_built

    ensure_built(DATASETS["job_postings"])
    yield SimpleNamespace(project=project, base=base, handler=local_server.Handler)
    httpd.shutdown()
    httpd.server_close()


def _write_manifest(project):
    (project.home / "data/sources.yml").write_text(yaml.safe_dump({"sources": project.entries}, sort_keys=False))


def _serve(live, payload: bytes, **route):
    live.handler.routes["/latest.csv"] = Route(payload, **route)


def _update(capsys, *args) -> tuple[int, str]:
    code = cli.main(["sources", "update", REGIONS, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _held(live, capsys, payload: bytes, check: str) -> str:
    """Serve ``payload``; the update must be held by ``check`` with nothing changed; returns the output."""
    _serve(live, payload)
    before = live.project.snapshot()
    code, out = _update(capsys)
    assert code == 1, out
    assert f"{REGIONS}: HELD" in out and "Traceback" not in out and "--accept-revisions" in out
    tripped = [line for line in out.splitlines() if line.strip().startswith(check) and line.rstrip().endswith("TRIPPED")]
    assert tripped, out
    assert live.project.snapshot() == before  # lock, data/raw and data/processed unchanged
    assert sources.get_source(REGIONS).sha256 == hashlib.sha256(IN_USE).hexdigest()
    return out


def test_values_scaled_by_1000_are_held(live, capsys):
    out = _held(live, capsys, as_csv(rows(lambda name, day, v: v * 1000)), "levels")
    assert "1,000 times the version in use" in out  # the median ratio of every region
    assert [line for line in out.splitlines() if line.strip().startswith("index base") and "TRIPPED" in line]


def test_two_regions_swapped_are_held(live, capsys):
    swap = {"London": "North East", "North East": "London"}
    swapped = [(date, swap.get(name, name), v) for date, name, v in rows()]
    out = _held(live, capsys, as_csv(swapped), "series identity")
    assert "TLI matches TLC's previous history best" in out and "TLC matches TLI's previous history best" in out


def test_a_flat_series_is_held(live, capsys):
    out = _held(live, capsys, as_csv(rows(lambda name, day, v: 100.0 if name == "Wales" else v)), "flat series")
    assert "TLL, job_postings_index: every value 100" in out


def test_dates_after_today_are_held(live, capsys):
    future = [((TODAY + dt.timedelta(days=30 + d)).isoformat(), "London", "101.00") for d in range(28)]
    out = _held(live, capsys, IN_USE + as_csv(future).split(b"\n", 1)[1], "periods")
    found = re.search(r"28 rows dated after the retrieval date (\d{4}-\d\d-\d\d)", out)
    assert found and TODAY <= dt.date.fromisoformat(found.group(1)) <= dt.date.today(), out  # a run may cross midnight


def test_a_plausible_release_is_taken_in(live, capsys):
    revised = rows(lambda name, day, v: v * 1.01 if day >= DAYS - 30 else v, days=DAYS + 7)  # 1% revisions, 7 new days
    _serve(live, as_csv(revised))
    code, out = _update(capsys)
    assert code == 0 and f"{REGIONS}: UPDATED" in out, out
    locked = sources.load_lock()[REGIONS]
    assert locked["sha256"] == hashlib.sha256(as_csv(revised)).hexdigest() and "accepted" not in locked
    assert locked["final_url"] == f"{live.base}/latest.csv"
    assert "TRIPPED" not in out and "120 of 800 values in both versions (15.0%)" in out  # 30 days x 4 regions


def test_accept_revisions_takes_in_a_held_release_on_purpose(live, capsys):
    scaled = as_csv(rows(lambda name, day, v: v * 1000))
    _serve(live, scaled)
    code, out = _update(capsys, "--accept-revisions")
    assert code == 2 and "needs --reason" in out and "Traceback" not in out
    code, out = _update(capsys, "--accept-revisions", "--reason", "Indeed now publishes counts", "--by", "A. Maintainer")
    assert code == 0 and f"{REGIONS}: UPDATED" in out and "accepted by A. Maintainer" in out, out
    locked = sources.load_lock()[REGIONS]
    assert locked["sha256"] == hashlib.sha256(scaled).hexdigest()
    accepted = locked["accepted"]
    assert accepted["by"] == "A. Maintainer" and accepted["reason"] == "Indeed now publishes counts"
    assert "levels (job_postings)" in accepted["checks"] and accepted["sha256"] == locked["sha256"]
    assert dt.datetime.fromisoformat(accepted["at"]).date() == dt.datetime.now(dt.UTC).date()


def test_accept_revisions_needs_the_sources_named(live, capsys):
    assert cli.main(["sources", "update", "--accept-revisions", "--reason", "x"]) == 2
    assert "needs the sources named" in capsys.readouterr().err


def test_dry_run_prints_the_checks_and_takes_nothing_in(live, capsys):
    _serve(live, as_csv(rows(days=DAYS + 7)))
    before = live.project.snapshot()
    code, out = _update(capsys, "--dry-run")
    assert code == 0 and "WOULD UPDATE" in out and "plausibility checks:" in out, out
    assert "series identity" in out and "4 of 4 series by region_code closest to their own history" in out
    assert live.project.snapshot() == before


# ---------------------------------------------------------------- bounded downloads, in a child process

def _child(live, tmp_path, *args: str) -> tuple[int, str, int]:
    """Run ``regional-divide ARGS`` in a child of a child; return (status, output, the CLI's peak RSS in kB), the
    peak read from ``getrusage(RUSAGE_CHILDREN)`` in the intermediate process (which starts nothing else)."""
    temp = tmp_path / "tmpdir"
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "REGIONAL_DIVIDE_HOME": str(live.project.home), "TMPDIR": str(temp),
           "REGIONAL_DIVIDE_DATA_MIRROR": str(live.project.mirror)}
    measure = ("import resource, subprocess, sys\n"
               "done = subprocess.run([sys.executable, '-m', 'helpers.cli', *sys.argv[1:]])\n"
               "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(done.returncode)\n")
    result = subprocess.run([sys.executable, "-c", measure, *args], capture_output=True, text=True, env=env,
                            timeout=300)
    peak = int(result.stdout.rsplit("PEAK_KB", 1)[1].split()[0])
    assert not list(temp.iterdir()), "temporary files left behind"
    return result.returncode, result.stdout + result.stderr, peak


def _gzip_bomb(inflated: int) -> bytes:
    packer, block, out = zlib.compressobj(9, zlib.DEFLATED, 31), bytes(1 << 20), []
    for _ in range(inflated >> 20):
        out.append(packer.compress(block))
    return b"".join(out) + packer.flush()


LIMIT_KB = 1_500_000  # 1.5 GB


def test_gzip_bomb_is_stopped_with_bounded_memory(live, tmp_path):
    bomb = _gzip_bomb(270 << 20)
    assert len(bomb) < 1 << 20  # a 270 MB body in under 1 MB
    _serve(live, bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/csv"})
    before = live.project.snapshot()
    code, out, peak = _child(live, tmp_path, "sources", "update", REGIONS)
    assert code == 1 and "decodes to more than" in out and "Traceback" not in out, out
    print(f"gzip bomb: peak memory of the update {peak:,} kB")
    assert peak < LIMIT_KB, f"peak memory {peak:,} kB"
    assert live.project.snapshot() == before


def test_endless_stream_is_stopped_with_bounded_memory(live, tmp_path):
    def endless():
        while True:
            yield b"2020-02-01,London,100.0\n" * 40_000  # about 1 MB a block, no length, never ending

    _serve(live, endless, length=False)
    before = live.project.snapshot()
    code, out, peak = _child(live, tmp_path, "sources", "check", REGIONS)
    assert code == tracking.CHECK_FAILED and "sent more than" in out and "Traceback" not in out, out
    code, out, peak_update = _child(live, tmp_path, "sources", "update", REGIONS)
    assert code == 1 and "sent more than" in out and "Traceback" not in out, out
    print(f"endless stream: peak memory of the check {peak:,} kB, of the update {peak_update:,} kB")
    assert max(peak, peak_update) < LIMIT_KB
    assert live.project.snapshot() == before


def test_redirect_to_another_host_is_refused_unless_allowed(live, capsys):
    port = live.base.rsplit(":", 1)[1]
    live.handler.routes["/latest.csv"] = Route(status=302, headers={"Location": f"http://localhost:{port}/moved.csv"})
    moved = as_csv(rows(days=DAYS + 7))
    live.handler.routes["/moved.csv"] = Route(moved)
    before = live.project.snapshot()
    code, out = _update(capsys)
    assert code == 1 and "Refused a redirect" in out and "to another host, localhost" in out and "Traceback" not in out
    assert live.project.snapshot() == before
    live.project.entries[-1]["tracking"]["allowed_hosts"] = ["localhost"]
    _write_manifest(live.project)
    code, out = _update(capsys)
    assert code == 0, out
    assert sources.load_lock()[REGIONS]["final_url"] == f"http://localhost:{port}/moved.csv"


def test_plain_http_is_refused_before_connecting(live, capsys):
    live.project.entries[-1]["tracking"]["latest_url"] = "http://example.org/regional_gb.csv"
    _write_manifest(live.project)
    code, out = _update(capsys)
    assert code == 1 and "only https is allowed" in out and "Traceback" not in out


def test_html_page_is_refused_with_one_fix(live, capsys):
    _serve(live, b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in</body></html>\n",
           headers={"Content-Type": "text/html"})
    before = live.project.snapshot()
    code, out = _update(capsys)
    assert code == 1 and "with an HTML page" in out and out.count("Fix:") == 1 and "column nan" not in out, out
    assert live.project.snapshot() == before


def test_one_download_per_url(live, tmp_path):
    live.project.add_source("copy_of_regions", "job_adverts/copy.csv", IN_USE)
    live.project.entries[-1]["tracking"] = {"latest_url": f"{live.base}/latest.csv"}
    _write_manifest(live.project)
    files = tracking.LatestFiles(tmp_path)
    for source_id in (REGIONS, "copy_of_regions"):
        files.get(sources.get_source(source_id))
    assert [h for h in live.handler.hits if h.startswith("GET")] == ["GET /latest.csv"]


def test_workbook_bomb_is_refused_before_it_is_opened(project, tmp_path):
    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:  # 60 MB of one repeated row
            row = b"<row><c><v>1</v></c></row>" * 4000
            for _ in range((60 << 20) // len(row)):
                sheet.write(row)
    assert book.stat().st_size < 1 << 20
    project.add_source("gva_itl1_cp_2023", "ons_gva/t1c.csv", b"x" * 1000)
    project.entries[-1]["tracking"] = {"latest_url": "https://example.org/x.xlsx", "sheet": "Table 1c"}
    _write_manifest(project)
    source = sources.get_source("gva_itl1_cp_2023")
    with pytest.raises(Exception, match="decompression bomb") as caught:
        download.check_workbook(book, source, download.byte_cap(source))
    assert "expands" in str(caught.value) and "Fix:" in str(caught.value)


def test_manifest_path_outside_data_raw_is_refused(project, capsys):
    project.add_source("escape", "../../../outside/x.csv", b"a\n1\n", in_mirror=False)
    assert cli.main(["fetch", "escape"]) == 2
    err = capsys.readouterr().err
    assert "leads outside data/raw" in err and "Traceback" not in err
    assert not (project.raw / "../../../outside").exists()


def test_a_file_of_another_layout_names_the_missing_columns_with_one_fix(live, capsys):
    _serve(live, b"id,name,amount\n1,a,2.5\n2,b,3.5\n")
    code, out = _update(capsys)
    assert code == 1 and "missing column(s): 'date', 'region', 'indeed_job_postings_index'" in out, out
    assert out.count("Fix:") == 1 and "column nan" not in out and "Traceback" not in out
