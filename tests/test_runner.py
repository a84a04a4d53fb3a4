"""The report runner on a throw-away project: reports.yml as typed runs (profiles generated from the region
registry), parameters checked before any kernel starts, rerun keys that cover the package's code and the data,
incremental reruns, figures, findings and sources read from the executed notebook, a failing notebook that keeps the last good
report, atomic outputs and the run lock. Tests that start a kernel are marked slow."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers import site as runner
from helpers.data.imports import PACKAGE_DIR
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
from helpers.findings.model import Metric
from helpers.show import records
if fail:
    raise RuntimeError("injected failure halfway")
fig, ax = plt.subplots()
ax.plot([1, 2], [year, year + 1])
plt.show()
records.metrics([Metric("answer", 42, "count", f"fixture metric for {region}")])
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
        ({"region": "TLX"}, r"Unknown region 'TLX' at level ITL1. Did you mean"),
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


@pytest.mark.slow
def test_run_render_skip_then_fail_keeps_last_good(reports_project):
    out = reports_project.home / "reports"
    first = runner.run_reports(workers=1)
    assert [(r.name, r.status) for r in first] == [("fixture", "ok")]
    html = (out / "fixture.html").read_text()
    assert 'id="run-card"' in html and "region = TLC" in html and "Headline figures" in html
    assert "Section-one" in html  # table of contents link
    assert "records.metrics" not in html  # code cells are hidden
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
    for published in (out / "_failed" / "fixture.ipynb", out / "_executed" / "fixture.ipynb"):  # relative paths only
        assert str(reports_project.home) not in published.read_text() and str(ROOT) + "/" not in published.read_text()


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


@pytest.mark.slow
def test_a_reused_kernel_starts_each_report_from_a_clean_state(reports_project):
    """Reports that share a worker's kernel see no variables, figures or style left by the one before."""
    config = yaml.safe_load((reports_project.home / "reports.yml").read_text())
    config["reports"][0]["runs"] = [{"name": "first"}, {"name": "second"}]
    (reports_project.home / "reports.yml").write_text(yaml.safe_dump(config))
    _notebook(reports_project.home / "notebooks" / "fixture.ipynb", """import matplotlib
import matplotlib.pyplot as plt
from helpers.findings.model import Metric
from helpers.show import records
leaked = "leftover" in globals()
leftover = 1
records.metrics([Metric("leaked_variable", leaked, "flag", "a variable from an earlier report"),
                 Metric("open_figures", len(plt.get_fignums()), "count", "figures left open"),
                 Metric("execution_count", get_ipython().execution_count, "count", "cells run before this one"),
                 Metric("font_size", matplotlib.rcParams["font.size"], "pt", "font size at start")])
plt.figure(); matplotlib.rcParams["font.size"] = 99
""")
    results = runner.run_reports(workers=1)
    assert [r.status for r in results] == ["ok", "ok"]
    first, second = (
        {m["id"]: m["value"] for m in runner.read_state(name)["metrics"]} for name in ("fixture--first", "fixture--second")
    )
    assert first == second
    assert second["leaked_variable"] == 0 and second["open_figures"] == 0
    assert len(runner.read_state("fixture--second")["metrics"]) == 4  # its own figures only


