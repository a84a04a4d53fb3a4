"""Benchmark `make data`: cold (empty data/ -> fetch from the mirror + build every table) and warm
(nothing changed). Runs the real command line in a scratch copy of the project, prints medians.

    REGIONAL_DIVIDE_DATA_MIRROR=../shared/data/raw .venv/bin/python scripts/benchmark_data.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [str(Path(sys.executable).with_name("regional-divide")), "data"]


def timed(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(COMMAND, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("REGIONAL_DIVIDE_DATA_MIRROR"):
        sys.exit("Set REGIONAL_DIVIDE_DATA_MIRROR (e.g. ../shared/data/raw): the benchmark measures the offline path.")
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as scratch:
            home = Path(scratch)
            shutil.copytree(ROOT / "data" / "reference", home / "data" / "reference")
            shutil.copy(ROOT / "data" / "sources.yml", home / "data" / "sources.yml")
            env = {**os.environ, "REGIONAL_DIVIDE_HOME": str(home)}
            cold.append(timed(env))
            warm.append(timed(env))
    print(f"make data, cold (empty data/, {args.runs} runs): median {statistics.median(cold):.2f} s  {[round(t, 2) for t in cold]}")
    print(f"make data, warm (nothing changed):            median {statistics.median(warm):.2f} s  {[round(t, 2) for t in warm]}")
    print(f"cold / warm: {statistics.median(cold) / statistics.median(warm):.0f}x")


if __name__ == "__main__":
    main()
