"""The report runner behind ``regional-divide report``: executes the notebooks configured in
``reports.yml`` with papermill on the project kernel, several at a time, renders standalone HTML
(no code, images embedded, run card, table of contents) and writes ``reports/index.html`` and
``reports/metrics.csv``.

A report runs again only when its notebook, parameters, the helpers code or its input data changed
(content hashes). A failing report keeps its last good HTML; the executed notebook with the error is
kept in ``reports/_failed/`` and linked from the index. Outputs are written atomically, and a lock
stops two runs from writing at once.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.pipeline.atomic import atomic_path, write_text_atomic
from helpers.config import PACKAGE_ROOT, paths
from helpers.errors import RegionalDivideError

KERNEL = "regional-divide"
TEMPLATES = Path(__file__).parent / "templates"
CONFIG_NAME = "reports.yml"
EXECUTION_TIMEOUT_S = 900


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
    constraints: dict = field(default_factory=dict, hash=False)

    @property
    def notebook_path(self) -> Path:
        return paths().notebooks / self.notebook


class ParameterError(RegionalDivideError):
    """A configured or requested parameter is not valid for its notebook."""


class RunnerLockedError(RegionalDivideError):
    """Another report run holds the lock."""


def config_path() -> Path:
    return paths().root / CONFIG_NAME


def load_runs(config: Path | None = None) -> list[ReportRun]:
    """Every configured run, in config order (``reports.yml``: reports -> runs -> parameters)."""
    config = config or config_path()
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    runs = []
    for report in document["reports"]:
        for run in report.get("runs") or [{}]:
            suffix = run.get("name")
            runs.append(
                ReportRun(
                    name=f"{report['id']}--{suffix}" if suffix else report["id"],
                    report_id=report["id"],
                    title=run.get("title", report["title"]),
                    group=report.get("group", report["title"]),
                    notebook=report["notebook"],
                    parameters={**report.get("parameters", {}), **run.get("parameters", {})},
                    datasets=tuple(report.get("datasets", [])),
                    constraints=report.get("constraints", {}),
                )
            )
    names = [r.name for r in runs]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RegionalDivideError(f"{config}: report names must be unique; repeated: {sorted(duplicates)}")
    return runs


# ---------------------------------------------------------------- parameter checks (no kernel needed)


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
    """Stop before any kernel starts if a parameter is unknown, of the wrong type, or out of range."""
    from helpers import regions

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
        rule = run.constraints.get(name, {})
        if "choices" in rule and value not in rule["choices"]:
            problems.append(f"{name}={value!r} is not one of {rule['choices']}")
        if rule.get("kind") == "region":
            try:
                regions.validate_region(value, levels=tuple(rule.get("levels", ["ITL1", "ITL2"])))
            except RegionalDivideError as exc:
                problems.append(f"{name}: {exc}")
        if rule.get("kind") == "year" and not rule["min"] <= value <= rule["max"]:
            problems.append(f"{name}={value} is outside the data: valid years are {rule['min']}-{rule['max']}")
    if problems:
        raise ParameterError(f"Report {run.name!r} ({CONFIG_NAME}): " + "; ".join(problems) + ".")


def _parameter_problem(run: ReportRun) -> str:
    """``check_parameters`` for a worker process: the error message, or "" when the parameters are valid."""
    try:
        check_parameters(run)
    except RegionalDivideError as exc:
        return str(exc)
    return ""


def _default_type(default: str) -> type | None:
    """The type of a parameter's default literal (None when the default is None or not a literal)."""
    import ast

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


# ---------------------------------------------------------------- incremental keys


