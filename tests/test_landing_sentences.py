"""The landing page's answers are full sentences: each question's answer ends with a full stop, whether its
figures are there or missing (written "–"), in the page (HTML) and in the README (Markdown)."""

from __future__ import annotations

import re

from helpers.site import landing


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_each_answer_on_the_landing_page_ends_with_a_full_stop():
    answers = landing.render_findings([], [], pages=set())
    assert len(answers) == 4
    for answer in answers:
        text = _text(str(answer["text"]))
        assert text.endswith("."), (answer["number"], text[-80:])
        sentences = [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z\"])", text) if s]
        assert all(s[-1] in '.?!"' or s.endswith('."') for s in sentences), sentences


def test_each_answer_in_the_readme_ends_with_a_full_stop():
    for line in landing.readme_findings([], []).splitlines():
        if re.match(r"\d\. \*\*", line):
            assert line.rstrip().endswith("."), line[-80:]
