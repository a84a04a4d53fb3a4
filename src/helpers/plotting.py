"""The house style for charts and maps: one look, labelled axes with units, a caption naming source and
vintage, the colour-blind-safe palette and the fixed ITL1 colours of data/reference/itl1_regions.csv."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

from helpers import regions
from helpers.pipeline.sources import get_source

# Paul Tol's colour-blind-safe 'bright' scheme, for series that are not regions.
SERIES_COLOURS = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]
DIVERGING_CMAP = "PuOr"  # colour-blind-safe diverging map (ColorBrewer)
NEUTRAL = "#9AA5B1"  # bars whose colour means nothing
# Verdicts keep one meaning everywhere (Okabe-Ito, colour-blind safe): green holds, amber partly, red does not, grey unknown.
VERDICT_COLOURS = {"supported": "#009E73", "partly supported": "#E69F00", "not supported": "#D55E00",
                   "not checkable with open data": "#999999", "robust": "#009E73", "sensitive": "#E69F00",
                   "does not hold": "#D55E00"}


def verdict_colour(verdict: str) -> str:
    """The fixed colour of a verdict (claims and robustness), grey for anything else."""
    return VERDICT_COLOURS.get(str(verdict).strip().lower(), "#999999")


def year_axis(ax: plt.Axes, axis: str = "x") -> plt.Axes:
    """Whole years on a numeric year axis: integer ticks only (no 2007.5), printed without a thousands separator."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    target.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
    return ax


def wrap(text: str, width: int = 28) -> str:
    """A long label broken over lines at word boundaries (never truncated)."""
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def use_house_style() -> None:
    """Apply the house style to matplotlib (fonts, grid, palette, figure size, deterministic SVG ids)."""
    mpl.rcParams.update(
        {
            "figure.figsize": (9, 5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 11,
            "axes.prop_cycle": mpl.cycler(color=SERIES_COLOURS),
            "legend.frameon": False,
            "svg.hashsalt": "regional-divide",
        }
    )


CAPTION_POINTS = 8
CAPTION_CHAR_EM = 0.6  # average character width of DejaVu Sans (the default font), as a fraction of its size


def caption(fig: plt.Figure, *sources, note: str = "") -> None:
    """Write 'Source: publisher, title (release)' under the figure for each source, plus an optional note.

    Each of ``sources`` is a manifest id, a list of ids, or a table that carries its ids: an analysis table with
    ``attrs["source_ids"]`` or a dataset (e.g. boundaries) with a ``source_id`` column."""
    import textwrap

    lines = [f"Source: {get_source(s).citation}" for s in source_ids(*sources)]
    if note:
        lines.append(note)
    # wrapped at the figure's width in characters: matplotlib's wrap=True measures the text word by word, which
    # cost a tenth of a region profile's run time
    width = int(fig.get_figwidth() * 72 * 0.98 / (CAPTION_POINTS * CAPTION_CHAR_EM))
    text = "\n".join(textwrap.fill(line, width) for line in lines)
    lowest = fig.get_tightbbox(fig.canvas.get_renderer()).y0 / fig.get_figheight()  # below rotated tick labels
    fig.text(0.01, min(lowest, 0.0) - 0.01, text, ha="left", va="top", fontsize=CAPTION_POINTS, color="#444444")


def source_ids(*sources) -> list[str]:
    """The manifest ids of ``sources`` (ids, lists of ids, tables with ``attrs["source_ids"]`` or a ``source_id``
    column), in order, each once. A table that says nothing about its sources is an error."""
    import pandas as pd

    found: list[str] = []
    for item in sources:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, (pd.DataFrame, pd.Series)):
            if "source_ids" in item.attrs:
                found.extend(item.attrs["source_ids"])
            elif isinstance(item, pd.DataFrame) and "source_id" in item.columns:
                found.extend(pd.unique(item["source_id"]))
            else:
                raise ValueError("this table carries no source ids (attrs['source_ids'] or a source_id column)")
        else:
            found.extend(item)
    return list(dict.fromkeys(found))


def region_colour(code: str) -> str:
    """The fixed colour of an ITL1 region (ITL2 and ITL3 areas take their ITL1 region's colour)."""
    return regions.itl1_colours()[regions.parent_itl1(code)]


