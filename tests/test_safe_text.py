"""Safe text and paths (issue 20): text from reference tables cannot become a live ``javascript:`` link in a report
(escaped before it goes into Markdown, and every rendered page keeps only http(s), relative and its own data: links),
and published notebooks carry no absolute path of the machine."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

from helpers.config import PACKAGE_ROOT
from helpers.safe_text import markdown_text, safe_links, safe_url
from helpers.site.config import ReportRun
from helpers.site.published import without_machine_paths

CLAIM = "AI jobs grew fastest in [London](javascript:alert(document.domain)) <img src=x onerror=alert(1)>"


def _hrefs(page: str) -> list[str]:
    return re.findall(r"""\s(?:href|src)\s*=\s*["']([^"']*)["']""", page)


def _render(markdown_outputs: list[str], html_outputs: list[str] = ()) -> str:
    from helpers.site.render import render_html

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": text}) for text in markdown_outputs]
    cell.outputs += [nbformat.v4.new_output("display_data", data={"text/html": text}) for text in html_outputs]
    nb.cells = [nbformat.v4.new_markdown_cell("# Profile"), cell]
    run = ReportRun(name="profile--TLI", report_id="profile", title="Profile", group="profiles", notebook="x.ipynb",
                    parameters={})
    return render_html(nb, run, commit="abc", started="2026-01-01T00:00:00+00:00", duration_s=1.0, sources=[])


def test_escaped_claim_renders_as_text_not_a_link():
    page = _render([f'- **Claims that name London**: "{markdown_text(CLAIM)}": supported'])
    assert not any(h.lower().startswith("javascript") for h in _hrefs(page))
    assert "[London](javascript:alert(document.domain))" in page  # shown as the characters it is
    assert "<img src=x" not in page  # raw HTML stays text too


def test_a_link_that_slipped_through_is_neutralised_on_the_page():
    page = _render(["[London](javascript:alert(document.domain)) and [the ONS](https://www.ons.gov.uk/economy)"],
                   ['<a href="jav&#x61;script:alert(1)">a</a> <a href=" JAVASCRIPT:alert(1)">b</a> '
                    '<a href="data:text/html;base64,PHNjcmlwdD4=">c</a> <a href="#section">d</a> <a href="table.csv">e</a>'])
    hrefs = _hrefs(page)
    assert "https://www.ons.gov.uk/economy" in hrefs and "#section" in hrefs and "table.csv" in hrefs
    assert not [h for h in hrefs if not safe_url(h)], hrefs
    assert not any("script" in h.lower() or h.startswith("data:text/html") for h in hrefs)


def test_safe_url_allows_only_http_relative_and_own_data():
    assert all(map(safe_url, ["https://x.org", "http://x.org/a", "#a", "a/b.csv", "data:image/png;base64,AA",
                              "data:text/csv;base64,AA", "data:application/json;base64,AA"]))
    assert not any(map(safe_url, ["javascript:alert(1)", "java\tscript:x", "JaVaScRiPt:x", "vbscript:x", "file:///etc",
                                  "data:text/html,<script>", "&#106;avascript:x"]))
    assert safe_links('<a href=javascript:x>a</a><img src="data:image/png;base64,AA">') == \
        '<a href="#">a</a><img src="data:image/png;base64,AA">'


def test_claims_sentences_escape_the_claim_text():
    from helpers.questions.profiles.findings import claims_point

    text = claims_point("TLI", [{"claim": CLAIM, "verdict": "supported", "published": "June 2025"}])
    assert "\\[London\\]\\(javascript:alert\\(document.domain\\)\\)" in text and "\\<img" in text


def test_published_notebooks_carry_no_machine_paths():
    root, python, home = str(PACKAGE_ROOT), sys.prefix, str(Path.home())
    document = {
        "metadata": {"papermill": {"input_path": f"{root}/notebooks/region_profile.ipynb",
                                   "output_path": "/tmp/report-x/executed.ipynb", "cwd": f"{root}/notebooks"}},
        "cells": [{"cell_type": "code", "source": "1/0", "metadata": {}, "execution_count": 1, "outputs": [
            {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": [
                f"File \x1b[0;32m{python}/lib/python3.11/site-packages/pandas/core/frame.py:12\x1b[0m",
                f"File {root}/src/helpers/questions/profiles/tables.py:40, in growth()",
                f"File {home}/.ipython/x.py:1"]},
            {"output_type": "stream", "name": "stderr", "text": f"{root}/src/helpers/show/charts.py:9: UserWarning"}]}],
        "nbformat": 4, "nbformat_minor": 5,
    }
    cleaned = without_machine_paths(json.dumps(document))
    for path in {root, python, home}:
        assert path + "/" not in cleaned, path
    out = json.loads(cleaned)
    assert out["metadata"]["papermill"]["input_path"] == "notebooks/region_profile.ipynb"
    assert "output_path" not in out["metadata"]["papermill"]
    traceback = out["cells"][0]["outputs"][0]["traceback"]
    assert traceback[1] == "File src/helpers/questions/profiles/tables.py:40, in growth()"
    assert "<python>/lib/python3.11/site-packages/pandas/core/frame.py" in traceback[0]
