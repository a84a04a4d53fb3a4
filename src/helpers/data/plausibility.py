"""Plausibility checks on a new version of a tracking source, before ``sources update`` takes it in.

A file can have the right layout and schema and still be wrong: every value multiplied by 1,000 (a unit changed from
GBP million to GBP thousand), an index rebased, two regions' series swapped, a series set flat, rows dated in the future.
Each check compares the table built with the candidate (the rows of the source, in each dataset it feeds) with the
table in use; the limits are declared per source in ``data/sources.yml`` under ``plausibility:`` (beside ``tracking:``;
``DEFAULTS`` otherwise). A version that trips any check is held: ``updates`` takes nothing in, unless a maintainer
accepts it (``sources update ID --accept-revisions --reason ...``, recorded in the lock).

=================  ==========================================================================================
check              trips when
=================  ==========================================================================================
index base         ``index_base: {period, value, tolerance}``: a series is not ``value`` (+- ``tolerance``) on
                   the base period, or lacks it (an index rebased, or scaled)
levels             an area's values are, by their median ratio to the version in use, off by more than
                   ``levels.max_log10`` powers of ten (default 0.5: more than about 3.2 times, or less than 1/3.2)
revisions          of the values both versions have, the share revised exceeds ``revisions.max_share``, or the
                   median or 95th percentile of the revised values' changes (% of the value in use) exceeds
                   ``max_median_pct`` / ``max_p95_pct``
periods            a period starts after the retrieval date; before ``periods.first`` (the publisher's stated
                   start); or more than ``periods.max_extension_days`` after the last period in use
flat series        a series that varies in the version in use has one value throughout in the candidate
series identity    an area's history correlates more with another area's previous history than with its own
                   (series swapped or relabelled); needs ``series_identity.min_points`` values per area
identity           ``identities``: published totals equal the sum of their parts within rounding
                   (``rounding`` / 2 per value summed): ``areas_sum_to_uk`` (ITL1 and Extra-Regio to the UK),
                   ``sections_sum_to_total`` (SIC sections to the all-industry total), ``itl2_sum_to_itl1``
                   (ITL2 areas to their ITL1 region, the totals from ``total_source``)
=================  ==========================================================================================
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from helpers.data.vintages import AREA_COLUMNS, key_columns
from helpers.errors import RegionalDivideError

if TYPE_CHECKING:
    import pandas as pd

    from helpers.data.sources import Source

DEFAULTS = {
    "index_base": None,
    "levels": {"max_log10": 0.5},
    "revisions": {"max_share": 1.0, "max_median_pct": 10.0, "max_p95_pct": 50.0},
    "periods": {"first": None, "max_extension_days": None},
    "series_identity": {"min_points": 8},
    "identities": {},
}
TIME_COLUMNS = ("period", "year")
EXAMPLES = 3


@dataclass
class Check:
    """One check of one dataset: what was measured, against which limit, and whether it passed (None: not
    applicable, with the reason in ``measured``); ``examples`` name what tripped it."""

    name: str
    dataset: str
    measured: str
    limit: str
    ok: bool | None
    examples: list[str] = field(default_factory=list)

    @property
    def result(self) -> str:
        return {True: "pass", False: "TRIPPED", None: "n/a"}[self.ok]


def rules_for(source: Source) -> dict:
    """The manifest's ``plausibility`` mapping of ``source`` over ``DEFAULTS``; an unknown key is an error."""
    rules = copy.deepcopy(DEFAULTS)
    declared = source.plausibility or {}
    unknown = sorted(set(declared) - set(DEFAULTS))
    if unknown:
        raise RegionalDivideError(
            f"data/sources.yml: `plausibility` of {source.id!r} has unknown key(s) {', '.join(unknown)}. Fix: use "
            f"{', '.join(DEFAULTS)} (docs/updating-data.md lists what each checks).")
    for key, value in declared.items():
        rules[key] = {**rules[key], **value} if isinstance(rules[key], dict) and isinstance(value, dict) else value
    unknown = sorted(set(rules["identities"]) - set(IDENTITIES))
    if unknown:
        raise RegionalDivideError(f"data/sources.yml: {source.id!r} declares unknown identities {', '.join(unknown)}. "
                                  f"Fix: use {', '.join(IDENTITIES)}.")
    return rules


