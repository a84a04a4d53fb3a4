"""Vintages of the processed tables: what a new version of a source changes, and the revisions between the latest
vintage of a dataset and the previous one.

When ``regional-divide sources update`` takes in a new version of a tracking source, it first keeps the processed
table built from the version in use as ``data/processed/vintages/<dataset>--<fingerprint[:12]>.parquet`` and notes
it in ``data/processed/vintages/<dataset>.json`` (oldest first, with the releases of its sources). Then::

    from helpers.data.vintages import revisions
    revisions("gva_by_industry", measure="gva_current_prices", industry_code="J")   # latest vs previous vintage
    revisions("job_postings", region_code=["TLI", "TLC"], status="revised")

returns one row per key (``key_columns``) with ``previous``, ``latest``, ``change``, ``pct_change`` and ``status``
("revised", "unchanged", "new" or "dropped"); ``attrs`` carry the two vintages' releases and the source ids, so a
report can show the latest figure against the previous release's (``list_vintages`` lists the stored vintages).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.config import paths
from helpers.data.atomic import atomic_path, write_text_atomic
from helpers.errors import RegionalDivideError

if TYPE_CHECKING:
    import pandas as pd

KEY_CANDIDATES = ("region_code", "city", "organisation_id", "industry_code", "period", "measure", "source_id")
AREA_COLUMNS = ("region_code", "city")
TOP = 5


def vintages_dir() -> Path:
    return paths().processed / "vintages"


def key_columns(frame: pd.DataFrame) -> list[str]:
    """The columns that identify a value: region/city, industry, period, measure and source id (those present)."""
    keys = [c for c in KEY_CANDIDATES if c in frame.columns]
    return keys or [c for c in frame.columns if c not in ("value", "source_id")]


def _span(frame: pd.DataFrame) -> str:
    column = "period" if "period" in frame else "year" if "year" in frame else None
    if column is None or frame[column].dropna().empty:
        return ""
    values = frame[column].dropna().astype(str)
    return f"{values.min()} to {values.max()}"


@dataclass
class Comparison:
    """A candidate table against the table in use (rows of one source): coverage and the largest revisions."""

    dataset: str
    source_id: str
    rows: tuple[int, int]
    span: tuple[str, str]
    areas: tuple[int, int]
    areas_added: list[str]
    areas_dropped: list[str]
    keys_added: int
    keys_dropped: int
    revised: int
    top_absolute: pd.DataFrame = field(repr=False)
    top_relative: pd.DataFrame = field(repr=False)
    dropped_examples: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"  {self.dataset} (rows from {self.source_id}): rows {self.rows[0]:,} -> {self.rows[1]:,}; "
            f"covering {self.span[0]} -> {self.span[1]}; areas {self.areas[0]} -> {self.areas[1]}"
            + (f" (+{', '.join(self.areas_added)})" if self.areas_added else "")
            + (f" (-{', '.join(self.areas_dropped)})" if self.areas_dropped else ""),
            f"    {self.keys_added:,} new values, {self.keys_dropped:,} dropped, {self.revised:,} revised",
        ]
        for title, table in (("largest absolute revisions", self.top_absolute),
                             ("largest relative revisions", self.top_relative)):
            if len(table):
                lines.append(f"    {title}:")
                for _, row in table.iterrows():
                    key = ", ".join(str(row[k]) for k in table.columns if k not in
                                    ("previous", "latest", "change", "pct_change", "status") and row[k] == row[k] and str(row[k]))
                    pct = "" if row["pct_change"] != row["pct_change"] else f" ({row['pct_change']:+.2f}%)"
                    lines.append(f"      {key}: {row['previous']:g} -> {row['latest']:g}{pct}")
        return "\n".join(lines)


def source_rows(frame: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The rows of ``frame`` that come from ``source_id`` (all of them if it has no ``source_id`` column)."""
    return frame[frame["source_id"] == source_id] if "source_id" in frame else frame


def compare(previous: pd.DataFrame, latest: pd.DataFrame, *, dataset: str, source_id: str,
            table: pd.DataFrame | None = None) -> Comparison:
    """Compare the rows of ``source_id`` in two builds of ``dataset`` (the version in use and a candidate);
    ``table``: their ``diff`` if already computed."""
    old, new = source_rows(previous, source_id), source_rows(latest, source_id)
    table = diff(old, new) if table is None else table
    area = next((c for c in AREA_COLUMNS if c in new.columns), None)
    old_areas = set(old[area].dropna().astype(str)) if area else set()
    new_areas = set(new[area].dropna().astype(str)) if area else set()
    revised = table[table["status"] == "revised"]
    relative = revised.dropna(subset=["pct_change"])
    keys = [c for c in table.columns if c not in ("previous", "latest", "change", "pct_change", "status")]
    dropped = table[table["status"] == "dropped"]
    return Comparison(
        dataset, source_id, (len(old), len(new)), (_span(old), _span(new)), (len(old_areas), len(new_areas)),
        sorted(new_areas - old_areas), sorted(old_areas - new_areas),
        int((table["status"] == "new").sum()), len(dropped), len(revised),
        revised.reindex(revised["change"].abs().sort_values(ascending=False).index).head(TOP),
        relative.reindex(relative["pct_change"].abs().sort_values(ascending=False).index).head(TOP),
        [", ".join(str(v) for v in row if v == v and str(v)) for row in dropped[keys].head(3).itertuples(index=False)],
    )


