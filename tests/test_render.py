"""The renderer's download outputs (``helpers.site.render``): a chart shown with ``outputs.show`` in an executed
notebook comes out of ``render_html`` with its anchor, alt text and CSV link (a ``data:`` URI, or a relative link
with the CSV returned in ``files``), and repeated anchors are made unique."""

from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.show import outputs  # noqa: E402
from helpers.site import render  # noqa: E402
from helpers.site.config import ReportRun  # noqa: E402

DATA = pd.DataFrame({"J": [1.0, 2.0]}, index=pd.Index([2020, 2021], name="year"))


def _output(monkeypatch, title: str = "J doubled in a year") -> dict:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    fig, ax = plt.subplots()
    ax.plot(DATA.index, DATA["J"])
    ax.set_title(title)
    outputs.show(fig, data=DATA)
    return nbformat.v4.new_output("display_data", data=shown[0])


def _notebook(monkeypatch, copies: int = 1, title: str = "J doubled in a year"):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells.append(nbformat.v4.new_markdown_cell("## Growth of J\n\nText."))
    for _ in range(copies):
        cell = nbformat.v4.new_code_cell("outputs.show(fig, data=data)")
        cell.outputs = [_output(monkeypatch, title)]
        notebook.cells.append(cell)
    return nbformat.reads(nbformat.writes(notebook), as_version=4)  # as the runner reads the executed notebook


@pytest.fixture
def run():
    return ReportRun(name="demo", report_id="demo", title="Demo", group="g", notebook="demo.ipynb", parameters={},
                     datasets=())


def _render(notebook, run, monkeypatch, **kw) -> str:
    return render.render_html(notebook, run, commit="abc", started="2026-01-01T00:00:00", duration_s=1.0,
                              **{"sources": [], **kw})


def test_downloads_are_read_from_the_executed_notebook(monkeypatch):
    (payload,) = render.downloads(_notebook(monkeypatch))
    assert payload["anchor"] == "j-doubled-in-a-year" and payload["csv"] == DATA.to_csv(lineterminator="\n")


def test_rendered_html_has_anchor_alt_text_and_csv_data_link(monkeypatch, run):
    html = _render(_notebook(monkeypatch), run, monkeypatch)
    assert 'id="growth-of-j-figure"' in html  # the section heading and the kind: stable when the title's numbers change
    assert "No description has been provided" not in html
    assert re.search(r'<img [^>]*alt="J doubled in a year\.[^"]*"', html)
    (tag,) = re.findall(r'<a [^>]*class="rd-download"[^>]*>', html)  # attribute order is nbconvert's
    assert 'download="growth-of-j-figure.csv"' in tag and 'data-rd-download="growth-of-j-figure.csv"' in tag
    link = re.search(r'href="data:text/csv;base64,([^"]*)"', tag)
    assert base64.b64decode(link.group(1)).decode() == DATA.to_csv(lineterminator="\n")


def test_files_mode_links_relative_csv_and_returns_it(monkeypatch, run):
    files: dict[str, str] = {}
    html = _render(_notebook(monkeypatch, copies=2), run, monkeypatch, files=files)
    assert sorted(files) == ["demo/growth-of-j-figure-2.csv", "demo/growth-of-j-figure.csv"]
    assert files["demo/growth-of-j-figure.csv"] == DATA.to_csv(lineterminator="\n")
    assert 'href="demo/growth-of-j-figure.csv"' in html and 'href="demo/growth-of-j-figure-2.csv"' in html
    assert 'id="growth-of-j-figure"' in html and 'id="growth-of-j-figure-2"' in html  # unique anchors
    assert "data:text/csv" not in html
    assert outputs.DOWNLOAD_ATTRIBUTE in html


def test_anchors_do_not_change_when_the_numbers_in_a_title_do(monkeypatch, run):
    first, second = ({}, {})
    _render(_notebook(monkeypatch, title="J grew 5.0% a year"), run, monkeypatch, files=first)
    _render(_notebook(monkeypatch, title="J grew 5.3% a year"), run, monkeypatch, files=second)
    assert list(first) == list(second) == ["demo/growth-of-j-figure.csv"]
