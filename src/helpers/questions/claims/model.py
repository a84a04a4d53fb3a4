"""A claim is an object: what the article says (``data/reference/claims.csv``: the quote, its publisher, date and
address, the claimant's measure and window, the geography the claimant meant) and its evidence, a tuple of
readings. Each reading is a ``Finding`` (``helpers.findings.model``) judged by the one verdict rule (holds /
inconclusive / contradicted), on a comparable measure (what the claimant measured, or an official count of the same
thing) or on a different one; the first readings are the claim's baseline (one per part of a claim that names
several places), the others its alternatives (one dimension changed each: window, release, price basis,
definition, estimator). A claim's verdict is on its own scale, ``SCALE``, by one rule, ``judge``:

- **supported**: every baseline reading holds on a comparable measure and every alternative holds;
- **partly supported**: some reading holds but not all (on a different measure, a baseline reading that holds can
  show the claim's direction, never its figure, so it is at most partly supported);
- **contradicted by a comparable measure**: every baseline reading on a comparable measure is contradicted (beyond
  the threshold on the other side, its interval too) and no alternative holds;
- **not reproduced on a different measure**: no reading holds and nothing comparable contradicts it: the open
  measure differs from the claimant's, or, on a comparable one, is not significant either way;
- **not checkable**: no open data measure it (surveys, forecasts, targets, announcements).

Claims keep this scale in their own table; they are not findings (``reports/findings.csv``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from helpers.data import indicators
from helpers.data.datasets import load
from helpers.findings.model import CONTRADICTED as FINDING_CONTRADICTED
from helpers.findings.model import HOLDS, Finding
from helpers.findings.numbers import MONTHS, release_name

SUPPORTED, PARTLY, CONTRADICTED, NOT_REPRODUCED, NOT_CHECKABLE = (
    "supported", "partly supported", "contradicted by a comparable measure", "not reproduced on a different measure",
    "not checkable")
SCALE = (SUPPORTED, PARTLY, CONTRADICTED, NOT_REPRODUCED, NOT_CHECKABLE)
BASELINE = "baseline"
UNDATED = "undated"


@dataclass(frozen=True)
class Reading:
    """One reading of a claim: a finding (its verdict by the one rule), the dimension it changes from the baseline
    (``BASELINE`` for the baseline itself) and whether its measure is comparable with the claimant's."""

    finding: Finding
    dimension: str = BASELINE
    comparable: bool = True

    @property
    def verdict(self) -> str:
        return self.finding.verdict

    @property
    def is_baseline(self) -> bool:
        return self.dimension == BASELINE


def judge(readings: tuple[Reading, ...]) -> str:
    """A claim's verdict on ``SCALE`` from its readings, by the rule of the module docstring."""
    base = [r for r in readings if r.is_baseline]
    if not base:
        return NOT_CHECKABLE
    others = [r for r in readings if not r.is_baseline]
    holds = [r.verdict == HOLDS for r in readings]
    if all(r.comparable for r in base):
        if all(holds):
            return SUPPORTED
        if all(r.verdict == FINDING_CONTRADICTED for r in base) and not any(r.verdict == HOLDS for r in others):
            return CONTRADICTED
        return PARTLY if any(holds) else NOT_REPRODUCED
    return PARTLY if any(r.verdict == HOLDS for r in base) else NOT_REPRODUCED


@dataclass(frozen=True)
class Claim:
    """A claim (a row of claims.csv) with its readings and the figures its words quote (``context``)."""

    id: str
    row: dict
    readings: tuple[Reading, ...] = ()
    context: dict = field(default_factory=dict, hash=False, compare=False)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["row"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def verdict(self) -> str:
        return judge(self.readings)

    @property
    def baseline(self) -> tuple[Reading, ...]:
        return tuple(r for r in self.readings if r.is_baseline)

    @property
    def alternatives(self) -> tuple[Reading, ...]:
        return tuple(r for r in self.readings if not r.is_baseline)

    @property
    def comparable(self) -> bool:
        return bool(self.baseline) and all(r.comparable for r in self.baseline)

    @property
    def figures(self) -> dict[str, float]:
        """The figures the claim states, by name (claims.csv ``figures``: ``name=value|...``)."""
        pairs = [item.split("=", 1) for item in self.row["figures"].split("|") if item]
        return {name: float(value) for name, value in pairs}

    @property
    def places(self) -> list[str]:
        return [p for p in self.row["places"].split("|") if p]

    @property
    def window(self) -> tuple[str, str] | None:
        """The claimant's measurement window (first, last: dates or months), when the article's source gives one."""
        return (self.row["window_start"], self.row["window_end"]) if self.row["window_start"] else None

    @property
    def date(self) -> str:
        """The publication date in words ("23 October 2025", "June 2025", "undated")."""
        return date_words(self.row["published"])

    @property
    def window_text(self) -> str:
        return window_words(self.window) if self.window else ""

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for r in self.readings for s in r.finding.sources))

    def with_readings(self, readings, **context) -> Claim:
        return replace(self, readings=tuple(readings), context={**self.context, **context})


def claims_table() -> pd.DataFrame:
    """claims.csv, indexed by claim id."""
    return load("claims").set_index("claim_id", drop=False)


def unjudged() -> dict[str, Claim]:
    """Every claim of claims.csv, in its order, with no readings yet."""
    return {claim_id: Claim(claim_id, row.to_dict()) for claim_id, row in claims_table().iterrows()}


def date_words(date: str) -> str:
    """"2025-10-23" -> "23 October 2025", "2025-06" -> "June 2025", "undated" as it is."""
    parts = str(date).split("-")
    if len(parts) < 2:
        return str(date)
    month = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {month}" if len(parts) > 2 else month


def days(window: tuple[str, str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of a window given as dates or months ("2025-02-01", "2025-02-14"; "2025-06")."""
    first, last = window
    start = pd.Timestamp(first if len(first) > 7 else f"{first}-01")
    end = pd.Timestamp(last) if len(last) > 7 else pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0)
    return start, end


def window_words(window: tuple[str, str]) -> str:
    """"1-14 February 2025", "June 2025", "October 2022"."""
    start, end = days(window)
    if start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return f"{MONTHS[start.month - 1]} {start.year}"
    if start.month == end.month and start.year == end.year:
        return f"{start.day}-{end.day} {MONTHS[start.month - 1]} {start.year}"
    return f"{date_words(start.strftime('%Y-%m'))} to {date_words(end.strftime('%Y-%m'))}"


def release_at(date: str) -> dict:
    """The regional GVA release a claim is judged with: the newest in the data published on or before ``date`` (the
    newest of all for an undated claim), and ``missing``: the month a newer release would have come out when the
    claim is dated more than a year after that one (ONS publishes these tables once a year), else None; with
    ``release_name`` and ``missing_name`` in words."""
    releases = indicators.gva_releases()
    day = pd.Timestamp.max if date == UNDATED else pd.Timestamp(date)
    release = ([r for r in releases if pd.Timestamp(r) <= day] or releases[:1])[-1]
    years = 0 if date == UNDATED else (day - pd.Timestamp(release)).days // 365
    missing = (pd.Timestamp(release) + pd.DateOffset(years=years)).strftime("%Y-%m-%d") if years >= 1 else None
    return {"release": release, "release_name": release_name(release), "missing": missing,
            "missing_name": release_name(missing) if missing else None}


def counted(claims: dict[str, Claim]) -> dict[str, int]:
    """Number of claims on each level of ``SCALE`` (in its order)."""
    verdicts = [c.verdict for c in claims.values()]
    return {level: verdicts.count(level) for level in SCALE}


def finite(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
