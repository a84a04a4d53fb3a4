"""The reader's tables (``helpers.show.tables``) and the one-call chart/table outputs (``helpers.show.outputs``) on small
fixtures: labels with units, numbers by kind, alignment, one header row, region names once, deterministic HTML, and
the anchor, alt text and CSV payload of ``show``."""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.show import outputs, tables
from helpers.show import tables as formatting  # noqa: E402


@pytest.fixture
def frame():
    table = pd.DataFrame({"region": ["West Midlands", "London"], "population": [6021653.0, 8866180.0],
                          "employees": [269401.4, 1200.6], "first_year": [2004.0, 2005.0],
                          "targeted_funding_gbp": [5_000_000, 28_200_000_000], "slope_p": [0.0004, 0.1234],
                          "cagr_gap_pp": [8.04, -0.44]}, index=pd.Index(["TLG", "TLI"], name="region_code"))
    table.attrs["source_ids"] = ["x"]
    return table


def _cells(html: str, tag: str = "td") -> list[tuple[str, str]]:
    return re.findall(rf'<{tag}[^>]*style="text-align:(\w+)"[^>]*>(.*?)</{tag}>', html)


def test_numbers_are_formatted_by_kind(frame):
    cells = [text for _, text in _cells(formatting.table_html(frame))]
    assert cells[:7] == ["West Midlands", "6,021,653", "269,401", "2004", "£5.0m", "&lt;0.001", "8.0"]
    assert cells[7:] == ["London", "8,866,180", "1,201", "2005", "£28.2bn", "0.12", "-0.4"]
    assert formatting.cell(2004.0, "year") == "2004" and formatting.cell(float("nan"), "count") == "–"


def test_labels_come_from_the_registry_attrs_and_the_call(frame):
    frame.attrs["labels"] = {"cagr_gap_pp": "CAGR gap, J minus K, points a year"}
    heads = [text for _, text in _cells(formatting.table_html(frame, columns={"employees": "Jobs"}), "th")]
    assert heads == ["Region", "Population", "Jobs", "First year", "Targeted funding", "p-value of slope",
                     "CAGR gap, J minus K, points a year"]
    assert formatting.label("ict_share_pct") == "ICT share of GVA, %"
    assert formatting.label("london_share_pct") == "London share, %"


def test_text_left_numbers_right_one_header_row_and_region_names_once(frame):
    html = formatting.table_html(frame, title="A table")
    assert html.count("<tr>") == 1 + len(frame) and html.count("<thead>") == 1  # one header row, no index-name row
    aligns = [align for align, _ in _cells(html, "th")]
    assert aligns == ["left"] + ["right"] * 6
    assert [align for align, _ in _cells(html)][:7] == ["left"] + ["right"] * 6
    assert html.count("West Midlands") == 1 and "TLG" not in html  # the region column is not repeated
    assert re.search(r'class="rd-table-scroll" tabindex="0" role="region" aria-label="A table" style="overflow-x:auto', html)  # wide tables scroll in their own, keyboard-reachable box
    assert formatting.table_html(frame, title="A table") == html  # deterministic: no random ids


def test_multiindex_columns_become_one_header_row():
    wide = pd.concat({1998: pd.DataFrame({"J": [1.0]}, index=["UK"]), 2021: pd.DataFrame({"J": [2.0]}, index=["UK"])},
                     axis=1)
    html = formatting.table_html(wide)
    assert [text for _, text in _cells(html, "th")] == ["Region", "1998, J", "2021, J"]
    assert "United Kingdom" in html


def test_table_output_carries_anchor_and_csv(frame):
    bundle = tables.table(frame, title="Population and funding by region")._repr_mimebundle_()
    payload = bundle[outputs.DOWNLOAD_MIME]
    assert payload["anchor"] == "population-and-funding-by-region" and payload["filename"].endswith(".csv")
    back = pd.read_csv(io.StringIO(payload["csv"]))
    assert back["Population"].tolist() == frame["population"].tolist()
    assert 'id="population-and-funding-by-region"' in bundle["text/html"]
    assert 'download="population-and-funding-by-region.csv"' in bundle["text/html"]


