"""The glossary (``helpers.site.glossary``): the first use of each term in a report's prose links to its entry,
never in headings, tables, code or links; the verdict rule reads the same on the glossary, the landing page and
under every "What holds up" table, and the materiality band is defined from ``BANDS``."""

from __future__ import annotations

import re

from helpers.site import glossary


def _links(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="rd-term" href="glossary\.html#([^"]+)">([^<]+)</a>', page)


def test_only_the_first_use_in_prose_is_linked():
    page = ("<h2>The LQ and the HHI</h2><p>London's <code>LQ</code> and <a href='#x'>location quotient</a> rose.</p>"
            "<table><tr><td>Gini</td></tr></table><figure><figcaption>Theil</figcaption></figure>"
            "<p>Its location quotient (LQ) at current prices; the LQ again, Gini &amp; Theil.</p>"
            "<ul><li>BRES counts jobs; ITL2 areas, within the materiality band.</li></ul><p>Gini once more.</p>")
    out = glossary.link_terms(page)
    assert _links(out) == [("lq", "location quotient"), ("current-prices", "current prices"), ("gini", "Gini"),
                           ("theil", "Theil"), ("bres", "BRES"), ("itl", "ITL2"),
                           ("materiality-band", "materiality band")]
    assert out.startswith("<h2>The LQ and the HHI</h2>") and "<code>LQ</code>" in out and "<td>Gini</td>" in out
    assert "<figcaption>Theil</figcaption>" in out and "&amp; " in out
    assert re.sub(r'<a class="rd-term" href="[^"]*">([^<]*)</a>', r"\1", out) == page  # nothing else changed


def test_every_term_has_an_entry_and_the_band_and_rule_are_defined():
    from helpers.findings.model import BANDS

    entries = {e["id"]: e for e in glossary.entries()}
    assert {"itl", "gva", "current-prices", "chained-volume", "lq", "hhi", "gini", "theil", "bres", "verdict",
            "materiality-band"} <= set(entries)
    assert "materiality band" in entries["verdict"]["definition"]
    assert f"{BANDS['growth_gap']:.2f} points a year" in entries["materiality-band"]["definition"]


def test_the_verdict_rule_reads_the_same_on_the_landing_page_glossary_and_reports():
    from helpers.findings import wording
    from helpers.site.render import template

    rule = wording.line("common", "verdict_rule")
    note = " ".join(wording.render("common", "rule_note").split())
    glossary_page = " ".join(template("glossary.html.j2").render(entries=glossary.entries()).split())
    assert rule in note and rule.replace('"', "&#34;") in glossary_page or rule in glossary_page
    landing = " ".join(open(template("index.html.j2").filename, encoding="utf-8").read().split())
    assert "{{ rule }}" in landing and "clear of the materiality band" not in landing
