"""The chart builders (``helpers.show.charts``, ``charts.ranked_bars``) and captions on small fixtures: each draws
the expected number of bars, lines and patches, in the expected colours and places."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from helpers import regions  # noqa: E402
from helpers.show import charts, narrow, style

GREY = "#bbbbbb"


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]


def test_grouped_bars_one_bar_per_region_and_column(ax):
    table = pd.DataFrame({"J": [3.0, 1.0, 2.0], "K": [1.0, 5.0, 0.5]}, index=["TLC", "TLI", "TLG"])
    charts.grouped_bars(ax, table, xlabel="share, %")
    bars = _bars(ax)
    assert len(bars) == 6
    assert [t.get_text() for t in ax.get_yticklabels()] == [regions.short_label(c) for c in ["TLI", "TLG", "TLC"]]
    j = sorted((b for b in bars if to_hex(b.get_facecolor()) == style.SERIES_COLOURS[0].lower()), key=lambda b: b.get_y())
    assert [b.get_width() for b in j] == [1.0, 2.0, 3.0]  # ordered by the first column, largest at the top
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["J", "K"]


def test_stacked_components_stack_positive_right_and_negative_left(ax):
    components = pd.DataFrame({"a": [10.0, 5.0], "b": [-4.0, 3.0], "c": [2.0, -6.0]}, index=["TLC", "TLD"])
    total = pd.Series({"TLC": 8.0, "TLD": 2.0})
    charts.stacked_components(ax, components, names=["a", "b", "c"], total=total, xlabel="%")
    bars = _bars(ax)
    assert len(bars) == 6
    lefts = {(to_hex(b.get_facecolor()), round(b.get_y() + b.get_height() / 2)): b.get_x() for b in bars}
    c_colour = style.SERIES_COLOURS[2].lower()
    assert lefts[(c_colour, 0)] == 10.0  # TLC: c (+2) starts where a (+10) ends, not after b (-4)
    assert lefts[(c_colour, 1)] == 0.0  # TLD: c (-6) is the first negative part, so it starts at 0
    dots = ax.collections[0].get_offsets()
    assert dots[:, 0].tolist() == [8.0, 2.0]
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["a", "actual change", "b", "c"]


def test_highlighted_lines_colour_only_the_highlighted_regions(ax):
    dates = pd.date_range("2020-02-01", periods=4)
    wide = pd.DataFrame(np.arange(12.0).reshape(4, 3), index=dates, columns=["TLC", "TLG", "TLI"])
    charts.highlighted_lines(ax, wide, ("TLG", "TLI"), ylabel="index", reference=100)
    lines = ax.get_lines()
    assert len(lines) == 4  # three regions and the reference line
    colours = {line.get_label(): to_hex(line.get_color()) for line in lines[:3]}
    assert colours[regions.short_label("TLG")] == style.region_colour("TLG").lower()
    assert list(colours.values()).count(GREY) == 1
    assert lines[3].get_ydata()[0] == 100
    assert len(ax.get_legend().get_texts()) == 2


def test_region_and_series_lines(ax):
    wide = pd.DataFrame({"TLC": [1.0, 2.0], "TLI": [3.0, 4.0]}, index=[2020, 2021])
    charts.region_lines(ax, wide, ylabel="UK = 100", emphasis="TLI", reference=100)
    widths = [line.get_linewidth() for line in ax.get_lines()]
    assert widths == [1.2, 2.5, 0.8]
    fig, other = plt.subplots()
    charts.series_lines(other, {"a": wide["TLC"], "b": wide["TLI"]}, ylabel="x", styles={"b": {"linestyle": "--"}})
    assert [line.get_linestyle() for line in other.get_lines()] == ["-", "--"]
    plt.close(fig)


def test_small_multiples_and_panels():
    a = pd.DataFrame({c: [100.0, 110.0] for c in regions.codes("ITL1")}, index=[2000, 2001])
    fig = charts.small_multiples({"J": a, "K": a * 0.9}, regions.codes("ITL1"), ylabel="index", title="t")
    assert len(fig.axes) == 12 and all(len(ax.get_lines()) == 2 for ax in fig.axes)
    assert fig.axes[6].get_title() == regions.short_label("TLI")
    plt.close(fig)
    tables = {"x": pd.DataFrame({"theil": [0.1, 0.2], "hhi": [0.3, 0.4]}, index=[2000, 2001]),
              "y": pd.DataFrame({"theil": [0.5, 0.6], "hhi": [0.7, 0.8]}, index=[2000, 2001])}
    fig, axes = charts.panels_over_time(tables, {"theil": ("Theil", "T"), "hhi": ("HHI", "H")})
    assert [len(ax.get_lines()) for ax in axes] == [2, 2] and axes[1].get_title() == "HHI"
    plt.close(fig)


def test_region_scatter_with_fit_and_labels(ax):
    x = pd.Series([1.0, 2.0, 3.0], index=["TLC1", "TLI3", "TLJ1"])
    y = pd.Series([2.0, 4.0, 6.0], index=x.index)
    charts.region_scatter(ax, x, y, xlabel="x", ylabel="y", fit=(0.0, 2.0), fit_label="fit", annotate=["TLI3"])
    colours = [to_hex(c) for c in ax.collections[0].get_facecolors()]
    assert colours == [style.region_colour(c).lower() for c in ["TLC", "TLI", "TLJ"]]
    line = ax.get_lines()[0]
    assert line.get_ydata()[-1] == pytest.approx(6.0) and len(ax.texts) == 1
    legend = ax.get_legend()  # the colours are explained: one entry per ITL1 region present, then the fit
    assert [t.get_text() for t in legend.get_texts()] == [regions.short_label(c) for c in ["TLC", "TLI", "TLJ"]] + ["fit"]


def test_ranked_bars_largest_on_top_neutral_with_london_highlighted(ax):
    values = pd.Series({"TLC": 0.5, "TLI": 2.0, "TLG": 1.0, "TLM": np.nan})
    charts.ranked_bars(ax, values, xlabel="LQ", reference=1.0, reference_label="UK")
    bars = _bars(ax)
    assert [b.get_width() for b in bars] == [0.5, 1.0, 2.0]  # missing values dropped, smallest at the bottom
    assert to_hex(bars[-1].get_facecolor()) == style.region_colour("TLI").lower()  # London highlighted
    assert {to_hex(b.get_facecolor()) for b in bars[:2]} == {style.NEUTRAL.lower()}  # the others: one neutral colour
    assert ax.get_lines()[0].get_xdata()[0] == 1.0


def test_ranked_bars_wrap_long_labels_instead_of_cutting_them(ax):
    name = "Public administration and defence; compulsory social security"
    charts.ranked_bars(ax, pd.Series({name: 1.2, "Education": 0.8}), xlabel="LQ")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1].replace("\n", " ") == name and "\n" in labels[-1]


def test_year_axis_has_only_whole_years(ax):
    years = np.arange(1998, 2022)
    charts.series_lines(ax, {"a": pd.Series(np.linspace(0, 1, len(years)), index=years)}, ylabel="x")
    ax.figure.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 1998 <= t <= 2021]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert all("," not in t.get_text() and "." not in t.get_text() for t in ax.get_xticklabels())
    fig, other = plt.subplots()
    other.plot([2007, 2008], [0, 1])  # matplotlib alone puts a tick at 2007.5
    style.year_axis(other)
    fig.canvas.draw()
    assert all(float(t).is_integer() for t in other.get_xticks())
    plt.close(fig)


def test_verdict_colours_have_fixed_meanings():
    green, amber, red, grey = "#009E73", "#E69F00", "#D55E00", "#999999"
    assert style.verdict_colour("supported") == style.verdict_colour("robust") == green
    assert style.verdict_colour("partly supported") == style.verdict_colour("sensitive") == amber
    assert style.verdict_colour("contradicted by a comparable measure") == style.verdict_colour("does not hold") == red
    assert style.verdict_colour("not checkable") == style.verdict_colour("anything else") == grey
    assert style.verdict_colour("not reproduced on a different measure") not in (green, amber, red, grey)


def test_locator_map_shades_the_region_and_outlines_the_area():
    import geopandas
    from shapely.geometry import box

    codes = ["TLG1", "TLG2", "TLI3", "TLC1"]
    boundaries = geopandas.GeoDataFrame({"region_code": codes}, geometry=[box(i, 0, i + 1, 1) for i in range(4)])
    fig, ax = plt.subplots()
    charts.locator_map(ax, boundaries, "TLG2")
    layers = ax.collections
    assert len(layers) == 3  # all areas, the ITL1 region, the highlighted area
    assert [len(layer.get_paths()) for layer in layers] == [4, 2, 1]
    assert to_hex(layers[2].get_facecolor()[0]) == style.region_colour("TLG").lower()
    plt.close(fig)


def test_a_map_of_counts_has_one_legend_patch_per_count_not_a_colour_bar():
    import geopandas
    from shapely.geometry import box

    codes = ["TLC", "TLD", "TLE", "TLL", "TLM"]
    boundaries = geopandas.GeoDataFrame({"region_code": codes}, geometry=[box(i, 0, i + 1, 1) for i in range(5)])
    zones = pd.Series({"TLC": 1, "TLD": 0, "TLE": 0, "TLL": 2})  # TLM: no data
    fig, ax = plt.subplots()
    charts.choropleth(ax, boundaries, zones, label="AI Growth Zones", cmap="Blues", discrete=True, count_noun="zones")
    ax.scatter([0.5], [0.5], label="Public compute site")
    ax.legend(loc="lower left")  # the caller's own legend for the points does not replace the counts'
    legends = [a for a in ax.get_children() if isinstance(a, matplotlib.legend.Legend)]
    counts = next(lg for lg in legends if lg.get_title().get_text() == "AI Growth Zones")
    assert [t.get_text() for t in counts.get_texts()] == ["0 zones", "1 zone", "2 zones", "no data"]
    assert len(fig.axes) == 1  # no colour bar
    fills = [to_hex(p.get_facecolor()) for p in counts.get_patches()]
    assert len(set(fills)) == 4  # one colour per count, and grey for no data
    assert fills[-1] == "#dddddd"
    plt.close(fig)


def test_caption_takes_ids_tables_and_datasets(real_data):
    from helpers.data.sources import get_source

    table = pd.DataFrame({"x": [1]})
    table.attrs["source_ids"] = ["gva_itl1_cp_2023"]
    geo = pd.DataFrame({"region_code": ["TLC"], "source_id": ["geo_itl1"]})
    assert style.source_ids(table, geo, ["gva_itl1_cp_2023", "population_2024"]) == [
        "gva_itl1_cp_2023", "geo_itl1", "population_2024"]
    with pytest.raises(ValueError, match="carries no source ids"):
        style.source_ids(pd.DataFrame({"x": [1]}))
    fig, ax = plt.subplots(figsize=(4, 3))  # narrow: the source line is wrapped at the figure's width
    style.caption(fig, table, note="a note")
    lines = fig.texts[-1].get_text().split("\n")
    assert " ".join(lines) == f"Source: {get_source('gva_itl1_cp_2023').citation} a note" and lines[-1] == "a note"
    width = 4 * 72 * 0.98 / (style.CAPTION_POINTS * narrow.CHAR_EM)  # characters across the figure
    assert len(lines) > 2 and all(len(line) <= width for line in lines)
    plt.close(fig)


def _saved_width_inches(fig, dpi=100) -> float:
    """The width of the image ``fig`` saves to (tight bounding box), in inches."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return Image.open(io.BytesIO(buffer.getvalue())).width / dpi


