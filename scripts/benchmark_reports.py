"""Benchmark report regeneration on this machine (data/processed already built; every step starts new processes,
so nothing is carried over in memory from one measurement to the next):

(a) the default set cold: `make report` (analyses + the 12 ITL1 profiles) after deleting reports/;
(b) the same with nothing changed;
(c) the naive way for the same reports: the papermill command line, then the `jupyter nbconvert` command line,
    per report, two reports at a time (`xargs -P 2`);
(d) every area cold: `make report-all` (analyses + every ITL1, ITL2 and ITL3 profile) after deleting reports/,
    with the median time per report (execution, from the run state) and the wall time per report.

Prints medians over --runs repetitions, the ratio (c)/(a), and whether the targets hold: (c)/(a) >= 4,
(d) < 240 s, (b) < 1 s.

    make benchmark-reports                      # or, with options:
    REGIONAL_DIVIDE_DATA_MIRROR=../shared/data/raw .venv/bin/python scripts/benchmark_reports.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import shlex
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
TARGETS = {"ratio": 4.0, "all_areas_s": 240.0, "unchanged_s": 1.0}


def seconds(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def clear_reports() -> None:
    reports = ROOT / "reports"
    for path in reports.iterdir():
        if path.name != "README.md":
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def naive_two_at_a_time(runs: list) -> float:
    """papermill CLI then nbconvert CLI for each run, `xargs -P 2` running two such chains at once."""
    with tempfile.TemporaryDirectory() as scratch:
        lines = []
        for run in runs:
            executed = Path(scratch) / f"{run.name}.ipynb"
            params = " ".join(f"-y {shlex.quote(yaml.safe_dump({k: v}).strip())}" for k, v in run.parameters.items())
            lines.append(f"{shlex.quote(str(BIN / 'papermill'))} {shlex.quote(str(run.notebook_path))} "
                         f"{shlex.quote(str(executed))} -k regional-divide --cwd {shlex.quote(str(ROOT / 'notebooks'))} "
                         f"{params} && {shlex.quote(str(BIN / 'jupyter'))} nbconvert --to html --no-input "
                         f"{shlex.quote(str(executed))}")
        commands = Path(scratch) / "commands.txt"
        commands.write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(f"tr '\\n' '\\0' < {shlex.quote(str(commands))} | xargs -0 -P 2 -I CMD sh -c CMD",
                       shell=True, check=True, capture_output=True)
        return time.perf_counter() - started


def execution_seconds() -> list[float]:
    """Each report's execution time from its state file (reports/_state/*.json)."""
    return [json.loads(p.read_text(encoding="utf-8"))["duration_s"] for p in (ROOT / "reports" / "_state").glob("*.json")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-all-areas", action="store_true", help="leave out (d)")
    args = parser.parse_args()
    from helpers.site import load_runs

    runs = load_runs()
    subprocess.run([str(BIN / "regional-divide"), "data"], check=True, stdout=subprocess.DEVNULL)
    cold, warm, naive, every, per_report, count = [], [], [], [], [], 0
    for _ in range(args.runs):
        clear_reports()
        cold.append(seconds(["make", "-C", str(ROOT), "report"]))
        warm.append(seconds(["make", "-C", str(ROOT), "report"]))
        naive.append(naive_two_at_a_time(runs))
        if not args.skip_all_areas:
            clear_reports()
            every.append(seconds(["make", "-C", str(ROOT), "report-all"]))
            durations = execution_seconds()
            count = len(durations)
            per_report.append(statistics.median(durations))
    a, b, c = (statistics.median(x) for x in (cold, warm, naive))
    print(f"{len(runs)} reports in the default set, {args.runs} repetitions; medians")
    print(f"(a) default set cold (make report):                 {a:7.2f} s  {[round(t, 1) for t in cold]}")
    print(f"(b) nothing changed (make report):                  {b:7.2f} s  {[round(t, 2) for t in warm]}")
    print(f"(c) naive papermill + nbconvert CLIs, xargs -P 2:   {c:7.2f} s  {[round(t, 1) for t in naive]}")
    print(f"(c) / (a) = {c / a:.2f}x (target >= {TARGETS['ratio']:.0f}x)")
    if every:
        d = statistics.median(every)
        print(f"(d) every area cold (make report-all), {count} reports: {d:7.2f} s  {[round(t, 1) for t in every]} "
              f"(target < {TARGETS['all_areas_s']:.0f} s)")
        print(f"    per report: median execution {statistics.median(per_report):.2f} s, wall {d / count:.2f} s")
    print(f"(b) target < {TARGETS['unchanged_s']:.0f} s: {'met' if b < TARGETS['unchanged_s'] else 'NOT met'}")


if __name__ == "__main__":
    main()
