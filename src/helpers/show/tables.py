"""Tables for readers: one formatter used by every notebook. Column labels in words with units (a registry of
recurring columns, ``frame.attrs["labels"]`` set by an analysis function, or ``columns=`` in the call), numbers
formatted by kind (counts as integers with thousands separators, years as integers, money with its unit, p-values,
shares and rates to a fixed precision), text left and numbers right, one header row (the index becomes ordinary
columns), ITL codes replaced by region names once, and wide tables scrolling inside their own box.

``Table`` renders to deterministic HTML (no random ids) and carries the data it shows as a CSV download
(``helpers.show.outputs``), so the report offers "Download the data (CSV)" under every table."""

from __future__ import annotations

import html
import math
import numbers
import re

import numpy as np
import pandas as pd

from helpers import regions
from helpers.findings import numbers as numbers_module
from helpers.findings.numbers import fmt
from helpers.show.outputs import bundle, slug

# Recurring columns: name -> (label with unit, kind). Kinds: count, year, number, percent, p, money, pounds (whole
# pounds, the unit in the label), ratio (2 decimals or more), rate (growth, 1 decimal or more), text, source (manifest ids).
LABELS: dict[str, tuple[str, str]] = {
    "region_code": ("Region", "text"), "itl1_code": ("Region", "text"), "itl2_code": ("Area", "text"),
    "region": ("Region", "text"), "region_name": ("Region", "text"), "industry_code": ("Industry code", "text"),
    "industry": ("Industry", "text"), "section": ("Section", "text"), "indicator": ("Indicator", "text"),
    "label": ("Indicator", "text"), "unit": ("Unit", "text"), "period": ("Period", "text"),
    "sources": ("Sources", "text"), "source_ids": ("Sources", "text"), "source_id": ("Source", "text"),
    "id": ("Metric id", "text"), "value": ("Value", "number"), "description": ("Description", "text"),
    "claim": ("Claim", "text"), "claimant": ("Claimant", "text"), "claim_date": ("Claim date", "text"),
    "verdict": ("Verdict", "text"), "evidence": ("Evidence", "text"), "rule": ("Rule", "text"),
    "sensitivity": ("Sensitivity", "text"), "caveat": ("Caveat", "text"), "vintages": ("Data vintages", "text"),
    "quote": ("Quote", "text"), "document": ("Document", "text"), "document_date": ("Document date", "text"),
    "zone": ("AI Growth Zone", "text"), "status": ("Status", "text"), "basis": ("Basis", "text"),
    "announced_investment": ("Announced investment", "text"), "announced_jobs": ("Announced jobs", "text"),
    "targeted_funding_gbp": ("Targeted funding", "money"), "finding": ("Finding", "text"),
    "population": ("Population", "count"), "employees": ("Full-time employees", "count"),
    "gva_per_head": ("GVA per head, £", "count"), "gva_per_hour_uk100": ("GVA per hour, UK = 100", "number"),
    "ict_share_pct": ("ICT share of GVA, %", "percent"), "ai_orgs_per_100k": ("AI organisations per 100,000 people", "number"),
    "share_pct": ("Share, %", "percent"), "location_quotient": ("Location quotient", "ratio"),
    "uk_median": ("UK median (of 12 regions)", "number"), "rank_of_12": ("Rank of 12 (1 = highest)", "count"),
    "rank": ("Rank", "count"), "cagr_pct": ("CAGR, % a year", "percent"), "growth_pct": ("Growth, %", "percent"),
    "cagr_gap_pp": ("CAGR gap, points a year", "percent"), "first_year": ("First year", "year"),
    "last_year": ("Last year", "year"), "start_year": ("From", "year"), "end_year": ("To", "year"),
    "year": ("Year", "year"), "n_years": ("Years", "count"), "n": ("Observations", "count"),
    "p": ("p-value", "p"), "p_value": ("p-value", "p"), "slope_p": ("p-value of slope", "p"),
    "kendall_p": ("Mann-Kendall p-value", "p"), "ols_p": ("OLS p-value", "p"), "mk_p": ("Mann-Kendall p-value", "p"),
    "kendall_tau": ("Kendall's tau", "ratio"), "r2": ("R²", "ratio"), "se": ("Standard error", "ratio"),
    "robust_se": ("Robust standard error", "ratio"), "coefficient": ("Coefficient", "ratio"), "beta": ("Beta", "ratio"),
    "slope_per_year": ("Slope a year", "ratio"), "slope_se": ("Standard error of slope", "ratio"),
    "ols_lags": ("HAC lags", "count"), "reversal": ("Reversed next year", "text"), "measure": ("Measure", "text"),
    "of": ("Out of", "count"), "wm_growth": ("West Midlands growth", "number"), "leader": ("Fastest region", "text"),
    "ict_sic_58_63": ("ICT (SIC 58-63), employment", "count"), "dcms_digital": ("DCMS digital sector, employment", "count"),
    "provisional": ("Provisional", "text"), "city": ("City", "text"),
}
REGION_COLUMNS = ("region_code", "itl1_code", "itl2_code")
_UNITS = {"pct": "%", "pp": "points", "gbp": "£", "uk100": "UK = 100"}
VERDICT = "Verdict"  # the label of a verdict column
LONG_TEXT = 40  # characters: a text column whose typical cell is longer gets room to wrap (class rd-long)
NUMERIC_KINDS = {"count", "year", "number", "percent", "p", "money", "pounds", "ratio", "rate"}
_WORDS = {"pct": "%", "pp": "points", "gbp": "£", "uk": "UK", "gb": "GB", "gva": "GVA", "ict": "ICT", "ai": "AI",
          "cagr": "CAGR", "lq": "LQ", "hhi": "HHI", "itl1": "ITL1", "itl2": "ITL2", "gse": "Greater South East",
          "mk": "Mann-Kendall", "ols": "OLS", "hac": "HAC", "cv": "CV", "uk100": "UK = 100", "100k": "100,000",
          "vc": "venture capital", "berd": "business R&D", "rd": "R&D", "ft": "full-time", "sic": "SIC"}


