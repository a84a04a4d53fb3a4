"""The data pipeline: raw files -> tidy tables.

``sources`` (manifest and fetching with checksums), ``atomic`` (atomic writes), ``schema`` (the tidy layout and
pandera validation), ``catalogue`` (every dataset and reference table), ``datasets`` (build and ``load``) and ``loaders/`` (one parser
per source family). Never imports ``helpers.analysis`` or ``helpers.runner``.
"""
