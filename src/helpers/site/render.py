"""Rendering: an executed notebook to standalone HTML (nbconvert, no code cells, images embedded) with a run
card (parameters, data sources with releases, git commit, run date) and a table of contents at the top.

Charts and tables shown with ``helpers.show.outputs`` carry their data as a download output (``DOWNLOAD_MIME``:
anchor, file name, CSV). ``render_html`` gives them stable anchors (section heading + kind) and either keeps each CSV
link as a ``data:text/csv`` URI (the default: the page stays one self-contained file) or, given a ``files`` dict,
points the link at ``<report name>/<anchor>.csv`` and puts the CSV text in ``files`` under that relative path for
the caller to write beside the report. Beside each CSV link goes an "About this data (JSON)" link (``about``: the
columns, the unit of what is measured where the output knows it, and each source's publisher, title, release and
licence from the manifest), a ``data:`` URI or ``<report name>/<anchor>.json`` likewise."""

from __future__ import annotations

import base64
import csv
import functools
import html as html_module
import io
import json
import re
import subprocess
from pathlib import Path

from helpers.config import PACKAGE_ROOT
from helpers.safe_text import safe_links
from helpers.show.outputs import DOWNLOAD_ATTRIBUTE, DOWNLOAD_MIME
from helpers.site.config import ReportRun
from helpers.site.dates import plain_duration, plain_time
from helpers.site.glossary import link_terms

TEMPLATES = Path(__file__).parent / "templates"
ABOUT_ATTRIBUTE = "data-rd-about"  # on the <a> of each "About this data (JSON)" link; its value is the JSON's file name


def render_html(notebook, run: ReportRun, *, commit: str, started: str, duration_s: float,
                files: dict[str, str] | None = None, sources: list[str] | None = None) -> str:
    """Standalone HTML without code cells: images embedded, a run card and a table of contents at the top, and a
    CSV link under every chart and table (``data:`` URIs, or relative links to the entries added to ``files``).
    The run card lists ``sources`` (the manifest ids of what the report shows), else those of ``run.datasets``."""
    exporter = _exporter()
    notebook.metadata.pop("papermill", None)
    for number, cell in enumerate(notebook.cells):  # papermill gives its injected cell a random id
        cell.id = f"cell-{number:03d}"
    link_downloads(notebook, folder=run.name, files=files)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": run.title}})
    body = link_terms(body)  # the first use in prose of each glossary term, linked to glossary.html
    header = template("run_card.html.j2").render(
        run=run, sources=source_records(sources if sources is not None else datasets_sources(run.datasets)),
        commit=commit, started=plain_time(started), duration=plain_duration(duration_s),
        toc=_headings(body),
    )
    return safe_links(re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header, body, count=1))


def downloads(notebook) -> list[dict]:
    """The download payloads (anchor, filename, title, kind, csv) of the notebook's outputs, in order."""
    return [output["data"][DOWNLOAD_MIME] for cell in notebook.cells for output in cell.get("outputs", [])
            if DOWNLOAD_MIME in output.get("data", {})]


def link_downloads(notebook, *, folder: str, files: dict[str, str] | None = None) -> list[dict]:
    """Give each download output a stable anchor, ``<section>-<kind>[-n]`` (the slug of the Markdown heading it
    sits under, ``figure`` or ``table``, and a counter within the section), so links survive new data even though
    titles carry numbers; with ``files``, point its CSV link at ``<folder>/<anchor>.csv`` and add the CSV to
    ``files`` under that path. Edits the outputs in place; returns their payloads."""
    from helpers.show.outputs import slug

    seen: dict[str, int] = {}
    payloads, section = [], "report"
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            headings = re.findall(r"^#{1,3}\s+(.+)$", "".join(cell.source), flags=re.M)
            section = slug(headings[-1]) if headings else section
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if DOWNLOAD_MIME not in data:
                continue
            payload = dict(data[DOWNLOAD_MIME])
            old, base = payload["anchor"], f"{section}-{payload.get('kind', 'figure')}"
            seen[base] = seen.get(base, 0) + 1
            new = base if seen[base] == 1 else f"{base}-{seen[base]}"
            page = data.get("text/html", "")
            page = "".join(page) if isinstance(page, list) else page
            page = (page.replace(f'id="{old}"', f'id="{new}"').replace(f'href="#{old}"', f'href="#{new}"')
                    .replace(f'"{old}.csv"', f'"{new}.csv"'))
            payload.update(anchor=new, filename=f"{new}.csv")
            metadata = json.dumps(about(payload), indent=1, ensure_ascii=False) + "\n"
            about_href = "data:application/json;base64," + base64.b64encode(metadata.encode()).decode()
            if files is not None:
                path = f"{folder}/{payload['filename']}"
                files[path] = payload["csv"]
                page = re.sub(rf'href="data:text/csv;base64,[^"]*"(?=[^>]*{DOWNLOAD_ATTRIBUTE}="{re.escape(payload["filename"])}")',
                              f'href="{path}"', page)
                about_href = f"{folder}/{new}.json"
                files[about_href] = metadata
            page = _with_about_link(page, payload["filename"], about_href, f"{new}.json")
            data["text/html"], data[DOWNLOAD_MIME] = page, payload
            payloads.append(payload)
    return payloads