def diff(previous: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Key columns, ``previous``, ``latest``, ``change``, ``pct_change`` (% of previous) and ``status``."""
    import numpy as np

    keys = key_columns(latest if len(latest.columns) else previous)
    left = previous[keys + ["value"]].drop_duplicates(keys).rename(columns={"value": "previous"})
    right = latest[keys + ["value"]].drop_duplicates(keys).rename(columns={"value": "latest"})
    table = left.merge(right, on=keys, how="outer", indicator=True)
    table["change"] = table["latest"] - table["previous"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["pct_change"] = (100 * table["change"] / table["previous"].abs()).replace([np.inf, -np.inf], np.nan)
    same = (table["previous"] == table["latest"]) | (table["previous"].isna() & table["latest"].isna())
    table["status"] = np.select(
        [table["_merge"] == "left_only", table["_merge"] == "right_only", same],
        ["dropped", "new", "unchanged"], "revised")
    return table.drop(columns="_merge").sort_values(keys, ignore_index=True)


def save_vintage(dataset, *, fingerprint: str, sources: list, replaced_by: dict[str, str]) -> Path | None:
    """Keep the processed table of ``dataset`` built from the version in use (before a lock change): copy it to
    ``vintages/<name>--<fingerprint[:12]>.parquet`` and note it in ``vintages/<name>.json``."""
    if not dataset.path.exists():
        return None
    target = vintages_dir() / f"{dataset.name}--{fingerprint[:12]}.parquet"
    if not target.exists():
        with atomic_path(target) as tmp:
            shutil.copyfile(dataset.path, tmp)
    index = _index(dataset.name)
    index = [v for v in index if v["file"] != target.name]
    index.append({
        "file": target.name,
        "fingerprint": fingerprint,
        "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sources": {s.id: {"release": s.release, "sha256": s.sha256} for s in sources},
        "replaced_by": replaced_by,
    })
    write_text_atomic(_index_path(dataset.name), json.dumps(index, indent=2))
    return target


def _index_path(name: str) -> Path:
    return vintages_dir() / f"{name}.json"


def _index(name: str) -> list[dict]:
    try:
        return json.loads(_index_path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def list_vintages(name: str) -> list[dict]:
    """The stored earlier vintages of dataset ``name``, oldest first (file, fingerprint, sources with releases)."""
    return _index(name)


def revisions(name: str, *, previous: int | str = -1, **filters) -> pd.DataFrame:
    """The latest vintage of dataset ``name`` (as ``load`` gives it) against an earlier one (default: the previous;
    an index into ``list_vintages`` or a file name), one row per key with ``previous``, ``latest``, ``change``,
    ``pct_change`` and ``status``. ``filters`` select rows by column: ``measure="gva_current_prices"``,
    ``region_code=["TLI", "TLC"]``, ``status="revised"`` (a list means any of)."""
    import pandas as pd

    from helpers.data.datasets import load

    stored = _index(name)
    if not stored:
        raise RegionalDivideError(
            f"Dataset {name!r} has no earlier vintage: none of its tracking sources has been updated since vintages "
            "were kept (data/processed/vintages/). `regional-divide sources update` keeps one at each update.")
    entry = stored[previous] if isinstance(previous, int) else next(v for v in stored if v["file"] == previous)
    older = pd.read_parquet(vintages_dir() / entry["file"])
    latest = load(name)
    table = diff(_select(older, filters), _select(latest, filters))
    table = _select(table, {k: v for k, v in filters.items() if k == "status"})
    table.attrs["previous_vintage"] = {sid: s["release"] for sid, s in entry["sources"].items()}
    from helpers.data.datasets import provenance

    table.attrs["latest_vintage"] = {s["id"]: s["release"] for s in provenance(name)["sources"]}
    table.attrs["source_ids"] = sorted(set(latest["source_id"])) if "source_id" in latest else []
    return table


def _select(frame: pd.DataFrame, filters: dict) -> pd.DataFrame:
    for column, wanted in filters.items():
        if column not in frame.columns:
            if column == "status":
                continue
            raise RegionalDivideError(f"revisions(): no column {column!r} (columns: {', '.join(frame.columns)}).")
        values = wanted if isinstance(wanted, (list, tuple, set)) else [wanted]
        frame = frame[frame[column].isin(values)]
    return frame
