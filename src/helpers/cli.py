"""The ``regional-divide`` command: fetch sources, build tidy data, run reports, list reports, datasets, regions and sources.

Errors the user can act on (RegionalDivideError) print as one message and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="regional-divide", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = commands.add_parser("fetch", help="fetch raw sources into data/raw (verifies sha256)")
    fetch_cmd.add_argument("ids", nargs="*", help="source ids from data/sources.yml (default: all)")
    fetch_cmd.add_argument("--to", metavar="DIR", help="also copy them into DIR laid out like data/raw: a mirror to "
                           "carry to a machine without network (REGIONAL_DIVIDE_DATA_MIRROR=DIR)")
    data_cmd = commands.add_parser("data", help="fetch sources and build every table in data/processed")
    data_cmd.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    report_cmd = commands.add_parser(
        "report", help="execute and render the reports configured in reports.yml, or one notebook with -p",
        description="Without NOTEBOOK: the reports of reports.yml. With NOTEBOOK (a file stem such as region_profile) "
                    "and -p NAME=VALUE: one ad-hoc run, written to reports/<notebook>--<name>-<value>.html.")
    report_cmd.add_argument("notebook", nargs="?", help="run this notebook once with the -p parameters (ad-hoc run)")
    report_cmd.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                            help="a parameter of the ad-hoc run (repeatable; none: the notebook's defaults); "
                            "place names are accepted for regions")
    report_cmd.add_argument("--only", nargs="+", metavar="NAME", help="run only these reports (name or report id)")
    report_cmd.add_argument("--all-areas", action="store_true", help="also every ITL2 and ITL3 profile (all_areas in reports.yml)")
    report_cmd.add_argument("--force", action="store_true", help="rerun even if nothing changed")
    report_cmd.add_argument("--workers", type=_positive_int, default=None, help="notebooks at a time (default: CPU cores)")
    list_cmd = commands.add_parser("list", help="list the reports, datasets or regions (codes and names)")
    list_cmd.add_argument("what", nargs="?", default="reports", choices=["reports", "datasets", "regions"],
                          help="what to list (default: reports)")
    list_cmd.add_argument("--level", choices=["ITL1", "ITL2", "ITL3"], help="regions: only this level")
    sources_cmd = commands.add_parser("sources", help="list the sources in data/sources.yml")
    sources_cmd.add_argument("--markdown", action="store_true", help="print the README's sources table")
    sources_cmd.add_argument("action", nargs="?", choices=["list", "check", "update"], default="list",
                             help="check: newer versions of tracking sources (exit 3 if any, 4 if a check failed); "
                             "update: validate and take them in (exit 1 if one is rejected); docs/updating-data.md")
    sources_cmd.add_argument("ids", nargs="*", help="tracking source ids (default: all)")
    sources_cmd.add_argument("--timeout", type=float, default=None, help="network timeout in seconds (default 60)")
    sources_cmd.add_argument("--allow-shrink", action="store_true", help="update: accept a version with fewer values")
    sources_cmd.add_argument("--dry-run", action="store_true",
                             help="update: download and check, print the plausibility table, take nothing in")
    sources_cmd.add_argument("--accept-revisions", action="store_true",
                             help="update: take in the named sources' versions even if a plausibility check trips "
                             "(needs --reason; recorded in the lock with who and when)")
    sources_cmd.add_argument("--reason", help="update --accept-revisions: why the held version is right")
    sources_cmd.add_argument("--by", help="update --accept-revisions: who accepts it (default: git user.name, "
                             "GITHUB_ACTOR or the login name)")
    _add_site_commands(commands)
    args = parser.parse_args(argv)

    from helpers.errors import RegionalDivideError
    from helpers.processes import exit_on_signals

    exit_on_signals()  # SIGTERM and SIGHUP end the command like Ctrl-C: temporary files and processes are cleaned up
    commands_by_name = {"fetch": _fetch, "data": _data, "report": _report, "sources": _sources, "list": _list,
                        "changes": _changes, "explain": _explain, "readme": _readme, "clean": _clean}
    try:
        return commands_by_name[args.command](args)
    except BrokenPipeError:  # `regional-divide list regions | head`: the reader stopped reading; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except RegionalDivideError as exc:
        print(f"regional-divide {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file system error no code path turned into a sentence
        from helpers.errors import WriteError

        print(f"regional-divide {args.command}: error: {WriteError.about(exc.filename or '.', exc, doing='use')}",
              file=sys.stderr)
        return 2


def _add_site_commands(commands) -> None:
    """The commands about findings and the generated site: changes, explain, clean, readme."""
    changes_cmd = commands.add_parser(
        "changes", help="findings whose estimate left its interval or whose verdict changed, against an earlier "
        "findings.csv")
    changes_cmd.add_argument("--since", required=True, metavar="PATH", help="the earlier (published) findings.csv")
    changes_cmd.add_argument("--now", metavar="PATH", help="the new findings.csv (default: reports/findings.csv)")
    changes_cmd.add_argument("--markdown", action="store_true", help="Markdown, for a workflow summary")
    explain_cmd = commands.add_parser("explain", help="the path from a finding to its question, datasets and files")
    explain_cmd.add_argument("finding", help="a finding id (the first column of reports/findings.csv)")
    clean_cmd = commands.add_parser("clean", help="remove generated reports: --adhoc removes every ad-hoc run")
    clean_cmd.add_argument("--adhoc", action="store_true", required=True,
                           help="remove the ad-hoc runs (report NOTEBOOK -p ...) and list the index without them")
    readme_cmd = commands.add_parser("readme", help="rewrite the README's generated sections (findings, sources)")
    readme_cmd.add_argument("--check", action="store_true", help="only say whether they are current (exit 1 if not)")


def _sweep() -> None:
    """Remove what killed runs left behind (temporary folders, ``.part`` files) before writing anything."""
    from helpers.processes import sweep

    sweep()


def _fetch(args: argparse.Namespace) -> int:
    from helpers.data.sources import fetch

    _sweep()

    paths = fetch(args.ids or None, progress=sys.stderr.isatty())
    print(f"{len(paths)} source files present and verified in data/raw")
    if args.to:
        copied = _copy_to_mirror(args.ids or None, args.to)
        print(f"{len(paths)} source files in {args.to} ({copied} copied); on a machine without network: "
              f"export REGIONAL_DIVIDE_DATA_MIRROR={args.to}")
    return 0


def _copy_to_mirror(ids: list[str] | None, folder: str) -> int:
    """Copy the verified files of data/raw into ``folder`` (laid out like data/raw); unchanged files are skipped."""
    import shutil
    from pathlib import Path

    from helpers.data.atomic import atomic_path, sha256_file
    from helpers.data.sources import get_source, load_manifest, raw_path
    from helpers.errors import RegionalDivideError

    copied = 0
    for source in [get_source(i) for i in ids] if ids else list(load_manifest().values()):
        target = Path(folder) / source.path
        if target.is_file() and sha256_file(target) == source.sha256:
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(target) as tmp:
                shutil.copyfile(raw_path(source), tmp)
        except OSError as exc:
            raise RegionalDivideError(f"Could not write {target} ({exc}). Fix: choose a writable folder for --to.") from exc
        copied += 1
    return copied


def _data(args: argparse.Namespace) -> int:
    from helpers.data.datasets import build_all

    _sweep()
    started = time.perf_counter()
    built = build_all(force=args.force, progress=sys.stderr.isatty())
    rebuilt = [name for name, did in built.items() if did]
    summary = f"rebuilt {', '.join(rebuilt)}" if rebuilt else "all up to date"
    print(f"data/processed: {len(built)} datasets, {summary} ({time.perf_counter() - started:.1f} s)")
    return 0


def _report(args: argparse.Namespace) -> int:
    from helpers.config import paths
    from helpers.errors import RegionalDivideError
    from helpers.site import adhoc_run, result_table, run_reports, summary_line

    _sweep()
    started = time.perf_counter()
    runs = None
    if args.notebook:
        if args.only or args.all_areas:
            raise RegionalDivideError("give either a NOTEBOOK with -p NAME=VALUE (an ad-hoc run) or --only/--all-areas.")
        runs = [adhoc_run(args.notebook, args.parameter)]
    elif args.parameter:
        raise RegionalDivideError("-p needs a NOTEBOOK: regional-divide report region_profile -p region=TLE32 "
                                  "(`regional-divide list reports` lists the notebooks and their parameters).")
    results = run_reports(only=args.only, force=args.force, workers=args.workers, progress=sys.stderr.isatty(),
                          all_areas=args.all_areas, runs=runs)
    print(result_table(results))
    failed = [r.name for r in results if r.status == "failed"]
    index = paths().reports / "index.html"
    print(f"{summary_line(results, time.perf_counter() - started)}; index: {index}")
    if runs and not failed:
        print(paths().reports / f"{runs[0].name}.html")
    if failed:
        kept = [name for name in failed if (paths().reports / f"{name}.html").exists()]
        print(f"Failed: {', '.join(failed)}; " + (f"the last good HTML of {', '.join(kept)} was kept" if kept else
              "no earlier page to keep") + " (see the index).", file=sys.stderr)
    return 1 if failed else 0


def _list(args: argparse.Namespace) -> int:
    if args.what == "reports":
        from helpers.site import load_reports, load_runs, notebook_parameters
        from helpers.site.adhoc import _path

        for run in load_runs():
            print(f"{run.name:34} {run.notebook:24} {run.title}")
        print("\nAd-hoc runs: regional-divide report NOTEBOOK -p NAME=VALUE ...; parameters (defaults):")
        for report in {r.notebook: r for r in load_reports()}.values():
            declared = notebook_parameters(_path(report))
            defaults = " ".join(f"{name}={info['default']}" for name, info in declared.items())
            print(f"  {report.notebook.removesuffix('.ipynb'):22} {defaults}")
    elif args.what == "datasets":
        from helpers.data.datasets import catalogue

        for name, row in catalogue().iterrows():
            print(f"{name:28} {row['kind']:9} {','.join(row['levels']) if isinstance(row['levels'], list) else row['levels']:16} "
                  f"{row['years']:10} {', '.join(row['sources']) if isinstance(row['sources'], list) else row['sources']}")
    else:
        from helpers import regions

        for level in [args.level] if args.level else list(regions.LEVELS):
            for code in regions.codes(level):
                parent = regions.parent_itl2(code) if level == "ITL3" else regions.parent_itl1(code) if level == "ITL2" else ""
                print(f"{code:6} {level:5} {parent or '':5} {regions.region_name(code)}")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more (got {value}); leave --workers out for one per CPU core")
    return value


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (reading the package metadata takes a
    noticeable part of a command that has nothing to do)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regional-divide")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _sources(args: argparse.Namespace) -> int:
    from helpers.data.sources import load_manifest, sources_markdown

    if args.action == "check":
        from helpers.data import tracking

        results = tracking.check(args.ids, timeout=args.timeout)
        print(tracking.check_table(results))
        return tracking.check_status(results)
    if args.action == "update":
        from helpers.data import updates

        _sweep()
        accept = _acceptance(args) if args.accept_revisions else None
        if args.reason and not accept:
            from helpers.errors import RegionalDivideError

            raise RegionalDivideError("--reason goes with --accept-revisions (it records why a held version was taken in).")
        results = updates.update(args.ids, timeout=args.timeout, allow_shrink=args.allow_shrink, accept=accept,
                                 dry_run=args.dry_run)
        print(updates.summary(results))
        return updates.update_status(results)
    if args.markdown:
        print(sources_markdown())
    else:
        for source in load_manifest().values():
            print(f"{source.id:34} {source.publisher:38} {source.release}")
    return 0


def _acceptance(args: argparse.Namespace):
    import getpass
    import os
    import subprocess

    from helpers.data.updates import Acceptance
    from helpers.errors import RegionalDivideError

    if not (args.reason or "").strip():
        raise RegionalDivideError("--accept-revisions needs --reason \"...\": why the held version is right (for "
                                  "example, the publisher's note on a rebased index); it is recorded in the lock.")
    by = args.by or os.environ.get("GITHUB_ACTOR")
    if not by:
        try:
            by = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True).stdout.strip()
        except OSError:
            by = ""
    return Acceptance(by=by or getpass.getuser(), reason=args.reason.strip())


def _changes(args: argparse.Namespace) -> int:
    from pathlib import Path

    from helpers.config import paths
    from helpers.site.changes import changed_findings, changes_markdown, changes_text, read_findings

    now = read_findings(Path(args.now) if args.now else paths().reports / "findings.csv")
    table = changed_findings(read_findings(Path(args.since)), now)
    print(changes_markdown(table, compared=len(now)) if args.markdown else changes_text(table))
    return 0


def _clean(args: argparse.Namespace) -> int:
    from helpers.site.run import clean_adhoc

    removed = clean_adhoc()
    print(f"Removed {len(removed)} ad-hoc run(s): {', '.join(removed)}" if removed else "No ad-hoc runs to remove.")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from helpers.site.explain import explain

    print(explain(args.finding))
    return 0


def _readme(args: argparse.Namespace) -> int:
    from helpers.site.readme import update_readme

    changed = update_readme(check=args.check)
    if args.check:
        print("README.md is current" if not changed else f"README.md is out of date: {', '.join(changed)}; "
              "run `regional-divide readme` after `make report`")
        return 1 if changed else 0
    print(f"README.md: rewrote {', '.join(changed)}" if changed else "README.md: already current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
