"""Data-quality flags for the regional series (question 2): partial and provisional years, and implausible
year-on-year jumps in a region's series.

A jump is a year-on-year change of a region's value beyond ``threshold_pct`` (default 40%) in either direction;
it is marked as a *reversal* when the next year moves back by more than the threshold in the other direction
(e.g. a region's ICT jobs roughly doubling over a year or two and halving the next), the signature of sampling
noise or a reclassification rather than of the economy. Flags are for the reader; no value is changed.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.analysis import indicators
from helpers.analysis.tables import with_sources

JUMP_THRESHOLD_PCT = 40.0


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
    """Every partial or provisional year of the indicators: indicator, year, status and what the report does."""
    rows = [{"Indicator": t.label, "Year": year, "Status": status, "Treatment": treatment}
            for t in indicators.TOTALS.values()
            for years, status, treatment in [
                (t.partial_years, "partial year", "left out of endpoints, pooled LQs and trend tests"),
                (t.provisional_years, "provisional estimate", "kept and flagged; dropped in a robustness check")]
            for year in years]
    table = pd.DataFrame(rows, columns=["Indicator", "Year", "Status", "Treatment"]).set_index("Indicator")
    flagged = [t for t in indicators.TOTALS.values() if t.partial_years or t.provisional_years]
    return with_sources(table, indicators.sources_of(flagged))
