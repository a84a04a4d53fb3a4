"""The region registry: ITL1 and ITL2 (2021) codes, names, short labels, GSS and NUTS 2016 codes,
ITL2 -> ITL1 and one fixed colour per ITL1 region. Read from ``data/reference/`` (sources named there).
"""

from __future__ import annotations

import difflib
import functools

import pandas as pd

from helpers.config import paths
from helpers.errors import UnknownRegionError

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


@functools.cache
def itl1() -> pd.DataFrame:
    """The 12 ITL1 regions: itl1_code, itl1_name, short_label, gss_code, nuts2016_code, colour, aliases."""
    table = pd.read_csv(paths().reference / "itl1_regions.csv", dtype=str, keep_default_na=False)
    return table.set_index("itl1_code", drop=False)


@functools.cache
def itl2() -> pd.DataFrame:
    """The 41 ITL2 (2021) areas: itl2_code, itl2_name, itl1_code, nuts2016_code, nuts2016_name."""
    table = pd.read_csv(paths().reference / "itl2_regions.csv", dtype=str, keep_default_na=False)
    return table.set_index("itl2_code", drop=False)


def itl1_codes() -> list[str]:
    return itl1().index.tolist()


def itl2_codes() -> list[str]:
    return itl2().index.tolist()


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
    """The ITL1 region containing an ITL1/2/3 code; None for UK-wide, England and Extra-Regio."""
    level = geography_level(code)
    return code[:3] if level.startswith("ITL") else None


def region_name(code: str) -> str:
    """The ONS name of an ITL1 or ITL2 code, or of UK/UKX/TLB/TLZ/GB."""
    if code in SPECIAL_NAMES:
        return SPECIAL_NAMES[code]
    if code in itl1().index:
        return itl1().at[code, "itl1_name"]
    if code in itl2().index:
        return itl2().at[code, "itl2_name"]
    raise _unknown(code)


def short_label(code: str) -> str:
    """Short chart label for an ITL1 code (ITL2 and others fall back to the full name)."""
    return itl1().at[code, "short_label"] if code in itl1().index else region_name(code)


def validate_region(code: str, *, levels: tuple[str, ...] = ("ITL1", "ITL2")) -> str:
    """Return ``code`` if it is a known region at one of ``levels``, else raise listing the valid codes."""
    known = []
    if "ITL1" in levels:
        known += itl1_codes()
    if "ITL2" in levels:
        known += itl2_codes()
    if "UK" in levels:
        known.append(UK_CODE)
    if code not in known:
        raise _unknown(code, known)
    return code


def itl1_code_for_name(name: str) -> str:
    """ITL1 code for a region name as spelt by ONS, Indeed or JOBS05 (see the aliases column)."""
    return _lookup_name(name, "ITL1")


def itl2_code_for_name(name: str) -> str:
    """ITL2 code for an ITL 2021 name or its NUTS 2016 spelling (as in BRES)."""
    return _lookup_name(name, "ITL2")


@functools.cache
def _itl1_name_index() -> dict[str, str]:
    index = {}
    for row in itl1().itertuples():
        for name in [row.itl1_name, row.short_label, *filter(None, row.aliases.split("|"))]:
            index[_normalise(name)] = row.itl1_code
    return index


@functools.cache
def _itl2_name_index() -> dict[str, str]:
    index = {}
    for row in itl2().itertuples():
        index[_normalise(row.itl2_name)] = row.itl2_code
        index[_normalise(row.nuts2016_name)] = row.itl2_code
    return index


def _normalise(name: str) -> str:
    return " ".join(str(name).replace("&", "and").lower().split())


def _lookup_name(name: str, level: str) -> str:
    index = _itl1_name_index() if level == "ITL1" else _itl2_name_index()
    if _normalise(name) in index:
        return index[_normalise(name)]
    close = difflib.get_close_matches(_normalise(name), index, n=3)
    hint = f" Closest known names: {', '.join(close)}." if close else ""
    raise UnknownRegionError(
        f"{name!r} is not a known {level} region name.{hint} "
        f"Fix: add the spelling to data/reference/{level.lower()}_regions.csv if it is a new alias."
    )


def _unknown(code: str, known: list[str] | None = None) -> UnknownRegionError:
    known = known or [*itl1_codes(), *itl2_codes()]
    close = difflib.get_close_matches(code, known, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return UnknownRegionError(
        f"Unknown region code {code!r}.{hint} Valid codes: {', '.join(known)} "
        "(ITL 2021; see data/reference/itl1_regions.csv and itl2_regions.csv)."
    )
