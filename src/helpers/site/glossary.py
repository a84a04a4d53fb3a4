"""The glossary: its terms (``glossary.yml``: anchor, name, definition, the words that name it), the page
(``reports/glossary.html``) and the links to it from every report: ``link_terms`` links the first use of each term
in a page's prose (paragraphs and list items; never in headings, tables, figures, code or links) to
``glossary.html#<id>``. The verdict rule and the materiality band are defined from the one place each is stated: the
common wording (``helpers/findings/common/wording.md.j2``) and ``helpers.findings.model.BANDS``."""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

GLOSSARY = "glossary.html"
TERMS_FILE = Path(__file__).with_name("glossary.yml")
PROSE = {"p", "li", "dd"}  # where a term is linked
SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "table", "figure", "figcaption",
        "script", "style", "title", "head", "nav", "button", "label", "summary", "svg", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


WORDED = [{"id": "materiality-band", "match": [r"\b[Mm]ateriality band\b"]}]  # entries defined from the wording


@functools.lru_cache(maxsize=1)
def terms() -> tuple[dict, ...]:
    """The glossary's terms from ``glossary.yml``, each with its compiled ``pattern``."""
    raw = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))["terms"]
    return tuple({**t, "pattern": re.compile("|".join(f"(?:{m})" for m in t.get("match", [])))} for t in raw)


def patterns() -> tuple[dict, ...]:
    """Every linked entry's id and compiled ``pattern``: the terms and the materiality band."""
    worded = ({**t, "pattern": re.compile("|".join(t["match"]))} for t in WORDED)
    return (*terms(), *worded)


def entries() -> list[dict]:
    """Every entry of the glossary page: the terms, then the verdict rule and the materiality band."""
    from helpers.findings import wording
    from helpers.findings.model import BANDS

    return [*({"id": t["id"], "term": t["term"], "definition": t["definition"]} for t in terms()),
            {"id": "verdict", "term": "Holds, inconclusive, contradicted (the verdict rule)",
             "definition": wording.line("common", "verdict_rule")},
            {"id": "materiality-band", "term": "Materiality band",
             "definition": wording.line("common", "materiality_band", bands=BANDS)}]


def link_terms(page: str, href: str = GLOSSARY) -> str:
    """``page`` (HTML) with the first use in prose of each glossary term linked to ``href#<id>``."""
    linker = _Linker(href)
    linker.feed(page)
    linker.close()
    return "".join(linker.out)


class _Linker(HTMLParser):
    """Copies HTML as it is, linking in text inside prose (``PROSE``, outside ``SKIP``) each term's first match."""

    def __init__(self, href: str):
        super().__init__(convert_charrefs=False)
        self.href, self.out, self.stack, self.done = href, [], [], set()

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.stack:  # close it and anything left open inside it
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]

    def handle_data(self, data):
        in_prose = any(t in PROSE for t in self.stack) and not any(t in SKIP for t in self.stack)
        self.out.append(self._linked(data) if in_prose else data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")

    def _linked(self, text: str) -> str:
        """``text`` with the earliest match of each term not yet linked on the page made a link."""
        out, rest = [], text
        while True:
            found = [(m.start(), -len(m.group(0)), t["id"], m) for t in patterns() if t["id"] not in self.done
                     for m in [t["pattern"].search(rest)] if m]
            if not found:
                return "".join(out) + rest
            _, _, term, match = min(found)
            self.done.add(term)
            out.append(rest[:match.start()] + f'<a class="rd-term" href="{html.escape(self.href)}#{term}">'
                       f'{match.group(0)}</a>')
            rest = rest[match.end():]
