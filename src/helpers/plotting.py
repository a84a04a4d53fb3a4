"""The house style for charts and maps: one look, labelled axes with units, a caption naming source and
vintage, the colour-blind-safe palette and the fixed ITL1 colours of data/reference/itl1_regions.csv."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

from helpers import regions
from helpers.sources import get_source

# Paul Tol's colour-blind-safe 'bright' scheme, for series that are not regions.
SERIES_COLOURS = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]
DIVERGING_CMAP = "PuOr"  # colour-blind-safe diverging map (ColorBrewer)


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


def caption(fig: plt.Figure, source_ids: list[str], note: str = "") -> None:
    """Write 'Source: publisher, title (release)' for each source id under the figure, plus an optional note."""
    lines = [f"Source: {get_source(s).citation}" for s in source_ids]
    if note:
        lines.append(note)
    fig.text(0.01, -0.01, "\n".join(lines), ha="left", va="top", fontsize=8, color="#444444", wrap=True)


def region_colour(code: str) -> str:
    """The fixed colour of an ITL1 region (ITL2 areas take their ITL1 region's colour)."""
    return regions.itl1_colours()[code[:3]]


def choropleth(ax: plt.Axes, boundaries, values, *, label: str, cmap: str = DIVERGING_CMAP, centre: float | None = 0.0):
    """Shade ``boundaries`` (GeoDataFrame with region_code) by ``values`` (Series indexed by region_code).

    With ``centre`` set, the colour scale is symmetric around it (for gaps and changes)."""
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm

    data = boundaries.merge(values.rename("value"), left_on="region_code", right_index=True, how="left")
    norm = None
    if centre is not None:
        span = float(np.nanmax(np.abs(data["value"] - centre))) or 1.0
        norm = TwoSlopeNorm(vcenter=centre, vmin=centre - span, vmax=centre + span)
    data.plot(column="value", ax=ax, cmap=cmap, norm=norm, edgecolor="white", linewidth=0.4, legend=True,
              legend_kwds={"label": label, "shrink": 0.6}, missing_kwds={"color": "#DDDDDD", "label": "no data"})
    ax.set_axis_off()
    return ax
