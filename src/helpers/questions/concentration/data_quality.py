"""Data-quality flags for the regional series (question 2): partial and provisional years, implausible levels of
London's share, and implausible year-on-year jumps in a region's series.

A *level* flag marks a year in which London's share of an activity is less than 1/``LEVEL_FACTOR`` or more than
``LEVEL_FACTOR`` times its median over the series' complete years (e.g. Innovate UK 2011: 3.9% against a
median of 20.6%, an LQ of 0.30 the year before 24.6%). Such a year is left out of endpoints and trend tests
(``excluded_years``, used by ``concentration.series`` and so by the claims built on its summary).

A jump is a year-on-year change of a region's value beyond ``threshold_pct`` (default 40%) in either direction;
it is marked as a *reversal* when the next year moves back by more than the threshold in the other direction
(e.g. a region's ICT jobs roughly doubling over a year or two and halving the next), the signature of sampling
noise or a reclassification rather than of the economy. Flags are for the reader; no value is changed.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.indicators import with_sources

JUMP_THRESHOLD_PCT = 40.0
LEVEL_FACTOR = 2.0


def level_flags(total_id: str, factor: float = LEVEL_FACTOR, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Years (partial years aside) in which London's share of ``total_id`` is below 1/``factor`` or above ``factor``
    times its median over those years: year, london_share_pct, median_pct, ratio (share / median). Series of
    fewer than three such years are not checked (their median is no reference). ``values``: the series' year x
    region table if already loaded (any ITL level; London = the areas of ITL1 London)."""
    total = indicators.get_total(total_id)
    values = indicators.values_and_benchmark(total_id, "ITL1")[0] if values is None else values
    values = values.drop(list(total.partial_years), errors="ignore")
    london = [c for c, p in zip(values.columns, regions.parents_itl1(list(values.columns))) if p == regions.LONDON]
    share = values[london].sum(axis=1) / values.sum(axis=1) * 100
    ratio = share / share.median()
    flagged = ratio[(ratio < 1 / factor) | (ratio > factor)].index if len(share) >= 3 else share.index[:0]
    out = pd.DataFrame({"year": [int(y) for y in flagged], "london_share_pct": share[flagged].to_numpy(),
                        "median_pct": share.median(), "ratio": ratio[flagged].to_numpy()})
    return with_sources(out, total.source_ids)


def excluded_years(total_id: str, values: pd.DataFrame | None = None) -> tuple[int, ...]:
    """The years left out of ``total_id``'s endpoints, pooled LQs and trend tests: its partial years and the years
    ``level_flags`` marks (``values`` as there)."""
    flagged = level_flags(total_id, values=values)["year"]
    return tuple(sorted({*indicators.get_total(total_id).partial_years, *flagged}))


def flag_jumps(table: pd.DataFrame, threshold_pct: float = JUMP_THRESHOLD_PCT) -> pd.DataFrame:
    """Year-on-year changes beyond ``threshold_pct`` (%) in each column (region) of a year x region table.

    One row per flagged region-year: region_code, year, previous (value the year before), value, change_pct
    and reversal (True when the next year's change is beyond the threshold with the opposite sign). Only
    consecutive years are compared; a zero previous value is not a percentage change and is skipped."""
    table = table.sort_index()
    consecutive = pd.Series(table.index, index=table.index).diff().eq(1)
    previous = table.shift(1).where(consecutive, axis=0)
    change = ((table / previous.where(previous != 0) - 1) * 100).where(consecutive, axis=0)
    big = change.abs() > threshold_pct
    nxt = change.shift(-1)
    rows = []
    for region in table.columns:
        for year in change.index[big[region].fillna(False).to_numpy()]:
            c, n = change.loc[year, region], nxt.loc[year, region]
            rows.append({"region_code": region, "year": int(year), "previous": previous.loc[year, region],
                         "value": table.loc[year, region], "change_pct": c,
                         "reversal": bool(pd.notna(n) and abs(n) > threshold_pct and (n > 0) != (c > 0))})
    out = pd.DataFrame(rows, columns=["region_code", "year", "previous", "value", "change_pct", "reversal"])
    return with_sources(out, table.attrs.get("source_ids", []))


def jumps(total_ids: list[str], level: str = "ITL2", threshold_pct: float = JUMP_THRESHOLD_PCT) -> pd.DataFrame:
    """``flag_jumps`` of several indicators (all their years, partial ones included), with labels for readers."""
    frames = []
    for total_id in total_ids:
        values = indicators.values_and_benchmark(total_id, level)[0]
        flags = flag_jumps(values, threshold_pct)
        frames.append(flags.assign(indicator=indicators.get_total(total_id).label))
    out = pd.concat(frames, ignore_index=True)
    out.insert(1, "region", out["region_code"].map(regions.region_name))
    sources = indicators.sources_of([indicators.get_total(t) for t in total_ids])
    return with_sources(out.drop(columns="region_code"), sources)


def reader_table(flags: pd.DataFrame) -> pd.DataFrame:
    """``jumps`` with column labels in words, for ``plotting.table``."""
    labels = {"indicator": "Indicator", "region": "Area", "year": "Year", "previous": "Previous year",
              "value": "This year", "change_pct": "Change (%)", "reversal": "Reversed next year"}
    shown = flags[list(labels)].rename(columns=labels)
    shown["Reversed next year"] = shown["Reversed next year"].map({True: "yes", False: "no"})
    return with_sources(shown.set_index("Indicator"), flags.attrs.get("source_ids", []))


def year_status() -> pd.DataFrame:
    """Every partial, provisional or implausible year of the indicators, the series whose trend cannot be read, and
    what the years of edition-based series are: indicator, year(s), status and what the report does."""
    rows = []
    for t in indicators.TOTALS.values():
        rows += [{"Indicator": t.label, "Year": str(y), "Status": "partial year",
                  "Treatment": "left out of endpoints, pooled LQs and trend tests"} for y in t.partial_years]
        rows += [{"Indicator": t.label, "Year": str(y), "Status": "provisional estimate",
                  "Treatment": "kept and flagged; dropped in a robustness check"} for y in t.provisional_years]
        rows += [{"Indicator": t.label, "Year": str(f.year), "Status": f"implausible level: London {f.london_share_pct:.1f}% "
                  f"against a median of {f.median_pct:.1f}%", "Treatment": "left out of endpoints, pooled LQs and "
                  "trend tests"} for f in level_flags(t.id).itertuples()]
        if t.trend_caveat:
            rows.append({"Indicator": t.label, "Year": "all", "Status": t.trend_caveat,
                         "Treatment": "levels shown; trend described, not tested, and not a finding"})
        if t.years_note:
            rows.append({"Indicator": t.label, "Year": "all", "Status": t.years_note,
                         "Treatment": "read as levels of those dates; too few for a trend"})
    table = pd.DataFrame(rows, columns=["Indicator", "Year", "Status", "Treatment"]).set_index("Indicator")
    flagged = [t for t in indicators.TOTALS.values() if t.label in set(table.index)]
    return with_sources(table, indicators.sources_of(flagged))
