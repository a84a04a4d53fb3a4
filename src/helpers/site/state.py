"""What a run leaves behind and when a report must run again.

Rerun key (``run_key``): a report runs again when its notebook, its parameters, the package's code (every file
of ``src/helpers``: modules, wording templates, catalogue and site templates, ``code_hash``) or the data it reads
changed; "the data it reads" is the content fingerprint each of its declared datasets recorded at build time (which
covers the raw files, the loader code and the reference files that build it). Any edit to the package reruns every
report: one rule, no import scanning.

State (``reports/_state/<name>.json``): the key, status, error, duration, parameters, the sources the report showed
and the metrics and findings of the last good run; ``record_outcome`` writes it with the report's outputs, each file
atomically.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.config import paths
from helpers.data.atomic import write_text_atomic
from helpers.site.config import ReportRun

if TYPE_CHECKING:
    from helpers.site.execute import Outcome

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/helpers
CODE_SUFFIXES = (".py", ".j2", ".yml", ".json")


# ---------------------------------------------------------------- rerun keys


def code_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """Hash of every code and template file of the package (path and bytes), in a fixed order."""
    digest = hashlib.sha256()
    for file in sorted(f for f in package_dir.rglob("*") if f.suffix in CODE_SUFFIXES and "__pycache__" not in f.parts):
        digest.update(file.relative_to(package_dir).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def run_key(run: ReportRun, code: str, data_fingerprints: dict[str, str]) -> str:
    """The rerun key of ``run``: its notebook, parameters, ``code`` (``code_hash``) and the fingerprints of its
    declared datasets."""
    digest = hashlib.sha256()
    digest.update(run.notebook_path.read_bytes())
    digest.update(json.dumps(run.parameters, sort_keys=True).encode())
    digest.update(code.encode())
    for name in sorted(run.datasets):
        digest.update(f"{name}:{data_fingerprints[name]}".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- state files and outputs


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
    """The CSV behind each chart and table and its "About this data" JSON, in ``reports/<run name>/``; files of an
    earlier run that the new HTML no longer links are removed."""
    out = paths().reports
    for relative, text in files.items():
        write_text_atomic(out / relative, text)
    folder = out / run.name
    if folder.is_dir():
        for stale in [*folder.glob("*.csv"), *folder.glob("*.json")]:
            if stale.relative_to(out).as_posix() not in files:
                stale.unlink()


def record_outcome(run: ReportRun, key: str, outcome: Outcome) -> None:
    """Write a run's outputs and state atomically; on failure keep the last good HTML and save the failed
    notebook (``reports/_failed/``)."""
    out = paths().reports
    state = {"name": run.name, "key": key, "status": outcome.status, "error": outcome.error,
             "duration_s": outcome.duration_s, "started": outcome.started, "parameters": run.parameters,
             "sources": outcome.sources, "run": describe(run)}
    if outcome.ok:
        write_text_atomic(out / "_executed" / f"{run.name}.ipynb", outcome.notebook)
        write_downloads(run, outcome.files)  # before the HTML, so the page never links a missing file
        write_text_atomic(html_path(run), outcome.html)
        state["metrics"], state["findings"] = outcome.metrics, outcome.findings
        failed_path(run.name).unlink(missing_ok=True)
        state["last_good"] = outcome.started
    else:
        previous = read_state(run.name)
        kept = html_path(run).exists()
        state["metrics"] = previous.get("metrics", []) if kept else []
        state["findings"] = previous.get("findings", []) if kept else []
        state["last_good"] = previous.get("last_good") or (previous.get("started") if previous.get("status") == "ok" else None)
        if outcome.notebook:
            write_text_atomic(failed_path(run.name), outcome.notebook)
    write_text_atomic(state_path(run.name), json.dumps(state, indent=2, default=str))