def _laptop_figure():
    """Three panels side by side, 13 inches wide, with a long title, year axes and a 12-entry legend beside the
    last panel: the layout that shrinks to unreadable text on a phone."""
    years = np.arange(1998, 2023)
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.5), sharey=True)
    for k, ax in enumerate(axes):
        for code in regions.itl1().index:
            ax.plot(years, np.linspace(0, k + 1, len(years)) + len(code), label=regions.short_label(code))
        ax.set_title(f"Panel {k}: a long title that states what the panel shows in a full sentence", fontsize=13)
        ax.set_xlabel("Year")
        style.year_axis(ax)
    axes[0].set_ylabel("Gross value added per head, pounds (2022 prices)")
    axes[-1].legend(ncol=2, fontsize=6, loc="upper left", bbox_to_anchor=(1, 1))
    return fig, axes


def test_phone_rendering_stacks_panels_moves_the_legend_under_and_keeps_text_legible():
    fig, axes = _laptop_figure()
    assert _saved_width_inches(fig) > 12  # drawn for a laptop
    assert narrow.redraw_narrow(fig) is False  # not a table: no sideways scroll
    assert _saved_width_inches(fig) <= narrow.NARROW_INCHES * 1.05
    boxes = [ax.get_position() for ax in axes]
    assert len({round(b.x0, 3) for b in boxes}) == 1  # one column
    assert boxes[0].y0 > boxes[1].y0 > boxes[2].y0  # in reading order, top to bottom
    legend = axes[-1].get_legend()
    renderer = fig.canvas.get_renderer()
    assert legend.get_window_extent(renderer).y1 <= axes[-1].get_window_extent(renderer).y0  # under its panel
    assert [t.get_text() for t in legend.get_texts()] == [regions.short_label(c) for c in regions.itl1().index]
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    assert min(sizes) >= 7 and narrow.smallest_text_points(fig) == min(sizes)  # 6-point legend raised to 7
    assert all(ax.get_title().replace("\n", " ").startswith("Panel") and "\n" in ax.get_title() for ax in axes)
    ticks = axes[0].get_xticks()
    assert len([t for t in ticks if 1998 <= t <= 2022]) <= 5 and all(t == int(t) for t in ticks)  # whole years
    plt.close(fig)


