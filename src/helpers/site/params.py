"""Parameter checks, before any kernel starts: every configured or requested parameter must be declared in the
notebook's ``parameters`` cell, have the type of its default, and satisfy its constraint in ``reports.yml``."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers.errors import RegionalDivideError
from helpers.site.config import CONFIG_NAME, Constraint, ReportRun


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
    declared = notebook_parameters(run.notebook_path)
    problems = []
    for name, value in run.parameters.items():
        if name not in declared:
            problems.append(f"unknown parameter {name!r}; {run.notebook} declares: {', '.join(declared)}")
            continue
        expected = _default_type(declared[name]["default"])
        if expected and not _type_matches(value, expected):
            problems.append(f"{name}={value!r} is {type(value).__name__}, but the notebook's default is {expected.__name__}")
        elif name in run.constraints:
            problems += _rule_problems(name, value, run.constraints[name])
    problems += _window_problems(run.parameters)
    if problems:
        where = "ad-hoc run" if run.kind == "ad-hoc" else CONFIG_NAME
        raise ParameterError(f"Report {run.name!r} ({where}): " + "; ".join(p.rstrip(".") for p in problems) + ".")


def _rule_problems(name: str, value, rule: Constraint) -> list[str]:
    from helpers.data import areas

    problems = []
    if rule.choices is not None and value not in rule.choices:
        problems.append(f"{name}={value!r} is not one of {list(rule.choices)}")
    if rule.kind == "region":
        try:
            areas.resolve(value, levels=rule.levels)
        except RegionalDivideError as exc:
            problems.append(f"{name}: {exc}")
    if rule.kind == "year":
        first, last = year_range(rule)
        if not first <= value <= last:
            problems.append(f"{name}={value} is outside the data: valid years are {first}-{last}")
    return problems


def year_range(rule: Constraint) -> tuple[int, int]:
    """The years a ``kind: year`` constraint allows: ``min``/``max`` where given, else the years every dataset in
    ``years_of`` holds (read from the built data)."""
    if not rule.years_of:
        return rule.min, rule.max
    from helpers.data.datasets import load

    spans = [(int(years.min()), int(years.max())) for years in (load(name)["year"] for name in rule.years_of)]
    return max(first for first, _ in spans), min(last for _, last in spans)


def _window_problems(parameters: dict) -> list[str]:
    """A window given as ``start_X``/``end_X`` or ``X_start``/``X_end`` must start before it ends."""
    problems = []
    for name, start in parameters.items():
        if name.startswith("start_"):
            end_name = "end_" + name.removeprefix("start_")
        elif name.endswith("_start"):
            end_name = name.removesuffix("_start") + "_end"
        else:
            continue
        end = parameters.get(end_name)
        if isinstance(start, int) and isinstance(end, int) and start >= end:
            problems.append(f"{name}={start} is not before {end_name}={end}: a window must start before it ends")
    return problems


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
