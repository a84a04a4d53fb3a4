"""Taking in new versions of tracking sources (``regional-divide sources update``), all or nothing.

1. Download each source's latest version to a temporary folder (``tracking.LatestFiles``: bounded, one download per
   URL); a source whose sha256 is the version in use is current.
2. Group the changed sources that feed a common dataset (the ONS tables of one workbook, the two Indeed files of the
   AI dataset): a group is built, checked and taken in together, so that its identities (ITL2 areas summing to their
   ITL1 region) compare one release with itself.
3. Build only the datasets the group feeds with the candidates substituted (loader layout checks and the dataset's
   schema run as in ``make data``; nothing is written), and compare each with the table in use: coverage, the largest
   revisions (``vintages.compare``) and the plausibility checks (``plausibility.check_release``).
4. A group is **rejected** when a build fails or a version lacks values the version in use has (a truncated file;
   ``allow_shrink`` accepts a publisher's real withdrawal); it is **held** when a plausibility check trips, unless a
   maintainer accepts it (``accept``: who and why, recorded in the lock entry's ``accepted``). Either way nothing
   changes. With ``dry_run`` the checks run and nothing is taken in.
5. Otherwise: the processed tables in use are kept as vintages, each file is stored as
   ``data/raw/<path stem>--<sha256[:12]><suffix>`` (earlier versions stay), the lock is updated and the datasets are
   rebuilt. Dataset fingerprints include the locked sha256, so exactly the reports reading those datasets rerun.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from helpers.config import paths
from helpers.data import plausibility, tracking, vintages
from helpers.data.atomic import atomic_path, sha256_file
from helpers.data.catalogue import DATASETS, Dataset
from helpers.data.sources import Source, fetch, get_source, load_manifest
from helpers.errors import ChecksumMismatchError, RegionalDivideError

FAILED = ("rejected", "held")


@dataclass
class UpdateResult:
    """One source's update: status "updated", "current" (the latest is the version in use), "rejected" (a build or
    coverage check failed), "held" (a plausibility check tripped) or, in a dry run, "would update"."""

    id: str
    status: str
    message: str
    comparisons: list[vintages.Comparison] = field(default_factory=list)
    checks: list[plausibility.Check] = field(default_factory=list)


@dataclass(frozen=True)
class Acceptance:
    """A maintainer's deliberate acceptance of held versions: who and why (recorded in the lock with the date)."""

    by: str
    reason: str


@dataclass
class Candidate:
    source: Source
    path: Path
    upstream: dict
    sha256: str
    comparisons: list[vintages.Comparison] = field(default_factory=list)
    checks: list[plausibility.Check] = field(default_factory=list)


class UpdateRejected(RegionalDivideError):
    """A new version failed a check; the version in use stays."""


def datasets_using(source_id: str) -> list[Dataset]:
    return [d for d in DATASETS.values() if isinstance(d, Dataset) and source_id in d.sources]


def update(ids: list[str] | None = None, *, timeout: float | None = None, allow_shrink: bool = False,
           accept: Acceptance | None = None, dry_run: bool = False, today: dt.date | None = None) -> list[UpdateResult]:
    """Update the tracking sources ``ids`` (default: all) to their latest versions (see the module docstring)."""
    from helpers.processes import temporary_folder

    if accept and not ids:
        raise RegionalDivideError("--accept-revisions takes in held versions on purpose, so it needs the sources named: "
                                  "regional-divide sources update ID ... --accept-revisions --reason \"...\".")
    today = today or dt.date.today()
    sources = tracking.tracking_sources(ids)
    results: dict[str, UpdateResult] = {}
    with temporary_folder("update") as tmp:
        files, candidates = tracking.LatestFiles(tmp, timeout=timeout), {}
        for source in sources:
            try:
                path, upstream = files.get(source)
            except RegionalDivideError as exc:
                results[source.id] = UpdateResult(source.id, "rejected", f"Rejected: {exc}")
                continue
            sha = sha256_file(path)
            if sha == source.sha256:
                results[source.id] = UpdateResult(source.id, "current",
                                                  f"the latest version is the one in use ({source.release}).")
            else:
                candidates[source.id] = Candidate(source, path, upstream, sha)
        for group in groups(list(candidates.values())):
            for result in _update_group(group, allow_shrink=allow_shrink, accept=accept, dry_run=dry_run, today=today):
                results[result.id] = result
    return [results[s.id] for s in sources]


