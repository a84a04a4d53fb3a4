"""Taking in a new version of a tracking source (``regional-divide sources update``), all or nothing.

For each source: download the latest version to a temporary folder (``tracking.download``); if its sha256 is the
version in use, stop. Otherwise build every dataset that reads the source with the candidate file substituted
(its loader and schema checks run; nothing is written under data/), and compare it with the table built from the
version in use (rows, period covered, areas, new/dropped values, the largest revisions). A version that fails any
step, or that loses values the version in use has (a truncated file; ``allow_shrink`` accepts a publisher's real
withdrawal), is rejected with the cause and the fix, and nothing changes. When everything passes: the processed
tables in use are kept as vintages (``helpers.data.vintages``), the file is stored as
``data/raw/<path stem>--<sha256[:12]><suffix>`` (earlier versions stay), the lock is updated, and the datasets are
rebuilt. Dataset fingerprints include the locked sha256, so exactly the reports reading those datasets re-run.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers.config import paths
from helpers.data import tracking, vintages
from helpers.data.atomic import atomic_path, sha256_file
from helpers.data.catalogue import DATASETS, Dataset
from helpers.data.sources import Source, fetch, get_source
from helpers.errors import ChecksumMismatchError, RegionalDivideError


@dataclass
class UpdateResult:
    """One source's update: status "updated", "current" (the latest is the version in use) or "rejected"."""

    id: str
    status: str
    message: str
    comparisons: list[vintages.Comparison] = field(default_factory=list)


class UpdateRejected(RegionalDivideError):
    """A new version failed a check; the version in use stays."""


def datasets_using(source_id: str) -> list[Dataset]:
    return [d for d in DATASETS.values() if isinstance(d, Dataset) and source_id in d.sources]


def update(ids: list[str] | None = None, *, timeout: float | None = None, allow_shrink: bool = False,
           today: dt.date | None = None) -> list[UpdateResult]:
    """Update the tracking sources ``ids`` (default: all) to their latest versions (see the module docstring)."""
    results = []
    for source in tracking.tracking_sources(ids):
        try:
            results.append(update_source(source, timeout=timeout, allow_shrink=allow_shrink, today=today))
        except RegionalDivideError as exc:
            results.append(UpdateResult(source.id, "rejected", str(exc)))
    return results


def update_status(results: list[UpdateResult]) -> int:
    """Exit status of `sources update`: 1 if a version was rejected, else 0."""
    return 1 if any(r.status == "rejected" for r in results) else 0


def summary(results: list[UpdateResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.id}: {r.status.upper()}: {r.message}")
        lines += [c.text() for c in r.comparisons]
    return "\n".join(lines)


def update_source(source: Source, *, timeout: float | None = None, allow_shrink: bool = False,
                  today: dt.date | None = None) -> UpdateResult:
    users = datasets_using(source.id)
    with tempfile.TemporaryDirectory(prefix="regional-divide-update-") as tmp:
        try:
            candidate, upstream = tracking.download(source, Path(tmp), timeout=timeout)
        except RegionalDivideError as exc:
            raise UpdateRejected(f"Rejected: {exc}") from exc
        sha = sha256_file(candidate)
        if sha == source.sha256:
            return UpdateResult(source.id, "current", f"the latest version is the one in use ({source.release}).")
        comparisons, ends = [], []
        for dataset in users:
            previous, latest = _build_pair(dataset, source, candidate)
            comparison = vintages.compare(previous, latest, dataset=dataset.name, source_id=source.id)
            if comparison.keys_dropped and not allow_shrink:
                raise UpdateRejected(_shrunk_message(source, comparison))
            comparisons.append(comparison)
            ends.append(comparison.span[1].rsplit(" ", 1)[-1])
        release = f"Latest version retrieved {(today or dt.date.today()).isoformat()}" + (
            f" (data to {max(ends)})" if any(ends) else "")
        stored = _store(candidate, source, sha)
        for dataset in users:  # keep the tables in use as vintages before the lock moves
            from helpers.data.datasets import fingerprint

            vintages.save_vintage(dataset, fingerprint=fingerprint(dataset.name),
                                  sources=[get_source(s) for s in dataset.sources],
                                  replaced_by={source.id: sha})
        tracking.write_lock({source.id: tracking.lock_entry(
            source, path=stored, sha256=sha, size=candidate.stat().st_size, release=release, upstream=upstream,
            today=today)})
    from helpers.data.datasets import ensure_built

    for dataset in users:
        ensure_built(dataset)
    return UpdateResult(source.id, "updated",
                        f"{source.release} -> {release}; stored as data/raw/{stored} (sha256 {sha[:12]}); "
                        f"previous version kept at data/raw/{source.path}.", comparisons)


def _build_pair(dataset: Dataset, source: Source, candidate: Path):
    """The table built from the version in use and the one built with ``candidate`` substituted."""
    import pandas as pd

    from helpers.data.datasets import build_frame, ensure_built

    ensure_built(dataset)
    previous = pd.read_parquet(dataset.path)
    raw = fetch([s for s in dataset.sources if s != source.id])
    raw[source.id] = candidate
    try:
        latest = build_frame(dataset, raw)
    except RegionalDivideError as exc:
        raise UpdateRejected(
            f"Rejected the latest version of {source.id!r} ({tracking.latest_url(source)}): building "
            f"{dataset.name!r} with it failed.\n{exc}\nNothing was changed: the version in use ({source.release}) "
            f"stays. Fix: if the file is damaged or truncated, wait for the next run (or run `regional-divide sources "
            f"update {source.id}` later); if the publisher changed the layout, adapt the loader "
            f"({dataset.builder_module}) and its test fixture, then run the update again.") from exc
    return previous, latest


def _shrunk_message(source: Source, comparison: vintages.Comparison) -> str:
    examples = "; ".join(comparison.dropped_examples)
    return (
        f"Rejected the latest version of {source.id!r} ({tracking.latest_url(source)}): it lacks "
        f"{comparison.keys_dropped:,} values the version in use has in {comparison.dataset!r} (e.g. {examples}; "
        f"rows {comparison.rows[0]:,} -> {comparison.rows[1]:,}, covering {comparison.span[1]} instead of "
        f"{comparison.span[0]}). A truncated or partial file looks like this. Nothing was changed: the version in use "
        f"({source.release}) stays. Fix: run the update again later; if the publisher really withdrew these values, "
        f"run `regional-divide sources update {source.id} --allow-shrink`.")


def versioned_path(source: Source, sha: str) -> str:
    """``<folder>/<stem of the manifest path>--<sha256[:12]><suffix>``: each version under its own name."""
    base = Path(get_source_base_path(source))
    return (base.parent / f"{base.stem}--{sha[:12]}{base.suffix}").as_posix()


def get_source_base_path(source: Source) -> str:
    """The manifest's own path for ``source`` (the lock's paths derive from it)."""
    from helpers.data.sources import load_manifest

    return load_manifest(locked=False)[source.id].path


def _store(candidate: Path, source: Source, sha: str) -> str:
    """Copy ``candidate`` into data/raw under its versioned name (verified); never overwrite another file."""
    relative = versioned_path(source, sha)
    target = paths().raw / relative
    if target.exists() and sha256_file(target) == sha:
        return relative
    with atomic_path(target) as tmp:
        shutil.copyfile(candidate, tmp)
        if sha256_file(tmp) != sha:
            raise ChecksumMismatchError(f"Copy of the new version of {source.id!r} to {target} does not match its "
                                        f"download ({sha}). Nothing was changed. Fix: check the disk and run again.")
    return relative
