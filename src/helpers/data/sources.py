"""The source manifest (``data/sources.yml``) and fetching raw files into ``data/raw/``.

Each file is fetched once, verified against its sha256 and never edited afterwards. With
``REGIONAL_DIVIDE_DATA_MIRROR`` set, files are copied from that directory instead of downloaded.
Downloads use pooch (retries, progress bar, download to a temporary file then rename).

A *tracking* source (an entry with a ``tracking`` mapping naming the publisher's ``latest_url``) follows the
publisher's releases: the version in use (path, url, sha256, bytes, release, retrieval date) is recorded in the lock
file ``data/sources.lock.yml``, and ``get_source`` / ``load_manifest`` return the locked version, so fetching,
dataset fingerprints, provenance, run cards and rerun keys follow the lock. ``helpers.data.tracking`` checks for
and takes in new versions (``regional-divide sources check`` / ``update``); docs/updating-data.md explains the cycle.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers.config import MIRROR_ENV, mirror_dir, paths
from helpers.data.atomic import atomic_path, sha256_file
from helpers.errors import (
    ChecksumMismatchError,
    DownloadError,
    MirrorFileMissingError,
    RegionalDivideError,
    UnknownSourceError,
)

DOWNLOAD_TIMEOUT_S = 60
DOWNLOAD_RETRIES = 2


@dataclass(frozen=True)
class Source:
    """One manifest entry: a raw file with its provenance."""

    id: str
    title: str
    publisher: str
    publisher_url: str | None
    release: str
    licence: str
    coverage: str
    path: str
    url: str
    sha256: str
    bytes: int
    notes: str
    tracking: dict | None = dataclasses.field(default=None, hash=False, compare=False)
    retrieved: str | None = None  # date the locked version was retrieved (tracking sources)
    published: str = ""  # date the publisher released this version (YYYY-MM-DD or YYYY-MM)
    plausibility: dict | None = dataclasses.field(default=None, hash=False, compare=False)  # helpers.data.plausibility

    @property
    def is_tracking(self) -> bool:
        return bool(self.tracking)

    @property
    def release_date(self) -> str:
        """When this version became public: ``published``, else the date it was retrieved."""
        return str(self.published or self.retrieved or "")

    @property
    def citation(self) -> str:
        """Short citation for chart captions: publisher, title, release."""
        return f"{self.publisher}, {self.title} ({self.release})"


LOCKED_FIELDS = ("release", "published", "retrieved", "path", "url", "sha256", "bytes")  # what the lock overrides


def lock_path(manifest: Path | None = None) -> Path:
    """The lock file beside the manifest: ``data/sources.lock.yml``."""
    return Path(manifest or paths().manifest).with_name("sources.lock.yml")


def load_manifest(manifest: Path | None = None, *, locked: bool = True) -> dict[str, Source]:
    """All manifest entries by id (``data/sources.yml`` unless another file is given). With ``locked`` (the
    default), a tracking source is the version recorded in the lock file; otherwise the manifest's own pin."""
    manifest = Path(manifest or paths().manifest)
    lock = lock_path(manifest)
    lock_mtime = lock.stat().st_mtime_ns if locked and lock.exists() else None
    return _load_manifest(manifest, manifest.stat().st_mtime_ns, lock_mtime)


def load_lock(manifest: Path | None = None) -> dict[str, dict]:
    """The lock file's entries by source id ({} if there is no lock file)."""
    lock = lock_path(manifest)
    if not lock.exists():
        return {}
    return (yaml.safe_load(lock.read_text(encoding="utf-8")) or {}).get("sources") or {}


