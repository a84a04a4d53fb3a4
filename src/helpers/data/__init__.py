"""The data layer: raw files -> tidy tables -> the regional tables the questions share.

``sources`` (manifest and fetching with checksums), ``atomic`` (atomic writes), ``schema`` (the tidy layout and
pandera validation), ``catalogue`` (every dataset and reference table), ``datasets`` (build and ``load``),
``loaders/`` (one parser per source family), ``indicators`` (year x region tables with their source ids),
``memo`` (all-region tables computed once per process), and the release cycle of tracking sources (``tracking``,
``updates``, ``vintages``). Imports nothing above it.
"""
