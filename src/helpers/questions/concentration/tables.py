"""How concentrated tech and AI activity is across UK regions (question 2): shares of London and of the Greater South
East, location quotients and concentration indices over time, for the ``indicators.TOTALS``, at ITL1 and, where the
data allow (GVA by industry), at ITL2 and ITL3.

Index conventions (``helpers.stats.inequality``): HHI on raw shares of the areas (1/12 = 0.083 for 12 equal
regions); Gini and Theil relative to the indicator's benchmark (total GVA, employment or population), so 0 means
activity is spread exactly like the benchmark and an area's size alone does not count as concentration.

Relative before absolute: London's share of an activity is shown beside its share of the benchmark and their ratio,
London's location quotient (LQ). A share that rises while the LQ falls means London grew in everything, not in this
activity in particular (a whole-economy effect).

Trend tests (``trend``): the modified Mann-Kendall test (Hamed and Rao 1998) with Sen's slope and its 95% confidence
interval (``trends.sen_interval``), on series of ``trends.MIN_TREND_POINTS`` or more annual points only; shorter
series are described. An OLS slope with Newey-West errors is the second estimator. Partial years
(``Total.partial_years``) and years of implausible level (``data_quality.level_flags``) are left out of every table
here (``data_quality.excluded_years``). A series whose trend cannot be read (``Total.trend_caveat``) is described, not
tested (``NOT_A_TREND``). Where a report picks a start year, ``start_year_effects`` shows what another would give.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.indicators import with_sources
from helpers.data.memo import memoized
from helpers.findings.model import ALPHA
from helpers.questions.concentration import data_quality
from helpers.stats import inequality, trends

NA = float("nan")
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


def _shares(values: pd.Series, benchmark: pd.Series) -> dict:
    parent = pd.Series(regions.parents_itl1(list(values.index)), index=values.index)
    london, gse = parent == regions.LONDON, parent.isin(regions.GREATER_SOUTH_EAST)
    return {"london_share_pct": values[london].sum() / values.sum() * 100,
            "gse_share_pct": values[gse].sum() / values.sum() * 100,
            "london_benchmark_share_pct": benchmark[london].sum() / benchmark.sum() * 100,
            "london_lq": (values[london].sum() / values.sum()) / (benchmark[london].sum() / benchmark.sum()),
            "gse_lq": (values[gse].sum() / values.sum()) / (benchmark[gse].sum() / benchmark.sum())}


@memoized
def concentration_over_time(total_id: str, level: str = "ITL1") -> pd.DataFrame:
    """Per year (excluded years left out): London's and the Greater South East's (London, South East, East) share of
    the activity (%), London's share of the benchmark (%), London's and the GSE's location quotient, HHI, Gini and
    Theil (both vs the benchmark) across the areas of ``level``, and the number of areas."""
    values, benchmark = series(total_id, level)
    rows = {}
    for year in values.index:
        v = values.loc[year].dropna()
        b = benchmark.loc[year].reindex(v.index)
        rows[year] = {**_shares(v, b), "hhi": inequality.hhi(v), "gini": inequality.gini(v, b),
                      "theil": inequality.theil(v, b), "regions": len(v)}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")
    return with_sources(table, indicators.get_total(total_id).source_ids)


def shares_by_year(total_id: str) -> pd.DataFrame:
    """London's and the Greater South East's share (%) of the activity in every year, partial years included (with
    ``partial`` True), and the UK count: the table a reader checks the trend against."""
    values, benchmark = indicators.values_and_benchmark(total_id)
    partial = indicators.get_total(total_id).partial_years
    table = pd.DataFrame({year: {**_shares(values.loc[year], benchmark.loc[year]), "total": values.loc[year].sum(),
                                 "partial": year in partial} for year in values.index}).T.rename_axis("year")
    table = table[["total", "london_share_pct", "gse_share_pct", "london_lq", "partial"]].infer_objects()
    return with_sources(table, values.attrs.get("source_ids", []))


def pooled_shares(total_id: str, years) -> dict:
    """London's and the Greater South East's share (%) of the activity summed over ``years`` (partial years kept)."""
    values, benchmark = indicators.values_and_benchmark(total_id)
    return _shares(values.loc[list(years)].sum(), benchmark.loc[list(years)].sum())


def location_quotients(total_id: str, year: int | None = None, level: str = "ITL1") -> pd.Series:
    """LQ of each area against the indicator's benchmark in ``year``; by default the latest year, or all (complete)
    years summed for the series marked ``pooled_lq`` (the Nesta counts, noisy from year to year)."""
    values, benchmark = series(total_id, level)
    sources = indicators.get_total(total_id).source_ids
    if year is None and indicators.get_total(total_id).pooled_lq:
        return with_sources(inequality.location_quotient(values.sum(), benchmark.sum()), sources)
    year = values.index.max() if year is None else year
    if year not in values.index:
        raise ValueError(f"{total_id} has no data for {year}: years {values.index.min()}-{values.index.max()}. "
                         "Fix: choose a year in that range, or None for the latest.")
    return with_sources(inequality.location_quotient(values.loc[year], benchmark.loc[year]), sources)


def lq_period(total_id: str) -> str:
    """The period ``location_quotients`` uses by default, for chart titles ("2022" or "2011-2019 pooled")."""
    years = series(total_id)[0].index
    return f"{years.min()}-{years.max()} pooled" if indicators.get_total(total_id).pooled_lq else str(years.max())


def lq_table(level: str = "ITL1", labels: dict | None = None) -> pd.DataFrame:
    """Area x indicator location quotients (each indicator's default period); ``labels``: column label by indicator
    id (default: the indicator's label and period)."""
    labels = labels or {t.id: f"{t.label} ({lq_period(t.id)})" for t in indicators.TOTALS.values()}
    table = pd.DataFrame({labels[t.id]: location_quotients(t.id, level=level) for t in indicators.TOTALS.values()})
    return with_sources(table, indicators.sources_of(indicators.TOTALS.values()))


def top_areas(total_id: str, level: str = "ITL3", n: int = 10) -> pd.DataFrame:
    """The ``n`` areas of ``level`` with the highest location quotient (default period), with their share of the
    activity and of the benchmark (%) and their ITL1 region."""
    values, benchmark = series(total_id, level)
    year = values.index.max()
    lq = location_quotients(total_id, level=level).sort_values(ascending=False).head(n)
    table = pd.DataFrame({"area": [regions.region_name(c) for c in lq.index],
                          "region_code": [regions.parent_itl1(c) for c in lq.index],
                          "share_pct": values.loc[year, lq.index] / values.loc[year].sum() * 100,
                          "benchmark_share_pct": benchmark.loc[year, lq.index] / benchmark.loc[year].sum() * 100,
                          "location_quotient": lq}).reset_index(drop=True)
    return with_sources(table, indicators.get_total(total_id).source_ids)


def timed(summary_table: pd.DataFrame) -> list[indicators.Total]:
    """The indicators of ``summary`` with five or more years (drawn over time; tested only from 10 points)."""
    return [t for t in indicators.TOTALS.values() if summary_table.loc[t.id, "n_years"] >= 5]


def trend(values: pd.Series, alpha: float = ALPHA, caveat: str = "") -> dict:
    """Both trend tests of a year-indexed series: modified Mann-Kendall (verdict, p, Sen's slope per year and its
    confidence interval) and OLS with Newey-West errors (verdict, p, slope, HAC lags); verdicts "too few years (n)"
    below ``trends.MIN_TREND_POINTS`` points, and ``NOT_A_TREND`` (no slope, no p-value) when the series has a
    ``caveat`` (``Total.trend_caveat``)."""
    if caveat:
        return {"trend": NOT_A_TREND, "slope": NA, "lower": NA, "upper": NA, "p": NA, "ols_trend": NOT_A_TREND,
                "ols_slope": NA, "ols_p": NA, "ols_lags": NA}
    mk, ols, sen = trends.modified_mann_kendall(values), trends.ols_trend_hac(values, alpha=alpha), trends.sen_interval(values)
    tested = mk["n"] >= trends.MIN_TREND_POINTS  # (autocorrelations selected, and the interval built, at ALPHA)
    verdict = (("rising" if mk["S"] > 0 else "falling") if mk["p"] < alpha else "no clear trend") if tested else mk["verdict"]
    return {"trend": verdict, "slope": sen["slope"] if tested else NA, "lower": sen["lower"],
            "upper": sen["upper"], "p": mk["p"], "ols_trend": ols["verdict"], "ols_slope": ols["slope"] if tested else NA,
            "ols_p": ols["p"] if tested else NA, "ols_lags": ols["lags"]}


def trend_table(totals: list[indicators.Total], measure: str = "theil", alpha: float = ALPHA) -> pd.DataFrame:
    """Trend tests of one ``MEASURES`` series (London's share, London's LQ or the Theil index) per indicator."""
    rows = {t.label: {"first_year": (table := concentration_over_time(t.id)).index.min(), "last_year": table.index.max(),
                      "years": len(table), **trend(table[MEASURES[measure]], alpha, t.trend_caveat)} for t in totals}
    return with_sources(pd.DataFrame(rows).T.rename_axis("indicator"), indicators.sources_of(totals))


def start_year_effects(values: pd.Series, last_year: int, min_points: int = 5, alpha: float = ALPHA) -> pd.DataFrame:
    """Sen's slope of ``values`` from each possible start year to ``last_year`` (windows of at least ``min_points``
    years), with its confidence interval and p-value where the window is long enough to test: what choosing another
    start year would have given."""
    values = values.loc[:last_year].dropna()
    rows = [{"start_year": int(first), "end_year": last_year, "n": len(values.loc[first:]),
             **{k: v for k, v in trends.sen_interval(values.loc[first:], alpha).items() if k != "n"}}
            for first in values.index if len(values.loc[first:]) >= min_points]
    table = pd.DataFrame(rows).set_index("start_year")
    return with_sources(table, values.attrs.get("source_ids", []))


@memoized
def summary(level: str = "ITL1", alpha: float = ALPHA) -> pd.DataFrame:
    """One row per indicator: years covered (partial and implausible years left out, listed in ``excluded_years``;
    provisional ones in ``provisional_years``), London's and the GSE's share, London's share of the benchmark, London's
    LQ and the Theil index in the first and last year, and for London's share (``london_share_*``), London's LQ
    (``london_lq_*``) and the Theil index (``theil_*``): the modified Mann-Kendall verdict (``*_trend``), its p-value
    (``*_p``), Sen's slope per year (``london_share_slope_pp`` in percentage points, ``london_lq_slope``,
    ``theil_slope``; NaN below 10 points) with its interval (``*_lower``, ``*_upper``) and the OLS/Newey-West check
    (``*_ols_trend``, ``*_ols_slope``, ``*_ols_p``)."""
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


SIDE_BY_SIDE = ("first_year", "last_year", "n_years", "london_share_first", "london_share_last",
                "london_benchmark_share_last", "london_lq_first", "london_lq_last", "theil_last", "london_share_trend",
                "london_lq_trend", "theil_trend")


def side_by_side(summary_table: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """Shares, LQs and Theil with their trend verdicts, one row per indicator; ``labels``: the reader's label of each
    column of ``SIDE_BY_SIDE``."""
    shown = summary_table.set_index("indicator")[list(SIDE_BY_SIDE)].rename(columns=labels)
    return with_sources(shown, summary_table.attrs.get("source_ids", []))


def whole_economy_effect(summary_table: pd.DataFrame, total_id: str = "ict_gva") -> dict:
    """London's share of the activity and of the benchmark in the first and last year, and its LQ: the numbers of
    "the share rose because London's share of everything rose" (``effect`` True when the LQ fell)."""
    row = summary_table.loc[total_id]
    keys = ["first_year", "last_year", "london_share_first", "london_share_last", "london_benchmark_share_first",
            "london_benchmark_share_last", "london_lq_first", "london_lq_last"]
    out = {k: row[k] for k in keys}
    out.update(share_change_pp=row["london_share_last"] - row["london_share_first"],
               benchmark_change_pp=row["london_benchmark_share_last"] - row["london_benchmark_share_first"],
               effect=bool(row["london_lq_last"] < row["london_lq_first"]), label=indicators.get_total(total_id).label,
               benchmark=row["benchmark"])
    return out


def population_share(year: int) -> float:
    """London's share (%) of UK residents in ``year``."""
    pop = indicators.population_for_years([year]).iloc[0]
    return pop[regions.LONDON] / pop.sum() * 100


def like_for_like(summary_table: pd.DataFrame) -> dict:
    """London's share of ICT GVA, AI organisations and venture capital each as a multiple of its share of UK
    population (one benchmark for all three); venture capital pooled over its complete years."""
    ict, ai = summary_table.loc["ict_gva"], summary_table.loc["ai_organisations"]
    pop = population_share(int(ict["last_year"]))
    return {"ict_year": int(ict["last_year"]), "population_share": pop, "ict_share": ict["london_share_last"],
            "ict_per_population": ict["london_share_last"] / pop, "ict_lq_gva": ict["london_lq_last"],
            "ai_lq": ai["london_lq_last"], "vc_lq": location_quotients("venture_capital")[regions.LONDON],
            "vc_period": lq_period("venture_capital")}


def berd_comparison() -> dict:
    """London's share and LQ (vs population) of business R&D in each SMC edition's year (the headline edition and
    the pre-publication input file, on another price base): a flagged comparison, not a change."""
    both = indicators.business_rd(editions=indicators.BERD_SOURCES)
    pop = indicators.population_for_years(list(both.index))
    out = {}
    for year in both.index:
        lq = inequality.location_quotient(both.loc[year], pop.loc[year])
        out[int(year)] = {"share": both.loc[year, regions.LONDON] / both.loc[year].sum() * 100, "lq": lq[regions.LONDON]}
    return out


def jobs_lq_without_flags(total_id: str = "ict_employment") -> pd.Series:
    """London's LQ per year with every ITL1 region-year flagged by ``data_quality.flag_jumps`` (a year-on-year change
    beyond the threshold, e.g. Wales's ICT jobs 20,500 -> 52,875 -> 26,825) left out of the GB totals."""
    values, benchmark = series(total_id)
    values = values.copy()
    for row in data_quality.flag_jumps(values).itertuples():
        values.loc[row.year, row.region_code] = NA
    bench, london = benchmark.where(values.notna()), regions.LONDON
    return (values[london] / values.sum(axis=1)) / (bench[london] / bench.sum(axis=1))
