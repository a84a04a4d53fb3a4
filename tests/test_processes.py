"""Nothing a run starts outlives it (issue 20): a killed run's processes and temporary folders are gone within ten
seconds (the watchdog), SIGTERM cleans up like Ctrl-C, and the next command removes what dead runs left
(temporary folders and ``.part`` files). The last test kills a real ``regional-divide report`` with SIGKILL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from helpers import processes

ROOT = Path(__file__).resolve().parents[1]
GONE_WITHIN_S = 10


def _gone(pids: list[int]) -> bool:
    return not any(processes.alive(pid) for pid in pids)


def _wait(predicate, timeout: float) -> float | None:
    """Seconds until ``predicate()`` held, or None if it did not within ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # gone, or a zombie
        return ""


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_sweep_removes_what_dead_runs_left_and_keeps_the_living(project, tmp_path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead, living = _dead_pid(), os.getpid()
    (temp / f"rd-{dead}-run-abc").mkdir()
    (temp / f"rd-{dead}-run-abc" / "rd-kernel-x").mkdir()
    (temp / f"rd-{living}-update-def").mkdir()
    (temp / "someone-else-123-x").mkdir()
    project.processed.mkdir(parents=True)
    (project.processed / f".job_postings.parquet.k2j3.{dead}.part").write_bytes(b"half")
    (project.processed / f".job_postings.parquet.x9z1.{living}.part").write_bytes(b"being written")
    (project.processed / "job_postings.parquet").write_bytes(b"kept")

    removed = processes.sweep()

    assert sorted(p.name for p in removed) == sorted([f"rd-{dead}-run-abc",
                                                      f".job_postings.parquet.k2j3.{dead}.part"])
    assert sorted(p.name for p in temp.iterdir()) == sorted([f"rd-{living}-update-def", "someone-else-123-x"])
    assert sorted(p.name for p in project.processed.iterdir()) == sorted(
        [f".job_postings.parquet.x9z1.{living}.part", "job_postings.parquet"])


# A run in a child process: inside run_scope it starts a grandchild (which inherits the run token), writes into the
# run's temporary root, says where, then waits to be killed.
RUN = """
import subprocess, sys, time
from helpers import processes
processes.exit_on_signals()
with processes.run_scope() as root:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    (root / "rd-kernel-x").mkdir()
    print(sleeper.pid, root, flush=True)
    time.sleep(300)
"""


def _start_run(tmp_path) -> tuple[subprocess.Popen, int, Path]:
    temp = tmp_path / "tmp"
    temp.mkdir()
    run = subprocess.Popen([sys.executable, "-c", RUN], stdout=subprocess.PIPE, text=True,
                           env={**os.environ, "TMPDIR": str(temp)})
    pid, root = run.stdout.readline().split()
    return run, int(pid), Path(root)


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_run_leaves_no_process_or_folder(tmp_path, signal_number):
    run, grandchild, root = _start_run(tmp_path)
    assert processes.alive(grandchild) and root.is_dir() and root.parent == tmp_path / "tmp"
    run.send_signal(signal_number)
    run.wait(timeout=30)
    took = _wait(lambda: _gone([grandchild]) and not root.exists(), GONE_WITHIN_S)
    assert took is not None, f"left behind: process alive {processes.alive(grandchild)}, folder {root.exists()}"
    if signal_number == signal.SIGTERM:
        assert run.returncode == 128 + signal.SIGTERM  # an orderly exit: the scope's own cleanup ran


def test_a_failing_pool_is_torn_down_not_waited_for():
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with processes.worker_pool(1) as pool:
            future = pool.submit(time.sleep, 60)
            _wait(future.running, 30)
            raise KeyboardInterrupt
    assert time.monotonic() - started < 30


@pytest.fixture
def short_temp():
    """A temporary folder with a short path: a report run's kernels put their Unix sockets in it (~104-byte limit)."""
    folder = Path(tempfile.mkdtemp(prefix="rd-test-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_sigkill_of_a_real_report_run_leaves_nothing_behind(real_data, tmp_path, short_temp):
    """``regional-divide report`` killed with SIGKILL once its workers' kernels run: within ten seconds none of its
    processes (workers, kernels, resource tracker, watchdog) is left and its temporary folders are gone."""
    home, temp = tmp_path / "home", short_temp
    home.mkdir()
    (home / "data").symlink_to(ROOT / "data")
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    shutil.copy(ROOT / "reports.yml", home / "reports.yml")
    env = {**os.environ, "REGIONAL_DIVIDE_HOME": str(home), "TMPDIR": str(temp)}
    run = subprocess.Popen([sys.executable, "-m", "helpers.cli", "report", "--only", "concentration", "productivity",
                            "--force", "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main = psutil.Process(run.pid)

    def kernels():
        return [p for p in main.children(recursive=True) if "ipykernel" in _cmdline(p)]

    assert _wait(lambda: len(kernels()) >= 1, 120) is not None, "no kernel started"
    time.sleep(2)  # the reports are executing
    family = [p.pid for p in main.children(recursive=True)]
    assert len(family) >= 4  # a watchdog, the resource tracker, workers and their kernels
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)

    took = _wait(lambda: _gone(family) and not list(temp.iterdir()), GONE_WITHIN_S)
    left = [p for p in family if processes.alive(p)]
    assert took is not None, f"still running: {[_cmdline(psutil.Process(p))[:80] for p in left]}; " \
                             f"left in the temporary folder: {[p.name for p in temp.iterdir()]}"
    print(f"SIGKILL of a report run: {len(family)} processes and the temporary folders gone in {took:.1f} s")
    assert not list((home / "reports").rglob("*.part"))
