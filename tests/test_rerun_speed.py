"""What keeps `make report` quick when nothing changed, and still correct: the index, metrics.csv, findings.csv and
sources page are rewritten only when they are missing or what they are built from changed in content
(``site_is_up_to_date``: a content key, not modification times), and a run with nothing to do imports neither pandas
nor the renderer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers import regions
from helpers import site as runner
from helpers.regions import registry_areas
from helpers.site.index import SITE_FILES, mark_site_written, site_is_up_to_date
from helpers.site.run import rerun_keys
from helpers.site.state import html_path, state_path


def _notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('region = "TLC"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)


# ---------------------------------------------------------------- the site files


def _touch(path: Path, seconds_from_now: int) -> None:
    """Set ``path``'s modification time (no waiting on the clock)."""
    moment = time.time_ns() + seconds_from_now * 1_000_000_000
    os.utime(path, ns=(moment, moment))


@pytest.fixture
def written_site(project):
    """A project whose site files were written from its inputs as they are (state files, reports.yml, manifest)."""
    reports = project.home / "reports"
    (reports / "_state").mkdir(parents=True)
    (reports / "_state" / "fixture.json").write_text("{}")
    (project.home / "reports.yml").write_text("reports: []\n")
    for name in SITE_FILES:
        (reports / name).write_text("written")
    mark_site_written()
    return project


def test_site_files_written_from_their_inputs_are_up_to_date(written_site):
    assert site_is_up_to_date()
    for path in (written_site.home / "reports.yml", written_site.home / "reports" / "_state" / "fixture.json"):
        _touch(path, 200)  # a newer modification time is not a change
    assert site_is_up_to_date()


@pytest.mark.parametrize("input_file", ["reports/_state/fixture.json", "reports.yml", "data/sources.yml",
                                        "data/sources.lock.yml", "reports/_state/new.json"])
def test_a_changed_input_makes_the_site_stale(written_site, input_file):
    path = written_site.home / input_file
    path.write_text('{"changed": true}')
    assert not site_is_up_to_date()


@pytest.mark.parametrize("name", SITE_FILES)
def test_a_missing_site_file_makes_the_site_stale(written_site, name):
    (written_site.home / "reports" / name).unlink()
    assert not site_is_up_to_date()


def test_a_removed_state_file_makes_the_site_stale(written_site):
    (written_site.home / "reports" / "_state" / "fixture.json").unlink()
    assert not site_is_up_to_date()


@pytest.fixture
def up_to_date_project(project):
    """A project with one configured report already run (its state file and HTML present): nothing to run."""
    (project.home / "notebooks").mkdir()
    _notebook(project.home / "notebooks" / "fixture.ipynb", "from helpers.show import records\n")
    config = {"reports": [{"id": "fixture", "title": "Fixture", "notebook": "fixture.ipynb",
                           "parameters": {"region": "TLC"}}]}
    (project.home / "reports.yml").write_text(yaml.safe_dump(config))
    run = runner.load_runs()[0]
    state_path(run.name).parent.mkdir(parents=True)
    state_path(run.name).write_text(json.dumps({"name": run.name, "key": rerun_keys([run])[run.name], "status": "ok",
                                                "started": "2024-01-01T00:00:00+00:00", "duration_s": 1.0,
                                                "metrics": [{"id": "answer", "value": 42.0}]}))
    html_path(run).write_text("<html></html>")
    return project


def test_the_site_is_rewritten_only_when_missing_or_stale(up_to_date_project):
    reports = up_to_date_project.home / "reports"

    def identities() -> dict[str, int]:  # an atomic rewrite gives a file a new inode
        return {name: (reports / name).stat().st_ino for name in SITE_FILES}

    assert [r.status for r in runner.run_reports()] == ["up to date"]  # the site files were missing: written
    assert "fixture,answer,42.0" in (reports / "metrics.csv").read_text()
    written = identities()
    assert [r.status for r in runner.run_reports()] == ["up to date"]
    assert identities() == written  # nothing changed: not rewritten

    state = reports / "_state" / "fixture.json"
    state.write_text(state.read_text().replace('"duration_s": 1.0', '"duration_s": 2.0'))
    runner.run_reports()
    rewritten = identities()
    assert all(rewritten[name] != written[name] for name in SITE_FILES)

    (reports / "sources.html").unlink()
    runner.run_reports()
    assert (reports / "sources.html").is_file() and all(identities()[name] != rewritten[name] for name in SITE_FILES)


def test_nothing_to_run_imports_neither_pandas_nor_the_renderer(up_to_date_project):
    runner.run_reports()  # writes the missing site files
    code = ("import sys\nfrom helpers.cli import main\nassert main(['report']) == 0\n"
            "print(sorted(m for m in ('pandas', 'geopandas', 'helpers.site.render', 'nbconvert') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


# ---------------------------------------------------------------- reports.yml without pandas


@pytest.mark.parametrize("level", regions.LEVELS)
def test_the_runs_read_the_same_registry_as_helpers_regions(level):
    assert registry_areas(level) == [(code, regions.region_name(code)) for code in regions.codes(level)]
