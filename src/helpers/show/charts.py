"""Chart builders shared by the notebooks, in the house style of ``helpers.show.style`` (which holds the style, the
caption, maps, ranked bars, heatmaps and tables). Each builder draws on the axes it is given and returns them;
titles, which state a finding, stay in the notebooks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import regions
from helpers.findings.numbers import fmt as format_number
from helpers.show.style import DIVERGING_CMAP, NEUTRAL, SERIES_COLOURS, is_region, region_colour, wrap, year_axis

GREY = "#BBBBBB"


def _label(code) -> str:
    return wrap(regions.short_label(code) if isinstance(code, str) and code in regions.itl1().index else str(code))


def line_styles(n: int) -> list[dict]:
    """Colour and dash of ``n`` series: the series colours in order, dashed on a second round (never a series
    dropped, never two alike)."""
    return [{"color": SERIES_COLOURS[k % len(SERIES_COLOURS)], "linestyle": "-" if k < len(SERIES_COLOURS) else "--"}
            for k in range(n)]


def _years(ax: plt.Axes, index) -> None:
    """Integer year ticks when the x values are years (numbers), not dates."""
    if pd.api.types.is_numeric_dtype(pd.Index(index)):
        year_axis(ax)


def grouped_bars(ax: plt.Axes, table: pd.DataFrame, *, xlabel: str, colours: list[str] = SERIES_COLOURS) -> plt.Axes:
    """Horizontal bars of each column of ``table`` side by side for each row (region), rows ordered by the first
    column (largest at the top), one colour per column, with a legend of the column names."""
    order = table.sort_values(table.columns[0]).index
    y = np.arange(len(order))
    height = 0.8 / len(table.columns)
    for k, (column, colour) in enumerate(zip(table.columns, colours)):
        ax.barh(y + 0.4 - height * (k + 0.5), table.loc[order, column], height=height, color=colour, label=column)
    ax.set_yticks(list(y), [_label(c) for c in order])
    ax.set_xlabel(xlabel)
    ax.legend()
    return ax


def stacked_components(ax: plt.Axes, components: pd.DataFrame, *, names: list[str], total: pd.Series | None = None,
                       total_label: str = "actual change", xlabel: str = "") -> plt.Axes:
    """Horizontal stacked bars of components that may be negative (positive parts stack right of 0, negative parts
    left), one bar per row in ``components``' order, plus a black dot at each row's ``total``."""
    labels = [_label(c) for c in components.index]
    left_pos, left_neg = np.zeros(len(components)), np.zeros(len(components))
    for column, colour, name in zip(components.columns, SERIES_COLOURS, names):
        values = components[column].to_numpy()
        ax.barh(labels, values, left=np.where(values >= 0, left_pos, left_neg), color=colour, label=name)
        left_pos += np.clip(values, 0, None)
        left_neg += np.clip(values, None, 0)
    if total is not None:
        ax.scatter(total.loc[components.index], labels, color="black", zorder=3, s=15, label=total_label)
    ax.set_xlabel(xlabel)
    ax.legend(loc="best", fontsize=8)
    return ax


def highlighted_lines(ax: plt.Axes, wide: pd.DataFrame, highlight, *, ylabel: str, xlabel: str = "Year",
                      reference: float | None = None) -> plt.Axes:
    """One line per region column of ``wide``: the ``highlight`` regions thick in their colours and labelled,
    the others thin and grey; an optional horizontal reference line (e.g. the index base of 100)."""
    for code in wide.columns:
        on = code in highlight
        ax.plot(wide.index, wide[code], color=region_colour(code) if on else GREY, linewidth=2 if on else 0.8,
                label=regions.short_label(code) if on else None, zorder=3 if on else 1)
    if reference is not None:
        ax.axhline(reference, color="black", linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    _years(ax, wide.index)
    ax.legend(loc="best")
    return ax


def region_lines(ax: plt.Axes, wide: pd.DataFrame, *, ylabel: str, emphasis: str | None = None,
                 reference: float | None = None, xlabel: str = "Year") -> plt.Axes:
    """One line per region column of ``wide`` in its fixed colour (``emphasis`` thicker), legend outside on the
    right, optional horizontal reference line."""
    for code in wide.columns:
        ax.plot(wide.index, wide[code], color=region_colour(code), label=regions.short_label(code),
                linewidth=2.5 if code == emphasis else 1.2)
    if reference is not None:
        ax.axhline(reference, color="black", linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    _years(ax, wide.index)
    ax.legend(ncol=2, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def series_lines(ax: plt.Axes, series: dict[str, pd.Series], *, ylabel: str, xlabel: str = "Year",
                 styles: dict[str, dict] | None = None, reference: float | None = None, reference_colour: str = "grey",
                 legend: dict | None = None):
    """One line per labelled series (``styles[label]``: matplotlib keywords such as color, linestyle; by default
    the series colours in order), an optional horizontal reference line and a legend."""
    for (label, values), style in zip(series.items(), line_styles(len(series))):
        ax.plot(values.index, values, **{**style, **(styles or {}).get(label, {})}, label=label)
    if reference is not None:
        ax.axhline(reference, color=reference_colour, linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    _years(ax, next(iter(series.values())).index)
    ax.legend(**{"loc": "best", **(legend or {})})
    return ax


def small_multiples(series: dict[str, pd.DataFrame], codes: list[str], *, ylabel: str, title: str,
                    shape: tuple[int, int] = (3, 4)) -> plt.Figure:
    """One panel per region code, each with a line per labelled year x region table in ``series``."""
    fig, axes = plt.subplots(*shape, figsize=(13, 8), sharex=True, sharey=True)
    for ax, code in zip(axes.flat, codes):
        for (label, table), style in zip(series.items(), line_styles(len(series))):
            ax.plot(table.index, table[code], **style, label=label)
        ax.set_title(regions.short_label(code), fontsize=10)
        _years(ax, next(iter(series.values())).index)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    axes[0, 0].legend()
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def panels_over_time(tables: dict[str, pd.DataFrame], panels: dict[str, tuple[str, str]]) -> tuple[plt.Figure, np.ndarray]:
    """One panel per column named in ``panels`` (column -> (title, y label)), with a line per labelled year-indexed
    table in ``tables``; legend on the first panel."""
    fig, axes = plt.subplots(1, len(panels), figsize=(13, 4.5), sharex=True)
    for (label, table), style in zip(tables.items(), line_styles(len(tables))):
        for ax, column in zip(axes, panels):
            ax.plot(table.index, table[column], **style, label=label)
    for ax, (title, ylabel) in zip(axes, panels.values()):
        ax.set_title(title, fontsize=11)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("Year")
        _years(ax, next(iter(tables.values())).index)
    axes[0].legend(fontsize=7, loc="best")
    return fig, axes


def region_scatter(ax: plt.Axes, x: pd.Series, y: pd.Series, *, xlabel: str, ylabel: str, sizes=40,
                   fit=None, fit_label: str = "", annotate: list[str] = (), legend: bool = True) -> plt.Axes:
    """Scatter of areas (index: region codes) coloured by their ITL1 region, with a legend of those regions (beside
    the panel; ``legend=False`` on all but one of several panels);
    optional fitted line ``fit = (intercept, slope)`` over the range of ``x`` and labels for the codes in
    ``annotate``."""
    from matplotlib.lines import Line2D

    ax.scatter(x, y, c=[region_colour(c) for c in y.index], s=sizes)
    present = [c for c in regions.itl1().index if c in {regions.parent_itl1(code) for code in y.index}]
    handles = [Line2D([], [], marker="o", linestyle="", color=region_colour(c), label=regions.short_label(c))
               for c in present]
    if fit is not None:
        xs = np.linspace(x.min(), x.max(), 20)
        handles += ax.plot(xs, fit[0] + fit[1] * xs, color="black", linestyle=":", label=fit_label)
    if legend:
        ax.legend(handles=handles, fontsize=7, ncol=1, loc="upper left", bbox_to_anchor=(1, 1))
    for code in annotate:
        name = regions.region_name(code).replace("Inner London - ", "IL ").replace("Outer London - ", "OL ")
        ax.annotate(name, (x[code], y[code]), fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def locator_map(ax: plt.Axes, boundaries, region: str) -> plt.Axes:
    """The UK's ITL2 areas in grey, the ITL1 region containing ``region`` shaded in its colour, and ``region``
    itself (the whole ITL1 region, or one ITL2 area) solid with a black outline."""
    itl1 = regions.parent_itl1(region)
    colour = region_colour(itl1)
    boundaries.plot(ax=ax, color="#E8E8E8", edgecolor="white", linewidth=0.4)
    in_region = boundaries[[regions.parent_itl1(c) == itl1 for c in boundaries.region_code]]
    in_region.plot(ax=ax, color=colour, alpha=0.45, edgecolor="white", linewidth=0.4)
    highlight = in_region if region == itl1 else boundaries[boundaries.region_code == region]
    highlight.plot(ax=ax, color=colour, edgecolor="black", linewidth=0.8)
    ax.set_axis_off()
    return ax


def choropleth(ax: plt.Axes, boundaries, values, *, label: str, cmap: str = DIVERGING_CMAP, centre: float | None = 0.0,
               ratio: bool = False, discrete: bool = False, count_noun: str = ""):
    """Shade ``boundaries`` (GeoDataFrame with region_code) by ``values`` (Series indexed by region_code).

    With ``centre`` set, the colour scale is symmetric around it (for gaps and changes). With ``ratio`` (for
    location quotients and other ratios to an average of 1), colours follow log2 of the value, so that half
    and double are equally far from 1, and the colour bar is labelled in the original values. With ``discrete``
    (counts: zones, sites), one colour per value and a legend with one patch per value ("0 zones", "1 zone", ...:
    ``count_noun`` is the plural) instead of a continuous colour bar (``discrete_choropleth``)."""
    if discrete:
        return discrete_choropleth(ax, boundaries, values, label=label, cmap=cmap, count_noun=count_noun)
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm

    values = values.astype(float)
    if ratio:
        values, centre = np.log2(values.where(values > 0)), 0.0
    data = boundaries.merge(values.rename("value"), left_on="region_code", right_index=True, how="left")
    scale = {}  # without a centre, no norm at all: geopandas scales a norm=None colour bar to 0-1, not to the data
    if centre is not None:
        span = float(np.nanmax(np.abs(data["value"] - centre))) or 1.0
        scale["norm"] = TwoSlopeNorm(vcenter=centre, vmin=centre - span, vmax=centre + span)
    data.plot(column="value", ax=ax, cmap=cmap, **scale, edgecolor="white", linewidth=0.4, legend=True,
              legend_kwds={"label": label, "shrink": 0.6}, missing_kwds={"color": "#DDDDDD", "label": "no data"})
    if ratio:
        colourbar = ax.get_figure().axes[-1]
        ticks = [t for t in range(-6, 7) if abs(t) <= span]
        colourbar.set_yticks(ticks, [f"{2.0 ** t:g}" for t in ticks])
    ax.set_axis_off()
    return ax


def count_label(value: float, noun: str = "") -> str:
    """A count with its noun: "0 zones", "1 zone", "2 zones" (the number alone without a noun)."""
    number = format_number(value, "count")
    if not noun:
        return number
    return f"{number} {noun[:-1] if value == 1 and noun.endswith('s') else noun}"


def discrete_choropleth(ax: plt.Axes, boundaries, values, *, label: str, cmap: str = "Blues", count_noun: str = ""):
    """Shade ``boundaries`` by a count per region: one colour per count value (light to dark), a legend titled
    ``label`` with one patch per value, areas without data in grey. The legend stays when the caller adds another
    (``ax.legend`` for points drawn on the map)."""
    from matplotlib.patches import Patch

    data = boundaries.merge(values.astype(float).rename("value"), left_on="region_code", right_index=True, how="left")
    levels = sorted(data["value"].dropna().unique())
    colours = dict(zip(levels, plt.get_cmap(cmap)(np.linspace(0.12, 0.85, len(levels))))) if levels else {}
    handles = []
    for level in levels:
        data[data["value"] == level].plot(ax=ax, color=colours[level], edgecolor="white", linewidth=0.4)
        handles.append(Patch(facecolor=colours[level], edgecolor="#999999", label=count_label(level, count_noun)))
    if data["value"].isna().any():
        data[data["value"].isna()].plot(ax=ax, color="#DDDDDD", edgecolor="white", linewidth=0.4)
        handles.append(Patch(facecolor="#DDDDDD", edgecolor="#999999", label="no data"))
    legend = ax.legend(handles=handles, title=label, loc="upper left", frameon=False)
    ax.add_artist(legend)
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
    labels = [wrap(regions.short_label(c) if is_region(c) else c, wrap_width) for c in ordered.index]
    colours = [region_colour(c) if is_region(c) and c in highlight else (colour or NEUTRAL) for c in ordered.index]
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

    shown = table.rename(index=lambda c: regions.short_label(c) if is_region(c) else c)
    sns.heatmap(shown, ax=ax, cmap=cmap, center=centre, annot=True, fmt=fmt, linewidths=0.5,
                cbar_kws={"label": label, "shrink": 0.7}, annot_kws={"fontsize": 8})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    return ax

