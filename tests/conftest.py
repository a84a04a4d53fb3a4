"""Shared fixtures: a throw-away project tree with its own manifest and data mirror."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Project:
    """A project tree under tmp_path used as REGIONAL_DIVIDE_HOME, with a mirror directory."""

    home: Path
    mirror: Path
    entries: list[dict] = field(default_factory=list)

    @property
    def raw(self) -> Path:
        return self.home / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.home / "data" / "processed"

    def add_source(self, source_id: str, relpath: str, content: bytes, *, url: str = "", in_mirror: bool = True) -> Path:
        """Declare a source in this project's manifest (sha256 of ``content``) and put it in the mirror."""
        if in_mirror:
            target = self.mirror / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        self.entries = [e for e in self.entries if e["id"] != source_id]
        self.entries.append(
            {
                "id": source_id,
                "title": f"fixture {source_id}",
                "publisher": "test",
                "publisher_url": None,
                "release": "fixture",
                "licence": "test",
                "coverage": "fixture",
                "path": relpath,
                "url": url or f"http://127.0.0.1:9/{relpath}",
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
                "notes": "",
            }
        )
        (self.home / "data" / "sources.yml").write_text(yaml.safe_dump({"sources": self.entries}, sort_keys=False))
        return self.mirror / relpath

    def snapshot(self) -> dict[str, bytes]:
        """Every file under data/ (for 'nothing was lost or half-written' checks)."""
        return {str(p.relative_to(self.home)): p.read_bytes() for p in sorted((self.home / "data").rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    home = tmp_path / "project"
    (home / "data").mkdir(parents=True)
    shutil.copytree(REPO / "data" / "reference", home / "data" / "reference")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    monkeypatch.setenv("REGIONAL_DIVIDE_HOME", str(home))
    monkeypatch.setenv("REGIONAL_DIVIDE_DATA_MIRROR", str(mirror))
    project = Project(home, mirror)
    (home / "data" / "sources.yml").write_text("sources: []\n")
    return project


@pytest.fixture(autouse=True)
def fresh_memo_around_patches(request):
    """A test that monkeypatches code starts and ends with an empty memo (``helpers.data.memo``): no table
    memoized by an earlier test hides its patch, and none built with its patch reaches a later test."""
    from helpers.data import memo

    patched = "monkeypatch" in request.fixturenames
    if patched:
        memo.clear()
    yield
    if patched:
        memo.clear()


@pytest.fixture(scope="session")
def real_data():
    """The real processed datasets, built from the mirror (REGIONAL_DIVIDE_DATA_MIRROR) or the network."""
    if "REGIONAL_DIVIDE_HOME" in os.environ:
        pytest.fail("REGIONAL_DIVIDE_HOME is set; unset it to run the integration tests on this checkout's data/")
    from helpers.data.datasets import build_all, load

    build_all()
    return load


SITE_REPORTS = ["ict-vs-finance", "concentration", "productivity", "ai-ecosystem", "claims-check", "profile--TLG", "compare"]


@dataclass
class Site:
    """A scratch project home sharing this checkout's data/, with its own notebooks/ copy and reports/."""

    home: Path

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    def run(self, **options) -> list:
        """``runner.run_reports`` with this home as REGIONAL_DIVIDE_HOME (only while it runs)."""
        from unittest import mock

        from helpers import site as runner

        with mock.patch.dict(os.environ, {"REGIONAL_DIVIDE_HOME": str(self.home)}):
            return runner.run_reports(only=SITE_REPORTS, **options)


@pytest.fixture(scope="session")
def site(tmp_path_factory, real_data) -> Site:
    """SITE_REPORTS built once in a scratch home (for the browser test, the rerun test and the back-tests)."""
    from helpers import site as runner

    home = tmp_path_factory.mktemp("site")
    (home / "data").symlink_to(REPO / "data")
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    shutil.copy(REPO / "reports.yml", home / "reports.yml")
    site = Site(home)
    results = site.run()
    assert {r.status for r in results} == {"ok"}, runner.result_table(results)
    return site


# ---------------------------------------------------------------- test lanes
# `make test-fast` runs `-m fast`: unit tests on small fixtures. The markers below are applied here from what a
# test uses, so that no file-naming convention decides the lane: a test using the real data is `real_data`, a
# notebook (nbval) or a test marked `slow` or `browser` is not fast.
LANE_MARKERS = ("slow", "browser", "real_data")


def pytest_addoption(parser):
    parser.addoption("--screenshots", default=None, metavar="DIR",
                     help="folder for the browser test's screenshots (default: a temporary folder, printed)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::")[0].endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)
        if "real_data" in getattr(item, "fixturenames", ()) or "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.real_data)
        if not any(item.get_closest_marker(m) for m in LANE_MARKERS):
            item.add_marker(pytest.mark.fast)
