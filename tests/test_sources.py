"""Manifest and fetching: mirror copies, downloads (from a local HTTP server) and every fault of issue 2."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from helpers.data import sources
from helpers.errors import (
    ChecksumMismatchError,
    DownloadError,
    MirrorFileMissingError,
    UnknownSourceError,
)

CONTENT = b"year,value\n2021,1\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []
    payload = CONTENT

    def do_GET(self):  # noqa: N802 (http.server API)
        type(self).hits.append(self.path)
        if self.path.startswith("/ok/"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(self.payload)))
            self.end_headers()
            self.wfile.write(self.payload)
        elif self.path.startswith("/error"):
            self.send_error(500, "boom")
        elif self.path.startswith("/close"):
            self.close_connection = True  # drop the connection without an answer
        elif self.path.startswith("/stall"):
            time.sleep(3)  # longer than the test's timeout; bounded so the server stops by itself

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler
    httpd.shutdown()
    httpd.server_close()


def _no_partial_files(project):
    return [p for p in project.home.rglob("*") if p.name.endswith((".part", ".tmp")) or p.name.startswith("tmp")]


def test_mirror_copy_verifies_and_is_not_repeated(project):
    project.add_source("tiny", "theme/tiny.csv", CONTENT)
    paths = sources.fetch(["tiny"])
    assert paths["tiny"].read_bytes() == CONTENT
    first_mtime = paths["tiny"].stat().st_mtime_ns
    (project.mirror / "theme/tiny.csv").unlink()  # a second fetch must not need the mirror at all
    assert sources.fetch(["tiny"])["tiny"].stat().st_mtime_ns == first_mtime


def test_unknown_source_lists_valid_ids(project):
    project.add_source("gva_itl1_cp_2023", "a.csv", CONTENT)
    with pytest.raises(UnknownSourceError, match=r"Unknown source id 'gva_itl1_cp2023'.*Did you mean gva_itl1_cp_2023"):
        sources.fetch(["gva_itl1_cp2023"])


def test_mirror_file_with_wrong_checksum_writes_nothing(project):
    mirror_file = project.add_source("tiny", "theme/tiny.csv", CONTENT)
    mirror_file.write_bytes(CONTENT + b"2022,2\n")  # the mirror copy changed after the manifest was written
    with pytest.raises(ChecksumMismatchError) as error:
        sources.fetch(["tiny"])
    message = str(error.value)
    assert "tiny" in message and sources.load_manifest()["tiny"].sha256 in message and "Nothing was written" in message
    assert not (project.raw / "theme/tiny.csv").exists()
    assert _no_partial_files(project) == []


def test_raw_file_changed_after_fetch_is_refused(project):
    project.add_source("tiny", "theme/tiny.csv", CONTENT)
    raw = sources.fetch(["tiny"])["tiny"]
    raw.write_bytes(b"edited in place")
    with pytest.raises(ChecksumMismatchError, match=r"changed or damaged after it was fetched.*delete it"):
        sources.fetch(["tiny"])
    assert raw.read_bytes() == b"edited in place"  # evidence is kept, not silently replaced


def test_file_missing_from_mirror(project):
    project.add_source("tiny", "theme/tiny.csv", CONTENT, in_mirror=False)
    with pytest.raises(MirrorFileMissingError, match=r"not in the mirror .*REGIONAL_DIVIDE_DATA_MIRROR"):
        sources.fetch(["tiny"])
    assert not project.raw.exists() or not any(project.raw.rglob("*.csv"))


def test_download_with_checksum(project, server, monkeypatch):
    base, _ = server
    monkeypatch.delenv("REGIONAL_DIVIDE_DATA_MIRROR")
    project.add_source("tiny", "theme/tiny.csv", CONTENT, url=f"{base}/ok/tiny.csv", in_mirror=False)
    assert sources.fetch(["tiny"])["tiny"].read_bytes() == CONTENT


def test_download_with_wrong_checksum_writes_nothing(project, server, monkeypatch):
    base, handler = server
    monkeypatch.delenv("REGIONAL_DIVIDE_DATA_MIRROR")
    monkeypatch.setattr(sources, "DOWNLOAD_RETRIES", 0)
    project.add_source("tiny", "theme/tiny.csv", b"what the manifest expects", url=f"{base}/ok/tiny.csv", in_mirror=False)
    with pytest.raises(ChecksumMismatchError, match="does not match data/sources.yml"):
        sources.fetch(["tiny"])
    assert not (project.raw / "theme/tiny.csv").exists()
    assert _no_partial_files(project) == []


@pytest.mark.parametrize("route", ["error", "close", "stall"])
def test_failed_download_is_retried_then_reported(project, server, monkeypatch, route):
    base, handler = server
    monkeypatch.delenv("REGIONAL_DIVIDE_DATA_MIRROR")
    monkeypatch.setattr(sources, "DOWNLOAD_TIMEOUT_S", 1)
    monkeypatch.setattr(sources, "DOWNLOAD_RETRIES", 1)
    project.add_source("tiny", "theme/tiny.csv", CONTENT, url=f"{base}/{route}/tiny.csv", in_mirror=False)
    started = time.monotonic()
    with pytest.raises(DownloadError) as error:
        sources.fetch(["tiny"])
    assert time.monotonic() - started < 30
    assert "Could not download 'tiny'" in str(error.value) and "REGIONAL_DIVIDE_DATA_MIRROR" in str(error.value)
    assert len([h for h in handler.hits if h.startswith(f"/{route}")]) == 2  # first try + one retry
    assert not (project.raw / "theme/tiny.csv").exists()
    assert _no_partial_files(project) == []


def test_manifest_rejects_duplicate_ids(project):
    project.add_source("tiny", "a.csv", CONTENT)
    text = (project.home / "data/sources.yml").read_text()
    (project.home / "data/sources.yml").write_text(text + text.split("\n", 1)[1])
    with pytest.raises(Exception, match="appears twice"):
        sources.load_manifest()
