"""Benchmark `regional-divide sources update indeed_postings_regions` against a local server serving the Indeed
regional file in use, next to `regional-divide data --force` (every dataset rebuilt from the raw files present).

Cases, each in a fresh scratch copy of the project's data (copying is not timed):
- same file: the server serves the very bytes in use (downloaded, hashed, found current);
- same data, new bytes: the file with CRLF line ends, so the update builds the job-postings dataset with it, runs the
  plausibility checks against the table in use, takes it in and rebuilds (the whole path of a real update);
- the same, --dry-run (build and checks only).

    REGIONAL_DIVIDE_DATA_MIRROR=../shared/data/raw .venv/bin/python scripts/benchmark_update.py [--runs 5]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("regional-divide"))
SOURCE = "indeed_postings_regions"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[1:])} failed ({done.returncode}):\n{done.stdout}")
    return elapsed


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


def template(scratch: Path, base: str) -> Path:
    """A project home with the manifest pointing the source at the local server, data built once."""
    home = scratch / "template"
    (home / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "reference", home / "data" / "reference")
    shutil.copy(ROOT / "data" / "sources.lock.yml", home / "data" / "sources.lock.yml")
    manifest = yaml.safe_load((ROOT / "data" / "sources.yml").read_text(encoding="utf-8"))
    for entry in manifest["sources"]:
        if entry["id"] == SOURCE:
            entry["tracking"]["latest_url"] = f"{base}/latest.csv"
    (home / "data" / "sources.yml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    subprocess.run([CLI, "data"], env={**os.environ, "REGIONAL_DIVIDE_HOME": str(home)}, check=True,
                   stdout=subprocess.DEVNULL)
    return home


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("REGIONAL_DIVIDE_DATA_MIRROR"):
        sys.exit("Set REGIONAL_DIVIDE_DATA_MIRROR (e.g. ../shared/data/raw): the benchmark measures the offline path.")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        served = scratch / "served"
        served.mkdir()
        base, httpd = serve(served)
        home = template(scratch, base)
        in_use = yaml.safe_load((home / "data" / "sources.lock.yml").read_text())["sources"][SOURCE]["path"]
        original = (home / "data" / "raw" / in_use).read_bytes()
        cases = {
            "same file (found current)": (original, ["sources", "update", SOURCE]),
            "same data, new bytes: built, checked, taken in": (original.replace(b"\n", b"\r\n"), ["sources", "update", SOURCE]),
            "same data, new bytes, --dry-run: built and checked": (original.replace(b"\n", b"\r\n"),
                                                                   ["sources", "update", SOURCE, "--dry-run"]),
            "regional-divide data --force (all 17 datasets)": (original, ["data", "--force"]),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (payload, command) in cases.items():
                (served / "latest.csv").write_bytes(payload)
                run_home = scratch / "run"
                shutil.rmtree(run_home, ignore_errors=True)
                shutil.copytree(home, run_home, symlinks=True)
                times[name].append(timed([CLI, *command], {**os.environ, "REGIONAL_DIVIDE_HOME": str(run_home)}))
        httpd.shutdown()
    width = max(map(len, times))
    for name, values in times.items():
        print(f"{name:{width}}  median {statistics.median(values):5.2f} s  {[round(t, 2) for t in values]}")


if __name__ == "__main__":
    main()
