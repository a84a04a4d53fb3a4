"""How concentrated tech and AI activity is across UK regions (question 2): shares of London and of the
Greater South East, location quotients and concentration indices over time, for the ``indicators.TOTALS``.

Index conventions (see ``metrics``): HHI on raw shares of the regions (1/12 = 0.083 if equal); Gini and
Theil relative to the indicator's benchmark (total GVA, employment or population), so 0 means activity is
spread exactly like the benchmark and a region's size alone does not count as concentration.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import indicators, statistics

from helpers import regions


def concentration_over_time(total_id: str, level: str = "ITL1") -> pd.DataFrame:
    """Per year: London's and the Greater South East's (London, South East, East) share (%), HHI, Gini, Theil."""
    values, benchmark = indicators.values_and_benchmark(total_id, level)
    parent = values.columns.map(lambda code: code[:3])
    rows = {}
    for year in values.index:
        v, b = values.loc[year].dropna(), benchmark.loc[year]
        in_parent = pd.Series(parent, index=values.columns).reindex(v.index)
        rows[year] = {
            "london_share_pct": v[in_parent == regions.LONDON].sum() / v.sum() * 100,
            "gse_share_pct": v[in_parent.isin(regions.GREATER_SOUTH_EAST)].sum() / v.sum() * 100,
            "hhi": statistics.hhi(v),
            "gini": statistics.gini(v, b),
            "theil": statistics.theil(v, b),
            "regions": len(v),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")


def location_quotients(total_id: str, year: int | None = None, level: str = "ITL1") -> pd.Series:
    """LQ of each region against the indicator's benchmark in ``year``; by default the latest year, or all
    years summed for the series marked ``pooled_lq`` (the Nesta counts, noisy from year to year)."""
    values, benchmark = indicators.values_and_benchmark(total_id, level)
    if year is None and indicators.get_total(total_id).pooled_lq:
        return statistics.location_quotient(values.sum(), benchmark.sum())
    year = values.index.max() if year is None else year
    if year not in values.index:
        raise ValueError(f"{total_id} has no data for {year}: years {values.index.min()}-{values.index.max()}")
    return statistics.location_quotient(values.loc[year], benchmark.loc[year])


def lq_period(total_id: str) -> str:
    """The period ``location_quotients`` uses by default, for chart titles ("2021" or "2010-2019 pooled")."""
    years = indicators.values_and_benchmark(total_id)[0].index
    return f"{years.min()}-{years.max()} pooled" if indicators.get_total(total_id).pooled_lq else str(years.max())


def summary(level: str = "ITL1") -> pd.DataFrame:
    """One row per indicator: years covered, London and GSE share in the first and last year, and the trend
    in London's share and in the Theil index (slope per year, p-values and a verdict) where there are 5+ years."""
    rows = []
    for total in indicators.TOTALS.values():
        table = concentration_over_time(total.id, level)
        first, last = table.index.min(), table.index.max()
        row = {"indicator": total.label, "id": total.id, "coverage": total.coverage, "benchmark": total.benchmark_label,
               "first_year": first, "last_year": last,
               "london_share_first": table.loc[first, "london_share_pct"],
               "london_share_last": table.loc[last, "london_share_pct"],
               "gse_share_last": table.loc[last, "gse_share_pct"], "theil_last": table.loc[last, "theil"]}
        if len(table) >= 5:
            london = statistics.trend_test(table["london_share_pct"])
            theil = statistics.trend_test(table["theil"])
            row.update({"london_share_slope_pp": london["slope_per_year"], "london_share_p": london["slope_p"],
                        "london_share_trend": statistics.trend_verdict(london),
                        "theil_slope": theil["slope_per_year"], "theil_p": theil["slope_p"],
                        "theil_trend": statistics.trend_verdict(theil)})
        else:
            row.update({"london_share_trend": f"too few years ({len(table)})", "theil_trend": f"too few years ({len(table)})"})
        rows.append(row)
    return pd.DataFrame(rows).set_index("id")