def label(column, labels: dict | None = None) -> str:
    """The reader's label of ``column``: from ``labels``, the registry, or its code name in words."""
    if isinstance(column, tuple):
        return ", ".join(label(part, labels) for part in column if str(part) != "")
    if labels and column in labels:
        return str(labels[column])
    if column in LABELS:
        return LABELS[column][0]
    if not isinstance(column, str) or "_" not in column and column.lower() not in _WORDS:
        text = str(column)
        return text[0].upper() + text[1:] if text[:1].islower() else text
    tokens = column.split("_")
    unit = _UNITS.get(tokens[-1].lower()) if len(tokens) > 1 else None
    words = [_WORDS.get(w.lower(), w) for w in (tokens[:-1] if unit else tokens)]
    text = " ".join(words) + (f", {unit}" if unit else "")
    return text[0].upper() + text[1:]


_RATIO = re.compile(r"(^|[^a-z])(lq|location quotient|ratio|theil|gini|hhi|herfindahl|slope|coefficient|beta|tau|r2|r²|"
                    r"standard error|se|elasticity|index)([^a-z]|$)")
_RATE = re.compile(r"cagr|growth|% a year|a year|per year|change|gap|revision")
_COUNT = re.compile(r"(^|[^a-z])(employees|employment|jobs|population|persons|people|count|counts|regions|areas|claims|"
                    r"firms|companies|organisations|observations|flags|years|lags)$")


def numeric_part(values: pd.Series) -> pd.Series:
    """The numbers of a column as floats: all of a numeric column, the real numbers among an object column's values."""
    if pd.api.types.is_bool_dtype(values):
        return pd.Series(dtype=float)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    numbers_only = values[values.map(lambda v: isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)))]
    return numbers_only.astype(float)


def kind_of(column, values: pd.Series, shown: str | None = None) -> str:
    """How to format a column: its registered kind, else from its name, its label ``shown`` and its values
    (numbers among an object column's values count too)."""
    name = column[-1] if isinstance(column, tuple) else column
    part = numeric_part(values)
    finite = part[np.isfinite(part)]
    integral = bool(len(finite)) and bool((finite == finite.round()).all())
    if not len(part) and len(values.dropna()) and values.dropna().map(_source).notna().all():
        return "source"  # a column of manifest source ids: "publisher, release" (a column mixing ids and lists is left)
    texts = values.dropna().map(lambda v: isinstance(v, str))
    if len(texts) and texts.mean() > 0.5:
        return "text"  # mostly words ("1998-2021", "April 2024 release"): text, left-aligned and wrapping
    if name in LABELS:
        kind = LABELS[name][1]
        return "count" if kind in ("number", "percent") and pd.api.types.is_integer_dtype(values) else kind
    if not len(part):
        return "text"
    whole_dtype = pd.api.types.is_integer_dtype(values) or (values.dtype == object and integral and
                                                            values.map(lambda v: isinstance(v, numbers.Integral)).any())
    return _kind_from_text(f"{name} | {shown or ''}".lower(), finite, integral, whole_dtype)


