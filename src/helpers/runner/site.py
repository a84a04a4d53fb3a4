"""The site around the reports: ``reports/index.html`` (every configured report with status, parameters,
duration and data vintages, then the all-areas profiles and the ad-hoc runs that were made) and
``reports/metrics.csv`` (the headline figures every report recorded)."""

from __future__ import annotations

import csv
import io

from helpers.config import paths
from helpers.pipeline.atomic import atomic_path, write_text_atomic
from helpers.runner.config import ReportRun
from helpers.runner.render import template
from helpers.runner.state import failed_path, html_path, now, read_state

METRICS_COLUMNS = ["report", "id", "value", "unit", "description", "source_ids"]


def write_index(runs: list[ReportRun]) -> None:
    """``reports/index.html``: every run of ``runs`` with status, parameters, duration and vintages, grouped by
    their ``group`` (ad-hoc runs: "Ad-hoc runs")."""
    from helpers.pipeline.datasets import provenance

    rows = []
    for run in runs:
        state = read_state(run.name)
        vintages = sorted({f"{s['publisher']}: {s['release']}" for d in run.datasets for s in provenance(d)["sources"]})
        rows.append({"run": run, "state": state, "html_exists": html_path(run).exists(),
                     "failed_exists": failed_path(run.name).exists(), "vintages": vintages})
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["run"].group, []).append(row)
    html = template("index.html.j2").render(groups=groups, generated=now())
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

