"""The findings the landing page opens with: for each of the four questions, one or two sentences whose figures are
read from ``reports/metrics.csv``.

``QUESTIONS`` is the one place the sentences live: a template with ``{name}`` placeholders and, for each name, the
metric id it shows and how to write it (``FORMATS``). A metric that is missing (a report failed before recording
it, or an id was renamed) is written "figure not available"; the page never fails on it. Each figure links to the
report that recorded it, and the finding lists the releases of the sources behind its figures (``source_ids`` of
the metric, looked up in the manifest)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

NOT_AVAILABLE = "figure not available"


@dataclass(frozen=True)
class Question:
    number: int
    heading: str
    report_ids: tuple[str, ...]  # the reports.yml ids listed under this question
    template: str  # sentences with {name} placeholders
    figures: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (metric id, format in FORMATS)


FORMATS = {
    "pct1": lambda v: f"{v:.1f}%",
    "pct0": lambda v: f"{v:.0f}%",
    "pp_signed2": lambda v: f"{v:+.2f} percentage points".replace("-", "\u2212"),
    "num2": lambda v: f"{v:.2f}".replace("-", "\u2212"),
    "num3": lambda v: f"{v:.3f}".replace("-", "\u2212"),
    "int": lambda v: f"{round(v):,}",
    "of12": lambda v: f"{round(v)} of the 12",
    "p": lambda v: "p < 0.001" if v < 0.001 else f"p = {v:.2f}" if v >= 0.01 else f"p = {v:.3f}",
}

QUESTIONS: list[Question] = [
    Question(
        1, "Is ICT outgrowing finance?", ("ict-vs-finance",),
        "Leaving out telecoms (SIC 61), ICT grew {j_cv} a year in real terms (chained volume) from 1998 to 2021, "
        "against {k_cv} for finance, and {j_cp} a year in current prices, against {k_cp}. Telecoms made up {tel} "
        "of ICT's real growth; ICT without telecoms grew faster than finance in {reg_cv} regions in real terms and "
        "in {reg_cp} in current prices.",
        {"j_cv": ("uk_J_excl_61_cagr_chained_volume", "pct1"), "k_cv": ("uk_K_cagr_chained_volume", "pct1"),
         "j_cp": ("uk_J_excl_61_cagr_current_prices", "pct1"), "k_cp": ("uk_K_cagr_current_prices", "pct1"),
         "tel": ("uk_telecoms_share_of_J_real_growth", "pct0"),
         "reg_cv": ("regions_J_excl_61_faster_chained_volume", "of12"),
         "reg_cp": ("regions_J_excl_61_faster_current_prices", "of12")},
    ),
    Question(
        2, "How concentrated are tech and AI?", ("concentration", "ai-ecosystem"),
        "London produced {ict_share} of the UK's ICT output (GVA) in 2022, and London with the South East and the "
        "East {gse_share}; London's share changed by {trend} a year since 1998, while its location quotient for "
        "ICT went from {lq_1998} in 1998 to {lq_2022} in 2022. AI is more concentrated still: London holds "
        "{ai_share} of the UK's AI organisations (2023) and drew {vc_share} of venture capital (2019).",
        {"ict_share": ("london_share_ict_gva_2022", "pct1"), "gse_share": ("gse_share_ict_gva_2022", "pct1"),
         "trend": ("london_share_trend_ict_gva", "pp_signed2"), "lq_1998": ("london_lq_ict_gva_1998", "num2"),
         "lq_2022": ("london_lq_ict_gva_2022", "num2"), "ai_share": ("london_share_ai_organisations_2023", "pct0"),
         "vc_share": ("london_share_venture_capital_2019", "pct0")},
    ),
    Question(
        3, "Does ICT growth go with productivity growth outside London?", ("productivity",),
        "Across the 36 ITL2 areas outside London, areas with a larger ICT share in 2004 saw faster growth of real "
        "GVA per hour to 2021 ({share_coef} points of growth per point of ICT share, {share_p}), but not "
        "of nominal GVA per hour ({share_coef_nom}, {share_p_nom}). Productivity did not converge: the "
        "convergence coefficient is {beta} ({beta_p}; catching up would make it negative).",
        {"share_coef": ("ict_share_coefficient_without_london", "num3"),
         "share_p": ("ict_share_p_without_london", "p"),
         "share_coef_nom": ("ict_share_coefficient_without_london_nominal", "num3"),
         "share_p_nom": ("ict_share_p_without_london_nominal", "p"),
         "beta": ("beta_without_london_per_hour_2004_2021", "num2"),
         "beta_p": ("beta_p_without_london_per_hour_2004_2021", "p")},
    ),
    Question(
        4, "Do the claims hold, and how does each area compare?", ("claims-check", "profile"),
        "Of the claims checked in the articles and the policy paper, {supported} are supported by the open data, "
        "{partly} partly supported, {not_supported} not supported and {not_checkable} cannot be checked with open "
        "data. UK AI job postings on Indeed were up {ai_postings} on a year earlier in June 2025. Every region has "
        "a profile: pick yours on the map or in the list below.",
        {"supported": ("claims_supported", "int"), "partly": ("claims_partly_supported", "int"),
         "not_supported": ("claims_not_supported", "int"),
         "not_checkable": ("claims_not_checkable_with_open_data", "int"),
         "ai_postings": ("uk_ai_postings_change_2025_06", "pct0")},
    ),
]


def read_metrics(path: Path) -> list[dict]:
    """The rows of ``metrics.csv`` ([] if it is missing or unreadable)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError:
        return []


