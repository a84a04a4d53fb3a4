"""regional-divide helpers: the API a notebook uses.

- ``helpers.load(name)``: a tidy table (``helpers.catalogue()`` lists them; ``helpers.provenance(name)`` gives
  its sources with releases and checksums);

The package is in layers, each importing only the ones below it: ``helpers.data`` (raw files -> tidy tables) and
``helpers.stats`` (statistics without data), ``helpers.questions`` (one package per question), ``helpers.show``
(house style, charts, tables) and ``helpers.site`` (the reports and the site), over the shared modules
``config``, ``errors``, ``regions`` and ``sic``; ``cli`` is the command line.
A number in a report is traced as: notebook -> ``helpers.questions.<question>`` -> ``helpers.load`` ->
``helpers.data.catalogue`` entry -> ``data/sources.yml`` entry -> file in ``data/raw/``.
"""

from helpers.data.datasets import catalogue, load, provenance

__all__ = ["catalogue", "load", "provenance"]