def test_phone_rendering_rewraps_the_caption_under_everything(real_data):
    from helpers.data.sources import get_source

    fig, axes = _laptop_figure()
    style.caption(fig, "gva_itl1_cp_2023", note="Partial years left out.")
    narrow.redraw_narrow(fig)
    text, lines = fig.rd_caption
    assert text.get_text().replace("\n", " ") == f"Source: {get_source('gva_itl1_cp_2023').citation} Partial years left out."
    chars = narrow.NARROW_INCHES * 72 * 0.98 / (style.CAPTION_POINTS * narrow.CHAR_EM)
    assert all(len(line) <= chars + 1 for line in text.get_text().split("\n"))
    renderer = fig.canvas.get_renderer()
    others = [a.get_window_extent(renderer).y0 for a in [*axes, axes[-1].get_legend()]]
    assert text.get_window_extent(renderer).y1 <= min(others) + 1  # below the panels and the legend
    plt.close(fig)


def test_a_heatmap_table_keeps_legible_columns_and_is_marked_to_scroll():
    table = pd.DataFrame(np.arange(60.0).reshape(6, 10) / 7, index=[f"row {k}" for k in range(6)],
                         columns=[f"indicator number {k}" for k in range(10)])
    fig, ax = plt.subplots(figsize=(12, 6))
    charts.heatmap(ax, table, label="location quotient")
    assert narrow.redraw_narrow(fig) is True
    assert fig.get_figwidth() >= 10 * narrow.TABLE_COLUMN_INCHES  # each column keeps its width
    annotations = [t for t in ax.texts if t.get_text()]
    assert len(annotations) == 60 and min(t.get_fontsize() for t in annotations) >= 7
    plt.close(fig)


