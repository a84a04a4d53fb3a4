"""Tracking sources: find out whether the publisher has a newer version (``regional-divide sources check``) and
download it to a temporary place; the lock file ``data/sources.lock.yml`` records the version in use.

A tracking source's manifest entry has a ``tracking`` mapping: ``latest_url`` (where the publisher serves the latest
version; a stable URL) and optionally ``sheet`` (the latest version is a workbook: the sheet to extract as CSV, laid
out like the pinned file) and ``header_starts`` (text the header row's first cell starts with; default: the first
row with its first four cells filled). ``helpers.data.updates`` validates and takes in a new version.

The check asks the server for HTTP metadata (ETag, Last-Modified, Content-Length) and compares it with the metadata
recorded in the lock when the version in use was retrieved; when the server gives none (or none was recorded), it
downloads the file to a temporary folder and compares sha256 hashes. Nothing under data/ is written by a check.
Downloads are bounded and redirects checked (``helpers.data.download``); each URL is downloaded once per check or
update (``LatestFiles``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from helpers.data import download
from helpers.data.atomic import write_text_atomic
from helpers.data.download import METADATA, latest_url
from helpers.data.sources import Source, get_source, load_lock, load_manifest, lock_path
from helpers.errors import RegionalDivideError, SourceFormatError

UPDATES_AVAILABLE = 3  # exit status of `sources check` when a newer version exists
CHECK_FAILED = 4  # exit status of `sources check` when some sources could not be checked (and none has an update)
LOCK_HEADER = """\
# Versions in use of the tracking sources in data/sources.yml (entries with a `tracking:` mapping).
# Written by `regional-divide sources update` (docs/updating-data.md); get_source() returns these versions, so
# fetching, dataset fingerprints, run cards and rerun keys follow this file. `previous` lists older versions,
# which stay in data/raw under their own names. `upstream` is the HTTP metadata / sha256 of the publisher's file
# when it was retrieved (compared by `regional-divide sources check`).
"""


@dataclass
class CheckResult:
    """One tracking source's check: status "current", "update" (a newer version exists) or "error"."""

    id: str
    status: str
    detail: str
    in_use: str = ""
    upstream: dict = field(default_factory=dict)


def tracking_sources(ids: list[str] | None = None) -> list[Source]:
    """The tracking sources (all, or ``ids``, each of which must be a tracking source), locked versions."""
    if not ids:
        return [s for s in load_manifest().values() if s.is_tracking]
    sources = [get_source(i) for i in ids]
    pinned = [s.id for s in sources if not s.is_tracking]
    if pinned:
        tracked = ", ".join(s.id for s in load_manifest().values() if s.is_tracking)
        raise RegionalDivideError(
            f"{', '.join(pinned)}: pinned source(s), not tracking; only tracking sources are checked and updated "
            f"(tracking: {tracked}). Fix: to follow a publisher's releases, add `tracking: {{latest_url: ...}}` to "
            "the entry in data/sources.yml; to change a pinned file, edit its url, sha256 and release there.")
    return sources


def check(ids: list[str] | None = None, *, timeout: float | None = None) -> list[CheckResult]:
    """Which tracking sources have a newer version than the one in use (see the module docstring)."""
    from helpers.processes import temporary_folder

    lock = load_lock()
    results = []
    with temporary_folder("check") as tmp:
        files = LatestFiles(tmp, timeout=timeout)
        for source in tracking_sources(ids):
            recorded = (lock.get(source.id) or {}).get("upstream") or {}
            known_sha = recorded.get("sha256") or (None if source.tracking.get("sheet") else source.sha256)
            try:
                meta = download.head_metadata(source, timeout=timeout)
                same = same_metadata(meta, recorded)
                if same is True:
                    result = CheckResult(source.id, "current", "unchanged (HTTP metadata)", upstream=meta)
                elif same is False:
                    result = CheckResult(source.id, "update", f"newer version ({_changed(meta, recorded)})", upstream=meta)
                else:
                    meta = files.get(source, extract=False)[1]
                    digest = meta["sha256"]  # of the publisher's file (the workbook, for an extracted sheet)
                    if digest == known_sha:
                        result = CheckResult(source.id, "current", "unchanged (same sha256)", upstream=meta)
                    else:
                        why = "sha256 differs" if known_sha else "no upstream hash recorded yet"
                        result = CheckResult(source.id, "update", f"newer version ({why}: {digest[:12]})", upstream=meta)
            except RegionalDivideError as exc:
                result = CheckResult(source.id, "error", short_error(source, exc, timeout))
            result.in_use = source.release
            results.append(result)
    return results


