"""The site around the reports: ``reports/index.html`` (the landing page: the findings of the four questions with
their figures from ``metrics.csv``, the reports of each question, a map and list of the regions leading to their
profiles, then any ad-hoc runs), ``reports/sources.html`` (``sources_page``) and ``reports/metrics.csv`` (the
headline figures every report recorded)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from helpers.config import paths
from helpers.data.atomic import atomic_path, write_text_atomic
from helpers.site.config import ReportRun, config_path
from helpers.site.dates import plain_date, plain_duration, plain_time
from helpers.site.landing import QUESTIONS, read_metrics, render_findings
from helpers.site.sources_page import PAGE, write_sources_page
from helpers.site.state import TEMPLATES, failed_path, html_path, now, read_state

SITE_FILES = ("index.html", "metrics.csv", PAGE)  # in reports/
METRICS_COLUMNS = ["report", "id", "value", "unit", "description", "source_ids"]
PROFILE_REPORT = "profile"

__all__ = ["site_is_up_to_date", "write_index", "write_metrics", "write_sources_page", "plain_date", "plain_duration"]


def site_inputs() -> list[Path]:
    """What the site files are built from: the state files (and their folder, which changes when one is added
    or removed), ``reports.yml``, ``data/sources.yml`` and its lock, the templates and the runner's modules."""
    from helpers.data.sources import lock_path

    state = paths().reports / "_state"
    return [state, *state.glob("*.json"), config_path(), paths().manifest, lock_path(),
            *TEMPLATES.rglob("*"), *Path(__file__).parent.glob("*.py")]


def site_is_up_to_date() -> bool:
    """Whether ``reports/index.html``, ``metrics.csv`` and ``sources.html`` all exist and none is older than any
    of ``site_inputs`` (inputs that do not exist, such as a missing lock file, are left out). The runner skips
    rewriting them when no report ran and this holds; otherwise it writes all three."""
    try:
        written = min((paths().reports / name).stat().st_mtime_ns for name in SITE_FILES)
    except FileNotFoundError:
        return False
    for source in site_inputs():
        try:
            if source.stat().st_mtime_ns > written:
                return False
        except FileNotFoundError:
            continue
    return True


def _row(run: ReportRun) -> dict:
    state = read_state(run.name)
    return {"run": run, "state": state, "status": state.get("status", "not run"),
            "html_exists": html_path(run).exists(), "failed_exists": failed_path(run.name).exists(),
            "when": plain_date(state.get("started")), "duration": plain_duration(state.get("duration_s")),
            "last_good": plain_date(state.get("last_good"))}


def _regions(profiles: list[dict]) -> list[dict]:
    """The 12 ITL1 regions in registry order, each with its profile row (if any) and the rows of the ITL2 and
    ITL3 profiles inside it."""
    from helpers import regions

    by_code = {row["run"].parameters.get("region"): row for row in profiles}
    colours = regions.itl1_colours()
    out = []
    for code in regions.codes("ITL1"):
        row = by_code.get(code)
        areas = []
        for level in ("ITL2", "ITL3"):
            for area in regions.codes(level):
                if area in by_code and regions.parent_itl1(area) == code:
                    areas.append({"code": area, "level": level, "name": regions.region_name(area),
                                  "row": by_code[area]})
        out.append({"code": code, "name": regions.region_name(code), "colour": colours.get(code, "#888888"),
                    "row": row, "areas": areas,
                    "href": f"{row['run'].name}.html" if row and row["html_exists"] else None})
    return out


def write_index(runs: list[ReportRun]) -> None:
    """``reports/index.html``: the findings (figures from ``reports/metrics.csv``, so write that first), the
    reports of each question with status, run date and duration, the regions (map and list, with the ITL2/ITL3
    profiles under their region), and the other runs."""
    from helpers.site.regionmap import itl1_map_svg
    from helpers.site.render import template  # imports pandas (through helpers.show.outputs): only when writing

    rows = [_row(run) for run in runs]
    pages = {f"{row['run'].name}.html" for row in rows if row["html_exists"]}
    findings = render_findings(read_metrics(paths().reports / "metrics.csv"), pages)
    question_of = {rid: q.number for q in QUESTIONS for rid in q.report_ids}
    profiles = [r for r in rows if r["run"].report_id == PROFILE_REPORT and "region" in r["run"].parameters]
    listed = {id(r) for r in profiles}
    for finding in findings:
        finding["rows"] = [r for r in rows if question_of.get(r["run"].report_id) == finding["number"]
                           and r["run"].report_id != PROFILE_REPORT]
        listed |= {id(r) for r in finding["rows"]}
    others = [r for r in rows if id(r) not in listed]
    regions = _regions(profiles)
    profile_failures = [r for r in profiles if r["status"] == "failed"]
    html = template("index.html.j2").render(
        findings=findings, regions=regions, others=others, profile_failures=profile_failures,
        profiles_ok=sum(r["status"] == "ok" for r in profiles), profiles_total=len(profiles),
        region_map=itl1_map_svg(regions), generated=plain_time(now()),
    )
    write_text_atomic(paths().reports / "index.html", html)


def write_metrics(runs: list[ReportRun]) -> None:
    """``reports/metrics.csv``: the headline figures every report recorded (report, id, value, unit, ...)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=METRICS_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for run in runs:
        for metric in read_state(run.name).get("metrics", []):
            writer.writerow({"report": run.name, **metric})
    with atomic_path(paths().reports / "metrics.csv") as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
