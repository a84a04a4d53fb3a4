"""Project-level contracts: dependency declarations in step, README in step with the manifest,
the command line's error handling, and the Makefile's self-documentation."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from helpers.data.sources import load_manifest, sources_markdown

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _lock_pins() -> dict[str, str]:
    """Package -> version pinned in requirements.lock (``name==version ; markers``)."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        found = re.match(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if found:
            pins[_name(found.group(1))] = found.group(2)
    return pins


def test_environment_yml_matches_pyproject_and_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda_specs = {_name(d): d for d in conda if isinstance(d, str) and _name(d) not in ("python", "pip")}
    assert set(conda_specs) == set(declared), "environment.yml and pyproject.toml list different packages"
    pins = _lock_pins()
    for name, spec in conda_specs.items():
        assert spec.replace(" ", "") == f"{name}=={pins[name]}", f"environment.yml: {spec}; requirements.lock: {pins[name]}"
    python = [d for d in conda if isinstance(d, str) and _name(d) == "python"]
    assert python == [f"python{project['requires-python']}"], "environment.yml's python differs from requires-python"


def test_supported_pythons_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    minimum = re.fullmatch(r">=(3\.\d+)", project["requires-python"]).group(1)
    assert re.search(rf"^MIN_PYTHON := {re.escape(minimum)}$", (ROOT / "Makefile").read_text(), re.M)
    ruff = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    assert ruff["target-version"] == "py" + minimum.replace(".", "")


def test_ruff_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "src", "tests", "scripts"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_config_strips_notebooks_and_runs_ruff():
    repos = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
    hooks = {hook["id"]: hook for repo in repos for hook in repo["hooks"]}
    assert "nbstripout" in hooks and "ruff" in hooks
    pins = _lock_pins()
    for name in ("nbstripout", "ruff"):  # local hooks run the hash-pinned tools of .venv
        assert hooks[name]["entry"].split()[0] == f".venv/bin/{name}" and name in pins
    for repo in repos:  # a remote hook repository is pinned by commit, not by a tag that can move
        assert repo["repo"] == "local" or re.fullmatch(r"[0-9a-f]{40}", str(repo.get("rev"))), repo["repo"]


def _lock_entries(path: Path) -> dict[str, str]:
    """Each pinned requirement of a hash-pinned requirements file: its first line -> its whole entry."""
    entries = re.split(r"\n(?=[A-Za-z0-9])", path.read_text())
    return {e.splitlines()[0]: e for e in entries if re.match(r"[A-Za-z0-9_.-]+==", e)}


def test_every_third_party_package_is_pinned_with_hashes():
    lock = _lock_entries(ROOT / "requirements.lock")
    assert len(lock) > 100
    for first, entry in lock.items():
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), f"requirements.lock: {first} has no hash (make lock)"
    bootstrap = _lock_entries(ROOT / "requirements-bootstrap.txt")
    assert {_name(first) for first in bootstrap} == {"uv", "setuptools"}
    for first, entry in bootstrap.items():
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), f"requirements-bootstrap.txt: {first} has no hash"


def test_make_installs_only_hash_checked_packages():
    """Every install in the Makefile checks hashes, except the project's own editable install, which builds with the
    hash-pinned setuptools already installed (no build isolation) and installs no dependency."""
    makefile = (ROOT / "Makefile").read_text()
    installs = [line.strip() for line in makefile.splitlines() if re.search(r"pip install", line)]
    assert installs, "no install lines found"
    for line in installs:
        if line.endswith(" -e ."):
            assert "--no-deps" in line and "--no-build-isolation" in line, line
        else:
            assert "--require-hashes" in line and re.search(r"-r requirements(-bootstrap\.txt|\.lock)$", line), line


def test_changelog_has_the_current_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert re.search(rf"^## \[{re.escape(version)}\]", (ROOT / "CHANGELOG.md").read_text(), re.M)


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


def test_nbstripout_is_a_declared_dev_dependency_in_the_venv_and_the_readme_says_how_to_enable_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "nbstripout" in {_name(r) for r in project["optional-dependencies"]["test"]}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    assert f"nbstripout=={_lock_pins()['nbstripout']}" in conda
    lock = (ROOT / "requirements.lock").read_text()
    assert re.search(r"^nbstripout==\S+ \\\n    --hash=sha256:[0-9a-f]{64}", lock, re.M)  # hash-pinned: make env installs it
    assert "`.venv/bin/nbstripout --install`" in (ROOT / "README.md").read_text()
    assert (Path(sys.executable).parent / "nbstripout").exists()  # in the environment the tests run in (.venv)
