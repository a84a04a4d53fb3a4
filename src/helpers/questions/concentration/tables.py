"""How concentrated tech and AI activity is across UK regions (question 2): shares of London and of the
Greater South East, location quotients and concentration indices over time, for the ``indicators.TOTALS``.

Index conventions (see ``statistics``): HHI on raw shares of the regions (1/12 = 0.083 if equal); Gini and
Theil relative to the indicator's benchmark (total GVA, employment or population), so 0 means activity is
spread exactly like the benchmark and a region's size alone does not count as concentration.

Relative before absolute: London's share of an activity is shown beside its share of the benchmark and their
ratio, London's location quotient (LQ). A share that rises while the LQ falls means London grew in everything,
not in this activity in particular (a whole-economy effect).

Trend tests: the modified Mann-Kendall test (Hamed and Rao 1998, ``trends.modified_mann_kendall``) with Sen's
slope, on series of 10 or more annual points only; shorter series are described ("too few years (n)"). An OLS
slope with Newey-West errors (lag rule growing with n, ``trends.ols_trend_hac``) is the second estimator.
Partial years (``Total.partial_years``, e.g. Innovate UK 2010 and 2020) and years of implausible level
(``data_quality.level_flags``, Innovate UK 2011) are left out of every table here (``data_quality.excluded_years``).
A series whose trend cannot be read (``Total.trend_caveat``: Crunchbase's back-filled founding dates) is described,
not tested: its verdict is ``NOT_A_TREND``.

Where the two estimators disagree, the modified Mann-Kendall verdict is the one reported: it does not assume
normal errors and corrects for autocorrelation, which the OLS t-test with Newey-West errors does only
asymptotically, poorly on 10-25 annual points.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.indicators import with_sources
from helpers.data.memo import memoized
from helpers.questions.concentration import data_quality
from helpers.stats import inequality, trends

NA = float("nan")
ALPHA = 0.05  # default significance level of the trend tests
MEASURES = {"london_share": "london_share_pct", "london_lq": "london_lq", "theil": "theil"}
NOT_A_TREND = "not a usable trend (data quality)"


@memoized
def series(total_id: str, level: str = "ITL1") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``indicators.values_and_benchmark`` without the indicator's partial and implausible years
    (``data_quality.excluded_years``)."""
    values, benchmark = indicators.values_and_benchmark(total_id, level)
    excluded = data_quality.excluded_years(total_id, values)
    keep = [y for y in values.index if y not in excluded]
    return with_sources(values.loc[keep], values.attrs.get("source_ids", [])), benchmark.loc[keep]


