"""What a run leaves behind and when a report must run again.

Rerun key (``run_key``): a report runs again when its notebook, its parameters, the code it runs, the templates
that render it or the data it reads changed. "The code it runs" is the source of the ``helpers`` modules its
notebook imports, followed transitively through the imports in their source (``code_files``), plus the
renderer; "the data it reads" is the fingerprint of each declared dataset (which covers the loader code and
the reference files that build it) and the registry files (regions, SIC sections) its code names. Editing a
module its notebook does not import (a loader, say) does not rerun it.

State (``reports/_state/<name>.json``): the key, status, error, duration, parameters, datasets used and the
metrics of the last good run; ``record_outcome`` writes it with the report's outputs, each file atomically.

Code facts (``reports/_cache/code-facts.json``, ``code_facts_path``): what parsing each source text found (its
imports and the ``.csv`` names it holds), by the text's sha256, so that working out the rerun keys parses only
the files edited since the last run. It is a cache: missing or corrupt, the files are parsed again.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.config import paths
from helpers.data.atomic import write_text_atomic
from helpers.data.imports import PACKAGE_DIR, FactStore, code_files, source_facts
from helpers.site.config import ReportRun

if TYPE_CHECKING:
    from helpers.site.execute import Outcome

TEMPLATES = Path(__file__).parent / "templates"
RENDERER = Path(__file__).parent / "render.py"  # how the executed notebook becomes HTML


# ---------------------------------------------------------------- rerun keys


def notebook_code(notebook: Path) -> str:
    """The notebook's code cells as Python (IPython magics turned into calls), one cell after another."""
    document = json.loads(notebook.read_text(encoding="utf-8"))  # plain JSON: nbformat's import is slow
    sources = [cell["source"] for cell in document["cells"] if cell["cell_type"] == "code"]
    cells = [source if isinstance(source, str) else "".join(source) for source in sources]
    code = "\n\n".join(cells)
    try:
        ast.parse(code)
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        code = "\n\n".join(TransformerManager().transform_cell(cell) for cell in cells)
    return code


def notebook_code_files(notebook: Path, *, package_dir: Path = PACKAGE_DIR, store: FactStore | None = None) -> list[Path]:
    """Source files of the ``helpers`` modules the notebook imports, directly or through other helpers modules
    (with the ``__init__.py`` of their packages); every module of the package if its code does not parse."""
    try:
        return code_files([], source=notebook_code(notebook), package_dir=package_dir, store=store)
    except SyntaxError:
        return sorted(package_dir.rglob("*.py"))


def registry_files(modules: list[Path], *, store: FactStore | None = None) -> list[Path]:
    """The files of ``data/reference/`` that ``modules`` name in a string literal (the region and SIC registries
    in ``helpers.regions`` and ``helpers.sic``), except reference tables: those are datasets, read with ``load``
    and declared per report."""
    from helpers.data.catalogue import DATASETS, ReferenceTable

    tables = {d.file for d in DATASETS.values() if isinstance(d, ReferenceTable)}
    available = {f.name: f for f in paths().reference.glob("*.csv") if f.name not in tables}
    named = set()
    for module in modules:
        source = module.read_text(encoding="utf-8")
        facts = store.facts(source) if store is not None else source_facts(source)
        named.update(name for name in facts.csv_names if name in available)
    return [available[name] for name in sorted(named)]


def code_facts_path() -> Path:
    """The ``FactStore`` of the rerun keys: what parsing each source text of the package found, by its sha256."""
    return paths().reports / "_cache" / "code-facts.json"


