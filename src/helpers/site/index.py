"""The site around the reports: ``reports/index.html`` (the landing page: the findings of the four questions with
their figures from ``metrics.csv``, the reports of each question, a map and list of the regions leading to their
profiles, then any ad-hoc runs), ``reports/sources.html`` (``sources_page``) and ``reports/metrics.csv`` (the
headline figures every report recorded)."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from markupsafe import Markup

from helpers.config import paths
from helpers.data.atomic import atomic_path, write_text_atomic
from helpers.findings import wording
from helpers.findings.model import CSV_COLUMNS
from helpers.site.config import ReportRun, config_path
from helpers.site.dates import now, plain_date, plain_duration, plain_time
from helpers.site.landing import QUESTIONS, read_rows, render_findings, vintages
from helpers.site.sources_page import PAGE, write_sources_page
from helpers.site.state import code_hash, failed_path, html_path, read_state

GLOSSARY = "glossary.html"
SITE_FILES = ("index.html", "metrics.csv", "findings.csv", PAGE, GLOSSARY)  # in reports/
METRICS_COLUMNS = ["report", "id", "value", "unit", "description", "source_ids"]
PROFILE_REPORT = "profile"

__all__ = ["site_is_up_to_date", "write_index", "write_metrics", "write_sources_page", "plain_date", "plain_duration"]


def site_key() -> str:
    """The content hash of what the site files are built from: every state file, ``reports.yml``, the manifest and
    its lock, and the package's code and templates."""
    from helpers.data.sources import lock_path

    digest = hashlib.sha256(code_hash().encode())
    for file in [*sorted((paths().reports / "_state").glob("*.json")), config_path(), paths().manifest, lock_path()]:
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def site_key_path() -> Path:
    return paths().reports / "_state" / "site.key"


def site_is_up_to_date() -> bool:
    """Whether every site file exists and was written from what is there now (``site_key``). The runner skips
    rewriting them when no report ran and this holds; otherwise it writes them all, then the key."""
    if not all((paths().reports / name).exists() for name in SITE_FILES):
        return False
    try:
        return site_key_path().read_text(encoding="utf-8") == site_key()
    except OSError:
        return False


def mark_site_written() -> None:
    write_text_atomic(site_key_path(), site_key())


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


def search_index(pages: set[str]) -> Markup:
    """The landing page's search index (JSON for a ``<script type="application/json">``): every name the area
    resolver knows (``helpers.data.areas.search_entries``) as [name, code, level, profile page, own page exists]. An
    area whose own profile is not rendered here (``make report`` renders the regions; ``make report-all`` every area)
    links to its region's profile (to the page ``make report-all`` writes when that is not built either)."""
    import json

    from helpers import regions
    from helpers.data import areas

    rows = []
    for entry in areas.search_entries():
        page = f"{PROFILE_REPORT}--{entry['area']}.html"
        exists = page in pages
        region_page = f"{PROFILE_REPORT}--{regions.parent_itl1(entry['area'])}.html"
        if not exists and region_page in pages:
            page = region_page
        rows.append([entry["name"], entry["code"], entry["level"], page, int(exists)])
    return Markup(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"))


def write_index(runs: list[ReportRun]) -> None:
    """``reports/index.html``: the findings (figures from ``reports/metrics.csv``, so write that first), the
    reports of each question with status, run date and duration, the regions (map and list, with the ITL2/ITL3
    profiles under their region), and the other runs."""
    from helpers.site.regionmap import itl1_map_svg
    from helpers.site.render import template  # imports pandas (through helpers.show.outputs): only when writing

    rows = [_row(run) for run in runs]
    pages = {f"{row['run'].name}.html" for row in rows if row["html_exists"]}
    findings = render_findings(read_rows(paths().reports / "metrics.csv"), read_rows(paths().reports / "findings.csv"),
                               pages)
    for finding in findings:
        finding["vintages"] = vintages(finding.pop("sources"))
    question_of = {rid: q.number for q in QUESTIONS for rid in q.report_ids}
    adhoc = [r for r in rows if r["run"].kind == "ad-hoc"]  # listed in their own section, never as a question's
    rows = [r for r in rows if r["run"].kind != "ad-hoc"]
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
        findings=findings, regions=regions, others=others, adhoc=adhoc, profile_failures=profile_failures,
        profiles_ok=sum(r["status"] == "ok" for r in profiles), profiles_total=len(profiles),
        region_map=itl1_map_svg(regions), generated=plain_time(now()), changes=changes_section(),
        search=search_index(pages), rule=wording.line("common", "verdict_rule"),
    )
    write_text_atomic(paths().reports / "index.html", html)


def write_glossary() -> None:
    """``reports/glossary.html``: the terms the reports use (``helpers.site.glossary``: ITL, GVA, prices, LQ, HHI,
    Gini, Theil, BRES, CAGR), the verdict rule and the materiality band."""
    from helpers.site.glossary import entries
    from helpers.site.render import template

    write_text_atomic(paths().reports / GLOSSARY, template("glossary.html.j2").render(entries=entries()))


def write_metrics(runs: list[ReportRun]) -> None:
    """``reports/metrics.csv`` (the headline figures every report recorded: report, id, value, unit, ...) and
    ``reports/findings.csv`` (one row per finding, owned by the first report in ``runs`` that states it)."""
    rows = [{"report": run.name, **metric} for run in runs for metric in read_state(run.name).get("metrics", [])]
    _write_csv("metrics.csv", METRICS_COLUMNS, rows)
    found: dict[str, dict] = {}
    for run in runs:
        for finding in read_state(run.name).get("findings", []):
            found.setdefault(finding["id"], {**finding, "report": run.name})
    published = paths().reports / "findings.csv"
    text = _csv_text(CSV_COLUMNS, list(found.values()))
    if published.is_file() and published.read_text(encoding="utf-8") != text:
        # the findings as last published, kept until they change again: the landing page says what moved
        write_text_atomic(previous_findings_path(), published.read_text(encoding="utf-8"))
    with atomic_path(published) as tmp:
        tmp.write_text(text, encoding="utf-8")


def previous_findings_path() -> Path:
    """``findings.csv`` as it was before the findings last changed (kept in ``reports/_state``)."""
    return paths().reports / "_state" / "findings-previous.csv"


def changes_section() -> str:
    """The landing page's "What changed" section (HTML): the findings whose estimate left its previous interval or
    whose verdict changed when the findings last changed; empty when they never changed here."""
    from helpers.safe_text import markdown_html
    from helpers.site.changes import changed_findings, changes_markdown, read_findings

    if not previous_findings_path().is_file():
        return ""
    now = read_findings(paths().reports / "findings.csv")
    table = changed_findings(read_findings(previous_findings_path()), now)
    return markdown_html(changes_markdown(table, compared=len(now)))


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _write_csv(name: str, columns: list[str], rows: list[dict]) -> None:
    with atomic_path(paths().reports / name) as tmp:
        tmp.write_text(_csv_text(columns, rows), encoding="utf-8")