class LatestFiles:
    """The latest versions fetched during one check or update, in ``folder``: one bounded download per URL (four ONS
    tables share one workbook), a failure remembered for the URL too; a sheet is extracted per source."""

    def __init__(self, folder: Path, *, timeout: float | None = None):
        self.folder, self.timeout = folder, timeout
        self._got: dict[str, tuple[Path, dict] | RegionalDivideError] = {}

    def get(self, source: Source, *, extract: bool = True) -> tuple[Path, dict]:
        """(file, upstream metadata) of ``source``'s latest version: the file in the pinned file's format (the sheet
        extracted from a workbook when ``extract``), the metadata of the publisher's file."""
        url = latest_url(source)
        if url not in self._got:
            target = self.folder / f"latest-{len(self._got)}{Path(urlsplit(url).path).suffix}"
            upstream = (load_lock().get(source.id) or {}).get("upstream") or {}
            try:
                self._got[url] = (target, download.download(source, target, timeout=self.timeout, upstream=upstream))
            except RegionalDivideError as exc:
                self._got[url] = exc
        got = self._got[url]
        if isinstance(got, RegionalDivideError):
            raise got
        path, meta = got
        if extract and source.tracking.get("sheet"):
            download.check_workbook(path, source, download.byte_cap(source, meta))
            path = extract_sheet(path, source, self.folder / f"{source.id}{Path(source.path).suffix}")
        return path, dict(meta)


def check_status(results: list[CheckResult]) -> int:
    """Exit status of `sources check`: 3 if a newer version exists, else 4 if a check failed, else 0."""
    statuses = {r.status for r in results}
    return UPDATES_AVAILABLE if "update" in statuses else CHECK_FAILED if "error" in statuses else 0


def check_table(results: list[CheckResult]) -> str:
    """The check as a table: one line per source (a failed check: its host and the cause in a few words), the
    version in use under each source checked, and one closing sentence on what to do when a check failed."""
    lines = [f"{'source':28} {'status':8} detail", f"{'-' * 28} {'-' * 8} {'-' * 40}"]
    for r in results:
        lines.append(f"{r.id:28} {r.status:8} {r.detail}")
        if r.status != "error":
            lines.append(f"{'':28} {'':8} in use: {r.in_use}")
    failed = sum(r.status == "error" for r in results)
    if failed:
        lines.append(f"\n{failed} of {len(results)} source{'s' if len(results) > 1 else ''} could not be checked and "
                     f"nothing was changed: retry online, or work offline from the versions in use "
                     f"({download.MIRROR_ENV}=DIR, a folder laid out like data/raw/); if a publisher moved a file, "
                     f"update its `tracking.latest_url` in data/sources.yml.")
    return "\n".join(lines)


def short_error(source: Source, exc: Exception, timeout: float | None = None) -> str:
    """A source that could not be reached, in a few words: the host asked and the cause ("www.ons.gov.uk: host
    name not found"); any other failure (a file over its size limit, not a workbook) keeps its full message and fix."""
    import requests
    import urllib3

    if not isinstance(exc.__cause__, (requests.RequestException, urllib3.exceptions.HTTPError, OSError)):
        return str(exc)
    host = urlsplit(latest_url(source)).hostname or latest_url(source)
    return f"{host}: {short_cause(exc.__cause__, timeout)}"


def short_cause(exc: BaseException, timeout: float | None = None) -> str:
    """Why a request failed, in a few words (the full message is in the exception)."""
    import requests

    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text.lower():
        limit = timeout if timeout is not None else download.TIMEOUT_S
        return f"timed out (no answer within {limit:g} s)"
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason}"
    if any(s in text for s in ("NameResolutionError", "Failed to resolve", "Name or service not known",
                               "Temporary failure in name resolution", "nodename nor servname")):
        return "host name not found (offline?)"
    if "refused" in text.lower():
        return "connection refused"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS certificate or handshake failed"
    if isinstance(exc, requests.ConnectionError):
        return "no connection"
    return type(exc).__name__


