"""The dataset catalogue a notebook user sees: ``helpers.catalogue()``, from ``src/helpers/data/catalogue.yml``."""

from __future__ import annotations

from pathlib import Path

import helpers
from helpers.data.catalogue import DATASETS


def test_catalogue_lists_every_dataset_with_its_sources():
    table = helpers.catalogue()
    assert list(table.index) == list(DATASETS)
    for name, item in DATASETS.items():
        expected = ", ".join(item.sources) if item.sources else item.file
        assert table.loc[name, "sources"] == expected
        assert table.loc[name, "description"] == item.description


def test_every_dataset_is_declared_once_with_a_builder_or_a_file():
    text = (Path(helpers.__file__).parent / "data" / "catalogue.yml").read_text(encoding="utf-8")
    for name, item in DATASETS.items():
        assert text.count(f"- name: {name}\n") == 1
        assert getattr(item, "builder", None) or getattr(item, "file", None)