def _kind_from_text(text: str, finite: pd.Series, integral: bool, whole_dtype: bool) -> str:
    """The kind of a numeric column from its name and label (``text``) and what its values are."""
    if re.search(r"(^|[_ ])(year|from|to)( \||$)", text) and integral and finite.between(1800, 2100).all():
        return "year"
    if re.search(r"(^|[_ ])p([_ ]?value)?( \||$|,)|p-value", text):
        return "p"
    if re.search(r"£|_gbp", text) and not re.search(r"£\s?(k|m|bn|thousand|million|billion)\b", text):
        return "pounds" if re.search(r"per (head|person|worker|job|hour|.*employee)", text) else "money"
    if whole_dtype:
        return "count"
    level = re.search(r"index|= 100", text) and finite.abs().median() >= 10  # an index like UK = 100 is a level
    if _RATIO.search(text) and not level:
        return "ratio"
    if re.search(r"rank", text) or integral or _COUNT.search(text.split(" |")[0]) or _COUNT.search(text):
        return "count"
    return "rate" if _RATE.search(text) else "number"


def decimals(kind: str, values: pd.Series, precision: int) -> int:
    """Decimals of a column of ``kind``: ``precision``, but never fewer than small values need to keep their
    information: 2 significant digits for a typical |x| < 10, 1 decimal below 100, 2 for ratios, 1 for rates."""
    if kind not in ("number", "percent", "ratio", "rate"):
        return precision
    part = numeric_part(values)
    size = part[np.isfinite(part) & (part != 0)].abs()
    need = {"ratio": 2, "rate": 1}.get(kind, 0)
    if len(size) and not (size == size.round()).all():
        typical = float(size.median())
        if typical < 10:
            need = max(need, 1 - math.floor(math.log10(typical)))
        if typical < 100:
            need = max(need, 1)
    return max(precision, min(need, 4))