def same_metadata(meta: dict, recorded: dict) -> bool | None:
    """True/False when the metadata decides whether the file changed; None when it cannot (then hashes decide).
    An ETag decides alone; Last-Modified with Content-Length (if both have it); Content-Length alone only shows a
    change, never sameness."""
    if meta.get("etag") and recorded.get("etag"):
        return meta["etag"] == recorded["etag"]
    if meta.get("content_length") and recorded.get("content_length") and meta["content_length"] != recorded["content_length"]:
        return False
    if meta.get("last_modified") and recorded.get("last_modified"):
        return meta["last_modified"] == recorded["last_modified"]
    return None


def _changed(meta: dict, recorded: dict) -> str:
    return ", ".join(f"{METADATA[k]} {recorded.get(k)!r} -> {meta.get(k)!r}"
                     for k in METADATA if meta.get(k) != recorded.get(k) and recorded.get(k))


def extract_sheet(workbook: Path, source: Source, out: Path) -> Path:
    """The sheet ``tracking.sheet`` of ``workbook`` as a CSV laid out like the pinned file: header row (found by
    ``tracking.header_starts``) and the rows below it down to the first empty row (notes below are dropped)."""
    import pandas as pd

    wanted = source.tracking["sheet"]
    try:
        book = pd.ExcelFile(workbook, engine="openpyxl")
    except Exception as exc:  # not a workbook: an error page, a truncated file
        raise SourceFormatError(f"The latest version of {source.id!r} ({latest_url(source)}) is not a readable "
                                f"workbook: {type(exc).__name__}: {exc}.") from exc
    names = {n.replace(" ", "").lower(): n for n in book.sheet_names}
    if wanted.replace(" ", "").lower() not in names:
        raise SourceFormatError(
            f"The latest workbook for {source.id!r} ({latest_url(source)}) has no sheet {wanted!r} (sheets: "
            f"{', '.join(book.sheet_names)}). Fix: set `tracking.sheet` in data/sources.yml to the table's new name.")
    table = pd.read_excel(book, sheet_name=names[wanted.replace(" ", "").lower()], header=None, dtype=str)
    starts = source.tracking.get("header_starts")
    first = table.iloc[:, :4].notna().all(axis=1) if not starts else table.iloc[:, 0].fillna("").str.startswith(starts)
    if not first.any():
        raise SourceFormatError(f"Sheet {wanted!r} of the latest workbook for {source.id!r} has no header row.")
    start = int(first.to_numpy().argmax())
    body = table.iloc[start + 1:]
    empty = body.isna().all(axis=1).to_numpy()
    body = body.iloc[: int(empty.argmax()) if empty.any() else len(body)]
    header = [str(c).strip().removesuffix(".0") for c in table.iloc[start]]
    body.set_axis(header, axis=1).dropna(axis=1, how="all").to_csv(out, index=False)
    return out


def lock_entry(source: Source, *, path: str, sha256: str, size: int, release: str, upstream: dict,
               today: dt.date | None = None, accepted: dict | None = None) -> dict:
    """The lock entry for a new version of ``source``; the version in use moves to ``previous``. ``final_url`` is
    where the file came from after redirects; ``accepted`` records a maintainer's acceptance of a held version."""
    old = load_lock().get(source.id) or {}
    previous = [{k: getattr(source, k) for k in ("release", "retrieved", "path", "sha256", "bytes")}]
    return {
        "release": release,
        "retrieved": (today or dt.date.today()).isoformat(),
        "path": path,
        "url": latest_url(source),
        "final_url": upstream.get("final_url", latest_url(source)),
        "sha256": sha256,
        "bytes": size,
        "upstream": {k: v for k, v in upstream.items() if k not in ("url", "final_url")},
        **({"accepted": accepted} if accepted else {}),
        "previous": previous + list(old.get("previous") or []),
    }


def write_lock(entries: dict[str, dict]) -> Path:
    """Write ``entries`` ({source id: entry}) over the lock's entries for those ids (others kept), atomically."""
    lock = load_lock()
    lock.update(entries)
    target = lock_path()
    write_text_atomic(target, LOCK_HEADER + yaml.safe_dump({"sources": lock}, sort_keys=False, allow_unicode=True,
                                                           width=120))
    return target
