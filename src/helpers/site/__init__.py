"""The report runner behind ``regional-divide report``: executes the notebooks configured in ``reports.yml`` with
papermill on the project kernel, several at a time, renders standalone HTML and writes ``reports/index.html`` and
``reports/metrics.csv``.

One job per module:

- ``config``: ``reports.yml`` as typed objects (``Report``, ``ReportRun``, ``Constraint``; ``load_runs``);
- ``params``: parameter checks against each notebook's ``parameters`` cell, before any kernel starts;
- ``state``: rerun keys (the notebook, its parameters, the package's code and the fingerprints of its data) and the
  state files in ``reports/_state``;
- ``execute``: the worker (one reused kernel, papermill; findings, figures and sources read from the executed notebook);
- ``render``: nbconvert HTML with the run card; ``index``: ``index.html`` and ``metrics.csv`` (rewritten when a report ran
  or they are older than what they are built from);
- ``run``: the lock, the process pool and the orchestration (``run_reports``, ``result_table``);
- ``landing``: the landing page's findings; ``sources_page``, ``regionmap``, ``dates``;
- ``adhoc``: one run from the command line (``regional-divide report NOTEBOOK -p NAME=VALUE``).
"""

from helpers.site.adhoc import adhoc_run
from helpers.site.config import CONFIG_NAME, Constraint, Report, ReportRun, load_reports, load_runs
from helpers.site.execute import KERNEL, Outcome, execute_and_render
from helpers.site.params import ParameterError, check_parameters, notebook_parameters
from helpers.site.run import RunnerLockedError, RunResult, result_table, run_reports, summary_line
from helpers.site.state import code_hash, read_state, run_key

__all__ = [
    "CONFIG_NAME", "KERNEL", "Constraint", "adhoc_run", "summary_line", "Outcome", "ParameterError", "Report", "ReportRun", "RunResult",
    "RunnerLockedError", "check_parameters", "code_hash", "execute_and_render", "load_reports", "load_runs",
    "notebook_parameters", "read_state", "result_table", "run_key", "run_reports",
]
