"""The dataset catalogue a notebook user sees: ``helpers.catalogue()`` and ``helpers.load``'s docstring."""

from __future__ import annotations

import helpers
from helpers.data.catalogue import DATASETS


def test_catalogue_lists_every_dataset_with_its_sources():
    table = helpers.catalogue()
    assert list(table.index) == list(DATASETS)
    for name, item in DATASETS.items():
        expected = ", ".join(item.sources) if item.sources else item.file
        assert table.loc[name, "sources"] == expected
        assert table.loc[name, "description"] == item.description


def test_load_docstring_names_every_dataset():
    for name in DATASETS:
        assert f"``{name}``" in helpers.load.__doc__, f"helpers.load's docstring does not list {name}"