@pytest.mark.slow
def test_a_memoized_table_is_built_once_per_worker(reports_project):
    """What does carry over between reports on one kernel is the memo: the second report gets the table without
    building it and cannot see the first report's change to its copy."""
    config = yaml.safe_load((reports_project.home / "reports.yml").read_text())
    config["reports"][0]["datasets"] = ["claims"]
    config["reports"][0]["runs"] = [{"name": "first"}, {"name": "second"}]
    (reports_project.home / "reports.yml").write_text(yaml.safe_dump(config))
    (reports_project.home / "notebooks" / "fixture_tables.py").write_text(
        "from helpers.data.datasets import load\nfrom helpers.data.memo import memoized\nBUILDS = []\n\n\n"
        "@memoized\ndef claim_ids():\n    BUILDS.append(1)\n    return load('claims')['claim_id'].tolist()\n")
    _notebook(reports_project.home / "notebooks" / "fixture.ipynb", """import fixture_tables
from helpers.findings.model import Metric
from helpers.show import records
ids = fixture_tables.claim_ids()
records.metrics([Metric("claims", len(ids), "count", "claims in the memoized table"),
                 Metric("builds", len(fixture_tables.BUILDS), "count", "times the table was built in this kernel")])
ids.append("changed by this report")
""")
    results = runner.run_reports(workers=1)
    assert [r.status for r in results] == ["ok", "ok"], runner.result_table(results)
    first, second = runner.read_state("fixture--first"), runner.read_state("fixture--second")
    values = [{m["id"]: m["value"] for m in state["metrics"]} for state in (first, second)]
    assert values[0]["builds"] == values[1]["builds"] == 1  # built by the first report, served to the second
    assert values[0]["claims"] == values[1]["claims"] > 0  # the first report's append did not reach the memo


@pytest.mark.slow
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


@pytest.mark.slow
def test_an_unwritable_index_stops_with_a_clear_message(reports_project, monkeypatch):
    assert [r.status for r in runner.run_reports()] == ["ok"]
    index = (reports_project.home / "reports" / "index.html").read_text()

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("helpers.site.index.write_text_atomic", read_only)
    with pytest.raises(RegionalDivideError, match=r"Could not write .*index.html.*Permission denied.*previous files are kept"):
        runner.run_reports(force=True)
    assert (reports_project.home / "reports" / "index.html").read_text() == index


@pytest.mark.slow
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
    assert "Headline figures" in (out / "fixture.html").read_text()  # (the fixture shows no chart)
    assert "fixture,answer,42.0" in (out / "metrics.csv").read_text()


# ---------------------------------------------------------------- reports.yml as typed runs


def test_profile_runs_are_generated_from_the_region_registry():
    from helpers import regions

    runs = [r for r in runner.load_runs(ROOT / "reports.yml") if r.report_id == "profile"]
    assert [r.name for r in runs] == [f"profile--{code}" for code in regions.itl1_codes()]
    assert len(runs) == 12 and runs[0].name == "profile--TLC" and runs[-1].name == "profile--TLN"
    assert runs[0].title == "Region profile: North East" and runs[2].title == "Region profile: Yorkshire and The Humber"
    assert [r.parameters for r in runs] == [{"region": code} for code in regions.itl1_codes()]
    assert all({"claims", "ai_growth_zones"} <= set(r.datasets) for r in runs)
    assert runs[0].constraints["region"] == runner.Constraint(kind="region", levels=("ITL1", "ITL2", "ITL3"))


def test_unknown_keys_in_reports_yml_are_named(reports_project):
    config = yaml.safe_load((reports_project.home / "reports.yml").read_text())
    config["reports"][0]["paramters"] = {"year": 2020}
    (reports_project.home / "reports.yml").write_text(yaml.safe_dump(config))
    with pytest.raises(RegionalDivideError, match=r"reports\[0\] \(fixture\): unknown key\(s\) paramters"):
        runner.load_runs()


# ---------------------------------------------------------------- rerun keys


def test_the_code_hash_covers_every_file_of_the_package(tmp_path):
    """One rule: an edit to any module, wording template or catalogue of the package changes the code hash (and so
    reruns every report); bytecode caches do not."""
    package = tmp_path / "helpers"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    key = runner.code_hash(package)

    def edit(relative: str) -> str:
        with (package / relative).open("a") as handle:
            handle.write("\n# edited\n")
        return runner.code_hash(package)

    for relative in ("data/loaders/gva.py", "questions/profiles/tables.py", "data/catalogue.yml", "site/templates/index.html.j2"):
        assert edit(relative) != key, relative
        key = runner.code_hash(package)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.py").write_text("cached")
    assert runner.code_hash(package) == key


