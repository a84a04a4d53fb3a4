"""The worker: executes one report with papermill on this worker's kernel and renders it (no files in reports/).

One kernel per worker process, reused from report to report: the imports (pandas, matplotlib, helpers) and the
kernel start-up are paid once per worker instead of once per report. Before each report the kernel's namespace,
execution counter, figures, matplotlib settings and the in-process records (metrics, datasets used) are reset,
so a report sees the same state as in a fresh kernel (nbval runs every notebook in a fresh kernel as the
independent check). After a failed report the kernel is shut down and the next report gets a new one.

After papermill finished, the metrics the notebook recorded (``helpers.headlines.recorded()``) and the datasets it
loaded (``helpers.data.datasets.used()``) are read back from the still-running kernel: no files or
environment variables pass between the runner and the kernel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers.config import paths
from helpers.site.config import CONFIG_NAME, ReportRun
from helpers.site.published import without_machine_paths
from helpers.site.state import now

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
if "helpers.headlines" in _sys.modules: _sys.modules["helpers.headlines"].clear_recorded()
if "helpers.data.datasets" in _sys.modules: _sys.modules["helpers.data.datasets"].clear_used()
del _os, _sys, _mpl, _plt
"""

_MARK = "<<regional-divide-records>>"
_READ_RECORDS = f"""
import json as _json, sys as _sys
_h, _d = _sys.modules.get("helpers.headlines"), _sys.modules.get("helpers.data.datasets")
print({_MARK!r} + _json.dumps({{"metrics": _h.recorded() if _h else [], "datasets": _d.used() if _d else []}}) + {_MARK!r})
del _json, _sys, _h, _d
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
    datasets_used: list[str] = field(default_factory=list)
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
        _worker_kernel = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(sockets / "kernel"),
                                       client_class="helpers.site.kernel_client.PromptKernelClient")
        _worker_kernel.start_kernel(cwd=str(paths().notebooks), env=dict(os.environ))
        Finalize(_worker_kernel, discard_kernel, exitpriority=10)  # shut down when the worker exits
        # its own session: a client sharing the manager's session (as papermill's does) has the same socket identity,
        # and the kernel's replies would go to whichever of the two connected last
        session = Session(key=_worker_kernel.session.key, signature_scheme=_worker_kernel.session.signature_scheme)
        _worker_client = _worker_kernel.client(session=session)
        _worker_client.start_channels()
        _worker_client.wait_for_ready(timeout=60)
    reply, _ = _execute(_KERNEL_RESET.format(cwd=str(paths().notebooks)))
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"could not reset the kernel: {reply['content'].get('evalue')}")
    return _worker_kernel


def _execute(code: str) -> tuple[dict, str]:
    """Run ``code`` on this worker's kernel (no history) through the worker's own client, connected once per
    kernel (a new client costs a kernel-info round trip and a 0.2 s wait); the reply and what it printed."""
    printed = []

    def collect(message):
        if message["msg_type"] == "stream" and message["content"].get("name") == "stdout":
            printed.append(message["content"]["text"])

    reply = _worker_client.execute_interactive(code, store_history=False, timeout=60, output_hook=collect)
    return reply, "".join(printed)


def read_records() -> tuple[list[dict], list[str]]:
    """The metrics and dataset names the last report recorded in this worker's kernel."""
    if _worker_kernel is None or not _worker_kernel.is_alive():
        raise RuntimeError("the kernel died while the report ran")
    reply, printed = _execute(_READ_RECORDS)
    found = re.search(re.escape(_MARK) + r"(.*)" + re.escape(_MARK), printed, flags=re.S)
    if reply["content"]["status"] != "ok" or not found:
        raise RuntimeError(f"could not read the report's metrics from the kernel: {reply['content'].get('evalue', printed)}")
    records = json.loads(found.group(1))
    return records["metrics"], records["datasets"]


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
    metrics, used, error, kernel_idle = [], [], "", True
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
            error, kernel_idle = no_such_kernel_message(), False
        except Exception as exc:  # kernel missing or died, timeout, unreadable notebook
            error, kernel_idle = f"{type(exc).__name__}: {exc}", False
        if kernel_idle:  # finished, or a cell raised: the kernel holds the records
            try:
                metrics, used = read_records()
            except Exception as exc:  # the kernel died with the notebook
                error = error or f"{type(exc).__name__}: {exc}"
        if error:
            discard_kernel()
        duration = time.perf_counter() - clock
        undeclared = [d for d in used if d not in run.datasets]
        if not error and undeclared:
            error = f"the notebook loaded datasets not declared for it in {CONFIG_NAME}: {', '.join(undeclared)}"
        notebook_text = without_machine_paths(executed.read_text(encoding="utf-8")) if executed.exists() else None
    html, files = None, {}
    if not error:
        html = render_html(nbformat.reads(notebook_text, as_version=4), run, commit=commit, started=started,
                           duration_s=duration, files=files, datasets_used=used)
    return Outcome("failed" if error else "ok", error, round(duration, 2), started, html, notebook_text, metrics, used,
                   files)
