"""Naming a place: ``resolve`` turns a code or a name (any ITL level, case-insensitive, or a local authority through
the ``lad_lookup`` dataset) into a registry code, with suggestions when it finds none. The registry itself is
``helpers.regions``; this module adds what needs data."""

from __future__ import annotations

import difflib
import functools

from helpers import regions
from helpers.data.datasets import load
from helpers.errors import RegionalDivideError, UnknownRegionError


def resolve(name_or_code: str, *, levels: tuple[str, ...] = regions.LEVELS) -> str:
    """The registry code for a code or a name at one of ``levels`` (case-insensitive; ``"west midlands"`` ->
    ``"TLG"``), coarsest level first. A local authority district (LAD 2020 name or code, or a Scottish LAU1 name)
    finds its ITL3 area through the ``lad_lookup`` dataset (loaded on first use), or the area at the finest of
    ``levels`` containing it. A miss raises UnknownRegionError with the closest names and codes."""
    text = str(name_or_code).strip()
    known = regions.known_codes(levels)
    if text.upper() in known:
        return text.upper()
    key = regions.normalise(text)
    for level in regions.LEVELS:
        if level in levels and key in regions.name_index(level):
            return regions.name_index(level)[key]
    area = _local_authority_area(key, levels, text)
    if area:
        return area
    names = {name: code for level in regions.LEVELS if level in levels for name, code in regions.name_index(level).items()}
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.75)
    suggestions = [f"{regions.region_name(names[n])} ({names[n]})" for n in close]
    suggestions += [c for c in difflib.get_close_matches(text.upper(), known, n=3) if c not in {names[n] for n in close}]
    hint = f" Did you mean {', '.join(dict.fromkeys(suggestions))}?" if suggestions else ""
    raise UnknownRegionError(
        f"Unknown region {text!r} at level {'/'.join(levels)}.{hint} Give an ITL code or name "
        "(`regional-divide list regions`) or a local authority name.")


@functools.cache
def _local_authorities() -> dict[str, tuple[str, ...]]:
    """LAD code/name and LAU1 name (normalised) -> the ITL3 codes it lies in (several for three Scottish
    councils); empty when the ``lad_lookup`` dataset cannot be built (no data yet)."""
    try:
        lookup = load("lad_lookup")
    except (RegionalDivideError, OSError):
        return {}
    found: dict[str, set[str]] = {}
    for row in lookup.itertuples():
        for key in (row.lad_code, row.lad_name, row.lau1_code, row.lau1_name):
            found.setdefault(regions.normalise(key), set()).add(row.itl3_code)
    return {key: tuple(sorted(codes)) for key, codes in found.items()}


def _local_authority_area(key: str, levels: tuple[str, ...], text: str) -> str | None:
    itl3 = _local_authorities().get(key)
    if not itl3:
        return None
    finest = [level for level in regions.LEVELS if level in levels][-1:]
    if not finest:
        return None
    parent = {"ITL1": regions.parent_itl1, "ITL2": regions.parent_itl2, "ITL3": lambda code: code}[finest[0]]
    found = sorted({parent(area) for area in itl3})
    if len(found) > 1:
        listed = ", ".join(f"{regions.region_name(c)} ({c})" for c in found)
        raise UnknownRegionError(f"{text!r} is split across {finest[0]} areas {listed}: give one of their codes.")
    return found[0]