def check_release(previous: pd.DataFrame, latest: pd.DataFrame, table: pd.DataFrame, *, source: Source, dataset: str,
                  retrieved: dt.date, context: pd.DataFrame) -> list[Check]:
    """Every check of ``source``'s rows in ``dataset``: ``previous`` (in use) and ``latest`` (candidate) rows,
    ``table`` their ``vintages.diff``, ``context`` the whole candidate table (for totals from other sources)."""
    rules = rules_for(source)
    both = table[table["status"].isin(["revised", "unchanged"])]
    area = next((c for c in AREA_COLUMNS if c in latest.columns), None)
    checks = [_index_base(latest, rules["index_base"], dataset),
              _levels(both, area, rules["levels"], dataset),
              *_revisions(both, rules["revisions"], dataset),
              _periods(previous, latest, rules["periods"], retrieved, dataset),
              _flat(previous, latest, dataset),
              _series_identity(both, area, rules["series_identity"], dataset)]
    for name, options in rules["identities"].items():
        checks.append(IDENTITIES[name](latest, context, options or {}, dataset))
    return [c for c in checks if c is not None]


def _series_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in key_columns(frame) if c not in (*TIME_COLUMNS, "source_id")]


def _label(row) -> str:
    return ", ".join(str(v) for v in (row if isinstance(row, tuple) else (row,)) if str(v))


def _index_base(latest: pd.DataFrame, rule: dict | None, dataset: str) -> Check | None:
    if not rule:
        return None
    period, value, tolerance = str(rule["period"]), float(rule.get("value", 100)), float(rule.get("tolerance", 0.5))
    series = _series_columns(latest)
    base = latest[latest["period"] == period].set_index(series)["value"]
    every = latest[series].drop_duplicates().set_index(series).index
    off = [(_label(key), base.get(key)) for key in every if key not in base.index or abs(base[key] - value) > tolerance]
    examples = [f"{name}: {'no value' if v is None else f'{v:,.6g}'} on {period}" for name, v in off[:EXAMPLES]]
    return Check("index base", dataset, f"{len(every) - len(off)} of {len(every)} series at {value:g} on {period}",
                 f"{value:g} +- {tolerance:g}", not off, examples)


def _levels(both: pd.DataFrame, area: str | None, rule: dict, dataset: str) -> Check:
    import numpy as np

    limit = float(rule["max_log10"])
    usable = both[(both["previous"] != 0) & (both["latest"] != 0)].dropna(subset=["previous", "latest"])
    if usable.empty:
        return Check("levels", dataset, "no values to compare", f"within 10^{limit:g}", None)
    ratio = (usable["latest"].abs() / usable["previous"].abs()).rename("ratio")
    groups = usable[area] if area else usable["source_id"]
    medians = ratio.groupby(groups).median()
    off = medians[np.abs(np.log10(medians)) > limit]
    examples = [f"{name}: {r:,.4g} times the version in use" for name, r in off.head(EXAMPLES).items()]
    return Check("levels", dataset, f"median ratio to the version in use {medians.min():,.4g} to {medians.max():,.4g}"
                 + (f" over {len(medians)} areas" if area else ""), f"{10 ** -limit:.2f} to {10 ** limit:.2f}",
                 off.empty, examples)


def _revisions(both: pd.DataFrame, rule: dict, dataset: str) -> list[Check]:
    import numpy as np

    revised = both[both["status"] == "revised"]
    size = revised["pct_change"].abs().dropna()
    share = len(revised) / len(both) if len(both) else 0.0
    median = float(size.median()) if len(size) else 0.0
    p95 = float(np.percentile(size, 95)) if len(size) else 0.0
    largest = revised.reindex(size.sort_values(ascending=False).index).head(EXAMPLES)
    keys = [c for c in revised.columns if c not in ("previous", "latest", "change", "pct_change", "status", "source_id")]
    examples = [f"{_label(tuple(row[k] for k in keys))}: {row['previous']:,.6g} -> {row['latest']:,.6g} "
                f"({row['pct_change']:+,.1f}%)" for _, row in largest.iterrows()]
    max_share, max_median, max_p95 = (float(rule[k]) for k in ("max_share", "max_median_pct", "max_p95_pct"))
    return [
        Check("revised share", dataset, f"{len(revised):,} of {len(both):,} values in both versions ({100 * share:.1f}%)",
              f"<= {100 * max_share:g}%", share <= max_share),
        Check("revision size, median", dataset, f"{median:,.2f}% of the value in use", f"<= {max_median:g}%",
              median <= max_median, examples if median > max_median else []),
        Check("revision size, 95th pct", dataset, f"{p95:,.2f}%", f"<= {max_p95:g}%", p95 <= max_p95,
              examples if p95 > max_p95 else []),
    ]


