"""The package's shape, enforced: imports point one way (data and stats -> questions -> show -> site), modules and notebook
cells stay small, and notebooks are committed without outputs."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "helpers"
MAX_MODULE_LINES = 350
MAX_CELL_LINES = 12

# A module in the first layer may not import any module named in the second.
FORBIDDEN = {
    "helpers.data": ("helpers.findings", "helpers.questions", "helpers.show", "helpers.site"),
    "helpers.stats": ("helpers.data", "helpers.questions", "helpers.show", "helpers.site"),
    "helpers.questions": ("helpers.site", "helpers.show"),
    "helpers.show": ("helpers.questions", "helpers.site"),
    "helpers.config": ("helpers.data", "helpers.questions", "helpers.site"),
    "helpers.errors": ("helpers.",),
    "helpers.regions": ("helpers.questions", "helpers.site"),
    "helpers.sic": ("helpers.questions", "helpers.site"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str) -> set[str]:
    """Every module a source imports (top level or inside functions), relative imports resolved."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(module.split(".")[: -node.level] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def violations(source: str, module: str) -> list[str]:
    """The forbidden imports of ``module`` (whose source is ``source``)."""
    problems = []
    for layer, banned in FORBIDDEN.items():
        if module == layer or module.startswith(layer + "."):
            for imported in sorted(imported_modules(source, module)):
                if any(imported == b.rstrip(".") or imported.startswith(b if b.endswith(".") else b + ".") or imported == b
                       for b in banned):
                    problems.append(f"{module} imports {imported} ({layer} may not import {', '.join(banned)})")
    return problems


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_layer_rule_catches_a_forbidden_import():
    assert violations("from helpers.findings import model\n", "helpers.data.datasets")
    assert violations("def f():\n    import helpers.site.index\n", "helpers.questions.claims.findings")
    assert violations("from ...site import index\n", "helpers.questions.claims.findings")
    assert violations("from helpers.data.datasets import load\n", "helpers.questions.claims.findings") == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path):
    assert violations(path.read_text(encoding="utf-8"), module_name(path)) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines; split it (limit {MAX_MODULE_LINES})"


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
    """Lines of ``source`` (a notebook cell) with a bare ``plotting.table(...)`` statement that is not the cell's
    last: such a table is built and thrown away (only a cell's last expression is displayed)."""
    body = ast.parse(source).body
    return [node.lineno for node in body[:-1] if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "plotting.table"]


def test_the_unshown_table_rule_catches_a_table_in_the_middle_of_a_cell():
    assert unshown_tables('plotting.table(t, 1)\nplotting.say("note")') == [1]
    assert unshown_tables('plotting.say("note")\nplotting.table(t, 1)') == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_table_a_notebook_builds_is_shown(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", []):
            lines = unshown_tables("".join(cell["source"]))
            assert not lines, (f"{path.name} cell {number}, line {lines[0]}: plotting.table(...) is not the cell's last "
                               "statement, so it is never displayed; use plotting.show_table(...)")