def test_the_rerun_key_changes_with_notebook_parameters_and_data(reports_project):
    run = runner.load_runs()[0]
    key = runner.run_key(run, "code", {})
    assert runner.run_key(run, "other code", {}) != key
    assert runner.run_key(dataclasses.replace(run, parameters={**run.parameters, "year": 2021}), "code", {}) != key
    declared = dataclasses.replace(run, datasets=("claims",))
    assert runner.run_key(declared, "code", {"claims": "a"}) != runner.run_key(declared, "code", {"claims": "b"})


# ---------------------------------------------------------------- what the kernel hands back


def test_no_environment_variables_pass_between_runner_and_kernel():
    package = PACKAGE_DIR
    for file in package.rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        for name in ("REGIONAL_DIVIDE_METRICS_FILE", "REGIONAL_DIVIDE_USAGE_LOG", "METRICS_ENV", "USAGE_ENV"):
            assert name not in text, f"{file} still mentions {name}"


def test_a_crashed_worker_is_one_outcome():
    outcome = runner.Outcome.crashed(MemoryError("worker killed"))
    assert (outcome.status, outcome.error, outcome.ok) == ("failed", "MemoryError: worker killed", False)
    assert outcome.html is None and outcome.metrics == [] and outcome.sources == [] and outcome.started


def test_records_are_display_outputs_and_nothing_is_kept_in_memory(monkeypatch):
    """In JupyterLab as in a report, the headline figures and findings are one display output each, carrying the data
    under the project's MIME types; no module keeps them."""
    import IPython.display

    from helpers.findings.model import Check, Finding, Metric
    from helpers.show import outputs, records

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw=False: shown.append(bundle))
    records.metrics([Metric("answer", 42, "count", "a fixture metric", ["claims_source"])])
    finding = Finding("fixture_finding", 1, "A fixture finding", 2.0, "points", 1.0, 3.0, "range", checks=(
        Check("other window", "window", 1.5),), sources=("claims_source",))
    records.findings([finding])
    assert shown[0][outputs.METRICS_MIME] == [{"id": "answer", "value": 42.0, "unit": "count",
                                                "description": "a fixture metric", "source_ids": "claims_source"}]
    row = shown[1][outputs.FINDINGS_MIME][0]
    assert (row["id"], row["verdict"], row["checks_agreeing"], row["lower"]) == ("fixture_finding", "holds", 1, 1.0)
    assert 'id="finding-fixture_finding"' in shown[1]["text/html"]


def test_figures_findings_and_sources_are_read_from_the_executed_notebook():
    """What a report hands back is in its outputs: the MIME payloads of its figures and findings, and the sources every
    chart, table, figure and finding names; a source that no declared dataset is built from is reported."""
    from helpers.show.outputs import DOWNLOAD_MIME, FINDINGS_MIME, METRICS_MIME
    from helpers.site.config import ReportRun
    from helpers.site.execute import records, undeclared

    def output(data):
        return nbformat.v4.new_output("display_data", data=data)

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [output({"text/plain": "a chart", DOWNLOAD_MIME: {"anchor": "a", "sources": ["gva_itl1_cp_2023"]}}),
                    output({"text/plain": "figures", METRICS_MIME: [{"id": "m", "value": 1.0, "source_ids": "population_2024"}]}),
                    output({"text/plain": "findings", FINDINGS_MIME: [{"id": "f", "sources": "gva_itl1_cp_2023 productivity_2024"}]})]
    nb.cells = [cell]
    metrics, found, sources = records(nb)
    assert [m["id"] for m in metrics] == ["m"] and [f["id"] for f in found] == ["f"]
    assert sources == ["gva_itl1_cp_2023", "population_2024", "productivity_2024"]
    run = ReportRun("fixture", "fixture", "Fixture", "Fixture", "fixture.ipynb", {}, datasets=("gva_by_industry",
                                                                                               "regional_accounts"))
    assert undeclared(run, sources) == ["productivity_2024"]


