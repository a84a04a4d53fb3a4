"""regional-divide helpers: the API a notebook uses.

- ``helpers.load(name)``: a tidy table (``helpers.catalogue()`` lists them; ``helpers.provenance(name)`` gives
  its sources with releases and checksums);
- ``helpers.record_metric(...)``: a headline figure for ``reports/metrics.csv``.

The code is in three layers, each importing only the ones before it: ``helpers.pipeline`` (raw files -> tidy
tables), ``helpers.analysis`` (the statistics and one module per question) and ``helpers.runner`` (the reports),
plus shared modules (``config``, ``errors``, ``regions``, ``sic``, ``plotting``, ``charts``, ``headlines``, ``cli``).
A number in a report is traced as: notebook -> ``helpers.analysis`` function -> ``helpers.load`` ->
``helpers.pipeline.catalogue`` entry -> ``data/sources.yml`` entry -> file in ``data/raw/``.
"""

from helpers.headlines import record_metric
from helpers.pipeline.datasets import catalogue, load, provenance

__all__ = ["catalogue", "load", "provenance", "record_metric"]