def test_show_gives_anchor_alt_text_and_the_data_drawn(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    data = pd.DataFrame({"J": [1.0, 2.0, 4.0]}, index=pd.Index([2019, 2020, 2021], name="year"))
    fig, ax = plt.subplots()
    ax.plot(data.index, data["J"])
    ax.set_title("J doubled twice, 2019-2021")
    ax.set_ylabel("GVA, £m")
    ax.set_xlabel("Year")
    assert outputs.show(fig, data=data) is None  # nothing left for the cell to echo
    assert not plt.fignum_exists(fig.number)  # closed, so the inline backend does not show it again
    (bundle,) = shown
    payload = bundle[outputs.DOWNLOAD_MIME]
    assert payload["anchor"] == "j-doubled-twice-2019-2021" and payload["filename"] == "j-doubled-twice-2019-2021.csv"
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(payload["csv"]), index_col="year"), data)
    html = bundle["text/html"]
    alt = re.search(r'<img [^>]*alt="([^"]*)"', html).group(1)
    assert alt == "J doubled twice, 2019-2021. Chart of GVA, £m against Year."
    assert 'id="j-doubled-twice-2019-2021"' in html
    href = re.search(r'href="data:text/csv;base64,([^"]*)"', html).group(1)
    assert base64.b64decode(href).decode() == payload["csv"]


def test_slug_is_stable_and_short():
    assert outputs.slug("London's share rose 2.9% (1998–2021)") == "london-s-share-rose-2-9-pct-1998-2021"
    assert len(outputs.slug("word " * 40)) <= 60


def _body(frame, precision=1, **kwargs) -> list[list[str]]:
    html = formatting.table_html(frame, precision=precision, **kwargs)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)[1:]]


def test_numbers_in_object_columns_are_formatted_by_their_kind():
    trends = pd.DataFrame({"first_year": [1998, "all"], "MK p": [0.012354984739827012, 0.0004690464583351],
                           "Sen slope a year": [0.21320125779021265, None], "trend": ["rising", "no clear trend"],
                           "HAC lags": [2, 3]}, dtype=object)
    assert _body(trends, 4) == [["1998", "0.01", "0.2132", "rising", "2"], ["all", "&lt;0.001", "–", "no clear trend", "3"]]


def test_a_small_precision_never_hides_small_ratios_and_rates():
    shares = pd.DataFrame({"London LQ, first year": [1.938062, 2.35], "Theil vs benchmark, last year": [0.118354, 0.18],
                           "Slope, CV points a year": [0.545, -0.2], "CAGR, % a year": [4.29, 4.73],
                           "Change, %": [10.63, 9.5], "P-value, without London": [0.1101, 0.00001],
                           "Postings index, Feb 2020 = 100": [99.49, 72.31], "Ranks of an index": [2, 6]})
    assert _body(shares, 0) == [["1.94", "0.12", "0.55", "4.3", "10.6", "0.11", "99.5", "2"],
                                ["2.35", "0.18", "-0.20", "4.7", "9.5", "&lt;0.001", "72.3", "6"]]
    slopes = pd.DataFrame({"Slope a year": [0.2132, -0.0034, -0.0004]})  # 2 significant digits of the median
    assert [row[0] for row in _body(slopes, 1)] == ["0.2132", "-0.0034", "-0.0004"]
    slopes = pd.DataFrame({"Slope a year": [0.545, -0.2, -0.0004]})
    assert [row[0] for row in _body(slopes, 1)] == ["0.55", "-0.20", "-0.0004"]  # a small value is never shown as 0
    gaps = pd.DataFrame({"gap": [-0.04, 0.0]})
    assert [row[0] for row in _body(gaps, 0)] == ["-0.040", "0.000"]
    assert formatting.cell(-0.01, "number", 1) == "-0.01" and formatting.cell(-0.0, "number", 1) == "0.0"


def test_counts_ranks_and_money_per_person_are_whole_numbers():
    counts = pd.DataFrame({"ITL1 regions": [11.0, 12.0], "claims": [0.0, 3.0], "persons": [63545.1, 1200.4],
                           "Rank": [1.0, float("nan")], "ai_orgs_per_100k": [1, 3],
                           "£ per full-time employee, 2015": [65004.1, 69307.0],
                           "GVA 1998, £m, current prices": [12896.0, 55030.0]})
    assert _body(counts, 1) == [["11", "0", "63,545", "1", "1", "65,004", "12,896"],
                                ["12", "3", "1,200", "–", "3", "69,307", "55,030"]]


def test_years_are_years_only_when_named_so_and_in_range():
    frame = pd.DataFrame({"year": [2004.0, 2022.0], "Previous year": [20500.0, 31425.0], "from": [1998, 2016]})
    assert _body(frame) == [["2004", "20,500", "1998"], ["2022", "31,425", "2016"]]