@pytest.mark.slow
def test_metrics_are_read_from_the_executed_notebook_report_by_report(reports_project):
    config = yaml.safe_load((reports_project.home / "reports.yml").read_text())
    config["reports"][0]["runs"] = [{"name": "first"}, {"name": "second", "parameters": {"year": 2021}}]
    (reports_project.home / "reports.yml").write_text(yaml.safe_dump(config))
    _notebook(reports_project.home / "notebooks" / "fixture.ipynb", """from helpers.findings.model import Metric
from helpers.show import records
shown = [Metric("year", year, "year", "the year parameter")]
if year == 2020:
    shown.append(Metric("first_only", 1, "count", "a figure of the first report"))
records.metrics(shown)
""")
    results = runner.run_reports(workers=1)
    assert [r.status for r in results] == ["ok", "ok"], runner.result_table(results)
    first, second = runner.read_state("fixture--first"), runner.read_state("fixture--second")
    assert [m["id"] for m in first["metrics"]] == ["year", "first_only"]
    assert [m["id"] for m in second["metrics"]] == ["year"]  # nothing carried over from the first report
    metrics = (reports_project.home / "reports" / "metrics.csv").read_text()
    assert "fixture--second,year,2021.0,year" in metrics


# ---------------------------------------------------------------- ad-hoc runs, levels, all areas


def test_adhoc_parameters_are_yaml_scalars_unless_the_default_is_a_string(reports_project):
    run = runner.adhoc_run("fixture", ["region=north east", "year=2019", "fail=false"])
    assert run.parameters == {"region": "TLC", "year": 2019, "fail": False}  # a name resolved to its code
    assert run.name == "fixture--region-TLC--year-2019--fail-False" and run.kind == "ad-hoc"
    assert run.group == "Ad-hoc runs" and run.title == "Fixture: North East (TLC), year=2019, fail=False"
    from helpers.site.adhoc import typed_value

    assert typed_value("62", '"J"') == "62" and typed_value("2005", "1998") == 2005 and typed_value("1.5", "2") == 1.5


@pytest.mark.parametrize(("notebook", "assignments", "message"), [
    ("nope", ["year=2020"], r"No report runs the notebook 'nope'.*Notebooks: fixture"),
    ("fixture", ["yeer=2020"], r"unknown parameter 'yeer'; fixture.ipynb declares: region, year, fail"),
    ("fixture", ["year"], r"write parameters as NAME=VALUE"),
    ("fixture", ["region=Narnia"], r"Unknown region 'Narnia'"),
])
def test_adhoc_errors(reports_project, notebook, assignments, message):
    with pytest.raises(RegionalDivideError, match=message):
        runner.adhoc_run(notebook, assignments)


def test_adhoc_without_parameters_runs_the_defaults(reports_project):
    run = runner.adhoc_run("fixture", [])
    assert run.name == "fixture--defaults" and run.kind == "ad-hoc" and run.title.endswith(": defaults")


def test_adhoc_parameter_problems_do_not_blame_reports_yml(reports_project):
    run = runner.adhoc_run("fixture", ["region=TLC"])
    bad = type(run)(**{**run.__dict__, "parameters": {**run.parameters, "year": "x"}})
    with pytest.raises(RegionalDivideError, match=r"\(ad-hoc run\)") as caught:
        runner.check_parameters(bad)
    assert "reports.yml" not in str(caught.value)


def test_runs_from_regions_takes_a_list_of_levels_and_all_areas_adds_runs(reports_project):
    config = yaml.safe_load((reports_project.home / "reports.yml").read_text())
    config["reports"][0]["runs_from_regions"] = {"parameter": "region", "level": ["ITL1", "ITL2"]}
    config["reports"][0]["all_areas"] = {"levels": ["ITL2", "ITL3"]}
    (reports_project.home / "reports.yml").write_text(yaml.safe_dump(config))
    runs = runner.load_runs()
    assert len(runs) == 12 + 41 and {r.kind for r in runs} == {"configured"}
    everything = runner.load_runs(all_areas=True)
    assert len(everything) == 12 + 41 + 179 and everything[-1].name == "fixture--TLN0G"
    assert everything[-1].kind == "all-areas" and everything[-1].title == "Fixture: Fermanagh and Omagh"