def cell(value, kind: str, precision: int = 1) -> str:
    """One value formatted by ``kind`` (``precision``: its decimals, see ``decimals``) with the one number formatter
    (``helpers.findings.numbers.fmt``: missing values as an en dash, no "-0.0", small values keep 2 significant
    digits); code values (price bases, manifest source ids) in words."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if numbers_module.is_missing(value) and not isinstance(value, str):
        return numbers_module.MISSING
    if kind in ("text", "source") or not isinstance(value, numbers.Real):
        return words(value, kind)
    kinds = {"count": "count", "pounds": "count", "year": "year", "p": "p", "money": "money", "ratio": "ratio"}
    return fmt(value, kinds.get(kind, "number"), precision)


PRICE_BASES = {"current_prices": "current prices", "chained_volume": "chained volume (2019 money value)"}


def _source(value):
    """The manifest entry whose id is exactly ``value``, else None."""
    if not (isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", value)):
        return None
    from helpers.data import sources

    try:
        return sources.load_manifest().get(value)
    except Exception:  # no manifest (a bare checkout): keep the id
        return None


def words(value, kind: str = "text") -> str:
    """A text cell for readers: price-basis codes in words; in a column of source ids, "publisher, release"."""
    text = str(value)
    source = _source(text) if kind == "source" else None
    if source is not None:
        return source.release if source.release.startswith(source.publisher) else f"{source.publisher}, {source.release}"
    return PRICE_BASES.get(text, text)


def _is_code(value) -> bool:
    return isinstance(value, str) and (value in ("UK", "GB") or value in regions.itl1().index or value in regions.itl2().index)


def _name(code) -> str:
    return {"UK": "United Kingdom", "GB": "Great Britain"}.get(code) or regions.region_name(code)


def tidy(frame: pd.DataFrame | pd.Series, columns: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """The frame as it is shown: index turned into ordinary columns (a default index dropped), region codes
    replaced by names once (a region-name column beside them dropped), column levels joined into one header.
    Returns the frame (values unformatted) and the kind of each of its columns."""
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    labels = {**frame.attrs.get("labels", {}), **(columns or {})}
    shown = frame.copy()
    if isinstance(shown.columns, pd.MultiIndex) or any(isinstance(c, tuple) for c in shown.columns):
        shown.columns = [label(c, labels) for c in shown.columns]
    code_names = shown.index.name is None and all(isinstance(v, str) and re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", v)
                                                  for v in shown.index)  # identifiers, not for readers
    keep_index = not ((isinstance(shown.index, pd.RangeIndex) and shown.index.name is None) or code_names)
    if keep_index:
        names = [n if n is not None else ("region_code" if all(map(_is_code, shown.index)) else "") for n in shown.index.names]
        shown.index.names = names
        shown = shown.reset_index()
    kinds = {}
    for column in list(shown.columns):
        if column in REGION_COLUMNS or (column == "" and shown[column].map(_is_code).all()):
            if shown[column].map(_is_code).all():
                shown[column] = shown[column].map(_name)
                for twin in ("region", "region_name", "name"):
                    if twin in shown.columns and twin != column:
                        shown = shown.drop(columns=twin)
                kinds[column] = "text"
    out = pd.DataFrame({label(c, labels) if c != "" else "": shown[c] for c in shown.columns})
    out.attrs = {}
    kinds = {label(c, labels) if c != "" else "": kinds.get(c) or kind_of(c, shown[c], label(c, labels) if c != "" else "")
             for c in shown.columns}
    return out, kinds


def table_html(frame, *, precision: int = 1, columns: dict | None = None, title: str = "", anchor: str = "") -> str:
    """The reader's table as HTML: one header row, text left and numbers right (inline styles, so JupyterLab
    shows them too), inside a box that scrolls sideways on a narrow screen. ``frame.attrs["decimals"]`` ({column:
    decimals}) fixes a column's decimals, so that it reads the same on every page whatever its values;
    ``frame.attrs["row_formats"]`` ({column: [(kind, decimals) per row]}) formats a column row by row (a column of
    figures in different units, ``headline_frame``); ``frame.attrs["format_like"]`` ({column: other column}) shows a
    column with the kind and decimals of another (a median with the precision of the values it summarises);
    ``frame.attrs["links"]`` ({column: [address per row]}) makes a column's cells links (an article's publisher and
    date to the article: ``linked``)."""
    labels = {**frame.attrs.get("labels", {}), **(columns or {})}
    fixed = {label(c, labels): n for c, n in frame.attrs.get("decimals", {}).items()}
    hrefs = link_columns(frame, labels)
    by_row = {label(c, labels): formats for c, formats in frame.attrs.get("row_formats", {}).items()}
    shown, kinds = tidy(frame, columns)
    like = {label(c, labels): label(other, labels) for c, other in frame.attrs.get("format_like", {}).items()}
    kinds.update({c: kinds[other] for c, other in like.items()})
    if VERDICT in shown.columns:  # the column that matters first: it stays in view (sticky) when the table scrolls
        shown = shown[[VERDICT, *[c for c in shown.columns if c != VERDICT]]]
    align = {c: "right" if kinds[c] in NUMERIC_KINDS else "left" for c in shown.columns}
    long = {c for c in shown.columns if align[c] == "left" and shown[c].astype(str).str.len().median() > LONG_TEXT}

    def th(c):
        return f'<th scope="col" class="rd-{align[c]}" style="text-align:{align[c]}">{html.escape(str(c))}</th>'

    places = {c: fixed.get(c, decimals(kinds[c], shown[c], precision)) for c in shown.columns}
    for c, other in like.items():
        places[c] = places[other]
    row_ids = frame.attrs.get("row_ids") or [None] * len(shown)
    rows = []
    for number, values in enumerate(shown.itertuples(index=False)):
        formats = {c: by_row[c][number] if c in by_row else (kinds[c], places[c]) for c in shown.columns}
        tds = "".join(f'<td class="rd-{align[c]}{" rd-long" if c in long else ""}" style="text-align:{align[c]}">'
                      f'{linked(html.escape(cell(v, *formats[c])), hrefs[c][number] if c in hrefs else None)}</td>'
                      for c, v in zip(shown.columns, values))
        ident = f' id="{html.escape(row_ids[number])}"' if row_ids[number] else ""
        rows.append(f"<tr{ident}>{tds}</tr>")
    ident = f' id="{html.escape(anchor)}"' if anchor else ""
    name = html.escape(title or anchor or "table", quote=True)  # a scrolling box must be reachable by keyboard (axe)
    # the title sits outside the scroll box (it stays in view when the table scrolls) and names the table for
    # screen readers; the hint shows only when the table is wider than its box (the report page marks it)
    heading = f'<p class="rd-table-title">{html.escape(title)}</p>' if title else ""
    return (f'{heading}<p class="rd-scroll-hint" aria-hidden="true">Scroll sideways for more columns &rarr;</p>'
            f'<div class="rd-table-scroll" tabindex="0" role="region" aria-label="{name}" style="overflow-x:auto;max-width:100%">'
            f'<table class="rd-table"{ident} aria-label="{name}">'
            f'<thead><tr>{"".join(th(c) for c in shown.columns)}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def csv_of(frame, columns: dict | None = None) -> str:
    """The data of a shown table as CSV: the same rows and labelled columns, values unformatted, and the address
    of each linked column's cells beside it (``with_addresses``)."""
    shown, _ = tidy(frame, columns)
    labels = {**frame.attrs.get("labels", {}), **(columns or {})}
    return with_addresses(shown, link_columns(frame, labels)).to_csv(index=False, lineterminator="\n")


