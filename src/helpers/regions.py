"""The region registry: ITL1, ITL2 and ITL3 (2021) codes, names, short labels, GSS and NUTS 2016 codes,
parents (ITL3 -> ITL2 -> ITL1) and one fixed colour per ITL1 region. Read from ``data/reference/`` (sources named
there); it reads no dataset (``helpers.data.areas.resolve`` adds local authorities from the ``lad_lookup`` dataset).
"""

from __future__ import annotations

import difflib
import functools
from typing import TYPE_CHECKING

from helpers.config import paths
from helpers.errors import UnknownRegionError

if TYPE_CHECKING:  # pandas is imported when a registry table is first read: `regional-divide report` with
    import pandas as pd  # nothing to run lists the profile runs (``registry_areas``) without it

UK_CODE = "UK"
UK_LESS_EXTRA_REGIO_CODE = "UKX"
ENGLAND_CODE = "TLB"
EXTRA_REGIO_CODE = "TLZ"
GREAT_BRITAIN_CODE = "GB"
LONDON = "TLI"
GREATER_SOUTH_EAST = ("TLI", "TLJ", "TLH")  # London, South East, East

SPECIAL_LEVELS = {
    UK_CODE: "UK",
    UK_LESS_EXTRA_REGIO_CODE: "UK less Extra-Regio",
    ENGLAND_CODE: "Country",
    EXTRA_REGIO_CODE: "Extra-Regio",
    GREAT_BRITAIN_CODE: "Great Britain",
}
SPECIAL_NAMES = {
    UK_CODE: "United Kingdom",
    UK_LESS_EXTRA_REGIO_CODE: "United Kingdom less Extra-Regio",
    ENGLAND_CODE: "England",
    EXTRA_REGIO_CODE: "Extra-Regio",
    GREAT_BRITAIN_CODE: "Great Britain",
}
GEOGRAPHY_LEVELS = ("UK", "UK less Extra-Regio", "Great Britain", "Country", "Extra-Regio", "ITL1", "ITL2", "ITL3", "NUTS2")
LEVELS = ("ITL1", "ITL2", "ITL3")  # the levels of the registry, coarsest first
REGISTRY_FILES = {"ITL1": "itl1_regions.csv", "ITL2": "itl2_regions.csv", "ITL3": "itl3_regions.csv"}


@functools.cache
def itl1() -> pd.DataFrame:
    """The 12 ITL1 regions: itl1_code, itl1_name, short_label, gss_code, nuts2016_code, colour, aliases."""
    import pandas as pd

    table = pd.read_csv(paths().reference / "itl1_regions.csv", dtype=str, keep_default_na=False)
    return table.set_index("itl1_code", drop=False)


@functools.cache
def itl2() -> pd.DataFrame:
    """The 41 ITL2 (2021) areas: itl2_code, itl2_name, itl1_code, nuts2016_code, nuts2016_name."""
    import pandas as pd

    table = pd.read_csv(paths().reference / "itl2_regions.csv", dtype=str, keep_default_na=False)
    return table.set_index("itl2_code", drop=False)


@functools.cache
def itl3() -> pd.DataFrame:
    """The 179 ITL3 (2021) areas: itl3_code, itl3_name, itl2_code, itl1_code."""
    import pandas as pd

    table = pd.read_csv(paths().reference / "itl3_regions.csv", dtype=str, keep_default_na=False)
    return table.set_index("itl3_code", drop=False)


def registry_areas(level: str) -> list[tuple[str, str]]:
    """(code, name) of every area at ``level`` (ITL1, ITL2 or ITL3) in registry order, read with the csv module
    (the same file and order as ``codes`` and ``region_name``, without pandas)."""
    import csv

    if level not in REGISTRY_FILES:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    prefix = level.lower()
    with (paths().reference / REGISTRY_FILES[level]).open(newline="", encoding="utf-8-sig") as handle:
        return [(row[f"{prefix}_code"], row[f"{prefix}_name"]) for row in csv.DictReader(handle)]


def itl1_codes() -> list[str]:
    return itl1().index.tolist()


def itl2_codes() -> list[str]:
    return itl2().index.tolist()


def itl3_codes() -> list[str]:
    return itl3().index.tolist()


def codes(level: str) -> list[str]:
    """The codes of every area at ``level``: the 12 ITL1 regions, 41 ITL2 or 179 ITL3 areas, in registry order."""
    tables = {"ITL1": itl1, "ITL2": itl2, "ITL3": itl3}
    if level not in tables:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r} (the registry holds ITL1, ITL2 and ITL3 areas)")
    return tables[level]().index.tolist()


def itl1_colours() -> dict[str, str]:
    """ITL1 code -> hex colour; the same colour for a region in every chart and map."""
    return itl1()["colour"].to_dict()


def geography_level(code: str) -> str:
    """ITL level of a code: UK, UK less Extra-Regio, Country (England), Extra-Regio, ITL1, ITL2 or ITL3."""
    if code in SPECIAL_LEVELS:
        return SPECIAL_LEVELS[code]
    if code.startswith("TL") and 3 <= len(code) <= 5:
        return f"ITL{len(code) - 2}"
    raise UnknownRegionError(f"{code!r} is not an ITL 2021 code (UK, UKX, TLB, TLZ, TLC..TLN, TLC1.., TLC11..).")


