"""The findings the landing page opens with: for each of the four questions, one or two sentences whose figures are
read from ``reports/metrics.csv``.

``QUESTIONS`` is the one place the sentences live: a template with ``{name}`` placeholders and, for each name, the
metric id it shows and how to write it (``FORMATS``). A metric that is missing (a report failed before recording
it, or an id was renamed) is written "figure not available"; the page never fails on it. Each figure links to the
report that recorded it, and the finding lists the releases of the sources behind its figures (``source_ids`` of
the metric, looked up in the manifest).

Verdicts are metrics too (``verdict_<finding>``: 2 robust, 1 sensitive, 0 does not hold, recorded from each report's
"What holds up" table): written as words, followed by what the finding depends on (``Question.reasons``) when it is
not robust. A few figures are derived from two metrics (``Question.derived``)."""

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
    reasons: dict[str, str] = field(default_factory=dict)  # verdict figure -> why, shown when it is not "robust"
    derived: dict[str, tuple[str, tuple[str, ...], object]] = field(default_factory=dict)  # name -> (format, ids, f)


VERDICTS = {2: "robust", 1: "sensitive", 0: "does not hold"}  # the verdict_* metrics (robustness.VERDICTS)


FORMATS = {
    "pct1": lambda v: f"{v:.1f}%",
    "pct0": lambda v: f"{v:.0f}%",
    "pp_signed2": lambda v: f"{v:+.2f} percentage points".replace("-", "\u2212"),
    "num2": lambda v: f"{v:.2f}".replace("-", "\u2212"),
    "num3": lambda v: f"{v:.3f}".replace("-", "\u2212"),
    "int": lambda v: f"{round(v):,}",
    "of12": lambda v: f"{round(v)} of the 12",
    "pct0_signed": lambda v: f"{v:+.0f}%".replace("-", "\u2212"),
    "pp_signed1": lambda v: f"{v:+.1f} points".replace("-", "\u2212"),
    "year": lambda v: f"{round(v)}",
    "verdict": lambda v: VERDICTS[round(v)],
    "p": lambda v: "p < 0.001" if v < 0.001 else f"p = {v:.2f}" if v >= 0.01 else f"p = {v:.3f}",
}

