"""Ad-hoc runs: ``regional-divide report NOTEBOOK -p NAME=VALUE ...`` runs one notebook with the parameters given,
with the same checks, rendering, run card and state as the configured reports.

The notebook must be one of ``reports.yml`` (its datasets, constraints and default parameters are used). Values are
read as YAML scalars (``2005`` -> int, ``true`` -> bool) unless the notebook's default is a string (region and SIC
codes stay strings); a region parameter also accepts a region or local authority name (``helpers.data.areas.resolve``). The
run is named ``<notebook>--<name>-<value>...`` and listed under "Ad-hoc runs" in the index.
"""

from __future__ import annotations

import re

import yaml

from helpers.errors import RegionalDivideError
from helpers.site.config import CONFIG_NAME, Report, ReportRun, load_reports
from helpers.site.params import ParameterError, _default_type, notebook_parameters

ADHOC_GROUP = "Ad-hoc runs"


def find_report(notebook: str) -> Report:
    """The configured report whose notebook is ``notebook`` (a file stem like ``region_profile``, a file name, or
    a report id)."""
    reports = load_reports()
    stem = notebook.removesuffix(".ipynb").split("/")[-1]
    for report in reports:
        if report.notebook.removesuffix(".ipynb") == stem or report.id == notebook:
            return report
    import difflib

    known = sorted({r.notebook.removesuffix(".ipynb") for r in reports})
    close = difflib.get_close_matches(stem, known, n=2) or difflib.get_close_matches(stem, [r.id for r in reports], n=2)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise RegionalDivideError(f"No report runs the notebook {notebook!r}.{hint} Notebooks: {', '.join(known)} "
                              f"(`regional-divide list reports`; a new notebook needs an entry in {CONFIG_NAME}).")


def parse_assignments(assignments: list[str]) -> dict[str, str]:
    """``["region=TLE32", "start_year=2005"]`` -> {"region": "TLE32", "start_year": "2005"} (values still text)."""
    parsed = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"-p {item!r}: write parameters as NAME=VALUE (e.g. -p region=TLE32).")
        parsed[name.strip()] = value.strip()
    return parsed


def typed_value(text: str, default: str | None) -> object:
    """A parameter value from the command line: a YAML scalar, or the text itself when the notebook's default is a
    string (so ``TLE32``, ``J`` or ``62`` stay strings)."""
    expected = _default_type(default) if default is not None else None
    if expected is str:
        return text
    try:
        value = yaml.safe_load(text) if text else ""
    except yaml.YAMLError:
        return text
    return value if isinstance(value, (str, int, float, bool)) or value is None else text


def adhoc_run(notebook: str, assignments: list[str]) -> ReportRun:
    """The ``ReportRun`` for ``regional-divide report NOTEBOOK -p NAME=VALUE ...``."""
    from helpers import regions
    from helpers.data import areas

    report = find_report(notebook)
    declared = notebook_parameters(_path(report))
    given = parse_assignments(assignments)
    unknown = [name for name in given if name not in declared]
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(map(repr, unknown))}; {report.notebook} declares: "
                             f"{', '.join(declared)}.")
    values = {name: typed_value(text, declared[name]["default"]) for name, text in given.items()}
    labels = []
    for name, value in values.items():
        rule = report.constraints.get(name)
        if rule is not None and rule.kind == "region" and isinstance(value, str):
            values[name] = value = areas.resolve(value, levels=rule.levels)
            labels.append(f"{regions.region_name(value)} ({value})")
        else:
            labels.append(f"{name}={value}")
    stem = report.notebook.removesuffix(".ipynb")
    name = stem + ("".join(f"--{key}-{_slug(value)}" for key, value in values.items()) or "--defaults")
    return ReportRun(name=name, report_id=report.id, title=f"{report.title}: {', '.join(labels) or 'defaults'}", group=ADHOC_GROUP,
                     notebook=report.notebook, parameters={**report.parameters, **values}, datasets=report.datasets,
                     constraints=report.constraints, kind="ad-hoc")


def _path(report: Report):
    from helpers.config import paths

    return paths().notebooks / report.notebook


def _slug(value: object) -> str:
    return re.sub(r"[^A-Za-z0-9_.+-]+", "_", str(value)).strip("_") or "empty"
