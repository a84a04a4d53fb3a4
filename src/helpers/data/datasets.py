"""Tidy datasets in ``data/processed/``: one Parquet file per dataset plus a provenance sidecar, and the
reference tables the project writes itself (``data/reference/*.csv``, read as they are).

A dataset is rebuilt only when one of its raw files (by manifest sha256), the code that builds it (the builder's
module and the helpers modules it imports, by content hash) or one of the reference files it reads has changed.
``load(name)`` is the one way notebooks and helpers read data; it notes the name in an in-process record
(``used()``), which the report runner reads back from the kernel to check each report's declared datasets.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import hashlib
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.config import paths
from helpers.data.atomic import atomic_path, write_text_atomic
from helpers.data.catalogue import DATASETS, REGION_REGISTRY, SIC_REGISTRY, Dataset, ReferenceTable  # noqa: F401
from helpers.data.imports import code_files
from helpers.data.sources import fetch, get_source, lock_path
from helpers.errors import RegionalDivideError, SourceFormatError, UnknownDatasetError

if TYPE_CHECKING:
    import pandas as pd

_USED: set[str] = set()  # names of the datasets ``load`` handed out in this process (read back by the runner)
_CHECKED: dict[str, tuple] = {}  # dataset -> ``_inputs_version`` when it was last found up to date in this process



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


def load(name: str) -> pd.DataFrame:
    """The table ``name``: a processed dataset from ``data/processed/`` (fetched and built first if needed) or a
    reference table from ``data/reference/``. ``helpers.catalogue()`` describes each; statistical tables share the
    tidy layout of ``helpers.data.schema.TIDY_COLUMNS``.

    Processed: ``gva_by_industry`` (ONS GVA by industry, ITL1/ITL2, current prices and chained volume),
    ``regional_accounts`` (GVA totals, population, GVA per head), ``labour_productivity`` (GVA per hour and per
    job), ``employment`` (BRES, JOBS05), ``digital_sector_employment`` (BRES, DCMS digital sector), ``innovation``
    (Nesta VC, Innovate UK, tech firms; SMC business R&D), ``skills_and_adoption`` (SMC), ``job_postings``
    (Indeed, regions), ``ai_job_postings`` (Indeed AI tracker and UK index), ``city_job_postings`` (Indeed,
    cities), ``ai_organisations`` (Nesta WAIfinder), ``boundaries_itl1``, ``boundaries_itl2``, ``boundaries_itl3``,
    ``lad_lookup`` (ONS local authority -> LAU1 -> ITL lookup).
    Reference: ``claims`` (the claims checked), ``ai_growth_zones``."""
    dataset = get_dataset(name)
    if isinstance(dataset, ReferenceTable):
        import pandas as pd

        frame = pd.read_csv(dataset.path, **dataset.read_csv)
    else:
        ensure_built(dataset)
        frame = _read_parquet(dataset.path, dataset.geo, dataset.path.stat().st_mtime_ns).copy(deep=False)  # copy-on-write
    _USED.add(name)
    return frame


def used() -> list[str]:
    """The datasets ``load`` handed out in this process since the last ``clear_used()``, sorted."""
    return sorted(_USED)


def clear_used() -> None:
    _USED.clear()


def mark_used(names) -> None:
    """Record ``names`` as loaded (``helpers.data.memo`` does, when it serves a table built from them)."""
    _USED.update(names)


@contextlib.contextmanager
def recording_used() -> Iterator[set[str]]:
    """The set of datasets ``load`` hands out inside the block (they are kept in ``used()`` too)."""
    before, inside = set(_USED), set()
    _USED.clear()
    try:
        yield inside
    finally:
        inside.update(_USED)
        _USED.update(before)


@functools.lru_cache(maxsize=16)
def _read_parquet(path: Path, geo: bool, _mtime_ns: int) -> pd.DataFrame:
    """Parquet read once per process and file version (``load`` hands out copies)."""
    if geo:
        import geopandas as gpd

        return gpd.read_parquet(path)
    import pandas as pd

    return pd.read_parquet(path)


def provenance(name: str) -> dict:
    """The provenance record written beside a processed dataset (sources with releases and hashes)."""
    dataset = get_dataset(name)
    if isinstance(dataset, ReferenceTable):
        return _reference_provenance(dataset)
    ensure_built(dataset)
    return json.loads(dataset.provenance_path.read_text(encoding="utf-8"))


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
    if not force and _CHECKED.get(dataset.name) == _inputs_version(dataset):
        return False
    raw = fetch(list(dataset.sources))
    fingerprint = _fingerprint(dataset)
    if not force and _recorded_fingerprint(dataset) == fingerprint and dataset.path.exists():
        _CHECKED[dataset.name] = _inputs_version(dataset)
        return False
    frame = build_frame(dataset, raw)
    with atomic_path(dataset.path) as tmp:
        frame.to_parquet(tmp, index=False)
    write_text_atomic(dataset.provenance_path, json.dumps(_provenance_record(dataset, frame, fingerprint), indent=2))
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
