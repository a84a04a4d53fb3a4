"""``reports.yml`` as typed objects: a ``Report`` per notebook, expanded into one ``ReportRun`` per parameter set.

A report lists its runs by hand (``runs:``) or has them generated from the region registry
(``runs_from_regions: {parameter: region, level: ITL1}``, or a list of levels: one run per region, named by its code
and titled "<report title>: <region name>"). ``all_areas: {levels: [ITL2, ITL3]}`` adds one run per area of those
levels when asked (``regional-divide report --all-areas``, ``make report-all``). Nothing here starts a kernel or
reads a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.config import paths
from helpers.errors import RegionalDivideError
from helpers.regions import registry_areas

CONFIG_NAME = "reports.yml"
REPORT_KEYS = {"id", "group", "title", "notebook", "datasets", "parameters", "constraints", "runs", "runs_from_regions",
               "all_areas"}
RUN_KEYS = {"name", "title", "parameters"}
CONSTRAINT_KEYS = {"kind", "min", "max", "years_of", "levels", "choices"}
REGION_LEVELS = ("ITL1", "ITL2", "ITL3")


@dataclass(frozen=True)
class Constraint:
    """A check on one parameter: ``kind: year`` with ``years_of`` (the datasets whose years it must lie in: the years
    all of them hold, read from the data, never typed) or ``min``/``max``, ``kind: region`` with ``levels``, and/or
    ``choices``."""

    kind: str | None = None
    min: int | None = None
    max: int | None = None
    years_of: tuple[str, ...] = ()
    levels: tuple[str, ...] = REGION_LEVELS
    choices: tuple | None = None

    @classmethod
    def parse(cls, raw: dict, where: str) -> Constraint:
        _check_keys(raw, CONSTRAINT_KEYS, where)
        constraint = cls(kind=raw.get("kind"), min=raw.get("min"), max=raw.get("max"),
                         years_of=tuple(raw.get("years_of", ())), levels=tuple(raw.get("levels", REGION_LEVELS)),
                         choices=tuple(raw["choices"]) if "choices" in raw else None)
        if constraint.kind not in (None, "year", "region"):
            raise RegionalDivideError(f"{where}: kind must be 'year' or 'region', not {constraint.kind!r}")
        if constraint.kind == "year" and not constraint.years_of and (constraint.min is None or constraint.max is None):
            raise RegionalDivideError(f"{where}: a year constraint needs years_of (datasets) or min and max")
        return constraint


@dataclass(frozen=True)
class ReportRun:
    """One configured execution: a notebook with one parameter set, rendered to ``<name>.html``."""

    name: str
    report_id: str
    title: str
    group: str
    notebook: str
    parameters: dict = field(hash=False)
    datasets: tuple[str, ...] = ()
    constraints: dict[str, Constraint] = field(default_factory=dict, hash=False)
    kind: str = "configured"  # configured / all-areas (report --all-areas) / ad-hoc (report NOTEBOOK -p ...)

    @property
    def notebook_path(self) -> Path:
        return paths().notebooks / self.notebook


@dataclass(frozen=True)
class RunSpec:
    """An entry of a report's ``runs``: a name suffix, a title and parameters over the report's."""

    name: str | None = None
    title: str | None = None
    parameters: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class RegionRuns:
    """``runs_from_regions``: one run per region of each of ``levels`` in the registry, setting ``parameter``."""

    parameter: str
    levels: tuple[str, ...] = ("ITL1",)

    @classmethod
    def parse(cls, spec: dict, where: str) -> RegionRuns:
        _check_keys(spec, {"parameter", "level"}, where)
        levels = spec.get("level", "ITL1")
        levels = tuple([levels] if isinstance(levels, str) else levels or ())
        if "parameter" not in spec or not levels or not set(levels) <= set(REGION_LEVELS):
            raise RegionalDivideError(f"{where}: needs a parameter and a level (or a list of levels) in {REGION_LEVELS}")
        return cls(spec["parameter"], levels)

    def specs(self, title: str) -> list[RunSpec]:
        areas = [area for level in self.levels for area in registry_areas(level)]
        return [RunSpec(code, f"{title}: {name}", {self.parameter: code}) for code, name in areas]


@dataclass(frozen=True)
class Report:
    """An entry of ``reports.yml``: a notebook, its default parameters, datasets, constraints and runs."""

    id: str
    title: str
    group: str
    notebook: str
    datasets: tuple[str, ...] = ()
    parameters: dict = field(default_factory=dict, hash=False)
    constraints: dict[str, Constraint] = field(default_factory=dict, hash=False)
    runs: tuple[RunSpec, ...] = ()
    runs_from_regions: RegionRuns | None = None
    all_areas: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: dict, where: str) -> Report:
        if isinstance(raw, dict) and "id" in raw:
            where = f"{where} ({raw['id']})"
        _check_keys(raw, REPORT_KEYS, where)
        missing = [k for k in ("id", "title", "notebook") if k not in raw]
        if missing:
            raise RegionalDivideError(f"{where}: missing {', '.join(missing)}")
        if raw.get("runs") and raw.get("runs_from_regions"):
            raise RegionalDivideError(f"{where}: give either runs or runs_from_regions, not both")
        runs = []
        for number, run in enumerate(raw.get("runs") or []):
            _check_keys(run, RUN_KEYS, f"{where} runs[{number}]")
            runs.append(RunSpec(run.get("name"), run.get("title"), dict(run.get("parameters") or {})))
        generated = None
        if raw.get("runs_from_regions"):
            generated = RegionRuns.parse(raw["runs_from_regions"], f"{where} runs_from_regions")
        all_areas = ()
        if raw.get("all_areas"):
            _check_keys(raw["all_areas"], {"levels"}, f"{where} all_areas")
            all_areas = tuple(raw["all_areas"].get("levels") or ())
            if not generated or not all_areas or not set(all_areas) <= set(REGION_LEVELS):
                raise RegionalDivideError(f"{where} all_areas: needs runs_from_regions and levels in {REGION_LEVELS}")
        return cls(
            id=raw["id"], title=raw["title"], group=raw.get("group", raw["title"]), notebook=raw["notebook"],
            datasets=tuple(raw.get("datasets") or ()), parameters=dict(raw.get("parameters") or {}),
            constraints={name: Constraint.parse(rule, f"{where} constraints.{name}")
                         for name, rule in (raw.get("constraints") or {}).items()},
            runs=tuple(runs), runs_from_regions=generated, all_areas=all_areas,
        )

    def run_specs(self, *, all_areas: bool = False) -> list[RunSpec]:
        if self.runs_from_regions:
            specs = self.runs_from_regions.specs(self.title)
            if all_areas and self.all_areas:
                extra = RegionRuns(self.runs_from_regions.parameter, self.all_areas).specs(self.title)
                specs += [spec for spec in extra if spec.name not in {s.name for s in specs}]
            return specs
        return list(self.runs) or [RunSpec()]

    def expand(self, *, all_areas: bool = False) -> list[ReportRun]:
        configured = {spec.name for spec in self.run_specs()}
        return [
            ReportRun(
                name=f"{self.id}--{spec.name}" if spec.name else self.id,
                report_id=self.id,
                title=spec.title or self.title,
                group=self.group,
                notebook=self.notebook,
                parameters={**self.parameters, **spec.parameters},
                datasets=self.datasets,
                constraints=self.constraints,
                kind="configured" if spec.name in configured else "all-areas",
            )
            for spec in self.run_specs(all_areas=all_areas)
        ]


def config_path() -> Path:
    return paths().root / CONFIG_NAME


def load_reports(config: Path | None = None) -> list[Report]:
    """Every report in ``reports.yml``, in order."""
    config = config or config_path()
    document = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return [Report.parse(raw, f"{config.name}: reports[{number}]") for number, raw in enumerate(document.get("reports") or [])]


def load_runs(config: Path | None = None, *, all_areas: bool = False) -> list[ReportRun]:
    """Every configured run, in config order (``reports.yml``: reports -> runs -> parameters); with ``all_areas``
    also the runs of each report's ``all_areas`` levels."""
    config = config or config_path()
    runs = [run for report in load_reports(config) for run in report.expand(all_areas=all_areas)]
    names = [r.name for r in runs]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RegionalDivideError(f"{config}: report names must be unique; repeated: {sorted(duplicates)}")
    return runs


def _check_keys(raw: dict, allowed: set[str], where: str) -> None:
    if not isinstance(raw, dict):
        raise RegionalDivideError(f"{where}: expected a mapping, got {raw!r}")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise RegionalDivideError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
