"""The package's shape, enforced: imports point one way (stats and data -> findings -> questions -> show -> site ->
cli, checked by import-linter), notebook cells stay small, and notebooks are committed without outputs. Complexity
is measured per function by ruff (C901, PLR0915 in pyproject.toml), not by a module's line count."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "helpers"
MAX_CELL_LINES = 12

CONTRACTS = ROOT / "pyproject.toml"


def lint_imports(config: Path = CONTRACTS) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "lint-imports"), str(config), "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)})


def test_imports_point_one_way_and_never_in_a_circle():
    """The contracts in pyproject.toml ([tool.importlinter]): layers import downwards only, questions are independent
    except through their findings, and no modules import each other in a circle (at any depth)."""
    result = lint_imports()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_contracts_catch_an_upward_import(tmp_path):
    """The layer contract is not vacuous: the same contracts, with the data layer put above the site, are broken by
    the real imports (site modules import data)."""
    text = CONTRACTS.read_text(encoding="utf-8").replace(
        '"helpers.site", "helpers.show", "helpers.questions", "helpers.findings", "helpers.data"',
        '"helpers.data", "helpers.site", "helpers.show", "helpers.questions", "helpers.findings"')
    assert text != CONTRACTS.read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    result = lint_imports(tmp_path / "pyproject.toml")
    assert result.returncode != 0 and "helpers.site" in result.stdout


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin_and_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        lines = len("".join(cell["source"]).splitlines())
        assert lines <= MAX_CELL_LINES, f"{path.name} cell {number}: {lines} lines (limit {MAX_CELL_LINES}); move code to helpers"
        assert cell.get("outputs") == [] and cell.get("execution_count") is None, (
            f"{path.name} cell {number} has outputs: strip them (nbstripout) before committing")


def unshown_tables(source: str) -> list[int]:
    """Lines of ``source`` (a notebook cell) with a bare ``tables.table(...)`` statement that is not the cell's
    last: such a table is built and thrown away (only a cell's last expression is displayed)."""
    body = ast.parse(source).body
    return [node.lineno for node in body[:-1] if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "tables.table"]


def test_the_unshown_table_rule_catches_a_table_in_the_middle_of_a_cell():
    assert unshown_tables('tables.table(t, 1)\noutputs.say("note")') == [1]
    assert unshown_tables('outputs.say("note")\ntables.table(t, 1)') == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_table_a_notebook_builds_is_shown(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", []):
            lines = unshown_tables("".join(cell["source"]))
            assert not lines, (f"{path.name} cell {number}, line {lines[0]}: tables.table(...) is not the cell's last "
                               "statement, so it is never displayed; use tables.show_table(...)")
