"""``run_reports``: the orchestration behind ``regional-divide report``.

Take the lock on ``reports/``, select the runs, build their datasets, skip the runs whose rerun key is unchanged,
check the parameters of the others (in the workers, before any kernel starts), execute and render them several
at a time (``execute.execute_and_render`` in a process pool), record each outcome, then write the index,
``metrics.csv``, ``findings.csv`` and the sources page (unless no report ran and they are up to date: ``index.site_is_up_to_date``).
A failing report does not stop the others; outputs are written atomically. When nothing has to run, nothing
imports pandas: the modules that execute and render are imported by the functions that use them.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from dataclasses import dataclass

from helpers.config import paths
from helpers.errors import RegionalDivideError
from helpers.processes import report_workers
from helpers.site.config import ReportRun, load_runs
from helpers.site.execute import KERNEL, Outcome, execute_and_render, no_such_kernel_message
from helpers.site.index import (
    mark_site_written,
    site_is_up_to_date,
    write_glossary,
    write_index,
    write_metrics,
    write_sources_page,
)
from helpers.site.params import ParameterError, parameter_problem
from helpers.site.state import (
    code_hash,
    failed_path,
    html_path,
    is_up_to_date,
    read_state,
    record_outcome,
    recorded_runs,
    run_key,
    state_path,
)


class RunnerLockedError(RegionalDivideError):
    """Another report run holds the lock."""


@dataclass
class RunResult:
    name: str
    status: str  # ok / failed / up to date
    duration_s: float = 0.0
    error: str = ""
    started: str = ""


def run_reports(
    *, only: list[str] | None = None, force: bool = False, workers: int | None = None, progress: bool = False,
    all_areas: bool = False, runs: list[ReportRun] | None = None,
) -> list[RunResult]:
    """Execute and render the configured reports (all, or those named in ``only``; with ``all_areas`` also every
    ITL2 and ITL3 profile), or the given ``runs`` (an ad-hoc run)."""
    from filelock import FileLock, Timeout

    if workers is not None and workers < 1:
        raise RegionalDivideError(f"--workers must be 1 or more (got {workers}); leave it out for one per CPU core.")
    runs = runs if runs is not None else _select(load_runs(all_areas=all_areas), only)
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


def rerun_keys(runs: list[ReportRun]) -> dict[str, str]:
    """Each run's rerun key (building its datasets first if needed: their fingerprints are part of it)."""
    from helpers.data.datasets import get_dataset, provenance

    fingerprints = {}
    for name in sorted({d for r in runs for d in r.datasets}):
        get_dataset(name)
        fingerprints[name] = provenance(name)["fingerprint"]  # builds the dataset first if needed
    code = code_hash()
    return {run.name: run_key(run, code, fingerprints) for run in runs}


def _run_locked(runs: list[ReportRun], *, force: bool, workers: int, progress: bool) -> list[RunResult]:
    keys = rerun_keys(runs)
    results, todo = [], []
    for run in runs:
        if not force and is_up_to_date(run, keys[run.name]):
            state = read_state(run.name)
            results.append(RunResult(run.name, "up to date", state.get("duration_s", 0.0), started=state.get("started", "")))
        else:
            todo.append(run)
    if todo:
        results += _execute_all(todo, keys, workers=workers, progress=progress)
    try:
        if todo or not site_is_up_to_date():
            listed = site_runs()
            write_metrics(listed)  # first: the index reads its findings' figures from metrics.csv
            write_index(listed)
            write_sources_page()
            write_glossary()
            mark_site_written()
    except OSError as exc:
        raise RegionalDivideError(
            f"Could not write {paths().reports / 'index.html'}, sources.html or metrics.csv ({exc}); the previous files are kept. "
            "Free disk space or fix permissions, then run `make report` again.") from exc
    order = {r.name: i for i, r in enumerate(runs)}
    return sorted(results, key=lambda r: order[r.name])