@functools.lru_cache(maxsize=8)
def _load_manifest(manifest: Path, _mtime: int, lock_mtime: int | None) -> dict[str, Source]:
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))["sources"]
    lock = load_lock(manifest) if lock_mtime is not None else {}
    sources = {}
    for entry in entries:
        source = Source(**entry)
        if source.id in sources:
            raise RegionalDivideError(f"{manifest}: source id {source.id!r} appears twice; ids must be unique.")
        if source.id in lock:
            if not source.is_tracking:
                raise RegionalDivideError(
                    f"{lock_path(manifest)} locks {source.id!r}, which is not a tracking source in {manifest}. "
                    f"Fix: remove its entry from the lock file, or add a `tracking:` mapping to its manifest entry.")
            locked_fields = {k: lock[source.id][k] for k in LOCKED_FIELDS if k in lock[source.id]}
            for key in ("retrieved", "published"):  # YAML reads bare dates as dates
                if locked_fields.get(key) is not None:
                    locked_fields[key] = str(locked_fields[key])
            _check_relative(locked_fields.get("path", source.path), source.id, lock_path(manifest))
            source = dataclasses.replace(source, **locked_fields)
        _check_relative(entry["path"], source.id, manifest)
        sources[source.id] = source
    return sources


def _check_relative(path: str, source_id: str, where: Path) -> None:
    """A source's path must stay inside data/raw (and a mirror): relative, without '..'."""
    parts = Path(str(path)).parts
    if not parts or Path(str(path)).is_absolute() or ".." in parts or "\\" in str(path):
        raise RegionalDivideError(
            f"{where}: source {source_id!r} has path {path!r}, which leads outside data/raw. Nothing was read or "
            "written. Fix: give a path relative to data/raw, without '..' (for example `job_adverts/file.csv`).")


