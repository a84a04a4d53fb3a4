"""Nothing a run starts outlives it: child processes, temporary folders and half-written files.

- ``temporary_folder(kind)``: a temporary folder named ``rd-<pid>-<kind>-*``, removed when the block
  ends, whatever ends it (the command line turns SIGTERM and SIGHUP into an ordinary exit, so cleanup code runs).
- ``run_scope()``: around a report run's worker pool. The run gets its own temporary root (``TMPDIR`` for the
  workers and their Jupyter kernels, so their ``rd-kernel-*`` and ``report-*`` folders are inside it) and a run token
  in its environment (``RUN_ENV``), inherited by every process it starts. On the way out the processes carrying the
  token are stopped and the root removed. A watchdog process holds the other end of a pipe from the run: when the
  run dies without cleaning up (SIGKILL, a crash of the interpreter), the pipe closes and the watchdog stops the
  token's processes and removes the root, within seconds.
- ``worker_pool(workers)``: a spawn process pool that, when its block is left by an exception (an error, Ctrl-C,
  SIGTERM), cancels what is waiting and terminates its workers instead of waiting for the running reports.
- ``sweep()``: at the start of a command, removes what dead runs left: temporary folders named with the process id
  of a process that no longer exists, and ``.part`` files (``helpers.data.atomic``, named with the writer's process id
  too) under data/raw, data/processed and reports/.

Finding a run's processes by the token in their environment (``psutil``) works after their parent has died and
whatever process group or session they put themselves in (Jupyter kernels start a session of their own).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

PREFIX = "rd-"  # short: the kernels' IPC sockets live under the run's temporary root (Unix sockets: ~104-byte paths)
RUN_ENV = "REGIONAL_DIVIDE_RUN"
GRACE_S = 2.0  # between SIGTERM and SIGKILL
_OWNED = re.compile(rf"^{re.escape(PREFIX)}(\d+)-")
_PART = re.compile(r"^\..+\.(\d+)\.part$")


@contextlib.contextmanager
def temporary_folder(kind: str) -> Iterator[Path]:
    """A temporary folder for this process's ``kind`` of work, removed when the block ends."""
    try:
        made = tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-{kind}-")
    except OSError as exc:
        raise temp_folder_error(exc, Path(tempfile.gettempdir())) from exc
    with made as folder:
        yield Path(folder)


def temp_folder_error(exc: OSError, folder: Path):
    """The temporary folder is full, read-only or missing: say so (not 'the network'), with the fix."""
    import errno

    from helpers.errors import RegionalDivideError

    cause = "it is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else (exc.strerror or str(exc)).lower()
    return RegionalDivideError(
        f"Could not write to the temporary folder {folder} ({cause}). Nothing was changed. Fix: free space there, or "
        "point TMPDIR at a folder with space, then run again.")


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (exited, waiting to be reaped)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def sweep(folders: list[Path] | None = None) -> list[Path]:
    """Remove what runs that no longer exist left behind (see the module docstring); return what was removed."""
    from helpers.config import paths

    removed = []
    temp = Path(tempfile.gettempdir())
    for entry in _entries(temp):
        found = _OWNED.match(entry.name)
        if found and entry.is_dir() and entry.stat().st_uid == os.getuid() and not alive(int(found.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    project = paths()
    for folder in folders or [project.raw, project.processed, project.reports]:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                found = _PART.match(name)
                if found and not alive(int(found.group(1))):
                    Path(root, name).unlink(missing_ok=True)
                    removed.append(Path(root, name))
    return removed


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def run_processes(token: str) -> list:
    """The processes (``psutil.Process``) whose environment carries run ``token``, except this one."""
    import psutil

    found = []
    for process in psutil.process_iter():
        if process.pid == os.getpid():
            continue
        try:
            if process.environ().get(RUN_ENV) == token:
                found.append(process)
        except psutil.Error:  # gone, or another user's
            continue
    return found


def stop(token: str, grace: float = GRACE_S) -> None:
    """SIGTERM the run's processes, then SIGKILL those still there after ``grace`` seconds."""
    import psutil

    processes = run_processes(token)
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _gone, left = psutil.wait_procs(processes, timeout=grace)
    for process in left:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(left, timeout=grace)


@contextlib.contextmanager
def run_scope() -> Iterator[Path]:
    """A report run's temporary root and run token, cleaned up on every exit (see the module docstring)."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # started before the token is set: it is this process's, and ends with it
    root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-run-"))
    token = uuid.uuid4().hex
    watchdog = subprocess.Popen([sys.executable, "-c", _WATCHDOG, token, str(root)], stdin=subprocess.PIPE,
                                env=_without(RUN_ENV), start_new_session=True)
    saved = {key: os.environ.get(key) for key in (RUN_ENV, "TMPDIR")}
    os.environ.update({RUN_ENV: token, "TMPDIR": str(root)})
    try:
        yield root
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        stop(token)
        shutil.rmtree(root, ignore_errors=True)
        watchdog.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watchdog.wait(timeout=10)


def _without(key: str) -> dict:
    return {k: v for k, v in os.environ.items() if k != key}


# The watchdog: blocks until the run's end of the pipe closes (the run ended, however), then cleans up after it.
_WATCHDOG = """
import shutil, sys
sys.stdin.buffer.read()
from helpers.processes import stop
stop(sys.argv[1])
shutil.rmtree(sys.argv[2], ignore_errors=True)
"""


@contextlib.contextmanager
def worker_pool(workers: int):
    """A ``ProcessPoolExecutor`` of spawned workers that is torn down, not waited for, when its block fails."""
    import concurrent.futures as cf
    import multiprocessing

    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        raise
    pool.shutdown(wait=True)


@contextlib.contextmanager
def report_workers(workers: int):
    """The worker pool of a report run inside its ``run_scope``."""
    with run_scope(), worker_pool(workers) as pool:
        yield pool


def exit_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into ``SystemExit`` (status 128 + signal), so that ``finally`` blocks, context managers
    and this module's cleanups run as they do on Ctrl-C. Python's default for these signals ends the process at once."""
    def stop_here(number, _frame):
        raise SystemExit(128 + number)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):  # no SIGHUP on Windows
            signal.signal(getattr(signal, name), stop_here)

