"""The command line as a user meets it: --version, `list`, clear one-line errors (workers, unknown report or
region, with suggestions) and `fetch --to DIR`."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from helpers import cli


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.cli", *args], capture_output=True, text=True, timeout=120)


def test_version():
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.startswith("regional-divide ")


@pytest.mark.parametrize("workers", ["0", "-2"])
def test_workers_zero_or_negative_is_refused(workers):
    result = _run("report", "--workers", workers)
    assert result.returncode == 2 and "--workers: must be 1 or more" in result.stderr and "Traceback" not in result.stderr


def test_unknown_report_notebook(capsys):
    assert cli.main(["report", "region_profil", "-p", "region=TLG"]) == 2
    error = capsys.readouterr().err
    assert "No report runs the notebook 'region_profil'. Did you mean region_profile" in error


def test_unknown_region_suggests_names(capsys):
    assert cli.main(["report", "region_profile", "-p", "region=West Midland"]) == 2
    error = capsys.readouterr().err
    assert "Unknown region 'West Midland'" in error and "West Midlands (TLG)" in error and "Traceback" not in error


def test_parameters_need_a_notebook(capsys):
    assert cli.main(["report", "-p", "region=TLG"]) == 2
    assert "-p needs a NOTEBOOK" in capsys.readouterr().err


def test_list_regions_by_level(capsys):
    assert cli.main(["list", "regions", "--level", "ITL3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 179 and lines[0].split()[:3] == ["TLC11", "ITL3", "TLC1"]
    assert any(line.startswith("TLE32 ") and line.endswith("Sheffield") for line in lines)


def test_list_reports_names_runs_and_adhoc_parameters(capsys):
    assert cli.main(["list", "reports"]) == 0
    out = capsys.readouterr().out
    assert "profile--TLG" in out and "Ad-hoc runs: regional-divide report NOTEBOOK -p NAME=VALUE" in out
    assert "region_profile" in out and 'region="TLG"' in out


def test_fetch_to_builds_a_mirror(project, tmp_path, capsys):
    content = b"a,b\n1,2\n"
    project.add_source("tiny", "folder/tiny.csv", content)
    target = tmp_path / "carry"
    assert cli.main(["fetch", "--to", str(target)]) == 0
    assert (target / "folder" / "tiny.csv").read_bytes() == content
    assert "REGIONAL_DIVIDE_DATA_MIRROR=" in capsys.readouterr().out
    assert hashlib.sha256((target / "folder" / "tiny.csv").read_bytes()).hexdigest() == project.entries[0]["sha256"]


def test_list_defaults_to_the_reports(capsys):
    assert cli.main(["list"]) == 0
    assert "profile--TLG" in capsys.readouterr().out


def test_list_into_a_closed_pipe_ends_quietly():
    import subprocess
    import sys

    done = subprocess.run(f"{sys.executable} -m helpers.cli list regions | head -n 2", shell=True, capture_output=True,
                          text=True, check=False)
    assert len(done.stdout.splitlines()) == 2 and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_a_near_miss_notebook_name_suggests_the_notebook(capsys):
    assert cli.main(["report", "region_profil", "-p", "region=TLG"]) == 2
    assert "Did you mean region_profile?" in capsys.readouterr().err
