"""Showing a chart or a table in a report is one call: ``show(fig, data=frame)`` or ``table(frame, title=...)``.

Each output gets a stable anchor (a slug of its title), alt text written from its title and axes (not nbconvert's
"No description has been provided"), and a "Download the data (CSV)" link to exactly the data drawn. The output is
one display bundle: ``text/html`` (the figure or table with a ``data:`` link, so it works in JupyterLab as it is)
and ``DOWNLOAD_MIME`` carrying ``{anchor, filename, title, csv}``, which the report renderer
(``helpers.site.render``) reads from the executed notebook to make the anchors unique and write the links. No
file is written by the kernel."""

from __future__ import annotations

import base64
import html
import io
import re
import unicodedata

import pandas as pd

from helpers.show.narrow import CSS_PX_PER_INCH, NARROW_BREAK, NARROW_DPI, redraw_narrow, smallest_text_points

DOWNLOAD_MIME = "application/vnd.regional-divide.download+json"
FINDINGS_MIME = "application/vnd.regional-divide.findings+json"  # a report's findings (``helpers.show.records``)
METRICS_MIME = "application/vnd.regional-divide.metrics+json"  # its headline figures
CLAIMS_MIME = "application/vnd.regional-divide.claims+json"  # question 4's claims on their own scale (not findings)
SOURCES_ATTRIBUTE = "rd_source_ids"  # on a matplotlib figure: the sources its caption cites (``style.caption``)
DOWNLOAD_ATTRIBUTE = "data-rd-download"  # on the <a> of each CSV link; its value is the CSV's file name


def slug(text: str, limit: int = 60) -> str:
    """A URL fragment from a title: lower case ASCII words joined by hyphens, cut at a word under ``limit``."""
    ascii_text = unicodedata.normalize("NFKD", re.sub(r"[\u2010-\u2015]", " ", text)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("%", " pct "))
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit and out:
            break
        out = f"{out}-{word}" if out else word
    return out or "output"


def figure_title(fig) -> str:
    """The finding a figure states: its suptitle, else the titles of its axes."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    titles = [ax.get_title() or ax.get_title("left") for ax in fig.axes]
    return "; ".join(t for t in titles if t)


def figure_alt(fig, title: str) -> str:
    """Alt text: the title (the finding), then what each panel plots."""
    parts = []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            shading = ax.get_ylabel() or ax.get_xlabel()
            parts.append(f"colours show {shading}" if shading else "")
            continue
        if not ax.axison:
            parts.append("a map")
            continue
        y, x = ax.get_ylabel(), ax.get_xlabel()
        if x and y:
            parts.append(f"{y} against {x}")
        elif x or y:
            parts.append(x or y)
    parts = [p for p in dict.fromkeys(parts) if p]
    plotted = f" Chart of {'; '.join(parts)}." if parts else ""
    return f"{title.rstrip('.')}.{plotted}"


def figure_axes(fig) -> list[str]:
    """The labels of a figure's axes and colour bars (with their units), each once: the "About this data" of its CSV."""
    labels = [label for ax in fig.axes for label in (ax.get_ylabel(), ax.get_xlabel())]
    return list(dict.fromkeys(label.replace("\n", " ") for label in labels if label))


def csv_text(data) -> str:
    """The CSV of the data drawn (a frame, a series, or a dict of named series/frames side by side)."""
    if isinstance(data, dict):
        data = pd.concat({str(k): v for k, v in data.items()}, axis=1)
    if isinstance(data, pd.Series):
        data = data.to_frame(data.name if data.name is not None else "value")
    return data.to_csv(lineterminator="\n")


def _download_link(csv: str, filename: str) -> str:
    href = "data:text/csv;base64," + base64.b64encode(csv.encode()).decode()
    return (f'<a class="rd-download" href="{href}" download="{html.escape(filename)}" '
            f'{DOWNLOAD_ATTRIBUTE}="{html.escape(filename)}">Download the data (CSV)</a>')


