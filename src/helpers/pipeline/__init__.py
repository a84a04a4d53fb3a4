"""The data pipeline: raw files -> tidy tables.

``sources`` (manifest and fetching with checksums), ``atomic`` (atomic writes), ``schema`` (the tidy layout and
pandera validation), ``datasets`` (the catalogue of processed tables and ``load``) and ``loaders/`` (one parser
per source family). Never imports ``helpers.analysis`` or ``helpers.runner``.
"""
