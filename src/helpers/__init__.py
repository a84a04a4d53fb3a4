"""regional-divide helpers: sources, regions, tidy datasets and (later) metrics and charts.

A number in a report is traced as: notebook -> helpers function -> ``helpers.pipeline.datasets`` loader
-> ``data/sources.yml`` entry -> file in ``data/raw/``.
"""

from helpers.pipeline.datasets import DATASETS, build_all, load
from helpers.errors import RegionalDivideError
from helpers.pipeline.sources import fetch, get_source, load_manifest

__all__ = ["DATASETS", "RegionalDivideError", "build_all", "fetch", "get_source", "load", "load_manifest"]
