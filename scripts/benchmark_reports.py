"""Benchmark report regeneration on this machine, in one run:
(a) a cold full regeneration with `make report` after deleting reports/,
(b) a second run with nothing changed,
(c) the naive way: the papermill command line, then the `jupyter nbconvert` command line, one report
    after another.
Prints medians over --runs repetitions and the ratio (c)/(a).

    REGIONAL_DIVIDE_DATA_MIRROR=../shared/data/raw .venv/bin/python scripts/benchmark_reports.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def seconds(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def clear_reports() -> None:
    reports = ROOT / "reports"
    for path in reports.iterdir():
        if path.name != "README.md":
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def naive(runs: list) -> float:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        for run in runs:
            executed = Path(scratch) / f"{run.name}.ipynb"
            params = []
            for key, value in run.parameters.items():
                params += ["-y", yaml.safe_dump({key: value}).strip()]
            subprocess.run([str(BIN / "papermill"), str(run.notebook_path), str(executed), "-k", "regional-divide",
                            "--cwd", str(ROOT / "notebooks"), *params], check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                           check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from helpers.runner import load_runs

    runs = load_runs()
    subprocess.run([str(BIN / "regional-divide"), "data"], check=True, stdout=subprocess.DEVNULL)
    cold, warm, slow = [], [], []
    for _ in range(args.runs):
        clear_reports()
        cold.append(seconds(["make", "-C", str(ROOT), "report"]))
        warm.append(seconds(["make", "-C", str(ROOT), "report"]))
        slow.append(naive(runs))
    a, b, c = (statistics.median(x) for x in (cold, warm, slow))
    print(f"{len(runs)} reports, {args.runs} repetitions")
    print(f"(a) cold regeneration (make report):             median {a:6.2f} s  {[round(t, 1) for t in cold]}")
    print(f"(b) nothing changed:                             median {b:6.2f} s  {[round(t, 2) for t in warm]}")
    print(f"(c) naive papermill CLI + nbconvert CLI, serial: median {c:6.2f} s  {[round(t, 1) for t in slow]}")
    print(f"(c) / (a) = {c / a:.2f}x")


if __name__ == "__main__":
    main()
