"""The report runner on a throw-away project: parameters checked before any kernel starts, incremental
reruns, a failing notebook that keeps the last good report, atomic outputs and the run lock."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers import runner
from helpers.errors import RegionalDivideError

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path: Path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": runner.KERNEL, "display_name": "Python (regional-divide)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Fixture report\n\n## Section one"),
        nbformat.v4.new_code_cell('region = "TLC"\nyear = 2020\nfail = False', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body),
    ]
    nbformat.write(nb, path)


BODY = """import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from helpers.headlines import record_metric
if fail:
    raise RuntimeError("injected failure halfway")
fig, ax = plt.subplots()
ax.plot([1, 2], [year, year + 1])
plt.show()
record_metric("answer", 42, "count", f"fixture metric for {region}", [])
print("region", region)
"""


@pytest.fixture
def reports_project(project):
    (project.home / "notebooks").mkdir()
    _notebook(project.home / "notebooks" / "fixture.ipynb", BODY)
    config = {
        "reports": [
            {
                "id": "fixture",
                "title": "Fixture",
                "notebook": "fixture.ipynb",
                "parameters": {"region": "TLC", "year": 2020},
                "constraints": {"region": {"kind": "region", "levels": ["ITL1"]}, "year": {"kind": "year", "min": 2015, "max": 2021}},
            }
        ]
    }
    (project.home / "reports.yml").write_text(yaml.safe_dump(config))
    return project


def _set_parameters(project, **parameters):
    config = yaml.safe_load((project.home / "reports.yml").read_text())
    config["reports"][0]["parameters"].update(parameters)
    (project.home / "reports.yml").write_text(yaml.safe_dump(config))


def test_every_configured_parameter_is_declared_in_its_notebook():
    for run in runner.load_runs(ROOT / "reports.yml"):
        declared = runner.notebook_parameters(ROOT / "notebooks" / run.notebook)
        assert set(run.parameters) <= set(declared), run.name


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"regoin": "TLC"}, r"unknown parameter 'regoin'.*declares: region, year, fail"),
        ({"region": "TLX"}, r"Unknown region code 'TLX'.*Valid codes: TLC, TLD"),
        ({"year": 2031}, r"year=2031 is outside the data: valid years are 2015-2021"),
        ({"year": "2020"}, r"year='2020' is str, but the notebook's default is int"),
    ],
)
def test_bad_parameters_stop_before_any_kernel(reports_project, parameters, message):
    _set_parameters(reports_project, **parameters)
    with pytest.raises(runner.ParameterError, match=message):
        runner.run_reports()
    assert not (reports_project.home / "reports" / "fixture.html").exists()
    assert not (reports_project.home / "reports" / "_state").exists()  # no kernel ran, nothing recorded


def test_run_render_skip_then_fail_keeps_last_good(reports_project):
    out = reports_project.home / "reports"
    first = runner.run_reports(workers=1)
    assert [(r.name, r.status) for r in first] == [("fixture", "ok")]
    html = (out / "fixture.html").read_text()
    assert 'id="run-card"' in html and "region = TLC" in html and "data:image/png;base64" in html
    assert "Section-one" in html  # table of contents link
    assert "record_metric" not in html  # code cells are hidden
    assert "fixture,answer,42.0,count" in (out / "metrics.csv").read_text()

    assert runner.run_reports()[0].status == "up to date"

    _set_parameters(reports_project, fail=True)
    failed = runner.run_reports()
    assert failed[0].status == "failed" and "injected failure halfway" in failed[0].error
    assert (out / "fixture.html").read_text() == html  # last good HTML kept
    failed_nb = nbformat.read(out / "_failed" / "fixture.ipynb", as_version=4)
    assert any("injected failure" in json.dumps(c.get("outputs", [])) for c in failed_nb.cells)
    index = (out / "index.html").read_text()
    assert "failed" in index and "_failed/fixture.ipynb" in index and "injected failure halfway" in index
    assert "fixture,answer,42.0" in (out / "metrics.csv").read_text()  # metrics of the last good run stay
    assert not list(out.rglob("*.part"))


def test_second_run_is_refused_while_one_holds_the_lock(reports_project):
    from filelock import FileLock

    out = reports_project.home / "reports"
    out.mkdir()
    with FileLock(str(out / ".runner.lock")):
        with pytest.raises(runner.RunnerLockedError, match="Another `regional-divide report` run"):
            runner.run_reports()


def test_only_unknown_report(reports_project):
    with pytest.raises(RegionalDivideError, match=r"--only nope: no such report. Reports: fixture"):
        runner.run_reports(only=["nope"])


def test_a_reused_kernel_starts_each_report_from_a_clean_state(reports_project):
    """Reports that share a worker's kernel see no variables, figures or style left by the one before."""
    config = yaml.safe_load((reports_project.home / "reports.yml").read_text())
    config["reports"][0]["runs"] = [{"name": "first"}, {"name": "second"}]
    (reports_project.home / "reports.yml").write_text(yaml.safe_dump(config))
    _notebook(reports_project.home / "notebooks" / "fixture.ipynb", """import matplotlib
import matplotlib.pyplot as plt
from helpers.headlines import record_metric
leaked = "leftover" in globals()
leftover = 1
record_metric("leaked_variable", leaked, "flag", "a variable from an earlier report", [])
record_metric("open_figures", len(plt.get_fignums()), "count", "figures left open", [])
record_metric("execution_count", get_ipython().execution_count, "count", "cells run before this one", [])
record_metric("font_size", matplotlib.rcParams["font.size"], "pt", "font size at start", [])
plt.figure(); matplotlib.rcParams["font.size"] = 99
""")
    results = runner.run_reports(workers=1)
    assert [r.status for r in results] == ["ok", "ok"]
    first, second = (
        {m["id"]: m["value"] for m in runner.read_state(name)["metrics"]} for name in ("fixture--first", "fixture--second")
    )
    assert first == second
    assert second["leaked_variable"] == 0 and second["open_figures"] == 0