def bundle(body: str, *, anchor: str, title: str, csv: str, kind: str, sources=(), units=()) -> dict:
    """The display bundle of one output: HTML with anchor and CSV link, and the download payload (with the manifest
    ids of the sources it shows: the report's run card lists them; and ``units``, the labels, with their units, of
    the columns that hold its values, for the metadata the report offers beside the CSV)."""
    filename = f"{anchor}.csv"
    wrapped = (f'<figure class="rd-{kind}" id="{html.escape(anchor)}" style="margin:1em 0">{body}'
               f'<figcaption class="rd-links">{_download_link(csv, filename)} · '
               f'<a class="rd-anchor" href="#{html.escape(anchor)}">Link to this {kind}</a></figcaption></figure>')
    payload = {"anchor": anchor, "filename": filename, "title": title, "kind": kind, "csv": csv,
               "sources": list(dict.fromkeys(sources)), "units": list(units)}
    return {"text/html": wrapped, "text/plain": f"{kind.capitalize()}: {title}", DOWNLOAD_MIME: payload}


def show(fig, *, data, title: str | None = None, alt: str | None = None, anchor: str | None = None) -> None:
    """Display ``fig`` as an image with alt text, an anchor and a CSV link to ``data`` (the data drawn), then close it.
    ``title`` defaults to the figure's (suptitle or axes titles), ``alt`` to the title and the axes' labels. The
    image is a ``<picture>``: the figure as drawn for a laptop, and drawn again for a phone (``helpers.show.narrow``)
    for windows narrower than ``NARROW_BREAK``."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    title = title or figure_title(fig)
    alt = alt or figure_alt(fig, title)
    units = figure_axes(fig)
    body = picture(fig, alt)
    plt.close(fig)
    sources = [*getattr(fig, SOURCES_ATTRIBUTE, []), *_table_sources(data)]
    out = bundle(body, anchor=anchor or slug(title), title=title, csv=csv_text(data), kind="figure", sources=sources,
                 units=units)
    display(out, raw=True)


def _png(fig, dpi: float) -> tuple[str, int]:
    """The figure as a base64 palette PNG at ``dpi``, and its width in CSS px (at ``CSS_PX_PER_INCH``)."""
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    width = Image.open(io.BytesIO(buffer.getvalue())).width
    return base64.b64encode(small_png(buffer.getvalue())).decode(), round(width * CSS_PX_PER_INCH / dpi)


def picture(fig, alt: str) -> str:
    """The ``<picture>`` of a figure: the phone rendering for narrow windows, the laptop one otherwise. A heatmap
    table keeps legible columns on a phone and scrolls sideways in a marked box. The ``img`` carries the phone
    rendering's width and smallest text (CSS px at that width), which the browser test checks."""
    wide, _ = _png(fig, CSS_PX_PER_INCH)
    scrolls = redraw_narrow(fig)
    narrow, narrow_width = _png(fig, NARROW_DPI)
    text_px = smallest_text_points(fig) * CSS_PX_PER_INCH / 72
    density = NARROW_DPI / CSS_PX_PER_INCH
    image = (f'<picture><source media="(max-width: {NARROW_BREAK}px)" srcset="data:image/png;base64,{narrow} '
             f'{density:g}x"><img src="data:image/png;base64,{wide}" alt="{html.escape(alt)}" '
             f'data-rd-narrow-width="{narrow_width}" data-rd-narrow-text-px="{text_px:.1f}" '
             'style="max-width:100%;height:auto"></picture>')
    if not scrolls:
        return image
    return ('<p class="rd-chart-hint" aria-hidden="true">Scroll sideways for more columns &rarr;</p>'
            f'<div class="rd-chart-scroll" tabindex="0" role="region" aria-label="{html.escape(alt[:80])}">{image}</div>')


PNG_COLOURS = 128  # a chart's palette: flat colours and anti-aliased edges fit; a third of the bytes of full colour


def small_png(png: bytes) -> bytes:
    """The chart as a palette PNG (``PNG_COLOURS`` colours, no dithering, optimised): about a third of the size of
    matplotlib's full-colour PNG, so a report page stays light; the full-colour PNG if that is not smaller."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(colors=PNG_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


def _table_sources(data) -> list[str]:
    """The source ids a table (or a dict of tables) carries in ``attrs["source_ids"]``."""
    items = data.values() if isinstance(data, dict) else [data]
    return [s for item in items for s in getattr(item, "attrs", {}).get("source_ids", [])]


def say(text: str) -> None:
    """A sentence of finding as Markdown output (not print())."""
    from IPython.display import Markdown, display

    display(Markdown(text))