def get_source(source_id: str) -> Source:
    """The manifest entry for ``source_id``; an unknown id raises with the valid ids listed."""
    sources = load_manifest()
    if source_id not in sources:
        close = difflib.get_close_matches(source_id, sources, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownSourceError(
            f"Unknown source id {source_id!r}.{hint} Valid ids (data/sources.yml): {', '.join(sorted(sources))}."
        )
    return sources[source_id]


def raw_path(source: Source) -> Path:
    """Where ``source`` lives under ``data/raw/`` (the same relative path as in the mirror)."""
    return paths().raw / source.path


def fetch(source_ids: list[str] | None = None, *, progress: bool = False) -> dict[str, Path]:
    """Make sure each source is in ``data/raw/`` with the manifest's sha256; return their paths.

    A file already present with the right hash is not fetched again. A present file with another hash
    is an error (raw data is immutable), as is a mirror file or download with the wrong hash.
    """
    ids = list(load_manifest()) if source_ids is None else source_ids
    sources = [get_source(i) for i in ids]
    mirror = mirror_dir()
    todo = [s for s in sources if not _present_and_verified(s)]
    if todo:
        from tqdm.auto import tqdm

        where = f"mirror {mirror}" if mirror else "the network"
        for source in tqdm(todo, desc=f"fetching from {where}", unit="file", disable=not progress):
            if mirror:
                _copy_from_mirror(source, mirror)
            else:
                _download(source, progress=progress)
    return {s.id: raw_path(s) for s in sources}


_HASHED: dict[Path, tuple[tuple[int, int, int], str]] = {}  # file -> ((size, mtime_ns, inode), sha256) in this process


def _file_sha256(path: Path) -> str:
    """sha256 of a file, hashed once per process and file version (size, modification time, inode): report
    workers ``load`` datasets hundreds of times, and each load checks its raw files."""
    info = path.stat()
    version = (info.st_size, info.st_mtime_ns, info.st_ino)
    known = _HASHED.get(path)
    if known is None or known[0] != version:
        known = _HASHED[path] = (version, sha256_file(path))
    return known[1]


def _present_and_verified(source: Source) -> bool:
    target = raw_path(source)
    if target.is_dir():
        raise RegionalDivideError(
            f"{target} (source {source.id!r}) is a folder, where its raw file should be. Nothing was changed. Fix: "
            f"move or delete that folder, then run `make data` to fetch the file.")
    if not target.exists():
        return False
    actual = _file_sha256(target)
    if actual != source.sha256:
        raise ChecksumMismatchError(
            f"{target} (source {source.id!r}) has sha256 {actual}, but {_pin(source)} expects {source.sha256}. "
            "Files in data/raw are never edited, so this one was changed or damaged after it was fetched. "
            f"Fix: delete it and run `make data` to fetch it again. If the publisher changed the file on purpose, "
            f"check the new file and update sha256 and release for {source.id!r} in {_pin(source)}."
        )
    return True


def _copy_from_mirror(source: Source, mirror: Path) -> None:
    origin = mirror / source.path
    if origin.is_dir():
        raise MirrorFileMissingError(
            f"Source {source.id!r}: {origin} in the mirror ({MIRROR_ENV}) is a folder, not the file. Nothing was "
            f"written to data/raw. Fix: put the file {source.path} there in place of the folder (from "
            f"`regional-divide fetch --to DIR` on a machine with network), or unset {MIRROR_ENV} to download it.")
    if not origin.is_file():
        raise MirrorFileMissingError(
            f"Source {source.id!r}: {source.path} is not in the mirror {mirror} ({MIRROR_ENV}). Fix: build a full "
            f"mirror with `regional-divide fetch --to DIR` on a machine with network and set {MIRROR_ENV}=DIR, "
            f"or unset {MIRROR_ENV} to download it."
        )
    target = raw_path(source)
    with atomic_path(target) as tmp:
        shutil.copyfile(origin, tmp)
        _verify(tmp, source, origin=str(origin))


def _download(source: Source, *, progress: bool) -> None:
    import pooch
    import requests

    fetcher = pooch.create(
        path=paths().raw,
        base_url="",
        registry={source.path: f"sha256:{source.sha256}"},
        urls={source.path: source.url},
        retry_if_failed=DOWNLOAD_RETRIES,
    )
    downloader = pooch.HTTPDownloader(progressbar=progress, timeout=DOWNLOAD_TIMEOUT_S)
    try:
        fetcher.fetch(source.path, downloader=downloader)
    except ValueError as exc:  # pooch's hash mismatch; it has already removed the download
        raise ChecksumMismatchError(
            f"Download of {source.id!r} from {source.url} does not match {_pin(source)} ({exc}). "
            "Nothing was written to data/raw. Fix: the publisher may have replaced the file; check it and, "
            f"if it is right, update sha256 and release for {source.id!r} in {_pin(source)}."
        ) from exc
    except (requests.RequestException, OSError) as exc:
        raise DownloadError(
            f"Could not download {source.id!r} from {source.url} ({type(exc).__name__}, {DOWNLOAD_RETRIES + 1} "
            f"attempts). Nothing was written. To get the data: connect to the network and run again, or on a machine "
            f"with network run `regional-divide fetch --to DIR`, bring DIR here and set {MIRROR_ENV}=DIR."
        ) from exc


def _verify(path: Path, source: Source, *, origin: str) -> None:
    actual = sha256_file(path)
    if actual != source.sha256:
        raise ChecksumMismatchError(
            f"{origin} (source {source.id!r}) has sha256 {actual}, but {_pin(source)} expects {source.sha256}. "
            "Nothing was written to data/raw. Fix: replace the mirror copy with the publisher's file "
            f"({source.url}); if the publisher changed the file on purpose, update sha256 and release "
            f"for {source.id!r} in {_pin(source)}."
        )


def _pin(source: Source) -> str:
    """The file that pins ``source``'s sha256 (named in error messages)."""
    return "data/sources.lock.yml" if source.is_tracking else "data/sources.yml"


def sources_markdown() -> str:
    """The README's table of sources, generated from the manifest (a test keeps the README in step). Tracking
    sources show the manifest's baseline release; the release in use is in data/sources.lock.yml."""
    lines = ["| id | dataset | publisher | release / vintage | licence |", "|---|---|---|---|---|"]
    for s in load_manifest(locked=False).values():
        title = s.title.replace("|", "/")
        lines.append(f"| `{s.id}` | {title} | {s.publisher} | {s.release} | {s.licence} |")
    return "\n".join(lines)
