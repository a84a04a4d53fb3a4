"""The README's generated sections, between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` markers: the findings
(the landing page's answers in Markdown, from ``reports/findings.csv`` and ``metrics.csv``) and the table of sources
(from the manifest). ``regional-divide readme`` rewrites them; ``--check`` (and a test) says whether they are current.
"""

from __future__ import annotations

import re

from helpers.config import paths
from helpers.data.atomic import write_text_atomic
from helpers.errors import RegionalDivideError


def sections() -> dict[str, str]:
    """Each generated section's text, by marker name."""
    from helpers.data.sources import sources_markdown
    from helpers.site.landing import read_rows, readme_findings

    reports = paths().reports
    findings = read_rows(reports / "findings.csv")
    out = {"sources": sources_markdown()}
    if findings:  # before any report ran there is nothing to say: the section is kept as it is
        out["findings"] = readme_findings(read_rows(reports / "metrics.csv"), findings)
    return out


def update_readme(*, check: bool = False) -> list[str]:
    """Rewrite (or with ``check`` only compare) the README's generated sections; the names of those that changed."""
    readme = paths().root / "README.md"
    text = original = readme.read_text(encoding="utf-8")
    changed = []
    for name, body in sections().items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise RegionalDivideError(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> section. Fix: "
                                      "put the two markers where the generated text belongs.")
        new = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(2), text)
        if new != text:
            changed.append(name)
        text = new
    if changed and not check and text != original:
        write_text_atomic(readme, text)
    return changed