def clean_adhoc() -> list[str]:
    """Remove every ad-hoc run (``regional-divide report NOTEBOOK -p ...``): its page, CSV folder, executed and
    failed notebooks and state; then rewrite the index, metrics.csv and findings.csv without them. Returns the
    names removed."""
    import shutil

    from filelock import FileLock, Timeout

    out = paths().reports
    if not out.is_dir():
        return []
    lock = FileLock(str(out / ".runner.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise RunnerLockedError(f"A `regional-divide report` run is writing to {out}: wait for it to finish, then "
                                "run `regional-divide clean --adhoc` again.") from None
    try:
        removed = [run for run in recorded_runs() if run.kind == "ad-hoc"]
        for run in removed:
            for file in (html_path(run), failed_path(run.name), out / "_executed" / f"{run.name}.ipynb",
                         state_path(run.name)):
                file.unlink(missing_ok=True)
            shutil.rmtree(out / run.name, ignore_errors=True)
        if removed:
            listed = site_runs()
            write_metrics(listed)
            write_index(listed)
            mark_site_written()
        return [run.name for run in removed]
    finally:
        lock.release()


def site_runs() -> list[ReportRun]:
    """The runs the index and ``metrics.csv`` list: every configured run, then the all-areas and ad-hoc runs that
    left a state file in ``reports/_state``."""
    configured = load_runs()
    names = {r.name for r in configured}
    return configured + [r for r in recorded_runs() if r.name not in names and r.kind != "configured"]


def check_kernel() -> None:
    """Stop before any worker starts when the project kernel is not installed (with the fix)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        raise RegionalDivideError(no_such_kernel_message(KERNEL)) from None


def _execute_all(todo: list[ReportRun], keys: dict[str, str], *, workers: int, progress: bool) -> list[RunResult]:
    from tqdm.auto import tqdm

    from helpers.site.render import git_commit  # imports pandas (through helpers.show.outputs): only to run reports

    check_kernel()
    commit, results = git_commit(), []
    workers = min(workers, len(todo))
    with report_workers(workers) as pool:  # workers, kernels and temporary folders end with the run, however it ends
        # parameters are checked in the workers (they import papermill once anyway) before any kernel
        # starts; an unchanged report was checked when it last ran
        for problem in pool.map(parameter_problem, todo):
            if problem:
                raise ParameterError(problem)
        waiting, running = list(todo), {}
        bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not progress)
        while waiting or running:
            while waiting and len(running) < workers:  # one report per worker: the bar names those running
                run = waiting.pop(0)
                running[pool.submit(execute_and_render, run, commit)] = run
            bar.set_postfix_str(", ".join(r.name for r in running.values()), refresh=True)
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for future in done:
                run = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker itself died
                    outcome = Outcome.crashed(exc)
                results.append(_record(run, keys[run.name], outcome))
                bar.update()
        bar.set_postfix_str("", refresh=True)
        bar.close()
    return results


def _record(run: ReportRun, key: str, outcome: Outcome) -> RunResult:
    try:
        record_outcome(run, key, outcome)
    except OSError as exc:  # disk full, permissions: the last good outputs are still in place
        return RunResult(run.name, "failed", outcome.duration_s,
                         f"could not write its outputs to {paths().reports} ({exc}); the last good "
                         "report is kept. Free disk space or fix permissions, then run again.", outcome.started)
    return RunResult(run.name, outcome.status, outcome.duration_s, outcome.error, outcome.started)


def summary_line(results: list[RunResult], seconds: float) -> str:
    """'3 reports, 1 failed, 12.3 s' ('1 report' for one)."""
    failed = sum(r.status == "failed" for r in results)
    noun = "report" if len(results) == 1 else "reports"
    return f"{len(results)} {noun}, {failed} failed, {seconds:.1f} s"


def result_table(results: list[RunResult]) -> str:
    width = max([len(r.name) for r in results] + [6])
    lines = [f"{'report':{width}}  {'status':10}  {'seconds':>7}"]
    for r in results:
        lines.append(f"{r.name:{width}}  {r.status:10}  {r.duration_s:7.1f}" + (f"  {r.error}" if r.error else ""))
    return "\n".join(lines)