def period_starts(periods: pd.Series) -> pd.Series:
    """The first day of each period ("2021", "2021-Q2", "2021-06", "2020-02-01"; a pooled "2014-2025": its last
    year), as timestamps (NaT for a period not understood)."""
    import pandas as pd

    def start(text: str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return text
        if found := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            return f"{found.group(1)}-{3 * int(found.group(2)) - 2:02d}-01"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return f"{text}-01"
        if found := re.fullmatch(r"(?:\d{4}-)?(\d{4})", text):
            return f"{found.group(1)}-01-01"
        return None

    unique = pd.Series(periods.dropna().astype(str).unique())
    starts = pd.to_datetime(unique.map(start), errors="coerce", format="%Y-%m-%d")
    return periods.astype(str).map(dict(zip(unique, starts)))


def _periods(previous: pd.DataFrame, latest: pd.DataFrame, rule: dict, retrieved: dt.date, dataset: str) -> Check:
    import pandas as pd

    starts = period_starts(latest["period"])
    before = period_starts(previous["period"]).max() if len(previous) else pd.NaT
    last, problems = starts.max(), []
    late = latest[starts > pd.Timestamp(retrieved)]
    if len(late):
        problems.append(f"{len(late):,} rows dated after the retrieval date {retrieved}, up to {late['period'].max()}")
    limits = [f"<= {retrieved} (retrieved)"]
    if rule.get("first"):
        first = pd.Timestamp(str(rule["first"]))
        limits.append(f">= {first.date()}")
        early = latest[starts < first]
        if len(early):
            problems.append(f"{len(early):,} rows before the publisher's start {first.date()}, from {early['period'].min()}")
    if rule.get("max_extension_days") and pd.notna(before):
        days = int(rule["max_extension_days"])
        limits.append(f"<= {days} days past the last in use")
        if pd.notna(last) and (last - before).days > days:
            problems.append(f"the last period is {(last - before).days:,} days after the last in use ({before.date()})")
    span = f"{latest['period'].min()} to {latest['period'].max()}" if len(latest) else "no rows"
    return Check("periods", dataset, span, "; ".join(limits), not problems, problems)


def _flat(previous: pd.DataFrame, latest: pd.DataFrame, dataset: str) -> Check:
    series = _series_columns(latest)
    if not series:
        series = ["source_id"]
    varied = previous.groupby(series, dropna=False)["value"].nunique()
    now = latest.groupby(series, dropna=False)["value"].agg(["nunique", "size", "first"])
    flat = now[(now["nunique"] <= 1) & (now["size"] >= 3)].join(varied.rename("before"), how="inner")
    flat = flat[flat["before"] > 1]
    examples = [f"{_label(key)}: every value {row['first']:,.6g}" for key, row in flat.head(EXAMPLES).iterrows()]
    return Check("flat series", dataset, f"{len(flat)} of {len(now)} series flat where the version in use varies",
                 "none", flat.empty, examples)


def _series_identity(both: pd.DataFrame, area: str | None, rule: dict, dataset: str) -> Check:
    import numpy as np

    column = area if area and both[area].nunique() > 1 else "measure" if "measure" in both and both["measure"].nunique() > 1 else None
    limit = "each series closest to its own previous history"
    if column is None:
        return Check("series identity", dataset, "one series: nothing to tell apart", limit, None)
    rest = [c for c in key_columns(both) if c not in (column, "source_id")]
    new = both.pivot_table(index=rest, columns=column, values="latest", aggfunc="first")
    old = both.pivot_table(index=rest, columns=column, values="previous", aggfunc="first").reindex_like(new)
    points = new.notna().sum()
    if points.min() < int(rule["min_points"]):
        return Check("series identity", dataset, f"too few values per series ({points.min()})", limit, None)

    def standard(frame):
        values = frame.to_numpy(dtype=float)
        spread = np.nanstd(values, axis=0)
        spread[spread == 0] = np.nan  # a flat series has no correlation (the flat-series check reports it)
        return np.nan_to_num((values - np.nanmean(values, axis=0)) / spread), spread

    z_new, spread_new = standard(new)
    z_old, spread_old = standard(old)
    corr = z_new.T @ z_old / len(new)
    names, mismatched = list(new.columns), []
    comparable = [i for i in range(len(names)) if not (np.isnan(spread_new[i]) or np.isnan(spread_old[i]))]
    if not comparable:
        return Check("series identity", dataset, "no series varies in both versions", limit, None)
    for i in comparable:
        best = int(np.nanargmax(corr[i]))
        if best != i and corr[i, best] > corr[i, i] + 1e-9:
            mismatched.append(f"{names[i]} matches {names[best]}'s previous history best (r = {corr[i, best]:.3f}) "
                              f"before its own (r = {corr[i, i]:.3f})")
    flat = f" ({len(names) - len(comparable)} flat, not compared)" if len(comparable) < len(names) else ""
    return Check("series identity", dataset, f"{len(comparable) - len(mismatched)} of {len(comparable)} series by "
                 f"{column} closest to their own history{flat}", limit, not mismatched, mismatched[:EXAMPLES])


def _identity(name: str, parts, totals, by: list[str], rounding: float, dataset: str) -> Check:
    """Compare sums of ``parts`` with ``totals`` (both frames with ``by`` and ``value``) within rounding."""
    import pandas as pd

    summed = parts.dropna(subset=["value"]).groupby(by)["value"].agg(["sum", "size"])
    joined = summed.join(totals.dropna(subset=["value"]).set_index(by)["value"].rename("total"), how="inner")
    if joined.empty:
        return Check(name, dataset, "no totals with their parts", "within rounding", None)
    gap = (joined["sum"] - joined["total"]).abs()
    allowed = rounding / 2 * (joined["size"] + 1)
    bad = joined[gap > allowed]
    examples = [f"{_label(key)}: parts sum to {row['sum']:,.6g} against {row['total']:,.6g}"
                for key, row in bad.head(EXAMPLES).iterrows()]
    worst = pd.Series(gap / allowed).max()
    return Check(name, dataset, f"{len(joined) - len(bad):,} of {len(joined):,} totals within rounding "
                 f"(largest gap {worst:.2f} of the allowance)", f"+- {rounding:g}/2 per value summed", bad.empty, examples)


def _areas_sum_to_uk(latest, _context, options, dataset) -> Check:
    parts = latest[latest["geography_level"].isin(["ITL1", "Extra-Regio"])]
    totals = latest[latest["region_code"] == "UK"]
    return _identity("identity: ITL1 + Extra-Regio = UK", parts, totals, ["industry_code", "period", "measure"],
                     float(options.get("rounding", 1)), dataset)


def _sections_sum_to_total(latest, _context, options, dataset) -> Check:
    parts = latest[latest["industry_level"] == "section"]
    totals = latest[latest["industry_level"] == "total"]
    return _identity("identity: sections = all industries", parts, totals, ["region_code", "period", "measure"],
                     float(options.get("rounding", 1)), dataset)


def _itl2_sum_to_itl1(latest, context, options, dataset) -> Check:
    parts = latest[latest["geography_level"] == "ITL2"].assign(region_code=lambda f: f["itl1_code"])
    source = options.get("total_source")
    totals = context[(context["source_id"] == source) & (context["geography_level"] == "ITL1")]
    return _identity(f"identity: ITL2 = ITL1 ({source})", parts, totals, ["region_code", "industry_code", "period"],
                     float(options.get("rounding", 1)), dataset)


IDENTITIES = {"areas_sum_to_uk": _areas_sum_to_uk, "sections_sum_to_total": _sections_sum_to_total,
              "itl2_sum_to_itl1": _itl2_sum_to_itl1}


def table(checks: list[Check]) -> str:
    """The checks as a plain-text table, with what tripped each check that did under it."""
    rows = [("check", "dataset", "measured", "limit", "result")] + [
        (c.name, c.dataset, c.measured, c.limit, c.result) for c in checks]
    widths = [min(max(len(r[i]) for r in rows), 60) for i in range(4)]
    lines = []
    for row, check in zip(rows, [None, *checks]):
        lines.append("  " + "  ".join(f"{row[i]:{widths[i]}}" for i in range(4)) + f"  {row[4]}")
        if check is not None and check.ok is False:
            lines += [f"      - {example}" for example in check.examples]
    return "\n".join(lines)


def tripped(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.ok is False]