@memoized
def concentration_over_time(total_id: str, level: str = "ITL1") -> pd.DataFrame:
    """Per year (excluded years left out): London's and the Greater South East's (London, South East, East)
    share of the activity (%), London's share of the benchmark (%), London's and the GSE's location quotient
    (share of activity / share of benchmark), HHI, Gini and Theil (both vs the benchmark)."""
    values, benchmark = series(total_id, level)
    parent = pd.Series(regions.parents_itl1(list(values.columns)), index=values.columns)
    rows = {}
    for year in values.index:
        v, b = values.loc[year].dropna(), benchmark.loc[year]
        in_parent = parent.reindex(v.index)
        london, gse = in_parent == regions.LONDON, in_parent.isin(regions.GREATER_SOUTH_EAST)
        b = b.reindex(v.index)
        rows[year] = {
            "london_share_pct": v[london].sum() / v.sum() * 100,
            "gse_share_pct": v[gse].sum() / v.sum() * 100,
            "london_benchmark_share_pct": b[london].sum() / b.sum() * 100,
            "london_lq": (v[london].sum() / v.sum()) / (b[london].sum() / b.sum()),
            "gse_lq": (v[gse].sum() / v.sum()) / (b[gse].sum() / b.sum()),
            "hhi": inequality.hhi(v),
            "gini": inequality.gini(v, b),
            "theil": inequality.theil(v, b),
            "regions": len(v),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")
    return with_sources(table, indicators.get_total(total_id).source_ids)


def location_quotients(total_id: str, year: int | None = None, level: str = "ITL1") -> pd.Series:
    """LQ of each region against the indicator's benchmark in ``year``; by default the latest year, or all
    (complete) years summed for the series marked ``pooled_lq`` (the Nesta counts, noisy from year to year)."""
    values, benchmark = series(total_id, level)
    sources = indicators.get_total(total_id).source_ids
    if year is None and indicators.get_total(total_id).pooled_lq:
        return with_sources(inequality.location_quotient(values.sum(), benchmark.sum()), sources)
    year = values.index.max() if year is None else year
    if year not in values.index:
        raise ValueError(f"{total_id} has no data for {year}: years {values.index.min()}-{values.index.max()}")
    return with_sources(inequality.location_quotient(values.loc[year], benchmark.loc[year]), sources)


def lq_period(total_id: str) -> str:
    """The period ``location_quotients`` uses by default, for chart titles ("2022" or "2011-2019 pooled")."""
    years = series(total_id)[0].index
    return f"{years.min()}-{years.max()} pooled" if indicators.get_total(total_id).pooled_lq else str(years.max())


def lq_table(level: str = "ITL1") -> pd.DataFrame:
    """Region x indicator location quotients (each indicator's default period, in the column label)."""
    table = pd.DataFrame({f"{t.label} ({lq_period(t.id)})": location_quotients(t.id, level=level)
                          for t in indicators.TOTALS.values()})
    return with_sources(table, indicators.sources_of(indicators.TOTALS.values()))


def timed(summary_table: pd.DataFrame) -> list[indicators.Total]:
    """The indicators of ``summary`` with five or more years (drawn over time; tested only from 10 points)."""
    return [t for t in indicators.TOTALS.values() if summary_table.loc[t.id, "n_years"] >= 5]


def trend(values: pd.Series, alpha: float = ALPHA, caveat: str = "") -> dict:
    """Both trend tests of a year-indexed series: modified Mann-Kendall (verdict, p, Sen slope per year) and OLS
    with Newey-West errors (verdict, p, slope); verdicts "too few years (n)" below 10 points, and ``NOT_A_TREND``
    (no slope, no p-value) when the series has a ``caveat`` (``Total.trend_caveat``)."""
    if caveat:
        return {"trend": NOT_A_TREND, "slope": NA, "p": NA, "ols_trend": NOT_A_TREND, "ols_slope": NA, "ols_p": NA,
                "ols_lags": NA}
    mk, ols = trends.modified_mann_kendall(values), trends.ols_trend_hac(values, alpha=alpha)
    tested = mk["n"] >= trends.MIN_TREND_POINTS  # (autocorrelations selected at 5% whatever alpha)
    verdict = (("rising" if mk["S"] > 0 else "falling") if mk["p"] < alpha else "no clear trend") if tested else mk["verdict"]
    return {"trend": verdict, "slope": mk["sen_slope"] if tested else float("nan"), "p": mk["p"],
            "ols_trend": ols["verdict"], "ols_slope": ols["slope"] if tested else float("nan"),
            "ols_p": ols["p"] if tested else float("nan"), "ols_lags": ols["lags"]}


def trend_table(totals: list[indicators.Total], measure: str = "theil", alpha: float = ALPHA) -> pd.DataFrame:
    """Trend tests of one ``MEASURES`` series (London's share, London's LQ or the Theil index) per indicator."""
    rows = {t.label: {"first_year": (table := concentration_over_time(t.id)).index.min(), "last_year": table.index.max(),
                      "years": len(table), **trend(table[MEASURES[measure]], alpha, t.trend_caveat)} for t in totals}
    return with_sources(pd.DataFrame(rows).T.rename_axis("indicator"), indicators.sources_of(totals))


@memoized
def summary(level: str = "ITL1", alpha: float = ALPHA) -> pd.DataFrame:
    """One row per indicator: years covered (partial and implausible years left out, listed in ``excluded_years``;
    provisional ones in ``provisional_years``), London's and the GSE's share, London's share of the benchmark, London's LQ
    and the Theil index in the first and last year, and for London's share (``london_share_*``), London's LQ
    (``london_lq_*``) and the Theil index (``theil_*``): the modified Mann-Kendall verdict (``*_trend``), its
    p-value (``*_p``), Sen's slope per year (``london_share_slope_pp`` in percentage points, ``london_lq_slope``,
    ``theil_slope``; NaN below 10 points) and the OLS/Newey-West check (``*_ols_trend``, ``*_ols_slope``)."""
    rows = []
    for total in indicators.TOTALS.values():
        table = concentration_over_time(total.id, level)
        first, last = table.index.min(), table.index.max()
        row = {"indicator": total.label, "id": total.id, "coverage": total.coverage, "benchmark": total.benchmark_label,
               "first_year": first, "last_year": last, "n_years": len(table),
               "excluded_years": ", ".join(map(str, data_quality.excluded_years(total.id))),
               "provisional_years": ", ".join(map(str, total.provisional_years))}
        for column, name in [("london_share_pct", "london_share"), ("london_benchmark_share_pct", "london_benchmark_share"),
                             ("london_lq", "london_lq"), ("theil", "theil")]:
            row.update({f"{name}_first": table.loc[first, column], f"{name}_last": table.loc[last, column]})
        row["gse_share_last"] = table.loc[last, "gse_share_pct"]
        for name, column in MEASURES.items():
            row.update({f"{name}_{key}": value for key, value in trend(table[column], alpha, total.trend_caveat).items()})
        rows.append(row)
    table = pd.DataFrame(rows).set_index("id").rename(columns={"london_share_slope": "london_share_slope_pp"})
    table.attrs["alpha"] = alpha
    return with_sources(table, [s for t in indicators.TOTALS.values() for s in t.source_ids])


def side_by_side(summary_table: pd.DataFrame) -> pd.DataFrame:
    """Shares, LQs and Theil with their trend verdicts, one row per indicator, columns labelled for readers."""
    columns = {"first_year": "First year", "last_year": "Last year", "n_years": "Years",
               "london_share_first": "London share, first year (%)", "london_share_last": "London share, last year (%)",
               "london_benchmark_share_last": "London share of benchmark, last year (%)",
               "london_lq_first": "London LQ, first year", "london_lq_last": "London LQ, last year",
               "theil_last": "Theil vs benchmark, last year", "london_share_trend": "Trend: London share",
               "london_lq_trend": "Trend: London LQ", "theil_trend": "Trend: Theil"}
    return with_sources(summary_table.set_index("indicator")[list(columns)].rename(columns=columns),
                        summary_table.attrs.get("source_ids", []))


def whole_economy_effect(summary_table: pd.DataFrame, total_id: str = "ict_gva") -> dict:
    """London's share of the activity and of the benchmark in the first and last year, and its LQ: the numbers
    of "the share rose because London's share of everything rose" (``effect`` True when the LQ fell)."""
    row = summary_table.loc[total_id]
    keys = ["first_year", "last_year", "london_share_first", "london_share_last", "london_benchmark_share_first",
            "london_benchmark_share_last", "london_lq_first", "london_lq_last"]
    out = {k: row[k] for k in keys}
    out.update(share_change_pp=row["london_share_last"] - row["london_share_first"],
               benchmark_change_pp=row["london_benchmark_share_last"] - row["london_benchmark_share_first"],
               effect=bool(row["london_lq_last"] < row["london_lq_first"]), label=indicators.get_total(total_id).label,
               benchmark=row["benchmark"])
    return out


def summary_sentence(summary_table: pd.DataFrame) -> str:
    """The report's opening sentence: London's share of ICT GVA against its share of all GVA (the LQ), ICT jobs
    and AI organisations, and the Greater South East's share of AI organisations."""
    w = whole_economy_effect(summary_table)
    jobs, ai = summary_table.loc["ict_employment"], summary_table.loc["ai_organisations"]
    return (f"London held {w['london_share_last']:.1f}% of UK ICT GVA in {w['last_year']} ({w['london_share_first']:.1f}% "
            f"in {w['first_year']}), but its share of all GVA rose from {w['london_benchmark_share_first']:.1f}% to "
            f"{w['london_benchmark_share_last']:.1f}%, so its ICT location quotient went from {w['london_lq_first']:.2f} "
            f"to {w['london_lq_last']:.2f}. It held {jobs['london_share_last']:.1f}% of GB ICT jobs "
            f"({jobs['last_year']}{', provisional' if jobs['provisional_years'] else ''}) and {ai['london_share_last']:.1f}% of the UK's AI organisations; the "
            f"Greater South East held {ai['gse_share_last']:.1f}% of AI organisations.")


def headline_metrics(summary_table: pd.DataFrame, total_id: str) -> list[tuple]:
    """An indicator's headline figures as ``(metric_id, value, unit, description, source_ids)`` for
    ``record_metric``: London's and the Greater South East's share in the last year, London's LQ in the first
    and last year, and Sen's slope of London's share, of its LQ and of the Theil index where tested (10+ years),
    each with its modified Mann-Kendall verdict in the description."""
    total, row = indicators.get_total(total_id), summary_table.loc[total_id]
    sources, first, last = list(total.source_ids), row["first_year"], row["last_year"]
    metrics = [(f"london_share_{total.id}_{last}", row["london_share_last"], "% of total",
                f"London's share of {total.label}, {last}", sources),
               (f"gse_share_{total.id}_{last}", row["gse_share_last"], "% of total",
                f"London, South East and East's share of {total.label}, {last}", sources)]
    ends = ((first, "first"), (last, "last")) if first != last else ((last, "last"),)
    metrics += [(f"london_lq_{total.id}_{year}", row[f"london_lq_{end}"], "location quotient",
                 f"London's location quotient of {total.label} (vs {total.benchmark_label}), {year}", sources)
                for year, end in ends]
    for name, unit, what in [("london_share", "percentage points a year", "London's share"),
                             ("london_lq", "LQ per year", "London's location quotient"),
                             ("theil", "Theil per year", "the Theil index (vs benchmark)")]:
        slope = row[f"{name}_slope_pp" if name == "london_share" else f"{name}_slope"]
        if pd.notna(slope):
            metrics.append((f"{name}_trend_{total.id}", slope, unit,
                            f"Sen's slope of {what} of {total.label}, {first}-{last}; modified Mann-Kendall: "
                            f"{row[f'{name}_trend']} (p = {row[f'{name}_p']:.3f})", sources))
    return metrics


def berd_comparison() -> dict:
    """London's share and LQ (vs population) of business R&D in the headline edition (SON 2025, 2023) and in the
    pre-publication SON 2026 input file (2024, another price base): a flagged comparison, not a change."""
    both = indicators.business_rd(editions=indicators.BERD_SOURCES)
    pop = indicators.population_for_years(list(both.index))
    out = {}
    for year in both.index:
        lq = inequality.location_quotient(both.loc[year], pop.loc[year])
        out[int(year)] = {"share": both.loc[year, regions.LONDON] / both.loc[year].sum() * 100, "lq": lq[regions.LONDON]}
    return out


def berd_comparison_sentence() -> str:
    """Why business R&D is read for 2023 only, with the 2024 figure as a flagged comparison."""
    c = berd_comparison()
    return (f"Business R&D is read for 2023 (State of the Nation 2025 dataset): London's LQ against population "
            f"{c[2023]['lq']:.2f} ({c[2023]['share']:.1f}% of UK business R&D). Flagged comparison only: the State of the "
            f"Nation 2026 input file, a pre-publication file on another price base, gives {c[2024]['lq']:.2f} for 2024 "
            f"({c[2024]['share']:.1f}%). The two figures come from different files and price bases, so the difference "
            "is not read as a change and 2024 enters no trend, LQ table or headline figure.")


def jobs_lq_without_flags(total_id: str = "ict_employment") -> pd.Series:
    """London's LQ per year with every ITL1 region-year flagged by ``data_quality.flag_jumps`` (a year-on-year
    change beyond the threshold, e.g. Wales's ICT jobs 20,500 -> 52,875 -> 26,825) left out of the GB totals."""
    values, benchmark = series(total_id)
    flags = data_quality.flag_jumps(values)
    for row in flags.itertuples():
        values.loc[row.year, row.region_code] = NA
    bench, london = benchmark.where(values.notna()), regions.LONDON
    return (values[london] / values.sum(axis=1)) / (bench[london] / bench.sum(axis=1))


def jobs_noise(summary_table: pd.DataFrame) -> dict:
    """How noisy the BRES ICT-jobs series is: ITL1 region-years flagged, reversals, London's LQ range and its LQ in
    the last year without the flagged region-years and as the 2019-2021 mean."""
    flags = data_quality.jumps(["ict_employment"], level="ITL1")
    lq = concentration_over_time("ict_employment")["london_lq"]
    return {"flags": len(flags), "areas": ", ".join(pd.unique(flags["region"])), "reversals": int(flags["reversal"].sum()),
            "lq_min": lq.min(), "lq_max": lq.max(),
            "without_flags": jobs_lq_without_flags().iloc[-1], "mean_2019_2021": lq.loc[2019:2021].mean()}


def itl2_map_title(lq_jobs: pd.Series, lq_ai: pd.Series) -> str:
    """Title of the ITL2 maps: how many areas are above the national average on each, and why the counts differ
    (BRES covers the 40 ITL2 areas of Great Britain; WAIfinder and population the 41 of the UK)."""
    text = (f"{(lq_jobs > 1).sum()} of {lq_jobs.notna().sum()} GB ITL2 areas have a higher share of ICT jobs than the "
            f"GB average (BRES: no Northern Ireland); {(lq_ai > 1).sum()} of {lq_ai.notna().sum()} UK areas have more "
            "AI organisations per resident than the UK average")
    return "\n".join(textwrap.wrap(text, 95))
