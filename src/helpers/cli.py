"""The ``regional-divide`` command: fetch sources, build tidy data, list sources.

Errors the user can act on (RegionalDivideError) print as one message and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="regional-divide", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = commands.add_parser("fetch", help="fetch raw sources into data/raw (verifies sha256)")
    fetch_cmd.add_argument("ids", nargs="*", help="source ids from data/sources.yml (default: all)")
    data_cmd = commands.add_parser("data", help="fetch sources and build every table in data/processed")
    data_cmd.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    report_cmd = commands.add_parser("report", help="execute and render the reports configured in reports.yml")
    report_cmd.add_argument("--only", nargs="+", metavar="NAME", help="run only these reports (name or report id)")
    report_cmd.add_argument("--force", action="store_true", help="rerun even if nothing changed")
    report_cmd.add_argument("--workers", type=int, default=None, help="notebooks at a time (default: CPU cores)")
    sources_cmd = commands.add_parser("sources", help="list the sources in data/sources.yml")
    sources_cmd.add_argument("--markdown", action="store_true", help="print the README's sources table")
    args = parser.parse_args(argv)

    from helpers.errors import RegionalDivideError

    try:
        return {"fetch": _fetch, "data": _data, "report": _report, "sources": _sources}[args.command](args)
    except RegionalDivideError as exc:
        print(f"regional-divide {args.command}: error: {exc}", file=sys.stderr)
        return 2


def _fetch(args: argparse.Namespace) -> int:
    from helpers.pipeline.sources import fetch

    paths = fetch(args.ids or None, progress=sys.stderr.isatty())
    print(f"{len(paths)} source files present and verified in data/raw")
    return 0


def _data(args: argparse.Namespace) -> int:
    from helpers.pipeline.datasets import build_all

    started = time.perf_counter()
    built = build_all(force=args.force, progress=sys.stderr.isatty())
    rebuilt = [name for name, did in built.items() if did]
    summary = f"rebuilt {', '.join(rebuilt)}" if rebuilt else "all up to date"
    print(f"data/processed: {len(built)} datasets, {summary} ({time.perf_counter() - started:.1f} s)")
    return 0


def _report(args: argparse.Namespace) -> int:
    from helpers.config import paths
    from helpers.runner import result_table, run_reports

    started = time.perf_counter()
    results = run_reports(only=args.only, force=args.force, workers=args.workers, progress=sys.stderr.isatty())
    print(result_table(results))
    failed = [r.name for r in results if r.status == "failed"]
    index = paths().reports / "index.html"
    print(f"{len(results)} reports, {len(failed)} failed, {time.perf_counter() - started:.1f} s; index: {index}")
    if failed:
        print(f"Failed: {', '.join(failed)}; their last good HTML was kept (see the index).", file=sys.stderr)
    return 1 if failed else 0


def _sources(args: argparse.Namespace) -> int:
    from helpers.pipeline.sources import load_manifest, sources_markdown

    if args.markdown:
        print(sources_markdown())
    else:
        for source in load_manifest().values():
            print(f"{source.id:34} {source.publisher:38} {source.release}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
