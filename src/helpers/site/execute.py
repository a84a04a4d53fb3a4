"""The worker: executes one report with papermill on this worker's kernel and renders it (no files in reports/).

One kernel per worker process, reused from report to report: the imports (pandas, matplotlib, helpers) and the
kernel start-up are paid once per worker instead of once per report. Before each report the kernel's namespace,
execution counter, figures, matplotlib settings and the in-process records (metrics, datasets used) are reset,
so a report sees the same state as in a fresh kernel (nbval runs every notebook in a fresh kernel as the
independent check). After a failed report the kernel is shut down and the next report gets a new one.

What a report hands back is read from the executed notebook itself, like its CSV downloads: its findings and headline
figures are display outputs with the project's MIME types (``helpers.show.records``), and every chart, table, finding
and figure names the sources it shows. Nothing is read from the kernel's memory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers.config import paths
from helpers.site.config import CONFIG_NAME, ReportRun
from helpers.site.dates import now
from helpers.site.published import without_machine_paths

KERNEL = "regional-divide"
EXECUTION_TIMEOUT_S = 900

_worker_kernel = None
_worker_client = None  # the worker's own client of that kernel (reset, read-back)

# Modules holding in-process records, cleared before each report (only if a report already imported them).
_KERNEL_RESET = """
get_ipython().reset(new_session=True, aggressive=False)
import os as _os, sys as _sys, matplotlib as _mpl, matplotlib.pyplot as _plt
_plt.close("all"); _mpl.rcdefaults()
_os.chdir({cwd!r})
del _os, _sys, _mpl, _plt
"""

@dataclass
class Outcome:
    """What the worker hands back for one run: status, error, timing, the rendered HTML (ok), the executed
    notebook (ok) or the notebook with its error (failed), and what the notebook recorded."""

    status: str  # ok / failed
    error: str = ""
    duration_s: float = 0.0
    started: str = ""
    html: str | None = None
    notebook: str | None = None
    metrics: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # manifest ids of what the report shows
    files: dict[str, str] = field(default_factory=dict)  # data behind each chart/table: reports-relative path -> CSV

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @classmethod
    def crashed(cls, exc: BaseException) -> Outcome:
        """The worker process itself died: nothing was executed or rendered."""
        return cls("failed", f"{type(exc).__name__}: {exc}", started=now())


def no_such_kernel_message(kernel: str = KERNEL) -> str:
    return (f"There is no Jupyter kernel named {kernel!r}. Fix: run `make kernel` (it installs the project kernel for "
            f"your user: `.venv/bin/python -m ipykernel install --user --name {kernel}`), then run again.")


def _kernel():
    """This worker's kernel manager, started on first use and reset for the next report. The kernel talks to the
    worker over IPC sockets in a private temporary folder (not TCP: nothing listens on the network, and ipykernel
    has no reason to warn about unencrypted TCP)."""
    global _worker_kernel, _worker_client
    from multiprocessing.util import Finalize

    from jupyter_client.manager import KernelManager
    from jupyter_client.session import Session

    if _worker_kernel is None or not _worker_kernel.is_alive():
        discard_kernel()
        sockets = Path(tempfile.mkdtemp(prefix="rd-kernel-"))
        _worker_kernel = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(sockets / "kernel"))
        _worker_kernel.start_kernel(cwd=str(paths().notebooks), env=dict(os.environ))
        Finalize(_worker_kernel, discard_kernel, exitpriority=10)  # shut down when the worker exits
        # its own session: a client sharing the manager's session (as papermill's does) has the same socket identity,
        # and the kernel's replies would go to whichever of the two connected last
        session = Session(key=_worker_kernel.session.key, signature_scheme=_worker_kernel.session.signature_scheme)
        _worker_client = _worker_kernel.client(session=session)
        _worker_client.start_channels()
        _worker_client.wait_for_ready(timeout=60)
    reply = _execute(_KERNEL_RESET.format(cwd=str(paths().notebooks)))
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"could not reset the kernel: {reply['content'].get('evalue')}")
    return _worker_kernel


def _execute(code: str) -> dict:
    """Run ``code`` on this worker's kernel (no history) through the worker's own client, connected once per
    kernel (a new client costs a kernel-info round trip)."""
    return _worker_client.execute_interactive(code, store_history=False, timeout=60, output_hook=lambda _: None)


def records(notebook) -> tuple[list[dict], list[dict], list[str]]:
    """The headline figures, findings and shown sources (manifest ids, in order) of an executed notebook."""
    from helpers.show.outputs import DOWNLOAD_MIME, FINDINGS_MIME, METRICS_MIME

    metrics, found, sources = [], [], []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            metrics += data.get(METRICS_MIME, [])
            found += data.get(FINDINGS_MIME, [])
            sources += data.get(DOWNLOAD_MIME, {}).get("sources", [])
    sources += [s for m in metrics for s in (m.get("source_ids") or "").split()]
    sources += [s for f in found for s in (f.get("sources") or "").split()]
    return metrics, found, list(dict.fromkeys(sources))


def undeclared(run: ReportRun, sources: list[str]) -> list[str]:
    """The sources a report shows that none of its declared datasets is built from."""
    from helpers.data.datasets import get_dataset

    declared = {s for name in run.datasets for s in get_dataset(name).sources}
    return [s for s in sources if s not in declared]


def discard_kernel() -> None:
    global _worker_kernel, _worker_client
    if _worker_client is not None:
        _worker_client.stop_channels()
        _worker_client = None
    if _worker_kernel is not None:
        sockets = Path(_worker_kernel.ip).parent
        try:
            _worker_kernel.shutdown_kernel(now=True)
        finally:
            _worker_kernel = None
            if sockets.name.startswith("rd-kernel-"):
                shutil.rmtree(sockets, ignore_errors=True)


def execute_and_render(run: ReportRun, commit: str) -> Outcome:
    """Worker: execute ``run`` with papermill into a temporary notebook and render it (no files in reports/)."""
    import nbformat
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from papermill.exceptions import PapermillExecutionError

    from helpers.site.render import render_html

    started, clock = now(), time.perf_counter()
    error = ""
    with tempfile.TemporaryDirectory(prefix=f"report-{run.name}-") as scratch:
        executed = Path(scratch) / "executed.ipynb"
        try:
            papermill.execute_notebook(
                str(run.notebook_path), str(executed), parameters=run.parameters, km=_kernel(),
                cwd=str(paths().notebooks), progress_bar=False, execution_timeout=EXECUTION_TIMEOUT_S,
                request_save_on_cell_execute=False,  # written once at the end (or with the error), not at every cell
            )
        except PapermillExecutionError as exc:
            error = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
        except NoSuchKernel:
            error = no_such_kernel_message()
        except Exception as exc:  # kernel missing or died, timeout, unreadable notebook
            error = f"{type(exc).__name__}: {exc}"
        if error:
            discard_kernel()
        duration = time.perf_counter() - clock
        notebook_text = without_machine_paths(executed.read_text(encoding="utf-8")) if executed.exists() else None
    notebook = nbformat.reads(notebook_text, as_version=4) if notebook_text else None
    metrics, found, sources = records(notebook) if notebook is not None else ([], [], [])
    missing = undeclared(run, sources)
    if not error and missing:
        error = (f"the notebook shows data from sources of datasets not declared for it in {CONFIG_NAME}: "
                 f"{', '.join(missing)}; add the datasets they feed to its `datasets:` list")
    html, files = None, {}
    if not error:
        html = render_html(notebook, run, commit=commit, started=started, duration_s=duration, files=files,
                           sources=sources)
    return Outcome("failed" if error else "ok", error, round(duration, 2), started, html, notebook_text, metrics,
                   found, sources, files)