def choropleth(ax: plt.Axes, boundaries, values, *, label: str, cmap: str = DIVERGING_CMAP, centre: float | None = 0.0,
               ratio: bool = False):
    """Shade ``boundaries`` (GeoDataFrame with region_code) by ``values`` (Series indexed by region_code).

    With ``centre`` set, the colour scale is symmetric around it (for gaps and changes). With ``ratio`` (for
    location quotients and other ratios to an average of 1), colours follow log2 of the value, so that half
    and double are equally far from 1, and the colour bar is labelled in the original values."""
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm

    values = values.astype(float)
    if ratio:
        values, centre = np.log2(values.where(values > 0)), 0.0
    data = boundaries.merge(values.rename("value"), left_on="region_code", right_index=True, how="left")
    norm = None
    if centre is not None:
        span = float(np.nanmax(np.abs(data["value"] - centre))) or 1.0
        norm = TwoSlopeNorm(vcenter=centre, vmin=centre - span, vmax=centre + span)
    data.plot(column="value", ax=ax, cmap=cmap, norm=norm, edgecolor="white", linewidth=0.4, legend=True,
              legend_kwds={"label": label, "shrink": 0.6}, missing_kwds={"color": "#DDDDDD", "label": "no data"})
    if ratio:
        colourbar = ax.get_figure().axes[-1]
        ticks = [t for t in range(-6, 7) if abs(t) <= span]
        colourbar.set_yticks(ticks, [f"{2.0 ** t:g}" for t in ticks])
    ax.set_axis_off()
    return ax


def ranked_bars(ax: plt.Axes, values, *, xlabel: str, reference: float | None = None, reference_label: str = "",
                legend_loc: str = "best", colour: str | None = None, reference_width: float = 1.0,
                row_grid: bool = False, highlight=(regions.LONDON,), wrap_width: int = 34):
    """Horizontal bars of ``values`` (Series indexed by ITL1 or ITL2 code, or by labels), largest at the top: one
    neutral colour (or ``colour``), the ``highlight`` regions (London by default) in their fixed colours; labels
    wrapped, never cut; an optional vertical reference line (e.g. 1 for location quotients, the UK value for gaps)
    ``reference_width`` points wide; ``row_grid`` keeps the grid lines through the bars."""
    ordered = values.dropna().sort_values()
    labels = [wrap(regions.short_label(c) if _is_region(c) else c, wrap_width) for c in ordered.index]
    colours = [region_colour(c) if _is_region(c) and c in highlight else (colour or NEUTRAL) for c in ordered.index]
    ax.barh(labels, ordered, color=colours)
    lines = sum(label.count("\n") + 1 for label in labels)
    if ax.get_figure().get_figheight() < 0.26 * lines + 1.6:  # room for every line of every label
        ax.get_figure().set_figheight(0.26 * lines + 1.6)
    if reference is not None:
        ax.axvline(reference, color="black", linestyle=":", linewidth=reference_width, label=reference_label or None)
        if reference_label:
            ax.legend(loc=legend_loc)
    ax.set_xlabel(xlabel)
    if not row_grid:
        ax.grid(axis="y", visible=False)
    return ax


def heatmap(ax: plt.Axes, table, *, label: str, centre: float | None = 0.0, fmt: str = ".1f", cmap: str = DIVERGING_CMAP):
    """Annotated heatmap of a region x indicator table (rows labelled with region short labels)."""
    import seaborn as sns

    shown = table.rename(index=lambda c: regions.short_label(c) if _is_region(c) else c)
    sns.heatmap(shown, ax=ax, cmap=cmap, center=centre, annot=True, fmt=fmt, linewidths=0.5,
                cbar_kws={"label": label, "shrink": 0.7}, annot_kws={"fontsize": 8})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    return ax


def table(frame, precision: int = 1, *, title: str = "", columns: dict | None = None, anchor: str | None = None):
    """The reader's table of ``frame`` (``helpers.formatting``: labels with units, numbers by kind, one header row,
    region names, deterministic HTML) with an anchor and its data as CSV (``helpers.outputs``)."""
    from helpers import outputs

    return outputs.table(frame, precision, title=title, columns=columns, anchor=anchor)


def headline_table(headlines: list[dict], *, title: str = "Headline figures (reports/metrics.csv)"):
    """The table of the metrics a report recorded, each figure formatted by its unit (``formatting.headline_frame``)."""
    from helpers import formatting

    return table(formatting.headline_frame(headlines), title=title)


def show(fig: plt.Figure, *, data, title: str | None = None, alt: str | None = None, anchor: str | None = None) -> None:
    """Display ``fig`` with an anchor, alt text from its title and a CSV link to ``data`` (``outputs.show``)."""
    from helpers import outputs

    outputs.show(fig, data=data, title=title, alt=alt, anchor=anchor)


def show_table(frame, precision: int = 1, *, title: str = "", columns: dict | None = None, anchor: str | None = None):
    """Display the reader's table of ``frame`` now (see ``table``)."""
    from helpers import outputs

    outputs.show_table(frame, precision, title=title, columns=columns, anchor=anchor)


def say(text: str) -> None:
    """A sentence of finding as Markdown output, not print()."""
    from helpers import outputs

    outputs.say(text)


def _is_region(code) -> bool:
    return isinstance(code, str) and (code in regions.itl1().index or code in regions.itl2().index)
