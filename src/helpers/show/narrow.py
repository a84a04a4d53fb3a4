"""A chart drawn again for a phone. A chart drawn for a laptop (9-13 inches wide) shrinks to about 360 CSS pixels on a
phone, and its words to 3-5 pixels. ``redraw_narrow`` lays the same figure out for ``NARROW_INCHES``: panels side by
side are stacked, legends beside a panel move under it, titles, tick labels and the caption are wrapped to the new
width and no text is smaller than ``MIN_POINTS``; nothing is dropped. The report shows it below ``NARROW_BREAK`` CSS
pixels (``helpers.show.outputs.show``), at ``NARROW_DPI`` for sharp text on dense screens.

The caption helpers (``wrap_lines``, ``place_below``) live here because both the laptop and the phone rendering place
the source lines the same way (``helpers.show.style.caption``)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
from matplotlib.category import StrCategoryLocator
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

NARROW_INCHES = 3.5  # drawn 350 CSS px wide: fits a 390 px phone with the page's margins, at scale 1
NARROW_BREAK = 600  # CSS px: narrower windows get the phone rendering
NARROW_DPI = 150  # pixels per inch of the phone rendering (shown at 100 CSS px per inch: 1.5x for dense screens)
CSS_PX_PER_INCH = 100  # both renderings are shown at 100 CSS px per inch of figure
MIN_POINTS = 7.0  # 9.7 CSS px at 100 px per inch
MAX_POINTS = 10.0  # titles above this are set to it (a 13-point title wraps to one word a line at 3.5 inches)
CHAR_EM = 0.6  # average character width of DejaVu Sans (the default font), as a fraction of its size
PANEL_INCHES = 2.6  # the least height of a panel on a phone
ROW_INCHES = 0.24  # height per line of a categorical axis' labels
TICK_LABEL_CHARS = 22  # categorical labels wrapped to this many characters
LEGEND_CHARS = 40  # legend entries wrapped to this many characters
LABEL_CHARS = 30  # axis labels wrapped to this many characters
TABLE_COLUMNS = 4  # a heatmap with more columns than this keeps them legible and scrolls sideways on a phone
TABLE_COLUMN_INCHES = 0.55  # the width of such a column
TURNED_CHARS = 22  # its turned column labels wrapped to this many characters (three lines fit a column)


def wrap_lines(lines: list[str], inches: float, points: float) -> str:
    """``lines`` wrapped at a width of ``inches`` for text of ``points``, one paragraph per line."""
    width = max(int(inches * 72 * 0.98 / (points * CHAR_EM)), 12)
    return "\n".join(textwrap.fill(line, width) for line in lines)


def place_below(fig: plt.Figure, artist: Text) -> None:
    """Put ``artist`` (the caption) at the left, under everything else drawn on ``fig`` (rotated tick labels,
    legends under a panel)."""
    artist.set_visible(False)
    lowest = fig.get_tightbbox(fig.canvas.get_renderer()).y0 / fig.get_figheight()
    artist.set_position((0.01, min(lowest, 0.0) - 0.01))
    artist.set_visible(True)


def _panels(fig: plt.Figure) -> list[plt.Axes]:
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def _is_categorical(axis) -> bool:
    """Words on the axis: fixed ticks with labels, or matplotlib's categories (bars drawn against strings)."""
    words = isinstance(axis.get_major_locator(), (FixedLocator, StrCategoryLocator))
    return words and any(t.get_text() for t in axis.get_ticklabels())


def is_table(ax: plt.Axes) -> bool:
    """A heatmap with words on both axes (a table in colour): it cannot be narrower than its columns."""
    return _is_categorical(ax.xaxis) and _is_categorical(ax.yaxis) and len(ax.get_xticks()) > TABLE_COLUMNS


