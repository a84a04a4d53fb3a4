"""Rendering: an executed notebook to standalone HTML (nbconvert, no code cells, images embedded) with a run
card (parameters, data sources with releases, git commit, run date) and a table of contents at the top."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from helpers.config import PACKAGE_ROOT
from helpers.runner.config import ReportRun

TEMPLATES = Path(__file__).parent / "templates"


def render_html(notebook, run: ReportRun, *, commit: str, started: str, duration_s: float) -> str:
    """Standalone HTML without code cells: images embedded, a run card and a table of contents at the top."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True)
    notebook.metadata.pop("papermill", None)
    for number, cell in enumerate(notebook.cells):  # papermill gives its injected cell a random id
        cell.id = f"cell-{number:03d}"
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": run.title}})
    header = template("run_card.html.j2").render(
        run=run, sources=sources_for(run.datasets), commit=commit, started=started, duration_s=duration_s,
        toc=_headings(body),
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header, body, count=1)


def _headings(html: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the h1-h3 headings nbconvert anchored, for the table of contents."""
    found = re.findall(r'<h([123]) id="([^"]+)"[^>]*>(.*?)<', html, flags=re.S)
    return [(int(level), anchor, re.sub(r"\s+", " ", text).strip()) for level, anchor, text in found]


def sources_for(datasets: tuple[str, ...]) -> list[dict]:
    """The manifest sources of ``datasets``, each once, in order."""
    from helpers.pipeline.datasets import provenance

    seen, sources = set(), []
    for name in datasets:
        for source in provenance(name)["sources"]:
            if source["id"] not in seen:
                seen.add(source["id"])
                sources.append(source)
    return sources


def template(name: str):
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    return environment.get_template(name)


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
