"""Paths and environment settings, in one place.

``REGIONAL_DIVIDE_HOME`` moves the whole project tree (tests use it); ``REGIONAL_DIVIDE_DATA_MIRROR``
names a local directory laid out like ``../shared/data/raw`` to fetch sources from instead of the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "REGIONAL_DIVIDE_HOME"
MIRROR_ENV = "REGIONAL_DIVIDE_DATA_MIRROR"
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def reference(self) -> Path:
        return self.data / "reference"

    @property
    def manifest(self) -> Path:
        return self.data / "sources.yml"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


def paths() -> Paths:
    """The project's paths, honouring ``REGIONAL_DIVIDE_HOME`` (read on each call)."""
    return Paths(Path(os.environ.get(HOME_ENV, PACKAGE_ROOT)).resolve())


def mirror_dir() -> Path | None:
    """The local mirror directory from ``REGIONAL_DIVIDE_DATA_MIRROR``, or None to use the network."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None