def _stack(fig: plt.Figure, width: float) -> tuple[int, float]:
    """Stack the cells of a grid of panels in one column, in reading order (a panel's colour bar moves with it);
    the number of rows and the height of one row in inches at ``width``, keeping each cell's shape."""
    specs = [ax.get_subplotspec() for ax in fig.axes]
    old_width, old_height = fig.get_size_inches()
    if any(spec is None for spec in specs):
        return 1, old_height * width / old_width
    grid = specs[0].get_topmost_subplotspec().get_gridspec()
    if any(spec.get_topmost_subplotspec().get_gridspec() is not grid for spec in specs):
        return 1, old_height * width / old_width  # panels on grids of their own: kept as they are
    row_height = (old_height / grid.nrows) * width / (old_width / grid.ncols)
    tops = [(s.get_topmost_subplotspec().rowspan.start, s.get_topmost_subplotspec().colspan.start) for s in specs]
    cells = sorted(set(tops))
    if grid.ncols < 2 or len(cells) < 2:
        return grid.nrows, row_height
    column = fig.add_gridspec(len(cells), 1)
    new_cell = {cell: column[row, 0] for row, cell in enumerate(cells)}
    for ax, spec, top in zip(fig.axes, specs, tops):
        if spec.get_gridspec() is grid:
            ax.set_subplotspec(new_cell[top])
        else:  # a panel and its colour bar share a grid inside the cell: move that grid
            spec.get_gridspec()._subplot_spec = new_cell[top]
            ax.set_subplotspec(spec)
        if ax.get_label() != "<colorbar>":
            ax.tick_params(labelleft=True, labelbottom=True)
    return len(cells), row_height


def _words_axis(ax: plt.Axes, axis, name: str) -> float:
    """Categorical labels for a phone: wrapped on the y axis; turned on an x axis with more than three (wrapped to
    three short lines in a heatmap table's wide columns, one line elsewhere, where wrapped ones would overlap). The
    depth the turned labels take under the panel (inches; 0 when not turned)."""
    labels = [t.get_text().replace("\n", " ") for t in axis.get_ticklabels()]
    turned = name == "x" and len(labels) > 3
    if not turned:
        axis.set_ticks(axis.get_ticklocs(), [textwrap.fill(t, TICK_LABEL_CHARS) for t in labels])
        return 0.0
    if is_table(ax):
        labels = [textwrap.fill(t, TURNED_CHARS) for t in labels]
    axis.set_ticks(axis.get_ticklocs(), labels)
    ax.tick_params(axis="x", labelrotation=90)
    size = axis.get_ticklabels()[0].get_fontsize()
    longest = max(len(line) for label in labels for line in label.split("\n"))
    return longest * size * CHAR_EM / 72


def _fit_axes(ax: plt.Axes) -> float:
    """Fewer ticks on a numeric or date axis, categorical labels wrapped or turned (``_words_axis``), axis labels
    wrapped; the height this panel needs (inches), with its title, turned labels and the legend under it."""
    depth = 0.0
    for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
        if axis.get_scale() != "linear" or not ax.axison:
            continue
        if _is_categorical(axis):
            depth += _words_axis(ax, axis, name)
        elif name == "x" and isinstance(axis.get_major_locator(), AutoDateLocator):  # dates: fewer, shorter ticks
            locator = AutoDateLocator(minticks=3, maxticks=5)
            axis.set_major_locator(locator)
            axis.set_major_formatter(ConciseDateFormatter(locator))
        elif name == "x" and isinstance(axis.get_major_locator(), MaxNLocator):  # numbers
            years = isinstance(axis.get_major_formatter(), FuncFormatter)
            axis.set_major_locator(MaxNLocator(nbins=4, integer=years, steps=[1, 2, 5, 10] if years else None))
        label = axis.get_label()
        label.set_text(textwrap.fill(label.get_text().replace("\n", " "), LABEL_CHARS))
    title_lines = sum(t.get_text().count("\n") + 1 for t in (ax.title, ax._left_title) if t.get_text())
    legend = ax.get_legend()
    title_lines += sum(t.get_text().count("\n") + 1 for t in legend.get_texts()) * 0.75 if legend else 0
    if ax.axison and _is_categorical(ax.yaxis):
        rows = sum(t.get_text().count("\n") + 1 for t in ax.yaxis.get_ticklabels())
        return (rows + title_lines) * ROW_INCHES + 1.2 + depth
    return PANEL_INCHES + title_lines * ROW_INCHES + depth


def _legend_under(ax: plt.Axes) -> None:
    """A panel's legend moves under it, below its axis label, in one column: on a phone it would hide the data."""
    legend = ax.get_legend()
    if legend is None or not ax.axison:
        return
    handles, labels = legend.legend_handles, [textwrap.fill(t.get_text(), LEGEND_CHARS) for t in legend.get_texts()]
    legend.remove()
    fig = ax.get_figure()
    bottom = ax.transAxes.inverted().transform((0, ax.get_tightbbox(fig.canvas.get_renderer()).y0))[1]
    # x from the figure's left edge (the legend never pushes the panel narrower), y under the panel's labels
    anchor = blended_transform_factory(fig.transFigure, ax.transAxes)
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.01, bottom - 0.02), bbox_transform=anchor, ncol=1,
              fontsize=MIN_POINTS + 1)


