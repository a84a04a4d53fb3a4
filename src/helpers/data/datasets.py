"""Tidy datasets in ``data/processed/``: one Parquet file per dataset plus a provenance sidecar, and the
reference tables the project writes itself (``data/reference/*.csv``, read as they are).

A dataset is rebuilt only when one of its raw files (by manifest sha256), the code that builds it (the builder's
module and the helpers modules it imports, by content hash) or one of the reference files it reads has changed.
``load(name)`` is the one way notebooks and helpers read data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import importlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.config import paths
from helpers.data.atomic import atomic_path, write_text_atomic
from helpers.data.catalogue import DATASETS, Dataset, ReferenceTable
from helpers.data.imports import code_files
from helpers.data.sources import fetch, get_source, lock_path
from helpers.errors import RegionalDivideError, SourceFormatError, UnknownDatasetError

if TYPE_CHECKING:
    import pandas as pd

_CHECKED: dict[str, tuple] = {}  # dataset -> (``_inputs_version``, fingerprint) when last found up to date in this process



def catalogue() -> pd.DataFrame:
    """Every dataset ``load`` serves: name, description, kind (processed or reference), geography levels,
    years covered and manifest source ids (levels and years read from the built table's provenance, if built)."""
    import pandas as pd

    rows = []
    for item in DATASETS.values():
        record = _recorded_provenance(item) if isinstance(item, Dataset) else {}
        rows.append({"name": item.name, "description": item.description,
                     "kind": "processed" if isinstance(item, Dataset) else "reference",
                     "levels": ", ".join(record.get("levels", [])), "years": record.get("years", ""),
                     "sources": ", ".join(item.sources) if item.sources else getattr(item, "file", "")})
    return pd.DataFrame(rows).set_index("name")


def get_dataset(name: str) -> Dataset | ReferenceTable:
    if name not in DATASETS:
        close = difflib.get_close_matches(name, DATASETS, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownDatasetError(f"Unknown dataset {name!r}.{hint} Datasets: {', '.join(DATASETS)}.")
    return DATASETS[name]


def load(name: str, *, release: str | None = None) -> pd.DataFrame:
    """The table ``name``: a processed dataset from ``data/processed/`` (fetched and built first if needed) or a
    reference table from ``data/reference/``. ``helpers.catalogue()`` describes each; statistical tables share the
    tidy layout of ``helpers.data.schema.TIDY_COLUMNS`` plus ``release`` (the date its source was published).

    A dataset that holds several releases of the same figures (``releases`` in the catalogue: ``gva_by_industry``,
    ``regional_accounts``) never stacks them: by default each combination of its release columns (price basis and
    geography level) comes from the latest release that has it; ``release="2023-04-25"`` (or ``"2023-04"``) gives
    that release's rows only, for vintage comparisons. ``releases(name)`` lists them."""
    dataset = get_dataset(name)
    if isinstance(dataset, ReferenceTable):
        import pandas as pd

        if release is not None:
            raise RegionalDivideError(f"{name!r} is a reference table written by the project: it has no releases.")
        frame = pd.read_csv(dataset.path, **dataset.read_csv)
    else:
        ensure_built(dataset)
        fingerprint = _CHECKED[dataset.name][1]
        frame = _selected(dataset.name, fingerprint, _release_name(dataset, fingerprint, release)).copy(deep=False)
    return frame


def releases(name: str) -> list[str]:
    """The releases (publication dates) a processed dataset holds, oldest first."""
    dataset = get_dataset(name)
    if isinstance(dataset, ReferenceTable):
        return []
    ensure_built(dataset)
    frame = _read(dataset.name, _CHECKED[dataset.name][1])
    return sorted(frame["release"].unique().tolist()) if "release" in frame else []


def _release_name(dataset: Dataset, fingerprint: str, release: str | None) -> str | None:
    """``release`` as the full publication date it names (a "YYYY-MM" prefix accepted), or None (the latest)."""
    if release is None:
        return None
    held = sorted(_read(dataset.name, fingerprint)["release"].unique()) if dataset.releases else []
    matches = [r for r in held if r == release or r.startswith(f"{release}-")]
    if len(matches) != 1:
        raise RegionalDivideError(
            f"Dataset {dataset.name!r} has no release {release!r}"
            + (f"; its releases are {', '.join(held)}" if held else "; it holds one release of each figure")
            + ". Fix: pass one of them as release=..., or leave release out for the latest.")
    return matches[0]


@functools.lru_cache(maxsize=32)
def _read(name: str, fingerprint: str) -> pd.DataFrame:
    """A built dataset read once per process and content (``fingerprint``), with its ``release`` column."""
    dataset = DATASETS[name]
    if dataset.geo:
        import geopandas as gpd

        frame = gpd.read_parquet(dataset.path)
    else:
        import pandas as pd

        frame = pd.read_parquet(dataset.path)
    if "source_id" in frame:
        published = {s: get_source(s).release_date for s in frame["source_id"].unique()}
        frame["release"] = frame["source_id"].map(published).astype(frame["source_id"].dtype)
    return frame


@functools.lru_cache(maxsize=32)
def _selected(name: str, fingerprint: str, release: str | None) -> pd.DataFrame:
    """``_read`` with one release of each figure: ``release``, or the latest per combination of the dataset's
    release columns."""
    frame, keys = _read(name, fingerprint), list(DATASETS[name].releases)
    if not keys:
        return frame
    if release is not None:
        return frame[frame["release"] == release].reset_index(drop=True)
    latest = frame.groupby(keys, observed=True)["release"].transform("max")
    return frame[frame["release"] == latest].reset_index(drop=True)


def provenance(name: str) -> dict:
    """The provenance record written beside a processed dataset (sources with releases and hashes)."""
    dataset = get_dataset(name)
    if isinstance(dataset, ReferenceTable):
        return _reference_provenance(dataset)
    ensure_built(dataset)
    return json.loads(dataset.provenance_path.read_text(encoding="utf-8"))


def data_version() -> tuple[tuple[str, str], ...]:
    """(name, content fingerprint) of every table as built: the fingerprint a dataset's build recorded in its
    provenance file, the hash of a reference table's bytes (None for a dataset not built yet). It changes exactly
    when some table's content does: ``helpers.data.memo`` keys on it. Each file is read again only when it changes
    (its size, modification time and inode), so the check costs a few dozen ``stat`` calls."""
    version = []
    for name, item in DATASETS.items():
        path = item.path if isinstance(item, ReferenceTable) else item.provenance_path
        try:
            info = path.stat()
        except FileNotFoundError:
            version.append((name, None))
            continue
        stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
        version.append((name, _file_fingerprint(path, isinstance(item, ReferenceTable), stamp)))
    return tuple(version)


@functools.lru_cache(maxsize=64)
def _file_fingerprint(path: Path, reference: bool, _stamp: tuple) -> str | None:
    """A reference table's sha256, or the fingerprint recorded in a dataset's provenance file."""
    if reference:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("fingerprint")
    except ValueError:
        return None


def fingerprint(name: str) -> str:
    """The content hash a dataset is rebuilt (and the reports reading it rerun) on, without building it."""
    return _fingerprint(get_dataset(name))


def build_all(*, force: bool = False, progress: bool = False) -> dict[str, bool]:
    """Fetch and build every dataset; return {name: rebuilt?}."""
    fetch(sorted({s for d in DATASETS.values() for s in d.sources}), progress=progress)
    return {name: ensure_built(dataset, force=force) for name, dataset in DATASETS.items()}


def ensure_built(dataset: Dataset | ReferenceTable, *, force: bool = False) -> bool:
    """Build ``dataset`` unless its Parquet file is up to date; return True if it was built (a reference
    table is never built)."""
    if isinstance(dataset, ReferenceTable):
        return False
    if not force and dataset.name in _CHECKED and _CHECKED[dataset.name][0] == _inputs_version(dataset):
        return False
    raw = fetch(list(dataset.sources))
    fingerprint = _fingerprint(dataset)
    if not force and _recorded_fingerprint(dataset) == fingerprint and dataset.path.exists():
        _CHECKED[dataset.name] = (_inputs_version(dataset), fingerprint)
        return False
    frame = build_frame(dataset, raw)
    with atomic_path(dataset.path) as tmp:
        frame.to_parquet(tmp, index=False)
    write_text_atomic(dataset.provenance_path, json.dumps(_provenance_record(dataset, frame, fingerprint), indent=2))
    _CHECKED[dataset.name] = (_inputs_version(dataset), fingerprint)
    return True


def _inputs_version(dataset: Dataset) -> tuple:
    """(size, mtime_ns) of every file a dataset's up-to-date check reads: its Parquet file and provenance, raw
    files, reference files and builder code. Equal to the version recorded in ``_CHECKED`` when the check last
    passed in this process: nothing changed, so ``load`` skips the hashing (None for a missing file)."""
    files = [dataset.path, dataset.provenance_path, paths().manifest, lock_path(), *(paths().raw / get_source(s).path for s in dataset.sources),
             *(paths().reference / name for name in dataset.reference), *_builder_files(dataset.name)]
    version = []
    for file in files:
        try:
            info = file.stat()
        except FileNotFoundError:
            info = None
        version.append((info.st_size, info.st_mtime_ns) if info else None)
    return tuple(version)


@functools.lru_cache(maxsize=None)
def _builder_files(name: str) -> tuple[Path, ...]:
    return tuple(code_files(DATASETS[name].code_modules, with_packages=False))


def build_frame(dataset: Dataset, raw: dict[str, Path]) -> pd.DataFrame:
    """Run ``dataset``'s builder on ``raw`` ({source id: file}) and validate the table; nothing is written (the
    source update builds candidate versions this way)."""
    from helpers.data.schema import validate

    frame = _run_builder(dataset, raw)
    return validate(frame, _resolve(dataset.schema), what=f"Processed dataset {dataset.name!r}")


def _run_builder(dataset: Dataset, raw: dict[str, Path]) -> pd.DataFrame:
    try:
        return _resolve(dataset.builder)(raw)
    except RegionalDivideError:
        raise
    except Exception as exc:  # a parser failure on a file that passed its checksum, e.g. a damaged spreadsheet
        files = ", ".join(str(p) for p in raw.values())
        raise SourceFormatError(
            f"Could not build dataset {dataset.name!r} from {files}: {type(exc).__name__}: {exc}. "
            "Fix: if a file is damaged, delete it from data/raw and run `make data`; if the publisher changed "
            "its layout, update the loader in src/helpers/data/loaders/ and data/sources.yml."
        ) from exc


def _fingerprint(dataset: Dataset | ReferenceTable) -> str:
    """Hash of the dataset's raw files (manifest sha256, verified by fetch), of the code that builds it (the
    builder's and schema's modules and every helpers module they import) and of the reference files it reads;
    for a reference table, of its file's bytes."""
    if isinstance(dataset, ReferenceTable):
        return hashlib.sha256(dataset.path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for source_id in dataset.sources:
        digest.update(f"{source_id}:{get_source(source_id).sha256}\n".encode())
    files = [(f"{f.parent.name}/{f.name}", f) for f in code_files(dataset.code_modules, with_packages=False)]
    files += [(f"reference/{name}", paths().reference / name) for name in dataset.reference]
    for name, file in files:
        digest.update(name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _resolve(reference: str):
    module, attribute = reference.split(":")
    return getattr(importlib.import_module(module), attribute)


def _recorded_provenance(dataset: Dataset) -> dict:
    """The provenance record of the last build ({} if never built or unreadable)."""
    try:
        return json.loads(dataset.provenance_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _recorded_fingerprint(dataset: Dataset) -> str | None:
    return _recorded_provenance(dataset).get("fingerprint")


def _reference_provenance(table: ReferenceTable) -> dict:
    import csv

    with table.path.open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    return {
        "dataset": table.name,
        "description": table.description,
        "rows": rows,
        "fingerprint": _fingerprint(table),
        "file": f"data/reference/{table.file}",
        "sources": [],  # written by the project: data/reference/README.md names where each table comes from
    }


def _provenance_record(dataset: Dataset, frame: pd.DataFrame, fingerprint: str) -> dict:
    sources = [get_source(s) for s in dataset.sources]
    return {
        "dataset": dataset.name,
        "description": dataset.description,
        "rows": len(frame),
        "levels": sorted(frame["geography_level"].unique().tolist()) if "geography_level" in frame else [],
        "years": _year_span(frame),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fingerprint": fingerprint,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "release": s.release,
                "licence": s.licence,
                "url": s.url,
                "sha256": s.sha256,
                "raw_path": f"data/raw/{s.path}",
            }
            for s in sources
        ],
    }


def _year_span(frame: pd.DataFrame) -> str:
    """'1998-2021' from a table's ``year`` column ('' if it has none)."""
    if "year" not in frame or frame["year"].dropna().empty:
        return ""
    years = frame["year"].dropna().astype(int)
    return f"{years.min()}-{years.max()}"