def test_workers_must_be_positive(reports_project):
    with pytest.raises(RegionalDivideError, match="--workers must be 1 or more"):
        runner.run_reports(workers=0)


def test_summary_line_counts_reports():
    one = [runner.RunResult("a", "ok")]
    assert runner.summary_line(one, 1.0) == "1 report, 0 failed, 1.0 s"
    assert runner.summary_line(one * 2, 2.0).startswith("2 reports")


@pytest.mark.slow
def test_adhoc_run_is_rendered_and_listed_under_adhoc_runs(reports_project, capsys):
    from helpers import cli

    out = reports_project.home / "reports"
    assert cli.main(["report", "fixture", "-p", "region=TLD", "-p", "year=2019", "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    html_file = out / "fixture--region-TLD--year-2019.html"
    assert str(html_file) in printed and "1 report, 0 failed" in printed
    html = html_file.read_text()
    assert 'id="run-card"' in html and "region = TLD" in html and "year = 2019" in html
    state = runner.read_state("fixture--region-TLD--year-2019")
    assert state["status"] == "ok" and state["run"]["kind"] == "ad-hoc"
    cli.main(["report", "--workers", "1"])  # a configured run afterwards keeps the ad-hoc run in the index
    index = (out / "index.html").read_text()
    assert "<h2>Ad-hoc runs</h2>" in index and 'href="fixture--region-TLD--year-2019.html"' in index
    assert "fixture--region-TLD--year-2019,answer,42.0" in (out / "metrics.csv").read_text()
    assert cli.main(["clean", "--adhoc"]) == 0  # removes the page, its state and its row everywhere
    assert "Removed 1 ad-hoc run(s): fixture--region-TLD--year-2019" in capsys.readouterr().out
    assert not html_file.exists() and not runner.read_state("fixture--region-TLD--year-2019")
    assert "fixture--region-TLD--year-2019" not in (out / "index.html").read_text() + (out / "metrics.csv").read_text()
    assert cli.main(["clean", "--adhoc"]) == 0 and "No ad-hoc runs" in capsys.readouterr().out


@pytest.mark.slow
def test_missing_kernel_names_the_fix(reports_project, monkeypatch):
    monkeypatch.setattr("helpers.site.run.KERNEL", "no-such-kernel-for-this-test")
    with pytest.raises(RegionalDivideError, match=r"no Jupyter kernel named 'no-such-kernel-for-this-test'.*make kernel"):
        runner.run_reports(workers=1)


def test_a_year_constraint_reads_its_years_from_the_data(monkeypatch):
    """``years_of``: the years every named dataset holds (here two tables the test builds: 2004-2021 and 1998-2022)."""
    import pandas as pd

    from helpers.data import datasets
    from helpers.site.config import Constraint
    from helpers.site.params import year_range

    tables = {"a": pd.DataFrame({"year": range(2004, 2022)}), "b": pd.DataFrame({"year": range(1998, 2023)})}
    monkeypatch.setattr(datasets, "load", lambda name, **_: tables[name])
    rule = Constraint.parse({"kind": "year", "years_of": ["a", "b"]}, "test")
    assert year_range(rule) == (2004, 2021)
    assert year_range(Constraint.parse({"kind": "year", "years_of": ["b"]}, "test")) == (1998, 2022)
    with pytest.raises(RegionalDivideError, match="needs years_of"):
        Constraint.parse({"kind": "year"}, "test")


@pytest.mark.parametrize(("parameters", "problem"), [
    ({"start_year": 2015, "end_year": 2010}, "start_year=2015 is not before end_year=2010"),
    ({"shift_share_start": 2021, "shift_share_end": 2021}, "shift_share_start=2021 is not before shift_share_end=2021"),
    ({"start_year": 2010, "end_year": 2015}, None),
    ({"start_year": None, "end_year": 2015}, None),
])
def test_a_window_must_start_before_it_ends(parameters, problem):
    from helpers.site.params import _window_problems

    assert _window_problems(parameters) == ([f"{problem}: a window must start before it ends"] if problem else [])