def link_columns(frame, labels: dict | None = None) -> dict[str, list]:
    """``frame.attrs["links"]`` by the columns' labels: {label: [address or None, one per row]}."""
    return {label(c, labels): list(addresses) for c, addresses in frame.attrs.get("links", {}).items()}


def linked(text_html: str, address) -> str:
    """A cell's HTML as a link to ``address`` when it is an http(s) address (anything else leaves it as text)."""
    if not isinstance(address, str) or not re.match(r"https?://[^\s\"'<>]+$", address):
        return text_html
    return f'<a href="{html.escape(address)}">{text_html}</a>'


def with_addresses(shown: pd.DataFrame, links: dict[str, list]) -> pd.DataFrame:
    """``shown`` with, after each linked column, its addresses as a column "<label>, address" (for the CSV)."""
    out = shown.copy()
    for column, addresses in links.items():
        if column in out.columns:
            out.insert(out.columns.get_loc(column) + 1, f"{column}, address",
                       [a if isinstance(a, str) else "" for a in addresses])
    return out


_COUNT_UNITS = re.compile(r"^(persons|claims|indicators|regions of \d+|of \d+ specifications|verdict|in the ranking|rank)\b")


def metric_format(value, unit: str) -> tuple[str, int]:
    """(kind, decimals) of a headline figure by its unit: counts, ranks (and verdict codes) whole, a year as a year,
    p-values as p-values, and other figures to three significant digits (one decimal at least; four at most)."""
    if _COUNT_UNITS.match(unit):
        return "count", 0
    if unit == "year":
        return "year", 0
    if unit == "p-value":
        return "p", 3
    size = abs(float(value)) if isinstance(value, numbers.Real) and value == value else 0.0
    return "number", 1 if size == 0 else max(1, min(4, 2 - math.floor(math.log10(size))))


class Table:
    """A formatted table (``table_html``) with its anchor and CSV; displays itself in a notebook."""

    def __init__(self, frame, *, title: str = "", precision: int = 1, columns: dict | None = None,
                 anchor: str | None = None):
        self.frame, self.title, self.precision, self.columns = frame, title, precision, columns
        self.anchor = anchor or slug(title or "table " + " ".join(map(str, tidy(frame, columns)[0].columns[:3])))

    def html(self) -> str:
        return table_html(self.frame, precision=self.precision, columns=self.columns, title=self.title)

    def value_columns(self) -> list[str]:
        """The labels (with their units) of the columns holding numbers, years apart: what the table measures."""
        shown, kinds = tidy(self.frame, self.columns)
        return [str(c) for c in shown.columns if kinds[c] in NUMERIC_KINDS - {"year"}]

    def _repr_mimebundle_(self, include=None, exclude=None):
        return bundle(self.html(), anchor=self.anchor, title=self.title or self.anchor, kind="table",
                      csv=csv_of(self.frame, self.columns), sources=self.frame.attrs.get("source_ids", []),
                      units=self.value_columns())


def table(frame, precision: int = 1, *, title: str = "", columns: dict | None = None, anchor: str | None = None) -> Table:
    """The reader's table of ``frame`` (see ``helpers.show.tables``): shown when it is a cell's last expression."""
    return Table(frame, title=title, precision=precision, columns=columns, anchor=anchor)


def show_table(frame, precision: int = 1, *, title: str = "", columns: dict | None = None,
               anchor: str | None = None) -> None:
    """Display the reader's table of ``frame`` now (for cells that show more than one output)."""
    from IPython.display import display

    display(table(frame, precision, title=title, columns=columns, anchor=anchor))
