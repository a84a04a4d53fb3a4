"""``reports/sources.html``: every source of the manifest (``data/sources.yml``, tracking sources as locked) with its
publisher, dataset, release, licence, the publisher's page, the exact file URL and sha256, and the datasets built
from it; then the project's reference tables (``data/reference/``) with the sources they name. Each entry has an
anchor (``#<source id>``, ``#reference-<table>``) that run cards and the landing page link to."""

from __future__ import annotations

import re

from helpers.config import paths
from helpers.data.atomic import write_text_atomic

PAGE = "sources.html"


def source_anchor(source_id: str) -> str:
    return f"{PAGE}#{source_id}"


def publisher_page(source_id: str) -> str | None:
    """The publisher's page for a manifest source (None if unknown or not given)."""
    from helpers.data.sources import load_manifest

    source = load_manifest().get(source_id)
    return source.publisher_url if source is not None else None


def _reference_sources() -> dict[str, str]:
    """{file name: its named source} from the table in ``data/reference/README.md`` (plain text)."""
    try:
        text = (paths().reference / "README.md").read_text(encoding="utf-8")
    except OSError:
        return {}
    named = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[0].endswith("`"):
            named[cells[0].strip("`")] = re.sub(r"[*`]", "", cells[-1])
    return named


def sources_context() -> dict:
    """What ``sources.html.j2`` shows: the manifest sources grouped by publisher, and the reference tables."""
    from helpers.data.catalogue import DATASETS, ReferenceTable
    from helpers.data.sources import load_manifest

    used_by: dict[str, list[str]] = {}
    for name, dataset in sorted(DATASETS.items()):
        for source_id in getattr(dataset, "sources", ()):
            used_by.setdefault(source_id, []).append(name)
    publishers: dict[str, list[dict]] = {}
    for source in sorted(load_manifest().values(), key=lambda s: (s.publisher.lower(), s.id)):
        publishers.setdefault(source.publisher, []).append({
            "id": source.id, "title": source.title, "publisher": source.publisher,
            "publisher_url": source.publisher_url, "release": source.release, "licence": source.licence,
            "coverage": source.coverage, "url": source.url, "sha256": source.sha256, "bytes": source.bytes,
            "retrieved": source.retrieved, "tracking": source.is_tracking, "datasets": used_by.get(source.id, []),
        })
    named = _reference_sources()
    tables = [{"name": name, "file": table.file, "description": table.description,
               "source": named.get(table.file, "")}
              for name, table in sorted(DATASETS.items()) if isinstance(table, ReferenceTable)]
    return {"publishers": publishers, "tables": tables,
            "count": sum(len(v) for v in publishers.values())}


def write_sources_page() -> None:
    """Write ``reports/sources.html`` from the manifest (deterministic: no dates of its own)."""
    from helpers.site.render import template

    html = template("sources.html.j2").render(**sources_context())
    write_text_atomic(paths().reports / PAGE, html)
