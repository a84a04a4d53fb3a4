"""Project-level contracts: dependency declarations in step, README in step with the manifest,
the command line's error handling, and the Makefile's self-documentation."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from helpers.pipeline.sources import load_manifest, sources_markdown

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda_specs = {_name(d): d for d in conda if isinstance(d, str) and _name(d) not in ("python", "pip")}
    assert set(conda_specs) == set(declared), "environment.yml and pyproject.toml list different packages"
    for name, spec in declared.items():
        assert spec.replace(" ", "") == conda_specs[name].replace(" ", ""), f"{name}: versions differ"


def test_lock_pins_every_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {_name(line) for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert _name(requirement) in pinned, f"{requirement} is not pinned in requirements.lock (run make lock)"


def test_readme_sources_table_matches_manifest():
    readme = (ROOT / "README.md").read_text()
    table = re.search(r"<!-- sources:start -->\n(.*?)\n<!-- sources:end -->", readme, re.S).group(1)
    assert table.strip() == sources_markdown().strip(), "regenerate with: regional-divide sources --markdown"


def test_manifest_entries_are_complete():
    for source in load_manifest().values():
        assert re.fullmatch(r"[0-9a-f]{64}", source.sha256), source.id
        assert source.url.startswith("https://") and source.release and source.licence and source.publisher
        assert not Path(source.path).is_absolute() and ".." not in Path(source.path).parts


def test_cli_error_is_one_clear_message():
    result = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "fetch", "no_such_source"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Unknown source id 'no_such_source'" in result.stderr and "Traceback" not in result.stderr


def test_make_help_lists_the_two_commands():
    result = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert re.search(r"make report\s+\S", result.stdout) and re.search(r"make test\s+\S", result.stdout)