def parent_itl1(code: str) -> str | None:
    """The ITL1 region containing an ITL1/2/3 code (an ITL1 code is its own region); None for UK-wide, England
    and Extra-Regio. Parents come from the registry (data/reference/itl2_regions.csv, itl3_regions.csv); an ITL
    code that is not in the registry raises UnknownRegionError."""
    level = geography_level(code)
    if level == "ITL1":
        return validate_region(code, levels=("ITL1",))
    if level in ("ITL2", "ITL3"):
        return _parents(level, "itl1_code")[validate_region(code, levels=(level,))]
    return None


def parent_itl2(code: str) -> str | None:
    """The ITL2 area containing an ITL2/3 code (an ITL2 code is its own area); None for ITL1 and UK-wide codes."""
    level = geography_level(code)
    if level == "ITL2":
        return validate_region(code, levels=("ITL2",))
    if level == "ITL3":
        return _parents("ITL3", "itl2_code")[validate_region(code, levels=("ITL3",))]
    return None


def parents_itl1(codes_: list[str]) -> list[str | None]:
    """``parent_itl1`` of each code (for grouping the columns of a region table by ITL1 region)."""
    return [parent_itl1(c) for c in codes_]


def in_itl1(code: str, itl1_code: str) -> bool:
    """Whether ``code`` (ITL1/2/3) lies in the ITL1 region ``itl1_code`` (False for UK-wide codes)."""
    return code not in SPECIAL_LEVELS and parent_itl1(code) == itl1_code


def region_name(code: str) -> str:
    """The ONS name of an ITL1, ITL2 or ITL3 code, or of UK/UKX/TLB/TLZ/GB."""
    if code in SPECIAL_NAMES:
        return SPECIAL_NAMES[code]
    if code in _names():
        return _names()[code]
    raise _unknown(code)


def short_label(code: str) -> str:
    """Short chart label for an ITL1 code (ITL2, ITL3 and others fall back to the full name)."""
    return itl1().at[code, "short_label"] if code in itl1().index else region_name(code)


def validate_region(code: str, *, levels: tuple[str, ...] = ("ITL1", "ITL2")) -> str:
    """Return ``code`` if it is a known region at one of ``levels`` (ITL1, ITL2, ITL3, UK), else raise listing the
    valid codes."""
    if code not in _known_set(levels):
        raise _unknown(code, known_codes(levels), levels)
    return code


def itl1_code_for_name(name: str) -> str:
    """ITL1 code for a region name as spelt by ONS, Indeed or JOBS05 (see the aliases column)."""
    return _lookup_name(name, "ITL1")


def itl2_code_for_name(name: str) -> str:
    """ITL2 code for an ITL 2021 name or its NUTS 2016 spelling (as in BRES)."""
    return _lookup_name(name, "ITL2")


@functools.cache
def name_index(level: str) -> dict[str, str]:
    index = {}
    if level == "ITL1":
        for row in itl1().itertuples():
            for name in [row.itl1_name, row.short_label, *filter(None, row.aliases.split("|"))]:
                index[normalise(name)] = row.itl1_code
    elif level == "ITL2":
        for row in itl2().itertuples():
            index[normalise(row.itl2_name)] = row.itl2_code
            index[normalise(row.nuts2016_name)] = row.itl2_code
    else:
        for row in itl3().itertuples():
            index.setdefault(normalise(row.itl3_name), row.itl3_code)
    return index


def known_codes(levels: tuple[str, ...]) -> list[str]:
    known = [code for level in LEVELS if level in levels for code in codes(level)]
    return known + ([UK_CODE] if "UK" in levels else [])


# Lookups the analyses make thousands of times a report, built once from the (cached) registry tables.
@functools.cache
def _known_set(levels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(known_codes(levels))


@functools.cache
def _parents(level: str, column: str) -> dict[str, str]:
    """Code -> ``column`` (its ITL1 or ITL2 code) for every ITL2 or ITL3 area of the registry."""
    return {"ITL2": itl2, "ITL3": itl3}[level]()[column].to_dict()


@functools.cache
def _names() -> dict[str, str]:
    """Code -> ONS name for every ITL1, ITL2 and ITL3 area of the registry."""
    return {code: name for level, table in (("itl1", itl1()), ("itl2", itl2()), ("itl3", itl3()))
            for code, name in table[f"{level}_name"].items()}


def normalise(name: str) -> str:
    return " ".join(str(name).replace("&", "and").lower().split())


def _lookup_name(name: str, level: str) -> str:
    index = name_index(level)
    if normalise(name) in index:
        return index[normalise(name)]
    close = difflib.get_close_matches(normalise(name), index, n=3)
    hint = f" Closest known names: {', '.join(close)}." if close else ""
    raise UnknownRegionError(
        f"{name!r} is not a known {level} region name.{hint} "
        f"Fix: add the spelling to data/reference/{level.lower()}_regions.csv if it is a new alias."
    )


def _unknown(code: str, known: list[str] | None = None, levels: tuple[str, ...] = LEVELS) -> UnknownRegionError:
    known = known or known_codes(levels)
    close = difflib.get_close_matches(code, known, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    listed = [c for c in known if geography_level(c) != "ITL3"]
    itl3_note = f"the {len(itl3_codes())} ITL3 codes in data/reference/itl3_regions.csv" if "ITL3" in levels else ""
    valid = ", ".join(listed) + (f" and {itl3_note}" if listed and itl3_note else itl3_note)
    return UnknownRegionError(
        f"Unknown region code {code!r}.{hint} Valid codes: {valid} "
        "(ITL 2021; see data/reference/itl1_regions.csv, itl2_regions.csv and itl3_regions.csv; "
        "`regional-divide list regions`)."
    )
