"""The findings the landing page opens with: for each of the four questions, the answer in a few sentences, written
by the ``landing`` macro of the question's wording file (``helpers/questions/<question>/wording.md.j2``) from
``reports/findings.csv`` (each finding's verdict, linked to its row of its report's "What holds up" table) and
``reports/metrics.csv`` (the figures). The README's findings section is the same macros in Markdown
(``readme_findings``). A figure that is missing (a report failed before recording it) is written "–"; the page never
fails on it.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from helpers.findings import wording
from helpers.findings.model import CONTRADICTED, HOLDS


@dataclass(frozen=True)
class Question:
    number: int
    package: str  # the question package whose wording file holds the ``heading`` and ``landing`` macros
    report_ids: tuple[str, ...]  # the reports.yml ids listed under this question


QUESTIONS = [Question(1, "ict_finance", ("ict-vs-finance",)), Question(2, "concentration", ("concentration", "ai-ecosystem")),
             Question(3, "productivity", ("productivity",)), Question(4, "claims", ("claims-check", "profile"))]


def read_rows(path: Path) -> list[dict]:
    """The rows of a CSV the site wrote ([] if it is missing or unreadable)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError:
        return []


class Figures(dict):
    """Metric values by id; a missing figure is NaN, which the formatter writes "–"."""

    def __missing__(self, key):
        return math.nan


@dataclass(frozen=True)
class Stated:
    """A finding as the landing page states it: its id, verdict, the report page it comes from, and its estimate
    and interval (NaN when not available)."""

    id: str
    verdict: str
    report: str
    estimate: float = float("nan")
    lower: float = float("nan")
    upper: float = float("nan")


class Found(dict):
    """Findings by id; a missing finding reads as "not available"."""

    def __missing__(self, key):
        return Stated(key, "not available", "")


def figures(rows: list[dict], report_ids: tuple[str, ...]) -> Figures:
    """Metric values by id, each from the first report of the question that recorded it (else any report)."""
    out = Figures()
    ranked = sorted(rows, key=lambda r: r.get("report", "").split("--")[0] not in report_ids)
    for row in ranked:
        try:
            out.setdefault(row["id"], float(row["value"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def stated(rows: list[dict]) -> Found:
    return Found({r["id"]: Stated(r["id"], r["verdict"], r["report"], *(_number(r.get(k)) for k in ("estimate", "lower",
                                                                                                   "upper")))
                  for r in rows if r.get("id")})


def _number(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def html_ref(pages: set[str]):
    """The landing page's reference to a finding: its verdict, linked to its row of "What holds up"."""
    def ref(finding: Stated) -> Markup:
        kind = {HOLDS: "holds", CONTRADICTED: "contradicted"}.get(finding.verdict, "inconclusive")
        page = f"{finding.report}.html"
        if page in pages:
            return Markup('<a class="rd-verdict rd-{}" data-finding="{}" href="{}#finding-{}">{}</a>').format(
                kind, finding.id, page, finding.id, finding.verdict)
        return Markup('<strong class="rd-verdict rd-{}" data-finding="{}">{}</strong>').format(kind, finding.id,
                                                                                               finding.verdict)
    return ref


def markdown_ref(finding: Stated) -> str:
    return f"**{finding.verdict}**"


def render_findings(metric_rows: list[dict], finding_rows: list[dict], pages: set[str]) -> list[dict]:
    """For each question: number, heading, report ids and its answer as HTML. ``pages``: the report pages that
    exist."""
    found, out = stated(finding_rows), []
    for q in QUESTIONS:
        fields = {"f": found, "m": figures(metric_rows, q.report_ids), "ref": html_ref(pages)}
        out.append({"number": q.number, "heading": wording.line(q.package, "heading"), "report_ids": q.report_ids,
                    "text": Markup(wording.render(q.package, "landing", html=True, **fields)),
                    "sources": sorted({s for r in metric_rows + finding_rows if r.get("report", "").split("--")[0]
                                       in q.report_ids for s in (r.get("source_ids") or r.get("sources") or "").split()})})
    return out


def readme_findings(metric_rows: list[dict], finding_rows: list[dict]) -> str:
    """The README's findings section (Markdown): the landing page's answers, verdicts in bold."""
    found, parts = stated(finding_rows), []
    for q in QUESTIONS:
        text = wording.line(q.package, "landing", f=found, m=figures(metric_rows, q.report_ids), ref=markdown_ref)
        parts.append(f"{q.number}. **{wording.line(q.package, 'heading')}** {text}")
    return "\n".join(parts)


def vintages(source_ids: list[str]) -> list[dict]:
    """{id, publisher, title, release} of each source id known to the manifest, in order, once each."""
    from helpers.data.sources import load_manifest

    manifest = load_manifest()
    return [{"id": s, "publisher": manifest[s].publisher, "title": manifest[s].title, "release": manifest[s].release}
            for s in dict.fromkeys(source_ids) if s in manifest]
