"""Naming a place: one resolver for every door (the command line, a notebook's parameter cell, the landing page's
search box). ``resolve`` turns a code or a name into a registry code: ITL1/ITL2/ITL3 codes and names, local
authorities (LAD 2020 name or code, Scottish LAU1 name, through the ``lad_lookup`` dataset), the common names of
``data/reference/area_aliases.csv`` ("Bristol", "Hull", "Newcastle") and the short forms of official names
("Glasgow" for "Glasgow City", "Edinburgh" for "City of Edinburgh"); case, accents and punctuation do not matter.
A miss raises UnknownRegionError with the closest names. ``search_entries`` is the same knowledge as a list for
the landing page's static search index. The registry itself is ``helpers.regions``; this module adds what needs
data."""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata

from helpers import regions
from helpers.config import paths
from helpers.data.datasets import load
from helpers.errors import RegionalDivideError, UnknownRegionError

ALIASES_FILE = "area_aliases.csv"
_CITY = re.compile(r"^(city of )|(,? city of| city)$")


def key(text: object) -> str:
    """The form names are compared in: lower case, accents dropped, ``&`` as "and", punctuation as spaces
    ("Ynys Môn" -> "ynys mon", "Stoke-on-Trent" -> "stoke on trent")."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.replace("&", " and ").lower()).split())


def short_form(name_key: str) -> str:
    """An official name without its "City of" ("glasgow city" -> "glasgow"; "bristol city of" -> "bristol")."""
    return _CITY.sub("", name_key).strip()


def resolve(name_or_code: str, *, levels: tuple[str, ...] = regions.LEVELS) -> str:
    """The registry code for a code or a name at one of ``levels`` (``"west midlands"`` -> ``"TLG"``, ``"Leeds"``
    -> ``"TLE42"``), coarsest level first. A place below ``levels`` (a local authority, an alias, an ITL3 area
    when only ITL1 is allowed) gives the area at the finest of ``levels`` containing it. A miss raises
    UnknownRegionError with the closest names and codes."""
    text = str(name_or_code).strip()
    known = regions.known_codes(levels)
    if text.upper() in known:
        return text.upper()
    if text.upper() in regions.known_codes(regions.LEVELS):  # a code below ``levels``: the area containing it
        return _at_level((text.upper(),), levels, text)
    name = key(text)
    if not name:
        raise UnknownRegionError(f"No area given ({text!r}). Give an ITL code or a place name, e.g. TLE42 or Leeds.")
    for level in regions.LEVELS:  # an official name at an allowed level wins over a place inside it
        if level in levels and name in _names(level):
            return _names(level)[name]
    places = _places().get(name) or _places().get(short_form(name))
    if places:
        return _at_level(places, levels, text)
    raise UnknownRegionError(
        f"Unknown region {text!r} at level {'/'.join(levels)}.{_hint(text, name, levels)} Give an ITL code or name, a "
        "local authority or a city (`regional-divide list regions`; the search box on reports/index.html).")


def resolve_many(value, *, levels: tuple[str, ...] = regions.LEVELS) -> list[str]:
    """``resolve`` for each of several areas: a list, or text such as ``"[TLG, TLD, Leeds]"`` or ``"TLG, Leeds"``;
    each code once, in the order given."""
    items = value if isinstance(value, (list, tuple)) else str(value).strip().strip("[]").split(",")
    items = [str(item).strip().strip("'\"") for item in items if str(item).strip().strip("'\"")]
    return list(dict.fromkeys(resolve(item, levels=levels) for item in items))


def _hint(text: str, name: str, levels: tuple[str, ...]) -> str:
    candidates: dict[str, str] = {}
    for level in regions.LEVELS:  # the coarsest area of a name first, as ``resolve`` finds them
        for n, c in _names(level).items() if level in levels else ():
            candidates.setdefault(n, c)
    official = set(candidates)
    for n, codes in _places().items():
        if len(codes) == 1:
            candidates.setdefault(n, codes[0])
    close = [n for n in candidates if name and len(name) >= 3 and n.startswith(name)][:3]
    close += difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.75)
    named: dict[str, str] = {}
    for n in dict.fromkeys(close):
        named.setdefault(candidates[n], f"{regions.region_name(candidates[n]) if n in official else _display(n)} "
                                        f"({candidates[n]})")
    found = list(named.values())
    found += [c for c in difflib.get_close_matches(text.upper(), regions.known_codes(levels), n=3) if c not in named]
    return f" Did you mean {', '.join(found)}?" if found else ""


def _display(name_key: str) -> str:
    return _labels().get(name_key, name_key.title())


@functools.cache
def _names(level: str) -> dict[str, str]:
    """Official names (and the other spellings of the registry) at ``level`` -> code."""
    return {key(name): code for name, code in regions.name_index(level).items()}


@functools.cache
def _labels() -> dict[str, str]:
    """Name key -> the name as written (registry, local authorities, aliases), for suggestions."""
    out = {key(name): name for level in regions.LEVELS for _, name in regions.registry_areas(level)}
    out.update({key(row["alias"]): row["alias"] for row in aliases()})
    out.update({key(row.lad_name): row.lad_name for row in _lookup().itertuples()} if len(_lookup()) else {})
    return out


@functools.cache
def aliases() -> tuple[dict, ...]:
    """The rows of ``data/reference/area_aliases.csv`` (alias, code, why)."""
    with (paths().reference / ALIASES_FILE).open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@functools.cache
def _lookup():
    """The ``lad_lookup`` dataset; empty when it cannot be built (no data yet)."""
    import pandas as pd

    try:
        return load("lad_lookup")
    except (RegionalDivideError, OSError):
        return pd.DataFrame(columns=["lad_code", "lad_name", "lau1_code", "lau1_name", "itl3_code"])


@functools.cache
def _places() -> dict[str, tuple[str, ...]]:
    """Places below the registry's names -> the ITL codes they lie in: local authorities (code, name, LAU1 name;
    several ITL3 codes for three Scottish councils), aliases, and the short forms of ITL3 and LAD names."""
    found: dict[str, set[str]] = {}
    for row in _lookup().itertuples():
        for name in (row.lad_code, row.lad_name, row.lau1_code, row.lau1_name):
            found.setdefault(key(name), set()).add(row.itl3_code)
    for code, name in regions.registry_areas("ITL3"):
        found.setdefault(key(name), set()).add(code)
    for name in list(found):
        if short_form(name) != name:
            found.setdefault(short_form(name), set()).update(found[name])
    for row in aliases():
        found[key(row["alias"])] = {row["code"]}
    return {name: tuple(sorted(codes)) for name, codes in found.items()}


def _at_level(places: tuple[str, ...], levels: tuple[str, ...], text: str) -> str:
    """The area at the finest of ``levels`` that contains ``places`` (one area, else an error naming them)."""
    finest = [level for level in regions.LEVELS if level in levels][-1:]
    if not finest:
        raise UnknownRegionError(f"{text!r} is a place, not one of {'/'.join(levels)}: give an ITL code.")
    order = regions.LEVELS.index(finest[0])
    parent = {"ITL1": regions.parent_itl1, "ITL2": regions.parent_itl2, "ITL3": lambda code: code}[finest[0]]
    found = sorted({parent(place) if regions.LEVELS.index(regions.geography_level(place)) >= order else place
                    for place in places})
    if len(found) > 1:
        listed = ", ".join(f"{regions.region_name(c)} ({c})" for c in found)
        raise UnknownRegionError(f"{text!r} is split across {finest[0]} areas {listed}: give one of their codes.")
    if regions.geography_level(found[0]) not in levels:
        raise UnknownRegionError(f"{text!r} is the {regions.geography_level(found[0])} area {found[0]}, not one of "
                                 f"{'/'.join(levels)}: give an area at one of those levels.")
    return found[0]


def search_entries() -> list[dict]:
    """Every name the resolver knows, for the landing page's search box: {name, code, level, area} where ``area``
    is the profile's code (an ITL area itself; a local authority's or alias's ITL3 area, or its ITL2 area for a
    council split across ITL3 areas). Registry areas first (ITL1, ITL2, ITL3), then local authorities and aliases."""
    out = [{"name": name, "code": code, "level": level, "area": code}
           for level in regions.LEVELS for code, name in regions.registry_areas(level)]
    registry = {(key(e["name"]), e["area"]) for e in out}
    lads: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for row in _lookup().itertuples():
        lads.setdefault(row.lad_code, set()).add(row.itl3_code)
        names[row.lad_code] = row.lad_name
    for code, itl3 in lads.items():
        area = next(iter(itl3)) if len(itl3) == 1 else regions.parent_itl2(sorted(itl3)[0])
        if (key(names[code]), area) not in registry:
            out.append({"name": names[code], "code": code, "level": "local authority", "area": area})
    out += [{"name": row["alias"], "code": row["code"], "level": "place", "area": row["code"]} for row in aliases()]
    return out
