"""Sentences from templates: each question's words live in one Jinja2 file, ``helpers/questions/<question>/wording.md.j2``,
as macros with named fields (main points, chart titles, notes, the landing page's answer); Python computes the numbers
and fills them in. Numbers are written by the template filters, which are the one formatter
(``helpers.findings.numbers.fmt``): ``{{ x|pct }}``, ``{{ x|pct(0) }}``, ``{{ gap|pp }}``, ``{{ x|num(2) }}``,
``{{ x|signed }}``, ``{{ x|ratio }}``, ``{{ n|count }}``, ``{{ y|year }}``, ``{{ p|p }}`` ("p = 0.034"),
``{{ x|money }}``, ``{{ x|pounds }}``; ``{{ code|name }}`` is a region's name. Shared macros (verdict words, the
interval of a finding) are in ``helpers/findings/common/wording.md.j2`` (``render("common", ...)``), imported by each
question's file as ``{% import "common/wording.md.j2" as common %}``.

``render(question, macro, **fields)`` returns Markdown (paragraphs and bullets as written); ``line(...)`` returns one
line (whitespace collapsed), for chart titles and table captions.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from helpers import regions
from helpers.findings.numbers import fmt

PACKAGE = Path(__file__).resolve().parents[1]  # src/helpers
TEMPLATE = "wording.md.j2"


def _filter(kind: str, default_places: int = 1):
    return lambda value, places=default_places: fmt(value, kind, places)


FILTERS = {
    "num": _filter("number"), "signed": _filter("signed"), "pct": _filter("pct"), "pct_signed": _filter("pct_signed"),
    "pp": _filter("pp"), "ratio": _filter("ratio", 2), "count": _filter("count"), "year": _filter("year"),
    "p": _filter("p_text"), "pvalue": _filter("p"), "money": _filter("money"), "pounds": _filter("pounds"),
}


@functools.cache
def environment(html: bool = False):
    """The Jinja environment of the wording templates: Markdown (no escaping), or with ``html`` the same templates
    with every filled-in value escaped (the landing page)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([PACKAGE / "questions", PACKAGE / "findings"]),
                             autoescape=html, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=False)
    env.filters.update(FILTERS)
    env.filters["fmt"] = fmt
    env.filters["name"] = regions.region_name
    env.filters["short"] = regions.short_label
    env.filters["lower_first"] = lambda text: text[:1].lower() + text[1:]
    env.filters["upper_first"] = lambda text: text[:1].upper() + text[1:]
    return env


def template_path(question: str) -> str:
    return f"{question}/{TEMPLATE}"


def render(question: str, macro: str, /, *, html: bool = False, **fields) -> str:
    """The Markdown of ``macro`` in ``question``'s wording file, filled with ``fields``; blank-line runs collapsed.
    With ``html``, the filled-in values are escaped (``markupsafe.Markup`` values pass as they are)."""
    module = environment(html).get_template(template_path(question)).module
    if not hasattr(module, macro):
        raise KeyError(f"{template_path(question)} has no macro {macro!r}")
    text = str(getattr(module, macro)(**fields))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def line(question: str, macro: str, /, **fields) -> str:
    """``render`` as one line (chart titles, captions): every run of whitespace becomes one space."""
    return " ".join(render(question, macro, **fields).split())