def test_a_map_keeps_its_shape_on_a_phone(real_data):
    from helpers.data.datasets import load

    boundaries = load("boundaries_itl1")
    fig, ax = plt.subplots(figsize=(6, 8))
    charts.locator_map(ax, boundaries, "TLG")
    box = ax.get_window_extent(fig.canvas.get_renderer())
    shape = box.height / box.width
    narrow.redraw_narrow(fig)
    box = ax.get_window_extent(fig.canvas.get_renderer())
    assert fig.get_figwidth() == pytest.approx(narrow.NARROW_INCHES, rel=0.05)
    assert box.height / box.width == pytest.approx(shape, rel=0.05)
    plt.close(fig)


def test_more_series_than_colours_are_all_drawn_the_later_ones_dashed():
    """Eight series and seven colours: every series has a line and a legend entry, no two alike."""
    years = pd.Index(range(2010, 2016))
    tables = {f"series {k}": pd.DataFrame({"theil": np.arange(6.0) + k, "hhi": np.arange(6.0)}, index=years)
              for k in range(8)}
    fig, axes = charts.panels_over_time(tables, {"theil": ("Theil", "Theil index"), "hhi": ("HHI", "HHI, 0-1")})
    lines = axes[0].get_lines()
    assert len(lines) == 8 and [t.get_text() for t in axes[0].get_legend().get_texts()] == list(tables)
    assert len({(to_hex(line.get_color()), line.get_linestyle()) for line in lines}) == 8
    plt.close(fig)