def code_hash() -> str:
    """Hash of every module and template of the helpers package (a change to any reruns every report)."""
    digest = hashlib.sha256()
    package = PACKAGE_ROOT / "src" / "helpers"
    for file in sorted([*package.rglob("*.py"), *TEMPLATES.rglob("*.j2"), *TEMPLATES.rglob("*.json")]):
        digest.update(str(file.relative_to(PACKAGE_ROOT)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def run_key(run: ReportRun, helpers_hash: str, data_fingerprints: dict[str, str]) -> str:
    digest = hashlib.sha256()
    digest.update(run.notebook_path.read_bytes())
    digest.update(json.dumps(run.parameters, sort_keys=True).encode())
    digest.update(helpers_hash.encode())
    for name in sorted(run.datasets):
        digest.update(f"{name}:{data_fingerprints[name]}".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- running


@dataclass
class RunResult:
    name: str
    status: str  # ok / failed / up to date
    duration_s: float = 0.0
    error: str = ""
    started: str = ""


def run_reports(
    *, only: list[str] | None = None, force: bool = False, workers: int | None = None, progress: bool = False
) -> list[RunResult]:
    """Execute and render the configured reports (all, or those named in ``only``)."""
    from filelock import FileLock, Timeout

    runs = _select(load_runs(), only)
    out = paths().reports
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out / ".runner.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise RunnerLockedError(
            f"Another `regional-divide report` run is writing to {out} (it holds {out / '.runner.lock'}). "
            "Wait for it to finish and run again; the lock is released when that process ends."
        ) from None
    try:
        return _run_locked(runs, force=force, workers=workers or os.cpu_count() or 1, progress=progress)
    finally:
        lock.release()


def _select(runs: list[ReportRun], only: list[str] | None) -> list[ReportRun]:
    if not only:
        return runs
    known = {r.name for r in runs} | {r.report_id for r in runs}
    unknown = [o for o in only if o not in known]
    if unknown:
        raise RegionalDivideError(f"--only {', '.join(unknown)}: no such report. Reports: {', '.join(sorted(known))}.")
    return [r for r in runs if r.name in only or r.report_id in only]


def _run_locked(runs: list[ReportRun], *, force: bool, workers: int, progress: bool) -> list[RunResult]:
    from tqdm.auto import tqdm

    from helpers.pipeline.datasets import get_dataset, provenance

    fingerprints = {}
    for name in sorted({d for r in runs for d in r.datasets}):
        get_dataset(name)
        fingerprints[name] = provenance(name)["fingerprint"]  # builds the dataset first if needed
    helpers_hash = code_hash()
    commit = _git_commit()
    results, todo = [], []
    for run in runs:
        key = run_key(run, helpers_hash, fingerprints)
        state = read_state(run.name)
        if not force and state.get("key") == key and state.get("status") == "ok" and _html_path(run).exists():
            results.append(RunResult(run.name, "up to date", state.get("duration_s", 0.0), started=state.get("started", "")))
        else:
            todo.append((run, key))
    if todo:
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context) as pool:
            # parameters are checked in the workers (they import papermill once anyway) before any kernel
            # starts; an unchanged report was checked when it last ran
            for problem in pool.map(_parameter_problem, [run for run, _ in todo]):
                if problem:
                    raise ParameterError(problem)
            futures = {pool.submit(execute_and_render, run, commit): (run, key) for run, key in todo}
            bar = tqdm(total=len(futures), desc="reports", unit="report", disable=not progress)
            for future in cf.as_completed(futures):
                run, key = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker itself died
                    outcome = {"status": "failed", "error": f"{type(exc).__name__}: {exc}", "duration_s": 0.0,
                               "started": _now(), "html": None, "failed_notebook": None, "executed": None,
                               "metrics": [], "datasets_used": []}
                try:
                    results.append(_store(run, key, outcome))
                except OSError as exc:  # disk full, permissions: the last good outputs are still in place
                    results.append(RunResult(run.name, "failed", outcome["duration_s"],
                                             f"could not write its outputs to {paths().reports} ({exc}); the last good "
                                             "report is kept. Free disk space or fix permissions, then run again.",
                                             outcome["started"]))
                bar.update()
            bar.close()
    try:
        write_index(load_runs())
        write_metrics(load_runs())
    except OSError as exc:
        raise RegionalDivideError(
            f"Could not write {paths().reports / 'index.html'} or metrics.csv ({exc}); the previous files are kept. "
            "Free disk space or fix permissions, then run `make report` again.") from exc
    order = {r.name: i for i, r in enumerate(runs)}
    return sorted(results, key=lambda r: order[r.name])


# One kernel per worker process, reused from report to report: the imports (pandas, matplotlib, helpers)
# and the kernel start-up are paid once per worker instead of once per report. Before each report the
# kernel's namespace, execution counter, figures and matplotlib settings are reset, so a report sees the
# same state as in a fresh kernel (nbval runs every notebook in a fresh kernel as the independent check).
# After a failed report the kernel is shut down and the next report gets a new one.
_worker_kernel = None

_KERNEL_RESET = """
get_ipython().reset(new_session=True, aggressive=False)
import os as _os, matplotlib as _mpl, matplotlib.pyplot as _plt
_plt.close("all"); _mpl.rcdefaults()
_os.chdir({cwd!r}); _os.environ.update({env!r})
del _os, _mpl, _plt
"""


def _kernel(env: dict[str, str]):
    """This worker's kernel manager, started on first use and reset for the next report."""
    global _worker_kernel
    from multiprocessing.util import Finalize

    from jupyter_client.manager import KernelManager

    if _worker_kernel is None or not _worker_kernel.is_alive():
        _worker_kernel = KernelManager(kernel_name=KERNEL)
        _worker_kernel.start_kernel(cwd=str(paths().notebooks), env={**os.environ, **env})
        Finalize(_worker_kernel, _discard_kernel, exitpriority=10)  # shut down when the worker exits
    client = _worker_kernel.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(_KERNEL_RESET.format(cwd=str(paths().notebooks), env=env),
                                           store_history=False, timeout=60, output_hook=lambda _msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"could not reset the kernel: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()
    return _worker_kernel


def _discard_kernel() -> None:
    global _worker_kernel
    if _worker_kernel is not None:
        _worker_kernel.shutdown_kernel(now=True)
        _worker_kernel = None


def execute_and_render(run: ReportRun, commit: str) -> dict:
    """Worker: execute ``run`` with papermill into a temporary notebook and render it (no files in reports/)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from helpers.headlines import METRICS_ENV, USAGE_ENV

    started, clock = _now(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"report-{run.name}-") as scratch:
        scratch = Path(scratch)
        executed = scratch / "executed.ipynb"
        env = {METRICS_ENV: str(scratch / "metrics.jsonl"), USAGE_ENV: str(scratch / "datasets.txt")}
        error = ""
        try:
            papermill.execute_notebook(
                str(run.notebook_path), str(executed), parameters=run.parameters, km=_kernel(env),
                cwd=str(paths().notebooks), progress_bar=False, execution_timeout=EXECUTION_TIMEOUT_S,
            )
        except PapermillExecutionError as exc:
            error = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
        except Exception as exc:  # kernel missing or died, timeout, unreadable notebook
            error = f"{type(exc).__name__}: {exc}"
        if error:
            _discard_kernel()
        duration = time.perf_counter() - clock
        used = sorted(set(_read_lines(scratch / "datasets.txt")))
        undeclared = [d for d in used if d not in run.datasets]
        if not error and undeclared:
            error = f"the notebook loaded datasets not declared for it in {CONFIG_NAME}: {', '.join(undeclared)}"
        metrics = [json.loads(line) for line in _read_lines(scratch / "metrics.jsonl")]
        notebook_text = executed.read_text(encoding="utf-8") if executed.exists() else None
        html = None
        if not error:
            html = render_html(nbformat.reads(notebook_text, as_version=4), run, commit=commit, started=started,
                               duration_s=duration)
    return {
        "status": "failed" if error else "ok",
        "error": error,
        "duration_s": round(duration, 2),
        "started": started,
        "html": html,
        "executed": notebook_text if not error else None,
        "failed_notebook": notebook_text if error else None,
        "metrics": metrics,
        "datasets_used": used,
    }


def _store(run: ReportRun, key: str, outcome: dict) -> RunResult:
    """Write a run's outputs atomically; on failure keep the last good HTML and save the failed notebook."""
    out = paths().reports
    state = {"name": run.name, "key": key, "status": outcome["status"], "error": outcome["error"],
             "duration_s": outcome["duration_s"], "started": outcome["started"], "parameters": run.parameters,
             "datasets_used": outcome["datasets_used"]}
    failed_path = out / "_failed" / f"{run.name}.ipynb"
    if outcome["status"] == "ok":
        write_text_atomic(out / "_executed" / f"{run.name}.ipynb", outcome["executed"])
        write_text_atomic(_html_path(run), outcome["html"])
        state["metrics"] = outcome["metrics"]
        failed_path.unlink(missing_ok=True)
    else:
        previous = read_state(run.name)
        state["metrics"] = previous.get("metrics", []) if _html_path(run).exists() else []
        state["last_good"] = previous.get("last_good") or (previous.get("started") if previous.get("status") == "ok" else None)
        if outcome["failed_notebook"]:
            write_text_atomic(failed_path, outcome["failed_notebook"])
    if outcome["status"] == "ok":
        state["last_good"] = outcome["started"]
    write_text_atomic(_state_path(run.name), json.dumps(state, indent=2, default=str))
    return RunResult(run.name, outcome["status"], outcome["duration_s"], outcome["error"], outcome["started"])


def read_state(name: str) -> dict:
    try:
        return json.loads(_state_path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _state_path(name: str) -> Path:
    return paths().reports / "_state" / f"{name}.json"


def _html_path(run: ReportRun) -> Path:
    return paths().reports / f"{run.name}.html"


def _read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.exists() else []


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _git_commit() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=PACKAGE_ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PACKAGE_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


# ---------------------------------------------------------------- rendering


def render_html(notebook, run: ReportRun, *, commit: str, started: str, duration_s: float) -> str:
    """Standalone HTML without code cells: images embedded, a run card and a table of contents at the top."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True)
    notebook.metadata.pop("papermill", None)
    for number, cell in enumerate(notebook.cells):  # papermill gives its injected cell a random id
        cell.id = f"cell-{number:03d}"
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": run.title}})
    header = _template("run_card.html.j2").render(
        run=run, sources=_sources_for(run.datasets), commit=commit, started=started, duration_s=duration_s,
        toc=_headings(body),
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header, body, count=1)


def _headings(html: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the h1-h3 headings nbconvert anchored, for the table of contents."""
    found = re.findall(r'<h([123]) id="([^"]+)"[^>]*>(.*?)<', html, flags=re.S)
    return [(int(level), anchor, re.sub(r"\s+", " ", text).strip()) for level, anchor, text in found]


def _sources_for(datasets: tuple[str, ...]) -> list[dict]:
    from helpers.pipeline.datasets import provenance

    seen, sources = set(), []
    for name in datasets:
        for source in provenance(name)["sources"]:
            if source["id"] not in seen:
                seen.add(source["id"])
                sources.append(source)
    return sources


def _template(name: str):
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    return environment.get_template(name)


def write_index(runs: list[ReportRun]) -> None:
    """``reports/index.html``: every configured report with status, parameters, duration and vintages."""
    from helpers.pipeline.datasets import provenance

    rows = []
    for run in runs:
        state = read_state(run.name)
        vintages = sorted({f"{s['publisher']}: {s['release']}" for d in run.datasets for s in provenance(d)["sources"]})
        rows.append({"run": run, "state": state, "html_exists": _html_path(run).exists(),
                     "failed_exists": (paths().reports / "_failed" / f"{run.name}.ipynb").exists(),
                     "vintages": vintages})
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["run"].group, []).append(row)
    html = _template("index.html.j2").render(groups=groups, generated=_now())
    write_text_atomic(paths().reports / "index.html", html)


def write_metrics(runs: list[ReportRun]) -> None:
    """``reports/metrics.csv``: the headline figures every report recorded (report, id, value, unit, ...)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["report", "id", "value", "unit", "description", "source_ids"],
                            lineterminator="\n")
    writer.writeheader()
    for run in runs:
        for metric in read_state(run.name).get("metrics", []):
            writer.writerow({"report": run.name, **metric})
    with atomic_path(paths().reports / "metrics.csv") as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")


def result_table(results: list[RunResult]) -> str:
    width = max([len(r.name) for r in results] + [6])
    lines = [f"{'report':{width}}  {'status':10}  {'seconds':>7}"]
    for r in results:
        lines.append(f"{r.name:{width}}  {r.status:10}  {r.duration_s:7.1f}" + (f"  {r.error}" if r.error else ""))
    return "\n".join(lines)


