"""The one number formatter: every figure in a sentence, a table cell, a chart title or the landing page is written
by ``fmt`` (templates use it as filters, ``helpers.findings.wording``), so a figure reads the same everywhere.

Kinds: ``number`` (fixed decimals), ``signed`` (with its sign), ``pct`` ("4.3%"), ``pct_signed`` ("+4.3%"),
``pp`` ("+0.2 points"), ``ratio`` (two decimals), ``count`` (whole, thousands separators), ``year``, ``p``
("0.034", "<0.001": the p-value alone, for tables) and ``p_text`` ("p = 0.034", "p < 0.001": in sentences),
``money`` ("£5.0m", "£28.2bn") and ``pounds`` ("£24,530"). Rules shared by all: a missing value is "–"; no "-0.0";
a small value that would round to zero keeps up to two significant digits (no trailing zeros). The p-value rule: below 0.001 written
"< 0.001"; three decimals below 0.01 and between 0.045 and 0.055 (which side of 5% must show); two otherwise.
"""

from __future__ import annotations

import math
import numbers
import re

MISSING = "–"


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return str(value) in ("<NA>", "NaT")


def _places(value: float, places: int) -> int:
    """``places``, or more for a non-zero value that would round to zero (two significant digits, at most 6)."""
    if value and round(abs(value), places) == 0:
        return max(places, min(1 - math.floor(math.log10(abs(value))), 6))
    return places


def _fixed(value: float, places: int, sign: bool = False) -> str:
    extended = _places(value, places)
    out = f"{value:{'+' if sign else ''},.{extended}f}"
    if extended > places:  # a small value written with the digits it needs, without trailing zeros
        out = out.rstrip("0")
    if re.fullmatch(r"[-+]0(\.0*)?", out):  # no "-0.0" (and a zero carries no sign)
        out = out[1:]
    return out


def p_value(p: float) -> str:
    """The p-value alone: "<0.001", "0.034", "0.21"."""
    if p < 0.001:
        return "<0.001"
    return f"{p:.3f}" if p < 0.01 or 0.045 <= p < 0.055 else f"{p:.2f}"


def money(value: float) -> str:
    """Pounds with their unit: £5.0m, £28.2bn, £24,530."""
    sign, size = ("-" if value < 0 else ""), abs(value)
    if size >= 1e9:
        return f"{sign}£{size / 1e9:,.1f}bn"
    if size >= 1e6:
        return f"{sign}£{size / 1e6:,.1f}m"
    return f"{sign}£{size:,.0f}"


def fmt(value, kind: str = "number", places: int = 1) -> str:
    """``value`` written as ``kind`` (module docstring) with ``places`` decimals where the kind has decimals."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, numbers.Real):
        return str(value)
    value = float(value)
    writers = {
        "number": lambda: _fixed(value, places),
        "signed": lambda: _fixed(value, places, sign=True),
        "pct": lambda: f"{_fixed(value, places)}%",
        "pct_signed": lambda: f"{_fixed(value, places, sign=True)}%",
        "pp": lambda: f"{_fixed(value, places, sign=True)} points",
        "ratio": lambda: _fixed(value, max(places, 2)),
        "count": lambda: f"{int(round(value)):,}",
        "year": lambda: str(int(round(value))),
        "p": lambda: p_value(value),
        "p_text": lambda: "p < 0.001" if value < 0.001 else f"p = {p_value(value)}",
        "money": lambda: money(value),
        "pounds": lambda: f"£{int(round(value)):,}",
    }
    if kind not in writers:
        raise ValueError(f"unknown number kind {kind!r}; kinds: {', '.join(writers)}")
    return writers[kind]()


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
          "December")


def release_name(published: str) -> str:
    """A release named by its publication month: "2024-04-24" -> "April 2024 release"."""
    year, month = str(published).split("-")[:2]
    return f"{MONTHS[int(month) - 1]} {year} release"
