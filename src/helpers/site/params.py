"""Parameter checks, before any kernel starts: every configured or requested parameter must be declared in the
notebook's ``parameters`` cell, have the type of its default, and satisfy its constraint in ``reports.yml``."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers.errors import RegionalDivideError
from helpers.site.config import CONFIG_NAME, ReportRun


class ParameterError(RegionalDivideError):
    """A configured or requested parameter is not valid for its notebook."""


def notebook_parameters(notebook: Path) -> dict[str, dict]:
    """The notebook's ``parameters`` cell as papermill reads it: name -> {default, inferred_type_name}."""
    import papermill

    if not notebook.exists():
        raise ParameterError(f"Notebook {notebook} does not exist. Fix the 'notebook' entry in {CONFIG_NAME}.")
    declared = papermill.inspect_notebook(str(notebook))
    if not declared:
        raise ParameterError(f"{notebook.name} has no cell tagged 'parameters'; tag exactly one cell of literals.")
    return declared


def check_parameters(run: ReportRun) -> None:
    """Stop before any kernel starts if a parameter is unknown, of the wrong type, or out of range (a region may be
    a code or any name ``helpers.data.areas.resolve`` knows)."""
    from helpers.data import areas

    declared = notebook_parameters(run.notebook_path)
    problems = []
    for name, value in run.parameters.items():
        if name not in declared:
            problems.append(f"unknown parameter {name!r}; {run.notebook} declares: {', '.join(declared)}")
            continue
        expected = _default_type(declared[name]["default"])
        if expected and not _type_matches(value, expected):
            problems.append(f"{name}={value!r} is {type(value).__name__}, but the notebook's default is {expected.__name__}")
            continue
        rule = run.constraints.get(name)
        if rule is None:
            continue
        if rule.choices is not None and value not in rule.choices:
            problems.append(f"{name}={value!r} is not one of {list(rule.choices)}")
        if rule.kind == "region":
            try:
                areas.resolve(value, levels=rule.levels)
            except RegionalDivideError as exc:
                problems.append(f"{name}: {exc}")
        if rule.kind == "year" and not rule.min <= value <= rule.max:
            problems.append(f"{name}={value} is outside the data: valid years are {rule.min}-{rule.max}")
    if problems:
        where = "ad-hoc run" if run.kind == "ad-hoc" else CONFIG_NAME
        raise ParameterError(f"Report {run.name!r} ({where}): " + "; ".join(p.rstrip(".") for p in problems) + ".")


def parameter_problem(run: ReportRun) -> str:
    """``check_parameters`` for a worker process: the error message, or "" when the parameters are valid."""
    try:
        check_parameters(run)
    except RegionalDivideError as exc:
        return str(exc)
    return ""


def _default_type(default: str) -> type | None:
    """The type of a parameter's default literal (None when the default is None or not a literal)."""
    try:
        value = ast.literal_eval(default)
    except (ValueError, SyntaxError):
        return None
    return None if value is None else type(value)


def _type_matches(value: object, expected: type) -> bool:
    if isinstance(value, bool) != (expected is bool):
        return False
    if expected is float:
        return isinstance(value, (int, float))
    return isinstance(value, expected)