def test_code_values_in_text_cells_come_out_in_words(monkeypatch):
    from types import SimpleNamespace

    manifest = {"gva_x_cp_2023": SimpleNamespace(publisher="Office for National Statistics", release="April 2023"),
                "gva_y_2024": SimpleNamespace(publisher="ONS", release="ONS release 2024-04-24")}
    monkeypatch.setattr("helpers.data.sources.load_manifest", lambda: manifest)
    frame = pd.DataFrame({"price basis": ["current_prices", "chained_volume", "other_basis"],
                          "source": ["gva_x_cp_2023", "gva_y_2024", "gva_x_cp_2023"], "ok": [True, False, True],
                          "sources": ["gva_x_cp_2023", "gva_x_cp_2023 gva_y_2024", "gva_y_2024"]})
    assert _body(frame) == [["current prices", "Office for National Statistics, April 2023", "yes", "gva_x_cp_2023"],
                            ["chained volume (2019 money value)", "ONS release 2024-04-24", "no", "gva_x_cp_2023 gva_y_2024"],
                            ["other_basis", "Office for National Statistics, April 2023", "yes", "gva_y_2024"]]


def test_headline_figures_are_formatted_by_their_unit():
    headlines = [
        {"id": "a", "value": 78067.0, "unit": "persons", "description": "", "source_ids": ""},
        {"id": "b", "value": 0.0, "unit": "claims", "description": "", "source_ids": ""},
        {"id": "c", "value": 41.661, "unit": "% of total", "description": "", "source_ids": ""},
        {"id": "d", "value": 1.938, "unit": "location quotient", "description": "", "source_ids": ""},
        {"id": "e", "value": -0.00041, "unit": "Theil per year", "description": "", "source_ids": ""},
        {"id": "f", "value": 0.6721, "unit": "p-value", "description": "", "source_ids": ""},
        {"id": "g", "value": 2.0, "unit": "verdict (2 robust, 1 sensitive, 0 does not hold)", "description": "",
         "source_ids": ""},
        {"id": "h", "value": 127.8, "unit": "UK = 100", "description": "", "source_ids": ""},
        {"id": "i", "value": 30.0, "unit": "in the ranking (1 = fastest)", "description": "", "source_ids": ""},
    ]
    frame = pd.DataFrame(headlines)
    frame.attrs["row_formats"] = {"value": [formatting.metric_format(v, u) for v, u in zip(frame["value"], frame["unit"])]}
    shown = re.findall(r"<tr><td[^>]*>[a-i]</td><td[^>]*>([^<]*)</td>", formatting.table_html(frame))
    assert shown == ["78,067", "0", "41.7", "1.94", "-0.0004", "0.67", "2", "127.8", "30"]
    assert frame["value"].tolist() == [h["value"] for h in headlines]  # the CSV keeps the recorded values


def test_a_table_title_sits_outside_its_scroll_box_and_long_text_wraps():
    import pandas as pd

    from helpers.show.tables import table_html

    frame = pd.DataFrame({"Window": ["1998-2021", "2004-2019"], "Verdict": ["holds", "inconclusive"],
                          "Finding": ["A sentence long enough to need wrapping in a narrow column of a table",
                                      "Another sentence long enough to need wrapping in a narrow column"]})
    html = table_html(frame, title="What holds up")
    assert html.index('class="rd-table-title"') < html.index('class="rd-table-scroll"')
    assert "<caption>" not in html and 'aria-label="What holds up"' in html
    assert html.split("<th ")[1].split("</th>")[0].endswith(">Verdict")  # the verdict column first
    window = html.split("<tbody>")[1].split("</td>")[1]  # a column of text that looks like years is text
    assert 'class="rd-left"' in window
    assert 'rd-long' in html.split("</td>")[2]


def test_charts_are_palette_pngs_smaller_than_full_colour():
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    from helpers.show.outputs import small_png

    fig, ax = plt.subplots()
    for k in range(5):
        ax.plot(range(30), [i * k for i in range(30)], label=f"series {k}")
    ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    small = small_png(buffer.getvalue())
    assert len(small) < len(buffer.getvalue()) and Image.open(io.BytesIO(small)).mode == "P"


def test_a_linked_column_shows_links_and_its_csv_keeps_the_addresses():
    from helpers.show.tables import csv_of, table_html

    frame = pd.DataFrame({"claim": ["a", "b", "c"], "article": ["City A.M., June 2025", "Essay, undated", "Bad"]})
    frame.attrs["links"] = {"article": ["https://www.cityam.com/x?a=1&b=2", None, "javascript:alert(1)"]}
    page = table_html(frame)
    assert '<a href="https://www.cityam.com/x?a=1&amp;b=2">City A.M., June 2025</a>' in page
    assert page.count("<a ") == 1 and "javascript" not in page  # no address, or an unsafe one: text only
    rows = csv_of(frame).splitlines()
    assert rows[0] == 'Claim,Article,"Article, address"'
    assert rows[1] == '"a","City A.M., June 2025",https://www.cityam.com/x?a=1&b=2'.replace('"a"', "a")
    assert rows[3].endswith(",javascript:alert(1)")  # the CSV is data: the address as recorded
