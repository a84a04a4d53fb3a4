"""The renderer's download outputs (``helpers.site.render``): a chart shown with ``outputs.show`` in an executed
notebook comes out of ``render_html`` with its anchor, alt text and CSV link (a ``data:`` URI, or a relative link
with the CSV returned in ``files``), and repeated anchors are made unique."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

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
    assert sorted(f for f in files if f.endswith(".csv")) == ["demo/growth-of-j-figure-2.csv", "demo/growth-of-j-figure.csv"]
    assert sorted(f for f in files if f.endswith(".json")) == ["demo/growth-of-j-figure-2.json", "demo/growth-of-j-figure.json"]
    assert files["demo/growth-of-j-figure.csv"] == DATA.to_csv(lineterminator="\n")
    assert 'href="demo/growth-of-j-figure.csv"' in html and 'href="demo/growth-of-j-figure-2.csv"' in html
    assert 'id="growth-of-j-figure"' in html and 'id="growth-of-j-figure-2"' in html  # unique anchors
    assert "data:text/csv" not in html
    assert outputs.DOWNLOAD_ATTRIBUTE in html


def test_anchors_do_not_change_when_the_numbers_in_a_title_do(monkeypatch, run):
    first, second = ({}, {})
    _render(_notebook(monkeypatch, title="J grew 5.0% a year"), run, monkeypatch, files=first)
    _render(_notebook(monkeypatch, title="J grew 5.3% a year"), run, monkeypatch, files=second)
    assert list(first) == list(second) == ["demo/growth-of-j-figure.csv", "demo/growth-of-j-figure.json"]


def _about(html: str) -> dict:
    """The JSON behind the page's one "About this data (JSON)" link (a data: URI)."""
    (tag,) = re.findall(r'<a [^>]*class="rd-about"[^>]*>', html)
    return json.loads(base64.b64decode(re.search(r'href="data:application/json;base64,([^"]*)"', tag).group(1)))


def _manifest_entry(source_id: str) -> dict:
    """The manifest's own entry, read with yaml alone (not through helpers.data.sources)."""
    entries = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "sources.yml").read_text())["sources"]
    return next(e for e in entries if e["id"] == source_id)


def test_each_csv_link_comes_with_its_metadata_sources_licence_and_axes(monkeypatch, run):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    fig, ax = plt.subplots()
    ax.plot(DATA.index, DATA["J"])
    ax.set(title="J doubled", ylabel="Output, £ million", xlabel="Year")
    data = DATA.copy()
    data.attrs["source_ids"] = ["gva_itl1_cp_2023", "indeed_ai_share"]
    outputs.show(fig, data=data)
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("## Growth of J"))
    cell = nbformat.v4.new_code_cell("outputs.show(fig, data=data)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=shown[0])]
    notebook.cells.append(cell)
    html = _render(nbformat.reads(nbformat.writes(notebook), as_version=4), run, monkeypatch)
    assert re.search(r"Download the data \(CSV\)</a> · <a [^>]*>About this data \(JSON\)</a>", html)
    about = _about(html)
    assert about["file"] == "growth-of-j-figure.csv" and about["columns"] == ["year", "J"]
    assert about["axes"] == ["Output, £ million", "Year"]
    assert [s["id"] for s in about["sources"]] == ["gva_itl1_cp_2023", "indeed_ai_share"]
    for source in about["sources"]:
        entry = _manifest_entry(source["id"])
        assert {k: source[k] for k in ("publisher", "title", "release", "licence")} == {
            k: entry[k] for k in ("publisher", "title", "release", "licence")}
    assert about["sources"][0]["licence"] == "Open Government Licence v3.0"
    assert "CC BY 4.0" in about["sources"][1]["licence"]


def test_a_tables_metadata_names_its_value_columns_with_units_and_files_mode_writes_it(monkeypatch, run):
    from helpers.show.tables import table

    frame = pd.DataFrame({"region_name": ["London", "Wales"], "year": [2022, 2022], "share_pct": [41.7, 2.1]})
    frame.attrs["source_ids"] = ["gva_itl1_cp_2023"]
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("## Shares"))
    cell = nbformat.v4.new_code_cell("table(frame)")
    mime = table(frame, title="Shares of ICT output")._repr_mimebundle_()
    cell.outputs = [nbformat.v4.new_output("display_data", data=mime)]
    notebook.cells.append(cell)
    notebook = nbformat.reads(nbformat.writes(notebook), as_version=4)
    files: dict[str, str] = {}
    html = _render(notebook, run, monkeypatch, files=files)
    assert sorted(files) == ["demo/shares-table.csv", "demo/shares-table.json"]
    assert re.search(r'<a [^>]*class="rd-about"[^>]*href="demo/shares-table.json"|'
                     r'<a [^>]*href="demo/shares-table.json"[^>]*class="rd-about"', html)
    about = json.loads(files["demo/shares-table.json"])
    assert about["columns"] == ["Region", "Year", "Share, %"]  # the CSV's header, as the reader's table labels it
    assert about["value_columns"] == ["Share, %"]  # the year and the names are not what it measures
    assert about["sources"][0]["publisher"] == _manifest_entry("gva_itl1_cp_2023")["publisher"] == "ONS"


def test_table_of_contents_links_a_heading_with_an_ampersand_to_its_anchor():
    """nbconvert escapes "&" in a heading's id; the contents (escaped again by the template) must not double it."""
    from helpers.site.render import _headings

    found = _headings('<h1 id="Kensington-&amp;-Chelsea-(TLI33):-profile">Kensington &amp; Chelsea (TLI33): profile<')
    assert found == [(1, "Kensington-&-Chelsea-(TLI33):-profile", "Kensington & Chelsea (TLI33): profile")]
