"""Handing a report's results to the runner: the "What holds up" table of its findings, the table of its headline
figures and (question 4) the table of claims on their own scale. Each is displayed as one output that carries the data itself under the project's own MIME type
(``FINDINGS_MIME``, ``METRICS_MIME``); the runner reads them from the executed notebook, as it reads the CSV downloads
(``helpers.site.execute``), so nothing passes through the kernel's memory and a notebook runs the same way in
JupyterLab. The sources every output names (charts, tables, findings, figures) make the report's run card.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.findings import wording
from helpers.findings.model import Finding, Metric
from helpers.findings.numbers import fmt
from helpers.safe_text import markdown_html
from helpers.show.outputs import CLAIMS_MIME, FINDINGS_MIME, METRICS_MIME, bundle, slug
from helpers.show.tables import link_columns, metric_format, table_html, with_addresses


def finding_anchor(finding_id: str) -> str:
    """The anchor of a finding's row in its report's "What holds up" table (the landing page links to it)."""
    return f"finding-{finding_id}"


def estimate_text(f: Finding, value: float) -> str:
    return fmt(value, f.kind, f.places)


def interval_text(f: Finding) -> str:
    if not f.has_interval:
        return "none"
    return f"{estimate_text(f, f.lower)} to {estimate_text(f, f.upper)} ({f.interval_kind})"


def findings_frame(found: list[Finding]) -> pd.DataFrame:
    """One row per finding, for readers: verdict first, then the finding, its estimate with its unit and interval,
    the checks that agree and those that do not (with their estimates)."""
    rows = []
    for f in found:
        rows.append({"Verdict": f.verdict, "Finding": f.statement,
                     "Estimate": f"{estimate_text(f, f.estimate)} {f.unit}",
                     "Interval": interval_text(f),
                     "Checks agreeing": f"{f.checks_agreeing} of {f.checks_total}",
                     "Checks that do not agree": "; ".join(f"{c.name}: {estimate_text(f, c.estimate)}"
                                                           for c in f.disagreeing()) or "none"})
    frame = pd.DataFrame(rows)
    frame.attrs["row_ids"] = [finding_anchor(f.id) for f in found]
    return frame


def checks_frame(found: list[Finding]) -> pd.DataFrame:
    """Long form: one row per finding and check, with its dimension, estimate, interval and whether it agrees."""
    rows = []
    for f in found:
        for c in f.checks:
            interval = (f"{estimate_text(f, c.lower)} to {estimate_text(f, c.upper)}"
                        if pd.notna(c.lower) and pd.notna(c.upper) else "–")
            rows.append({"Finding": f.statement, "Check": c.name, "Dimension": c.dimension,
                         "Estimate": estimate_text(f, c.estimate), "Interval": interval,
                         "Agrees": "yes" if c.counted and f.distance(c.estimate) > f.band else
                                   ("no" if c.counted else "not available")})
    return pd.DataFrame(rows, columns=["Finding", "Check", "Dimension", "Estimate", "Interval", "Agrees"])


def _display(body: str, *, title: str, csv: str, mime: str, payload) -> None:
    from IPython.display import display

    out = bundle(body, anchor=slug(title), title=title, csv=csv, kind="table")
    out[mime] = json_safe(payload)
    display(out, raw=True)


def json_safe(value):
    """``value`` with every NaN or infinite float (a check without an interval) as None: the kernel sends outputs as
    JSON, which has no NaN."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def findings(found: list[Finding], *, title: str = "What holds up") -> None:
    """Display the "What holds up" table of ``found`` and hand the findings to the runner (``FINDINGS_MIME``)."""
    frame = findings_frame(found)
    body = table_html(frame, title=title) + wording.render("common", "rule_note")
    payload = [{**f.row(), "checks": [c.__dict__ for c in f.checks], "kind": f.kind, "places": f.places} for f in found]
    _display(body, title=title, csv=pd.DataFrame([f.row() for f in found]).to_csv(index=False, lineterminator="\n"),
             mime=FINDINGS_MIME, payload=payload)


def metrics(recorded: list[Metric], *, title: str = "Headline figures") -> None:
    """Display the headline figures and hand them to the runner (``METRICS_MIME``; ``reports/metrics.csv``)."""
    frame = pd.DataFrame([m.row() for m in recorded])
    shown = pd.DataFrame({"Figure": frame["description"], "Value": frame["value"], "Unit": frame["unit"]})
    shown.attrs["row_formats"] = {"Value": [metric_format(v, u) for v, u in zip(frame["value"], frame["unit"])]}
    note = f'<div class="rd-small">{markdown_html(wording.line("common", "metrics_note"))}</div>'
    _display(table_html(shown, title=title) + note, title=title, mime=METRICS_MIME,
             csv=frame.to_csv(index=False, lineterminator="\n"), payload=[m.row() for m in recorded])


def claims(frame: pd.DataFrame, *, note: str, title: str = "The claims, checked") -> None:
    """Display a table of claims (one row per claim, ``attrs["row_ids"]`` anchoring each) with the note that states
    their scale and rule, and hand its rows over under ``CLAIMS_MIME`` (claims are not findings: the runner keeps
    them out of reports/findings.csv)."""
    note_html = markdown_html(note)  # the scale's words in bold, any HTML in it as text
    body = table_html(frame, title=title) + f'<div class="rd-small">{note_html}</div>'
    csv = with_addresses(frame, link_columns(frame)).to_csv(index=False, lineterminator="\n")
    _display(body, title=title, csv=csv, mime=CLAIMS_MIME,
             payload=[{"anchor": anchor, **row} for anchor, row in zip(frame.attrs.get("row_ids", []),
                                                                      frame.to_dict("records"))])