def about(payload: dict) -> dict:
    """What a download's CSV holds, for the "About this data (JSON)" link beside it: its title and columns, the
    unit of what it measures where the output knows it (a table's value columns, labelled with their units; a
    chart's axis labels), and for each source its publisher, title, release and licence
    (from the manifest)."""
    header = next(csv.reader(io.StringIO(payload.get("csv", ""))), [])
    out = {"title": payload.get("title", ""), "file": payload.get("filename", ""), "columns": header}
    if payload.get("units"):
        out["axes" if payload.get("kind") == "figure" else "value_columns"] = list(payload["units"])
    out["sources"] = [{key: record[key] for key in ("id", "publisher", "title", "release", "licence", "publisher_url")}
                      for record in source_records(payload.get("sources", []))]
    return out


def _with_about_link(page: str, filename: str, href: str, download: str) -> str:
    """``page`` with an "About this data (JSON)" link right after the CSV link of ``filename``."""
    link = (f' · <a class="rd-about" href="{html_module.escape(href)}" download="{html_module.escape(download)}" '
            f'{ABOUT_ATTRIBUTE}="{html_module.escape(download)}">About this data (JSON)</a>')
    pattern = rf'(<a [^>]*{DOWNLOAD_ATTRIBUTE}="{re.escape(html_module.escape(filename))}"[^>]*>.*?</a>)'
    return re.sub(pattern, lambda m: m.group(1) + link, page, count=1, flags=re.S)


def _headings(html: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the h1-h3 headings nbconvert anchored, for the table of contents."""
    found = re.findall(r'<h([123]) id="([^"]+)"[^>]*>(.*?)<', html, flags=re.S)
    return [(int(level), html_module.unescape(anchor), html_module.unescape(re.sub(r"\s+", " ", text).strip()))
            for level, anchor, text in found]  # unescaped: the template escapes them again


def datasets_sources(datasets) -> list[str]:
    """The manifest ids of the sources the catalogue lists for ``datasets``, in order, each once."""
    from helpers.data.datasets import get_dataset

    return list(dict.fromkeys(s for name in datasets for s in get_dataset(name).sources))


def source_records(source_ids: list[str]) -> list[dict]:
    """What the run card shows of each source (from the manifest: no dataset is built or read)."""
    from helpers.data.sources import get_source

    out = []
    for source_id in dict.fromkeys(source_ids):
        s = get_source(source_id)
        out.append({"id": s.id, "title": s.title, "publisher": s.publisher, "release": s.release,
                    "licence": s.licence, "publisher_url": s.publisher_url})
    return out


@functools.lru_cache(maxsize=1)
def _exporter():
    """One nbconvert exporter per process: its templates are compiled once, not once per report."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
                        exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True)


def template(name: str):
    return _environment().get_template(name)


@functools.lru_cache(maxsize=1)
def _environment():
    """The Jinja environment of the project's own templates (it recompiles a template whose file changed)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)


def git_commit() -> str:
    """The checkout's commit for the run card, marked when the working tree has uncommitted changes."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=PACKAGE_ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PACKAGE_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