def _figure_legends(fig: plt.Figure) -> None:
    for legend in list(fig.legends):
        handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
        legend.remove()
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.01, 0.0), ncol=1, fontsize=MIN_POINTS + 1)


def _texts(fig: plt.Figure, caption: Text | None) -> None:
    """Every text at least ``MIN_POINTS`` and at most ``MAX_POINTS``."""
    for text in fig.findobj(Text):
        if text is caption or not text.get_text():
            continue
        text.set_fontsize(min(max(text.get_fontsize(), MIN_POINTS), MAX_POINTS))


def _wrap_to_room(fig: plt.Figure) -> None:
    """Titles wrapped to the figure's width (a panel's title aligned left starts at the figure's left edge, not the
    panel's, so it has the whole width); y labels wrapped to their panel's height."""
    width = min(fig.get_figwidth(), NARROW_INCHES)  # a wider heatmap table scrolls: its title fits the screen
    titles = [fig._suptitle] if fig._suptitle is not None else []
    for ax in _panels(fig):
        box = ax.get_position()
        for title in (ax.title, ax._left_title):
            if title.get_text() and title.get_ha() == "left" and box.width > 0:
                title.set_x((0.01 - box.x0) / box.width)
            titles.append(title)
    for title in titles:
        if title.get_text():
            title.set_text(wrap_lines([title.get_text().replace("\n", " ")], width * 0.97, title.get_fontsize()))
    for ax in _panels(fig):  # a y label no taller than its panel
        label = ax.yaxis.get_label()
        if label.get_text():
            height = ax.get_position().height * fig.get_figheight()
            label.set_text(wrap_lines([label.get_text().replace("\n", " ")], height, label.get_fontsize()))


def _layout(fig: plt.Figure) -> None:
    """tight_layout under the figure's title (its lines counted: tight_layout leaves a wrapped one over the panels)."""
    import warnings

    top = 1.0
    title = fig._suptitle
    if title is not None and title.get_text():
        lines = title.get_text().count("\n") + 1
        top = 1 - (lines * title.get_fontsize() * 1.3 / 72 + 0.1) / fig.get_figheight()
        title.set_y(0.995)
        title.set_va("top")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # colour bars and maps: tight_layout cannot place them and leaves them
        fig.tight_layout(rect=(0, 0, 1, max(top, 0.5)))


def redraw_narrow(fig: plt.Figure) -> bool:
    """Lay ``fig`` out again for a phone (``NARROW_INCHES`` wide, or wider for a heatmap table, which then scrolls
    sideways: the return value says so); the caption made by ``style.caption`` is rewrapped and placed under
    everything. The figure is changed in place: draw it for a laptop first."""
    panels = _panels(fig)
    table = any(is_table(ax) for ax in panels)
    width = NARROW_INCHES
    if table:
        width = max(NARROW_INCHES, 1.8 + TABLE_COLUMN_INCHES * max(len(ax.get_xticks()) for ax in panels))
    caption = getattr(fig, "rd_caption", None)
    _texts(fig, caption[0] if caption else None)
    rows, row_height = _stack(fig, width)
    fig.set_size_inches(width, fig.get_figheight())
    for ax in panels:  # a first time, so that no legend beside a panel takes its width
        _legend_under(ax)
    _layout(fig)
    _wrap_to_room(fig)  # a first time, for the panels' heights
    heights = [_fit_axes(ax) for ax in panels]
    if any(ax.axison for ax in panels):
        row_height = max(heights)
    fig.set_size_inches(width, max(row_height * rows + (0.6 if fig._suptitle is not None else 0), 1.5))
    _layout(fig)
    _wrap_to_room(fig)
    _layout(fig)
    for ax in panels:
        _legend_under(ax)
    _figure_legends(fig)
    if caption:
        caption[0].set_visible(False)
    overflow = fig.get_tightbbox(fig.canvas.get_renderer()).width - width
    if 0.05 * width < overflow < 0.4 * width and not table:  # labels stick out: narrow the drawing to fit
        fig.set_size_inches(width - overflow, fig.get_figheight())
        _layout(fig)
        _wrap_to_room(fig)
        _layout(fig)
    if caption:
        artist, lines = caption
        artist.set_text(wrap_lines(lines, fig.get_figwidth(), artist.get_fontsize()))
        place_below(fig, artist)
    return table


def smallest_text_points(fig: plt.Figure) -> float:
    """The size of the smallest visible text on ``fig`` (points)."""
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) if sizes else MIN_POINTS