QUESTIONS: list[Question] = [
    Question(
        1, "Is ICT outgrowing finance?", ("ict-vs-finance",),
        "In real terms (chained volume), ICT as a whole (SIC J) grew {j_cv} a year from 1998 to 2021, against {k_cv} "
        "for finance (SIC K): \u201cICT outgrew finance\u201d is {v_j_cv} in real terms. In current prices ICT grew "
        "{j_cp} a year, against {k_cp} ({v_j_cp}). Telecoms (SIC 61), whose prices fell fast, made up {tel} of ICT's "
        "real growth ({v_tel}). Leaving telecoms out, ICT grew {jx_cv} a year in real terms ({v_jx_cv}) and {jx_cp} "
        "in current prices ({v_jx_cp}).",
        {"j_cv": ("uk_J_cagr_chained_volume", "pct1"), "k_cv": ("uk_K_cagr_chained_volume", "pct1"),
         "j_cp": ("uk_J_cagr_current_prices", "pct1"), "k_cp": ("uk_K_cagr_current_prices", "pct1"),
         "v_j_cv": ("verdict_J_outgrew_K_chained_volume", "verdict"),
         "v_j_cp": ("verdict_J_outgrew_K_current_prices", "verdict"),
         "tel": ("uk_telecoms_share_of_J_real_growth", "pct0"),
         "v_tel": ("verdict_telecoms_most_of_J_real_growth", "verdict"),
         "jx_cv": ("uk_J_excl_61_cagr_chained_volume", "pct1"), "jx_cp": ("uk_J_excl_61_cagr_current_prices", "pct1"),
         "v_jx_cv": ("verdict_J_excl_61_outgrew_K_chained_volume", "verdict"),
         "v_jx_cp": ("verdict_J_excl_61_outgrew_K_current_prices", "verdict"),
         "jx_recent": ("uk_J_excl_61_cagr_chained_volume_recent", "pct1"),
         "k_recent": ("uk_K_cagr_chained_volume_recent", "pct1")},
        reasons={"v_j_cp": "ICT grew no faster than finance in cash",
                 "v_jx_cv": "it reverses over 2016-2021, {jx_recent} a year against {k_recent} for finance",
                 "v_jx_cp": "a gap this small counts as about the same"},
    ),
    Question(
        2, "How concentrated are tech and AI?", ("concentration", "ai-ecosystem"),
        "London produced {ict_share} of the UK's ICT output (GVA) in 2022, and London with the South East and the "
        "East {gse_share}. London's share rose by {share_change} from 1998 to 2022 ({trend} a year; {v_share}), and "
        "{chg_2022} of that rise is in 2022, a first estimate. Its location quotient for ICT went from {lq_1998} in "
        "1998 to {lq_2022} in 2022 ({v_lq}). London holds {jobs_share} of GB ICT jobs (2021, provisional), more than its "
        "share of all jobs ({v_jobs}), and {ai_share} of the UK's AI organisations (2023), more than its share of "
        "population ({v_ai}).",
        {"ict_share": ("london_share_ict_gva_2022", "pct1"), "gse_share": ("gse_share_ict_gva_2022", "pct1"),
         "share_change": ("london_share_ict_gva_change_1998_2022", "pp_signed1"),
         "trend": ("london_share_trend_ict_gva", "pp_signed2"),
         "v_share": ("verdict_london_share_ict_gva_rose", "verdict"),
         "total_change": ("london_share_total_gva_change_1998_2022", "pp_signed1"),
         "chg_2022": ("london_share_ict_gva_change_2021_2022", "pp_signed1"),
         "lq_1998": ("london_lq_ict_gva_1998", "num2"), "lq_2022": ("london_lq_ict_gva_2022", "num2"),
         "v_lq": ("verdict_london_lq_ict_gva_fell", "verdict"), "lq_p": ("london_lq_trend_p_ict_gva", "p"),
         "lq_min": ("london_lq_ict_gva_min", "num2"), "lq_min_year": ("london_lq_ict_gva_min_year", "year"),
         "jobs_share": ("london_share_ict_employment_2021", "pct0"),
         "v_jobs": ("verdict_london_lq_ict_employment_above_1", "verdict"),
         "ai_share": ("london_share_ai_organisations_2023", "pct0"),
         "v_ai": ("verdict_london_share_ai_organisations_above_population", "verdict")},
        reasons={"v_share": "London's share of all GVA rose by {total_change}, so this is a whole-economy effect",
                 "v_lq": "the fall is not a significant trend, {lq_p}; the LQ bottomed at {lq_min} in {lq_min_year} "
                         "and has risen since"},
    ),
    Question(
        3, "Does ICT growth go with productivity growth outside London?", ("productivity",),
        "Across the 36 ITL2 areas outside London, there is no evidence that a larger ICT share goes with faster "
        "productivity growth once the price effect is removed: in current prices, growth of GVA per hour from 2004 "
        "to 2021 changes by {share_coef_nom} points a year per point of 2004 ICT share ({share_p_nom}). The real-terms link "
        "({share_coef} points, {share_p}) comes from ICT's fast-falling prices ({v_share}). Nor did poorer areas "
        "catch up: the convergence coefficient is {beta} ({beta_p}; catching up would make it negative; convergence "
        "{v_beta}).",
        {"share_coef": ("ict_share_coefficient_without_london", "num3"),
         "share_p": ("ict_share_p_without_london", "p"),
         "share_coef_nom": ("ict_share_coefficient_without_london_nominal", "num3"),
         "share_p_nom": ("ict_share_p_without_london_nominal", "p"),
         "v_share": ("verdict_ict_share_productivity_without_london", "verdict"),
         "beta": ("beta_without_london_per_hour_2004_2021", "num2"),
         "beta_p": ("beta_p_without_london_per_hour_2004_2021", "p"),
         "v_beta": ("verdict_beta_convergence_without_london", "verdict")},
        reasons={"v_share": "a link between ICT and productivity has to hold in current prices"},
    ),
    Question(
        4, "Do the claims hold, and how does each area compare?", ("claims-check", "profile"),
        "Of the claims checked in the articles and the policy paper, {supported} are supported by the open data, "
        "{partly} partly supported, {not_supported} not supported and {not_checkable} cannot be checked with open "
        "data. UK AI job postings on Indeed were up {ai_postings} in June 2025 (the date of the claim) on June 2024: "
        "that is Indeed's AI share of postings (up {ai_share}) times its index of all postings, which changed by "
        "{all_postings} over the same year. Every region has a profile: pick yours on the map or in the list below.",
        {"supported": ("claims_supported", "int"), "partly": ("claims_partly_supported", "int"),
         "not_supported": ("claims_not_supported", "int"),
         "not_checkable": ("claims_not_checkable_with_open_data", "int"),
         "ai_postings": ("uk_ai_postings_change_2025_06", "pct0"),
         "ai_share": ("uk_ai_share_change_2025_06", "pct0")},
        derived={"all_postings": ("pct0_signed", ("uk_ai_postings_change_2025_06", "uk_ai_share_change_2025_06"),
                                  lambda postings, share: ((1 + postings / 100) / (1 + share / 100) - 1) * 100)},
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


def _figure(row: dict | None, kind: str, pages: set[str], value: float | None = None) -> tuple[Markup, list[str]]:
    """A figure as HTML (linked to its report when that page exists) and its source ids; ``value`` replaces the
    row's own (a figure derived from metrics)."""
    try:
        value = (float(row["value"]) if row else math.nan) if value is None else value
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


def _derived(rows: list[dict], ids: tuple[str, ...], function, kind: str, report_ids, pages) -> tuple[Markup, list[str]]:
    """A figure computed from several metrics (linked to the first), with the sources of all of them."""
    found = [_lookup(rows, metric_id, report_ids) for metric_id in ids]
    try:
        value = float(function(*(float(r["value"]) for r in found)))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return _figure(None, kind, pages)
    figure, _ = _figure(found[0], kind, pages, value)
    return figure, [i for r in found for i in (r.get("source_ids") or "").replace(";", " ").split()]


def _with_reason(figure: Markup, row: dict | None, reason: str, values: dict) -> Markup:
    """A verdict figure followed by what it depends on, when it is not "robust" (a missing verdict: no reason)."""
    try:
        robust = round(float(row["value"])) == 2
    except (KeyError, TypeError, ValueError):
        return figure
    return figure if robust else figure + Markup(": ") + Markup(escape(reason).format(**values))


def vintages(source_ids: list[str]) -> list[dict]:
    """{id, publisher, title, release} of each source id known to the manifest, in order, once each."""
    from helpers.data.sources import load_manifest

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
        for name, (kind, metric_ids, function) in question.derived.items():
            values[name], ids = _derived(rows, metric_ids, function, kind, question.report_ids, pages)
            sources += ids
        try:
            for name, reason in question.reasons.items():
                row = _lookup(rows, question.figures[name][0], question.report_ids)
                values[name] = _with_reason(values[name], row, reason, values)
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
