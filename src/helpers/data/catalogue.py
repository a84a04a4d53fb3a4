"""The catalogue of datasets, read from ``catalogue.yml`` beside this module: every processed table (its manifest
sources, builder, schema, the reference files its code reads and the columns within which releases replace each
other) and every reference table the project writes itself. ``helpers.data.datasets`` builds and loads them;
``helpers.catalogue()`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.config import paths

CATALOGUE = Path(__file__).with_name("catalogue.yml")
# Reference files (data/reference/) read by helpers.regions (every loader maps codes or names through it).
REGION_REGISTRY = ("itl1_regions.csv", "itl2_regions.csv")


@dataclass(frozen=True)
class Dataset:
    """A processed table: its raw sources, the function that builds it, its schema, the reference files
    (``data/reference/``) its code reads, and ``releases``: the columns within which a later release of a figure
    replaces an earlier one (empty: every row is its own figure).

    ``builder`` and ``schema`` are "module:attribute" references, imported only when the dataset is
    built, so that checking that everything is up to date stays fast.
    """

    name: str
    description: str
    sources: tuple[str, ...]
    builder: str
    schema: str = "helpers.data.schema:TIDY_SCHEMA"
    geo: bool = False
    reference: tuple[str, ...] = REGION_REGISTRY
    releases: tuple[str, ...] = ()

    @property
    def builder_module(self) -> str:
        return self.builder.split(":")[0]

    @property
    def code_modules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([self.builder_module, self.schema.split(":")[0]]))

    @property
    def path(self) -> Path:
        return paths().processed / f"{self.name}.parquet"

    @property
    def provenance_path(self) -> Path:
        return paths().processed / f"{self.name}.provenance.json"


@dataclass(frozen=True)
class ReferenceTable:
    """A small table the project writes itself, ``data/reference/<file>``: no manifest sources and nothing to
    build; it is read as it is (``read_csv`` options), and its fingerprint is the hash of its bytes."""

    name: str
    description: str
    file: str
    read_csv: dict = field(default_factory=dict, hash=False, compare=False)
    sources: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return paths().reference / self.file


def _entry(raw: dict) -> Dataset | ReferenceTable:
    if "file" in raw:
        return ReferenceTable(raw["name"], raw["description"], raw["file"], raw.get("read_csv") or {})
    tuples = {key: tuple(raw[key]) for key in ("sources", "reference", "releases") if key in raw}
    return Dataset(**{**raw, **tuples})


DATASETS: dict[str, Dataset | ReferenceTable] = {
    entry.name: entry for entry in map(_entry, yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["datasets"])
}
