"""What keeps `make report` quick when nothing changed, and still correct: the code facts of the rerun keys are kept
between runs (``FactStore``: an edited file is parsed again, a corrupt store is ignored), the index, metrics.csv and
sources page are rewritten only when they are missing or older than what they are built from
(``site_is_up_to_date``), and a run with nothing to do imports neither pandas nor the renderer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers import regions
from helpers import site as runner
from helpers.data import imports
from helpers.data.imports import PACKAGE_DIR, FactStore
from helpers.regions import registry_areas
from helpers.site.index import SITE_FILES, site_is_up_to_date
from helpers.site.run import rerun_keys
from helpers.site.state import code_facts_path, html_path, state_path


def _notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('region = "TLC"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)


@pytest.fixture
def package(project, tmp_path):
    """A copy of the helpers package and a notebook importing part of it (project home: REGIONAL_DIVIDE_HOME)."""
    package = tmp_path / "helpers"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    notebook = tmp_path / "fixture.ipynb"
    _notebook(notebook, "%matplotlib inline\nfrom helpers import regions\nfrom helpers.headlines import record_metric\n")
    return package, notebook


@pytest.fixture
def parses(monkeypatch):
    """The source texts parsed from here on (``imports.source_facts`` calls, the in-process cache bypassed)."""
    parsed, uncached = [], imports.source_facts.__wrapped__

    def parse(source: str):
        parsed.append(source)
        return uncached(source)

    monkeypatch.setattr(imports, "source_facts", parse)
    return parsed


def _store_hash(notebook: Path, package: Path) -> str:
    """``code_hash`` through the store on disk, as ``rerun_keys`` does it (read, use, save)."""
    store = FactStore(code_facts_path())
    key = runner.code_hash(notebook, package_dir=package, store=store)
    store.save()
    return key


# ---------------------------------------------------------------- the code facts


def test_the_stored_facts_give_the_same_code_hash_as_a_fresh_parse(project, package, parses):
    package, notebook = package
    fresh = runner.code_hash(notebook, package_dir=package)
    assert code_facts_path() == project.home / "reports" / "_cache" / "code-facts.json"
    assert _store_hash(notebook, package) == fresh
    assert code_facts_path().is_file()
    parses.clear()
    assert _store_hash(notebook, package) == fresh
    assert parses == []  # every text came from the store
    reference = {f.name for f in runner.notebook_code_files(notebook, package_dir=package)}
    assert {"regions.py", "headlines.py"} <= reference


def test_an_edited_module_is_parsed_again(project, package, parses):
    package, notebook = package
    before = _store_hash(notebook, package)
    files_before = set(runner.notebook_code_files(notebook, package_dir=package))
    regions_py = package / "regions.py"
    regions_py.write_text(regions_py.read_text() + '\nimport helpers.site.dates\nEXTRA = "sic_sections.csv"\n')
    parses.clear()
    after = _store_hash(notebook, package)
    parsed = set(parses)
    assert after != before and after == runner.code_hash(notebook, package_dir=package)
    files_after = set(runner.notebook_code_files(notebook, package_dir=package))
    assert package / "site" / "dates.py" in files_after - files_before
    # parsed again: the edited file and the files its new import reaches, nothing else
    assert parsed == {regions_py.read_text()} | {f.read_text() for f in files_after - files_before}


@pytest.mark.parametrize("corrupt", [
    "{not json", "[]", '{"version": 1, "facts": []}',
    lambda stored: {**stored, "facts": {key: {"imports": "x", "csv_names": [1]} for key in stored["facts"]}},
    lambda stored: {**stored, "facts": {key: {"imports": [["from", "helpers"]], "csv_names": []} for key in stored["facts"]}},
    lambda stored: {**stored, "version": 0},
])
def test_a_corrupt_store_is_ignored(project, package, corrupt, parses):
    package, notebook = package
    fresh = _store_hash(notebook, package)
    stored = json.loads(code_facts_path().read_text())
    code_facts_path().write_text(corrupt if isinstance(corrupt, str) else json.dumps(corrupt(stored)))
    parses.clear()
    assert _store_hash(notebook, package) == fresh
    assert parses  # parsed again
    assert json.loads(code_facts_path().read_text()) == stored  # and the store written afresh


def test_an_unreadable_or_unwritable_store_is_no_error(project, package):
    package, notebook = package
    fresh = runner.code_hash(notebook, package_dir=package)
    code_facts_path().mkdir(parents=True)  # a folder where the file should be: neither read nor written
    assert _store_hash(notebook, package) == fresh
    assert code_facts_path().is_dir()


# ---------------------------------------------------------------- the site files


def _touch(path: Path, seconds_from_now: int) -> None:
    """Set ``path``'s modification time (no waiting on the clock)."""
    moment = time.time_ns() + seconds_from_now * 1_000_000_000
    os.utime(path, ns=(moment, moment))


@pytest.fixture
def written_site(project):
    """A project whose site files are newer than every input (state files, reports.yml, manifest, templates)."""
    reports = project.home / "reports"
    (reports / "_state").mkdir(parents=True)
    (reports / "_state" / "fixture.json").write_text("{}")
    (project.home / "reports.yml").write_text("reports: []\n")
    for name in SITE_FILES:
        (reports / name).write_text("written")
        _touch(reports / name, 100)
    return project


def test_site_files_newer_than_their_inputs_are_up_to_date(written_site):
    assert site_is_up_to_date()


@pytest.mark.parametrize("input_file", ["reports/_state/fixture.json", "reports.yml", "data/sources.yml",
                                        "data/sources.lock.yml", "reports/_state/new.json"])
def test_a_newer_input_makes_the_site_stale(written_site, input_file):
    path = written_site.home / input_file
    path.write_text("{}")
    _touch(path, 200)
    assert not site_is_up_to_date()


@pytest.mark.parametrize("name", SITE_FILES)
def test_a_missing_site_file_makes_the_site_stale(written_site, name):
    (written_site.home / "reports" / name).unlink()
    assert not site_is_up_to_date()


def test_a_removed_state_file_makes_the_site_stale(written_site):
    (written_site.home / "reports" / "_state" / "fixture.json").unlink()
    _touch(written_site.home / "reports" / "_state", 200)  # as removing it does, on a clock that moved on
    assert not site_is_up_to_date()


@pytest.fixture
def up_to_date_project(project):
    """A project with one configured report already run (its state file and HTML present): nothing to run."""
    (project.home / "notebooks").mkdir()
    _notebook(project.home / "notebooks" / "fixture.ipynb", "from helpers.headlines import record_metric\n")
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

    _touch(reports / "_state" / "fixture.json", 100)
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
    assert (up_to_date_project.home / "reports" / "_cache" / "code-facts.json").is_file()


# ---------------------------------------------------------------- reports.yml without pandas


@pytest.mark.parametrize("level", regions.LEVELS)
def test_the_runs_read_the_same_registry_as_helpers_regions(level):
    assert registry_areas(level) == [(code, regions.region_name(code)) for code in regions.codes(level)]
