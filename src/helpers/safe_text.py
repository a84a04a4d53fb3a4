"""Text from data and reference tables, made safe to put in a report (used by ``helpers.questions`` to write
Markdown and by ``helpers.site.render`` on every page, so it sits below both layers).

Two layers. ``markdown_text`` escapes a value before it goes into Markdown (a claim's wording, a name from a file):
link, image, emphasis and HTML syntax in it shows as the characters it is, so ``[London](javascript:...)`` in a claim
stays text. ``safe_links`` is applied to every rendered page (``helpers.site.render``): any link or source address
whose scheme is not ``http``/``https`` (or, for the page's own images and downloads, a ``data:`` image, CSV or JSON)
is replaced by ``#``, so a link that slipped through in any output cannot run script.
"""

from __future__ import annotations

import html
import re

# Markdown's active characters (CommonMark: any ASCII punctuation may be backslash-escaped).
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")
_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|xlink:href|action|formaction)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
SAFE_SCHEMES = ("http", "https")
SAFE_DATA = ("data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:text/csv;", "data:application/json;")


def markdown_text(value: object) -> str:
    """``value`` as literal text inside Markdown: active characters backslash-escaped, line breaks as spaces."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(value))
    return _MARKDOWN_ACTIVE.sub(r"\\\1", text)


def markdown_html(markdown: str) -> str:
    """Markdown (with tables) as HTML for a page the project writes itself; raw HTML in it is escaped as text."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table"])(markdown)


def safe_url(value: str) -> bool:
    """Whether an attribute's URL is harmless: relative, a fragment, http(s), or a data: image, CSV or JSON."""
    decoded = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value)).lower()  # browsers ignore these in a scheme
    scheme = _SCHEME.match(decoded)
    if not scheme:
        return True
    return scheme.group(1) in SAFE_SCHEMES or decoded.startswith(SAFE_DATA)


def safe_links(page: str) -> str:
    """``page`` (HTML) with every unsafe link or source address (``safe_url``) replaced by ``#``."""
    def replace(match: re.Match) -> str:
        quoted = match.group(2)
        value = quoted[1:-1] if quoted[:1] in "\"'" else quoted
        return match.group(0) if safe_url(value) else f'{match.group(1)}"#"'

    return _URL_ATTRIBUTE.sub(replace, page)