def groups(candidates: list[Candidate]) -> list[list[Candidate]]:
    """The candidates in groups that feed a common dataset (connected through the datasets they feed)."""
    remaining, out = list(candidates), []
    while remaining:
        group, datasets = [remaining.pop(0)], set()
        grew = True
        while grew:
            datasets |= {d.name for c in group for d in datasets_using(c.source.id)}
            linked = [c for c in remaining if {d.name for d in datasets_using(c.source.id)} & datasets]
            remaining = [c for c in remaining if c not in linked]
            group += linked
            grew = bool(linked)
        out.append(group)
    return out


def update_status(results: list[UpdateResult]) -> int:
    """Exit status of `sources update`: 1 if a version was rejected or held, else 0."""
    return 1 if any(r.status in FAILED for r in results) else 0


def summary(results: list[UpdateResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.id}: {r.status.upper()}: {r.message}")
        lines += [c.text() for c in r.comparisons]
        if r.checks:
            lines += ["  plausibility checks:", plausibility.table(r.checks)]
    return "\n".join(lines)


def _update_group(group: list[Candidate], *, allow_shrink: bool, accept: Acceptance | None, dry_run: bool,
                  today: dt.date) -> list[UpdateResult]:
    names = ", ".join(c.source.id for c in group)
    users = list({d.name: d for c in group for d in datasets_using(c.source.id)}.values())
    try:
        for dataset in users:
            previous, latest = _build_pair(dataset, group)
            for candidate in [c for c in group if c.source.id in dataset.sources]:
                sid = candidate.source.id
                old, new = vintages.source_rows(previous, sid), vintages.source_rows(latest, sid)
                table = vintages.diff(old, new)
                comparison = vintages.compare(old, new, dataset=dataset.name, source_id=sid, table=table)
                if comparison.keys_dropped and not allow_shrink:
                    raise UpdateRejected(_shrunk_message(candidate.source, comparison))
                candidate.comparisons.append(comparison)
                candidate.checks += plausibility.check_release(old, new, table, source=candidate.source,
                                                               dataset=dataset.name, retrieved=today, context=latest)
    except UpdateRejected as exc:
        together = f" (taken in together with {names}: they feed the same dataset)" if len(group) > 1 else ""
        return [UpdateResult(c.source.id, "rejected", f"{exc}{together}", c.comparisons, c.checks) for c in group]
    tripped = {c.source.id: plausibility.tripped(c.checks) for c in group}
    if any(tripped.values()) and not accept:
        return [UpdateResult(c.source.id, "held", _held_message(c, tripped, names), c.comparisons, c.checks)
                for c in group]
    releases = {c.source.id: _release(c, today) for c in group}
    if dry_run:
        return [UpdateResult(c.source.id, "would update", f"{c.source.release} -> {releases[c.source.id]} (dry run: "
                             "nothing was taken in).", c.comparisons, c.checks) for c in group]
    return _take_in(group, users, releases, tripped, accept=accept, today=today)


def _take_in(group: list[Candidate], users: list[Dataset], releases: dict[str, str], tripped: dict, *,
             accept: Acceptance | None, today: dt.date) -> list[UpdateResult]:
    from helpers.data.datasets import ensure_built, fingerprint

    stored = {c.source.id: _store(c.path, c.source, c.sha256) for c in group}
    for dataset in users:  # keep the tables in use as vintages before the lock moves
        vintages.save_vintage(dataset, fingerprint=fingerprint(dataset.name),
                              sources=[get_source(s) for s in dataset.sources],
                              replaced_by={c.source.id: c.sha256 for c in group if c.source.id in dataset.sources})
    entries = {}
    for c in group:
        accepted = None
        if accept and tripped[c.source.id]:
            accepted = {"by": accept.by, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        "reason": accept.reason, "sha256": c.sha256,
                        "checks": sorted({f"{t.name} ({t.dataset})" for t in tripped[c.source.id]})}
        entries[c.source.id] = tracking.lock_entry(
            c.source, path=stored[c.source.id], sha256=c.sha256, size=c.path.stat().st_size,
            release=releases[c.source.id], upstream=c.upstream, today=today, accepted=accepted)
    tracking.write_lock(entries)
    for dataset in users:
        ensure_built(dataset)
    return [UpdateResult(c.source.id, "updated",
                         f"{c.source.release} -> {releases[c.source.id]}; stored as data/raw/{stored[c.source.id]} "
                         f"(sha256 {c.sha256[:12]}); previous version kept at data/raw/{c.source.path}"
                         + (f"; accepted by {accept.by}: {accept.reason}" if accept and tripped[c.source.id] else "")
                         + ".", c.comparisons, c.checks) for c in group]


def _release(candidate: Candidate, today: dt.date) -> str:
    ends = [c.span[1].rsplit(" ", 1)[-1] for c in candidate.comparisons]
    return f"Latest version retrieved {today.isoformat()}" + (f" (data to {max(ends)})" if any(ends) else "")


def _held_message(candidate: Candidate, tripped: dict, names: str) -> str:
    sid, mine = candidate.source.id, tripped[candidate.source.id]
    if not mine:
        others = ", ".join(s for s, t in tripped.items() if t)
        return (f"Held with {others}, which tripped a plausibility check: the sources {names} feed the same dataset "
                "and are taken in together. Nothing was changed: the version in use stays.")
    checks = ", ".join(dict.fromkeys(f"{t.name} ({t.dataset})" for t in mine))
    return (f"Held: the latest version of {sid!r} ({tracking.latest_url(candidate.source)}) passed the layout and "
            f"schema checks but tripped {len(mine)} plausibility check(s): {checks} (table below). Nothing was changed: "
            f"the version in use ({candidate.source.release}) stays. Fix: if the publisher really changed this (a unit, "
            f"a base period, revised history), take it in on purpose with `regional-divide sources update {names} "
            "--accept-revisions --reason \"...\"` (recorded in the lock); otherwise wait for a corrected release "
            "(docs/updating-data.md).")


def _build_pair(dataset: Dataset, group: list[Candidate]):
    """The table built from the versions in use and the one built with the group's candidates substituted."""
    import pandas as pd

    from helpers.data.datasets import build_frame, ensure_built

    ensure_built(dataset)
    previous = pd.read_parquet(dataset.path)
    substituted = {c.source.id: c.path for c in group if c.source.id in dataset.sources}
    raw = fetch([s for s in dataset.sources if s not in substituted]) | substituted
    try:
        latest = build_frame(dataset, raw)
    except RegionalDivideError as exc:
        detail = str(exc).split("Fix:")[0].strip()  # its fix is for a file in data/raw; this one is a download
        ids = ", ".join(substituted)
        raise UpdateRejected(
            f"Rejected the latest version of {ids}: building {dataset.name!r} with it failed.\n{detail}\nNothing was "
            f"changed: the version in use stays. Fix: if the file is damaged or truncated, wait for the next run (or "
            f"run `regional-divide sources update {ids}` later); if the publisher changed the layout, adapt the loader "
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
    base = Path(load_manifest(locked=False)[source.id].path)
    return (base.parent / f"{base.stem}--{sha[:12]}{base.suffix}").as_posix()


def _store(candidate: Path, source: Source, sha: str) -> str:
    """Copy ``candidate`` into data/raw under its versioned name (verified); never overwrite another file."""
    relative = versioned_path(source, sha)
    target = paths().raw / relative
    if target.is_file() and sha256_file(target) == sha:
        return relative
    with atomic_path(target) as tmp:
        shutil.copyfile(candidate, tmp)
        if sha256_file(tmp) != sha:
            raise ChecksumMismatchError(f"Copy of the new version of {source.id!r} to {target} does not match its "
                                        f"download ({sha}). Nothing was changed. Fix: check the disk and run again.")
    return relative
