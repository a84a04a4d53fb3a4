"""The SIC 2007 registry: sections (letter, ONS name, aliases) from ``data/reference/sic2007_sections.csv``, and
the 2-digit divisions of the sections this project studies, defined once here:

- ICT = section J, Information and communication = divisions 58-63;
- software and IT services = divisions 62-63 (computer programming and consultancy; information services);
- finance = section K, Financial and insurance activities = divisions 64-66.
"""

from __future__ import annotations

import functools

import pandas as pd

from helpers.config import paths

ICT_SECTION = "J"
FINANCE_SECTION = "K"
# The divisions ONS publishes at ITL1 for the two sections (first and last division of each, inclusive).
_DIVISION_RANGES = {ICT_SECTION: (58, 63), FINANCE_SECTION: (64, 66)}
SOFTWARE_RANGE = (62, 63)


def _divisions(first: int, last: int) -> list[str]:
    return [f"{d:02d}" for d in range(first, last + 1)]


def section_divisions() -> dict[str, list[str]]:
    """Section letter -> its 2-digit division codes, for ICT (J: 58-63) and finance (K: 64-66)."""
    return {section: _divisions(*bounds) for section, bounds in _DIVISION_RANGES.items()}


def divisions(section: str) -> list[str]:
    """The 2-digit division codes of ``section`` ('J' or 'K')."""
    known = section_divisions()
    if section not in known:
        raise ValueError(f"divisions are defined for sections {list(known)}, not {section!r}")
    return known[section]


ICT_DIVISIONS = divisions(ICT_SECTION)  # 58-63
SOFTWARE_DIVISIONS = _divisions(*SOFTWARE_RANGE)  # 62-63
FINANCE_DIVISIONS = divisions(FINANCE_SECTION)  # 64-66


@functools.cache
def sic_sections() -> pd.DataFrame:
    """SIC 2007 sections (letter, ONS name, aliases) from data/reference/sic2007_sections.csv."""
    table = pd.read_csv(paths().reference / "sic2007_sections.csv", dtype=str, keep_default_na=False)
    return table.set_index("section", drop=False)


def section_name(section: str) -> str:
    """The ONS name of a section letter."""
    return sic_sections().at[section, "name"]


def section_for_name(name: str) -> str:
    """SIC section letter for an ONS or Nomis section name."""
    wanted = name.strip().lower()
    for row in sic_sections().itertuples():
        if wanted in [row.name.lower(), *[a.lower() for a in row.aliases.split("|") if a]]:
            return row.section
    raise ValueError(f"unknown SIC 2007 section name {name!r}; add it to data/reference/sic2007_sections.csv")
