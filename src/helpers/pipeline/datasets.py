"""Tidy datasets in ``data/processed/``: one Parquet file per dataset plus a provenance sidecar.

A dataset is rebuilt only when one of its raw files (by manifest sha256) or the code that builds it
(by content hash) has changed. ``load(name)`` is the one way notebooks and helpers read data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import importlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.pipeline.atomic import atomic_path, write_text_atomic
from helpers.config import paths
from helpers.errors import RegionalDivideError, SourceFormatError, UnknownDatasetError
from helpers.pipeline.sources import fetch, get_source

if TYPE_CHECKING:
    import pandas as pd

# Modules whose code every dataset depends on (besides the module of its builder).
SHARED_CODE = ("helpers.pipeline.schema", "helpers.regions", "helpers.pipeline.loaders.common")


@dataclass(frozen=True)
class Dataset:
    """A processed table: its raw sources, the function that builds it, and its schema.

    ``builder`` and ``schema`` are "module:attribute" references, imported only when the dataset is
    built, so that checking that everything is up to date stays fast.
    """

    name: str
    description: str
    sources: tuple[str, ...]
    builder: str
    schema: str = "helpers.pipeline.schema:TIDY_SCHEMA"
    geo: bool = False

    @property
    def builder_module(self) -> str:
        return self.builder.split(":")[0]

    @property
    def path(self) -> Path:
        return paths().processed / f"{self.name}.parquet"

    @property
    def provenance_path(self) -> Path:
        return paths().processed / f"{self.name}.provenance.json"


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "gva_by_industry",
            "ONS regional GVA (balanced) by industry, ITL1 and ITL2, current prices and chained volume (2019 money "
            "value), releases of Apr 2023 (1998-2021) and Apr 2024 (ITL2 current prices, 1998-2022); GBP million.",
            ("gva_itl1_cp_2023", "gva_itl1_cvm_2023", "gva_itl2_cp_2023", "gva_itl2_cvm_2023", "gva_itl2_cp_2024"),
            "helpers.pipeline.loaders.gva:build_gva_by_industry",
        ),
        Dataset(
            "regional_accounts",
            "ONS GVA totals (GBP million, current prices), resident population (persons) and GVA per head (GBP) "
            "for UK, England, ITL1, ITL2 and ITL3: Apr 2024 release (1998-2022) and Apr 2023 per-head workbook.",
            ("gva_total_cp_2024", "population_2024", "gva_per_head_2023"),
            "helpers.pipeline.loaders.gva:build_regional_accounts",
        ),
        Dataset(
            "labour_productivity",
            "ONS subregional labour productivity (June 2024): GVA per hour worked (2004-2022) and per filled job "
            "(2002-2022), GBP and indices, UK, ITL1, ITL2 and ITL3.",
            ("productivity_2024",),
            "helpers.pipeline.loaders.productivity:build_labour_productivity",
        ),
        Dataset(
            "employment",
            "ONS BRES employment by ITL2 and SIC division (2015-2021, persons), BRES full-time employees by ITL2 and "
            "SIC section (2015-2022) and ONS JOBS05 workforce jobs by region and section (quarterly 1996-2021, thousands).",
            ("bres_employment_sic2_2023", "bres_ft_employees_sections_2024", "workforce_jobs_2021"),
            "helpers.pipeline.loaders.employment:build_employment",
        ),
        Dataset(
            "innovation",
            "Regional innovation indicators: Nesta/BEIS venture capital, Innovate UK funding, tech firms founded, "
            "high-tech employment (NUTS2, 2006-2020); SMC business R&D per 100,000 residents by ITL2 (SON 2025 and 2026).",
            (
                "nesta_venture_capital",
                "nesta_innovate_uk",
                "nesta_tech_firms_founded",
                "nesta_hightech_employment",
                "berd_itl2_son25",
                "berd_itl2_son26",
            ),
            "helpers.pipeline.loaders.innovation:build_innovation",
        ),
        Dataset(
            "skills_and_adoption",
            "Social Mobility Commission State of the Nation 2026 inputs: postgraduate degrees and new-economy jobs "
            "(% of 25-64 year olds, UK 2014-2025 and ITL2 pooled) and gigabit-capable broadband (% of premises).",
            ("smc_postgraduate", "smc_new_economy_jobs", "smc_gigabit_broadband"),
            "helpers.pipeline.loaders.innovation:build_skills_and_adoption",
        ),
        Dataset(
            "job_postings",
            "Indeed Hiring Lab job postings index by UK region (1 Feb 2020 = 100, seasonally adjusted, daily).",
            ("indeed_postings_regions",),
            "helpers.pipeline.loaders.job_postings:build_job_postings",
        ),
        Dataset(
            "ai_organisations",
            "Nesta WAIfinder AI organisations (Sep 2023 refresh), one row per organisation with types, location "
            "and ITL1/ITL2 region from its place's NUTS 2016 codes.",
            ("waifinder_orgs_2023",),
            "helpers.pipeline.loaders.ai_firms:build_ai_organisations",
            schema="helpers.pipeline.loaders.ai_firms:AI_ORGANISATIONS_SCHEMA",
        ),
        Dataset(
            "boundaries_itl1",
            "ONS ITL1 (January 2021) boundaries, generalised, WGS84; geometry made valid.",
            ("geo_itl1",),
            "helpers.pipeline.loaders.geo:build_itl1_boundaries",
            schema="helpers.pipeline.loaders.geo:BOUNDARY_SCHEMA",
            geo=True,
        ),
        Dataset(
            "boundaries_itl2",
            "ONS ITL2 (January 2021) boundaries, generalised, WGS84; geometry made valid (TLJ3 self-intersects).",
            ("geo_itl2",),
            "helpers.pipeline.loaders.geo:build_itl2_boundaries",
            schema="helpers.pipeline.loaders.geo:BOUNDARY_SCHEMA",
            geo=True,
        ),
    ]
}


def get_dataset(name: str) -> Dataset:
    if name not in DATASETS:
        close = difflib.get_close_matches(name, DATASETS, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownDatasetError(f"Unknown dataset {name!r}.{hint} Datasets: {', '.join(DATASETS)}.")
    return DATASETS[name]


def load(name: str) -> pd.DataFrame:
    """The tidy table ``name`` from ``data/processed/``, fetching and building it first if needed."""
    from helpers.headlines import log_dataset_use

    dataset = get_dataset(name)
    ensure_built(dataset)
    log_dataset_use(name)
    return _read_parquet(dataset.path, dataset.geo, dataset.path.stat().st_mtime_ns).copy()


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
    ensure_built(dataset)
    return json.loads(dataset.provenance_path.read_text(encoding="utf-8"))


def build_all(*, force: bool = False, progress: bool = False) -> dict[str, bool]:
    """Fetch and build every dataset; return {name: rebuilt?}."""
    fetch(sorted({s for d in DATASETS.values() for s in d.sources}), progress=progress)
    return {name: ensure_built(dataset, force=force) for name, dataset in DATASETS.items()}


def ensure_built(dataset: Dataset, *, force: bool = False) -> bool:
    """Build ``dataset`` unless its Parquet file is up to date; return True if it was built."""
    raw = fetch(list(dataset.sources))
    fingerprint = _fingerprint(dataset)
    if not force and _recorded_fingerprint(dataset) == fingerprint and dataset.path.exists():
        return False
    from helpers.pipeline.schema import validate

    frame = _run_builder(dataset, raw)
    frame = validate(frame, _resolve(dataset.schema), what=f"Processed dataset {dataset.name!r}")
    with atomic_path(dataset.path) as tmp:
        frame.to_parquet(tmp, index=False)
    write_text_atomic(dataset.provenance_path, json.dumps(_provenance_record(dataset, frame, fingerprint), indent=2))
    return True


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
            "its layout, update the loader in src/helpers/loaders/ and data/sources.yml."
        ) from exc


def _fingerprint(dataset: Dataset) -> str:
    """Hash of the dataset's raw files (manifest sha256, verified by fetch) and of the code that builds it."""
    digest = hashlib.sha256()
    for source_id in dataset.sources:
        digest.update(f"{source_id}:{get_source(source_id).sha256}\n".encode())
    modules = (dataset.builder_module, *SHARED_CODE)
    code_files = [Path(importlib.util.find_spec(m).origin) for m in modules]
    code_files += sorted(paths().reference.glob("*.csv"))
    for file in code_files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _resolve(reference: str):
    module, attribute = reference.split(":")
    return getattr(importlib.import_module(module), attribute)


def _recorded_fingerprint(dataset: Dataset) -> str | None:
    try:
        return json.loads(dataset.provenance_path.read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError):
        return None


def _provenance_record(dataset: Dataset, frame: pd.DataFrame, fingerprint: str) -> dict:
    sources = [get_source(s) for s in dataset.sources]
    return {
        "dataset": dataset.name,
        "description": dataset.description,
        "rows": len(frame),
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