def code_hash(notebook: Path, *, package_dir: Path = PACKAGE_DIR, store: FactStore | None = None) -> str:
    """Hash of the code a notebook runs (``notebook_code_files``) and the registry files that code reads
    (``registry_files``), the renderer and the templates. ``store`` spares parsing texts parsed before (the
    same hash either way)."""
    digest = hashlib.sha256()
    modules = notebook_code_files(notebook, package_dir=package_dir, store=store)
    files = [(f"helpers/{f.relative_to(package_dir).as_posix()}", f) for f in modules]
    files += [(f"reference/{f.name}", f) for f in registry_files(modules, store=store)]
    files += [(f"renderer/{RENDERER.name}", RENDERER)]
    files += [(f"templates/{f.relative_to(TEMPLATES).as_posix()}", f)
              for f in sorted([*TEMPLATES.rglob("*.j2"), *TEMPLATES.rglob("*.json")])]
    for name, file in files:
        digest.update(name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def run_key(run: ReportRun, code: str, data_fingerprints: dict[str, str]) -> str:
    """The rerun key of ``run``: its notebook, parameters, ``code`` (``code_hash`` of its notebook) and the
    fingerprints of its declared datasets."""
    digest = hashlib.sha256()
    digest.update(run.notebook_path.read_bytes())
    digest.update(json.dumps(run.parameters, sort_keys=True).encode())
    digest.update(code.encode())
    for name in sorted(run.datasets):
        digest.update(f"{name}:{data_fingerprints[name]}".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- state files and outputs


def now() -> str:
    """The current time, UTC, as recorded in state files and shown in the index."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def state_path(name: str) -> Path:
    return paths().reports / "_state" / f"{name}.json"


def html_path(run: ReportRun) -> Path:
    return paths().reports / f"{run.name}.html"


def failed_path(name: str) -> Path:
    return paths().reports / "_failed" / f"{name}.ipynb"


def read_state(name: str) -> dict:
    try:
        return json.loads(state_path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def describe(run: ReportRun) -> dict:
    """What the index needs to list a run that is not in ``reports.yml`` (ad-hoc and all-areas runs)."""
    return {"report_id": run.report_id, "title": run.title, "group": run.group, "notebook": run.notebook,
            "datasets": list(run.datasets), "kind": run.kind}


def recorded_runs() -> list[ReportRun]:
    """The runs with a state file in ``reports/_state`` that recorded their description, by name."""
    runs = []
    for path in sorted((paths().reports / "_state").glob("*.json")):
        state = read_state(path.stem)
        if isinstance(state.get("run"), dict):
            info = state["run"]
            runs.append(ReportRun(name=path.stem, report_id=info["report_id"], title=info["title"], group=info["group"],
                                  notebook=info["notebook"], parameters=state.get("parameters", {}),
                                  datasets=tuple(info["datasets"]), kind=info.get("kind", "configured")))
    return runs


def is_up_to_date(run: ReportRun, key: str) -> bool:
    state = read_state(run.name)
    return state.get("key") == key and state.get("status") == "ok" and html_path(run).exists()


def write_downloads(run: ReportRun, files: dict[str, str]) -> None:
    """The CSV behind each chart and table, in ``reports/<run name>/``; CSVs of an earlier run that the new HTML
    no longer links are removed."""
    out = paths().reports
    for relative, text in files.items():
        write_text_atomic(out / relative, text)
    folder = out / run.name
    if folder.is_dir():
        for stale in folder.glob("*.csv"):
            if stale.relative_to(out).as_posix() not in files:
                stale.unlink()


def record_outcome(run: ReportRun, key: str, outcome: Outcome) -> None:
    """Write a run's outputs and state atomically; on failure keep the last good HTML and save the failed
    notebook (``reports/_failed/``)."""
    out = paths().reports
    state = {"name": run.name, "key": key, "status": outcome.status, "error": outcome.error,
             "duration_s": outcome.duration_s, "started": outcome.started, "parameters": run.parameters,
             "datasets_used": outcome.datasets_used, "run": describe(run)}
    if outcome.ok:
        write_text_atomic(out / "_executed" / f"{run.name}.ipynb", outcome.notebook)
        write_downloads(run, outcome.files)  # before the HTML, so the page never links a missing file
        write_text_atomic(html_path(run), outcome.html)
        state["metrics"] = outcome.metrics
        failed_path(run.name).unlink(missing_ok=True)
        state["last_good"] = outcome.started
    else:
        previous = read_state(run.name)
        state["metrics"] = previous.get("metrics", []) if html_path(run).exists() else []
        state["last_good"] = previous.get("last_good") or (previous.get("started") if previous.get("status") == "ok" else None)
        if outcome.notebook:
            write_text_atomic(failed_path(run.name), outcome.notebook)
    write_text_atomic(state_path(run.name), json.dumps(state, indent=2, default=str))
