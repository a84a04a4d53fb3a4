"""The house style for charts and maps: one look, labelled axes with units, a caption naming source and
vintage, the colour-blind-safe palette and the fixed ITL1 colours of data/reference/itl1_regions.csv."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

from helpers import regions
from helpers.data.sources import get_source
from helpers.show.narrow import place_below, wrap_lines
from helpers.show.outputs import SOURCES_ATTRIBUTE

# Paul Tol's colour-blind-safe 'bright' scheme, for series that are not regions.
SERIES_COLOURS = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]
DIVERGING_CMAP = "PuOr"  # colour-blind-safe diverging map (ColorBrewer)
NEUTRAL = "#9AA5B1"  # bars whose colour means nothing
# Verdicts keep one meaning everywhere (Okabe-Ito, colour-blind safe): green holds, amber partly, red does not, grey unknown.
VERDICT_COLOURS = {"supported": "#009E73", "partly supported": "#E69F00", "contradicted by a comparable measure": "#D55E00",
                   "not reproduced on a different measure": "#CC79A7", "not checkable": "#999999",
                   "robust": "#009E73", "sensitive": "#E69F00", "does not hold": "#D55E00"}


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


def caption(fig: plt.Figure, *sources, note: str = "") -> None:
    """Write 'Source: publisher, title (release)' under the figure for each source, plus an optional note.

    Each of ``sources`` is a manifest id, a list of ids, or a table that carries its ids: an analysis table with
    ``attrs["source_ids"]`` or a dataset (e.g. boundaries) with a ``source_id`` column. The lines are kept on the
    figure (``rd_caption``) so that the phone rendering (``helpers.show.narrow``) wraps them again."""
    ids = source_ids(*sources)
    setattr(fig, SOURCES_ATTRIBUTE, [*getattr(fig, SOURCES_ATTRIBUTE, []), *ids])  # the report's run card lists them
    lines = source_lines(ids)
    if note:
        lines.append(note)
    # wrapped at the figure's width in characters: matplotlib's wrap=True measures the text word by word, which
    # cost a tenth of a region profile's run time
    text = fig.text(0.01, 0.0, wrap_lines(lines, fig.get_figwidth(), CAPTION_POINTS), ha="left", va="top",
                    fontsize=CAPTION_POINTS, color="#444444")
    fig.rd_caption = (text, lines)
    place_below(fig, text)


CAPTION_SOURCES = 2  # more sources than this are cited by publisher only (the run card lists each with its release)


def source_lines(ids: list[str]) -> list[str]:
    """The source lines under a chart, each citation once: "Source: <citation>" for one or two sources, else one
    short line naming the publishers and pointing at the report's run card for the titles and releases."""
    citations = list(dict.fromkeys(get_source(s).citation for s in ids))
    if len(citations) <= CAPTION_SOURCES:
        return [f"Source: {c}" for c in citations]
    publishers = list(dict.fromkeys(get_source(s).publisher for s in ids))
    return [f"Sources: {'; '.join(publishers)} ({len(citations)} releases, see run card)"]


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


def is_region(code) -> bool:
    return isinstance(code, str) and (code in regions.itl1().index or code in regions.itl2().index)