def _lookup(rows: list[dict], metric_id: str, report_ids: tuple[str, ...]) -> dict | None:
    """The first row with ``metric_id``, preferring the reports of the question (``<id>`` or ``<id>--...``)."""
    matches = [r for r in rows if r.get("id") == metric_id]
    own = [r for r in matches if r.get("report", "").split("--")[0] in report_ids]
    return (own or matches or [None])[0]


def _figure(row: dict | None, kind: str, pages: set[str]) -> tuple[Markup, list[str]]:
    """A figure as HTML (linked to its report when that page exists) and its source ids."""
    try:
        value = float(row["value"]) if row else math.nan
        text = FORMATS[kind](value) if math.isfinite(value) else None
    except (KeyError, TypeError, ValueError):
        text = None
    if text is None:
        return Markup('<span class="rd-missing">{}</span>').format(NOT_AVAILABLE), []
    page = f"{row['report']}.html"
    title = escape(row.get("description") or "")
    figure = (Markup('<a class="rd-figure" href="{}" title="{}">{}</a>').format(page, title, text) if page in pages
              else Markup('<strong class="rd-figure" title="{}">{}</strong>').format(title, text))
    return figure, (row.get("source_ids") or "").replace(";", " ").split()


def vintages(source_ids: list[str]) -> list[dict]:
    """{id, publisher, title, release} of each source id known to the manifest, in order, once each."""
    from helpers.pipeline.sources import load_manifest

    manifest, seen, found = load_manifest(), set(), []
    for source_id in source_ids:
        if source_id in manifest and source_id not in seen:
            seen.add(source_id)
            source = manifest[source_id]
            found.append({"id": source_id, "publisher": source.publisher, "title": source.title,
                          "release": source.release})
    return found


def render_findings(rows: list[dict], pages: set[str]) -> list[dict]:
    """For each question: number, heading, report_ids, the sentences as HTML (figures filled in or "figure not
    available") and the vintages of the sources behind its figures. ``pages``: the report pages that exist."""
    rendered = []
    for question in QUESTIONS:
        values, sources = {}, []
        for name, (metric_id, kind) in question.figures.items():
            values[name], ids = _figure(_lookup(rows, metric_id, question.report_ids), kind, pages)
            sources += ids
        try:
            text = Markup(escape(question.template).format(**values))
        except (KeyError, IndexError, ValueError):  # a placeholder without a figure: show the plain template
            text = Markup(escape(question.template))
        try:
            found = vintages(sources)
        except Exception:  # manifest unreadable: the sentence still shows
            found = []
        rendered.append({"number": question.number, "heading": question.heading, "report_ids": question.report_ids,
                         "text": text, "vintages": found})
    return rendered