def test_a_write_that_fails_midway_keeps_the_last_good_report(reports_project, monkeypatch):
    """The disk fills up while the new HTML is written: the run reports it, the old HTML stays, no partial file."""
    import errno

    assert [r.status for r in runner.run_reports()] == ["ok"]
    reports = reports_project.home / "reports"
    good_html = (reports / "fixture.html").read_text()
    real_write_text = Path.write_text

    def disk_full_midway(self, data, *args, **kwargs):
        if self.name.startswith(".fixture.html."):
            real_write_text(self, data[:200], *args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disk_full_midway)
    _set_parameters(reports_project, year=2021)
    results = runner.run_reports()
    assert results[0].status == "failed"
    assert "No space left on device" in results[0].error and "last good report is kept" in results[0].error
    assert (reports / "fixture.html").read_text() == good_html
    assert not list(reports.glob("*.part")) and not list(reports.glob(".*.part"))
    monkeypatch.setattr(Path, "write_text", real_write_text)
    assert [r.status for r in runner.run_reports()] == ["ok"]  # the next run, with space again, recovers
    assert runner.read_state("fixture")["parameters"]["year"] == 2021


def test_an_unwritable_index_stops_with_a_clear_message(reports_project, monkeypatch):
    assert [r.status for r in runner.run_reports()] == ["ok"]
    index = (reports_project.home / "reports" / "index.html").read_text()

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner, "write_text_atomic", read_only)
    with pytest.raises(RegionalDivideError, match=r"Could not write .*index.html.*Permission denied.*previous files are kept"):
        runner.run_reports(force=True)
    assert (reports_project.home / "reports" / "index.html").read_text() == index


def test_two_runs_at_once_from_two_processes(reports_project):
    """A second `regional-divide report` while another process is writing: refused with a clear message, and the
    first run's outputs are complete."""
    import os
    import subprocess
    import sys
    import time

    from filelock import FileLock, Timeout

    out = reports_project.home / "reports"
    cli = Path(sys.executable).parent / "regional-divide"
    first = subprocess.Popen([str(cli), "report", "--workers", "1"], env=os.environ.copy(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the first process holds the lock
        if (out / ".runner.lock").exists():
            try:
                FileLock(str(out / ".runner.lock")).acquire(timeout=0).lock.release()
            except Timeout:
                break
        time.sleep(0.05)
    else:
        pytest.fail("the first run never took the lock")
    second = subprocess.run([str(cli), "report"], env=os.environ.copy(), capture_output=True, text=True)
    assert second.returncode == 2
    assert "Another `regional-divide report` run is writing" in second.stderr
    assert first.wait(timeout=120) == 0, first.stderr
    assert "data:image/png;base64" in (out / "fixture.html").read_text()
    assert "fixture,answer,42.0" in (out / "metrics.csv").read_text()
