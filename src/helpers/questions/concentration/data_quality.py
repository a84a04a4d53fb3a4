"""How far the regional series can be trusted (question 2): partial, provisional and implausible years, implausible
year-on-year jumps, and how much one ONS release revises the history of London's ICT GVA share and location quotient.

A *level* flag marks a year in which London's share of an activity is less than 1/``LEVEL_FACTOR`` or more than
``LEVEL_FACTOR`` times its median over the series' complete years (e.g. Innovate UK 2011: 3.9% against a median of
20.6%). Such a year is left out of endpoints and trend tests (``excluded_years``, used by ``tables.series`` and so by
the claims built on its summary).

A jump is a year-on-year change of an area's value beyond ``threshold_pct`` (default 40%) in either direction; it is
marked as a *reversal* when the next year moves back by more than the threshold in the other direction (e.g. a
region's ICT jobs roughly doubling over a year or two and halving the next), the signature of sampling noise or a
reclassification rather than of the economy. Flags are for the reader; no value is changed.

Revisions (``revisions``, ``revision_against_trend``): ONS revises the whole history of regional GVA at every release.
The two releases in the data are compared year by year (the newest release's ITL2 table summed to ITL1 for the
industry; its all-industry table for total GVA). A revision is the newest release's value minus the previous one's;
it is set against the trend per year (Sen's slope of the newest release): a trend smaller than one release's revision
is not a finding (STYLE.md "Vintages revise history"). The older release's last ``LATEST_YEARS`` years (then its
newest estimates) are revised by points, the years before by hundredths of a point.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.indicators import with_sources
from helpers.data.memo import memoized
from helpers.findings import wording
from helpers.stats import trends

JUMP_THRESHOLD_PCT = 40.0
LEVEL_FACTOR = 2.0
LATEST_YEARS = 3  # the older release's newest years, revised most at the next release
QUESTION = "concentration"


def level_flags(total_id: str, factor: float = LEVEL_FACTOR, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Years (partial years aside) in which London's share of ``total_id`` is below 1/``factor`` or above ``factor``
    times its median over those years: year, london_share_pct, median_pct, ratio (share / median). Series of fewer
    than three such years are not checked (their median is no reference). ``values``: the series' year x area table if
    already loaded (any ITL level; London = the areas of ITL1 London)."""
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
    """Year-on-year changes beyond ``threshold_pct`` (%) in each column (area) of a year x area table.

    One row per flagged area-year: region_code, year, previous (value the year before), value, change_pct and
    reversal (True when the next year's change is beyond the threshold with the opposite sign). Only consecutive years
    are compared; a zero previous value is not a percentage change and is skipped."""
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
    """``flag_jumps`` of several indicators (all their years, partial ones included), with the indicator's label and
    the area's name."""
    frames = []
    for total_id in total_ids:
        values = indicators.values_and_benchmark(total_id, level)[0]
        frames.append(flag_jumps(values, threshold_pct).assign(indicator=indicators.get_total(total_id).label))
    out = pd.concat(frames, ignore_index=True)
    out.insert(1, "region", out["region_code"].map(regions.region_name))
    sources = indicators.sources_of([indicators.get_total(t) for t in total_ids])
    return with_sources(out.drop(columns="region_code"), sources)


def reader_table(flags: pd.DataFrame) -> pd.DataFrame:
    """``jumps`` with column labels in words (the wording file's ``jump_column``)."""
    columns = ["indicator", "region", "year", "previous", "value", "change_pct", "reversal"]
    shown = flags[columns].rename(columns={c: wording.line(QUESTION, "jump_column", key=c) for c in columns})
    return with_sources(shown.set_index(shown.columns[0]), flags.attrs.get("source_ids", []))


def year_status() -> pd.DataFrame:
    """Every partial, provisional or implausible year of the indicators, the series whose trend cannot be read, and
    what the years of edition-based series are: indicator, year(s), status and what the report does (the words are the
    wording file's ``year_status``)."""
    rows = []

    def add(total, year, status, **fields):
        rows.append({"Indicator": total.label, "Year": str(year),
                     **{key: wording.line(QUESTION, "year_status", status=status, part=key, **fields)
                        for key in ("Status", "Treatment")}})

    for t in indicators.TOTALS.values():
        for y in t.partial_years:
            add(t, y, "partial")
        for y in t.provisional_years:
            add(t, y, "provisional")
        for f in level_flags(t.id).itertuples():
            add(t, f.year, "implausible", share=f.london_share_pct, median=f.median_pct)
        if t.trend_caveat:
            add(t, "all", "caveat", note=t.trend_caveat)
        if t.years_note:
            add(t, "all", "years", note=t.years_note)
    table = pd.DataFrame(rows, columns=["Indicator", "Year", "Status", "Treatment"]).set_index("Indicator")
    flagged = [t for t in indicators.TOTALS.values() if t.label in set(table.index)]
    return with_sources(table, indicators.sources_of(flagged))


@memoized
def revisions(industry: str = "J") -> pd.DataFrame:
    """Year by year under the previous and the newest release: London's share (%) and LQ, and the revisions (share in
    percentage points, LQ in LQ units); years only in the newer release have missing previous values.
    ``attrs["releases"]``: (previous, newest) publication dates."""
    releases = (indicators.previous_release(), indicators.latest_release())
    old, new = (indicators.london_share_and_lq(industry, r) for r in releases)
    table = pd.DataFrame({"share_previous": old["share_pct"], "share_latest": new["share_pct"],
                          "lq_previous": old["lq"], "lq_latest": new["lq"]})
    table["share_revision_pp"] = table["share_latest"] - table["share_previous"]
    table["lq_revision"] = table["lq_latest"] - table["lq_previous"]
    table = with_sources(table.rename_axis("year"), [*old.attrs["source_ids"], *new.attrs["source_ids"]])
    table.attrs["releases"] = releases
    return table


def revision_against_trend(table: pd.DataFrame) -> dict:
    """The revision in the last common year against the trend per year (Sen's slope of the newest release) of
    London's share and LQ: ``*_years_of_trend`` = |revision| / |slope|; also the largest absolute revision, the largest
    before the older release's last ``LATEST_YEARS`` years (``share_settled_max_abs_revision``, up to
    ``settled_last_year``), each of those latest years' share revision (``latest_revisions``, year -> points), and the
    change of the newest year of the current release on the year before (``share_latest_change``)."""
    common = int(table.dropna().index.max())
    out = {"last_common_year": common, "last_year": int(table.index.max()), "releases": table.attrs.get("releases")}
    for name, revision in [("share", "share_revision_pp"), ("lq", "lq_revision")]:
        slope = trends.sens_slope(table[f"{name}_latest"])
        out.update({f"{name}_previous": table.loc[common, f"{name}_previous"],
                    f"{name}_latest": table.loc[common, f"{name}_latest"],
                    f"{name}_revision": table.loc[common, revision], f"{name}_slope": slope,
                    f"{name}_years_of_trend": abs(table.loc[common, revision] / slope),
                    f"{name}_max_abs_revision": table[revision].abs().max()})
    out["share_newest"] = table["share_latest"].iloc[-1]
    out["share_latest_change"] = table["share_latest"].iloc[-1] - table["share_latest"].iloc[-2]
    common_years = table.dropna().index
    settled, latest = common_years[:-LATEST_YEARS], common_years[-LATEST_YEARS:]
    out.update(first_year=int(table.index.min()), settled_last_year=int(settled.max()),
               share_settled_max_abs_revision=table.loc[settled, "share_revision_pp"].abs().max(),
               latest_revisions={int(y): table.loc[y, "share_revision_pp"] for y in latest})
    return out
