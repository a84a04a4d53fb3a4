"""Dynamic shift-share of regional GVA and a within/between-industry decomposition of productivity (question 3).

Sources: ONS regional GVA (balanced) by industry, ITL1, current prices (``helpers.data.indicators.gva_rows``: the
latest release with ITL1 tables; GBP million, SIC sections and divisions); ONS BRES full-time employees by ITL2 area
and SIC section (``employment``, measure ``full_time_employees``: persons, Great Britain). Every table carries the
source ids of its rows.

Owner-occupiers' imputed rental (division ``68IMP``, inside section L) is GVA without jobs or market output, and it
is a large share of GVA where house prices are high; by default it is taken out of section L (L becomes real
estate excluding imputed rental) and so out of every total here.

- ``dynamic_shift_share``: the classic shift-share (``accounting.shift_share``: national growth, industry mix,
  regional component) applied to each pair of consecutive years and summed, so the industry weights are updated
  every year (the static version weighs the last year's growth by the first year's mix). Nation = the sum of the
  12 ITL1 regions.
- ``productivity_decomposition``: GVA per full-time employee P = sum_i s_i p_i (s_i: industry i's share of
  full-time employees, p_i: its GVA per full-time employee). Its change splits exactly into within-industry
  (sum s_i0 dp_i), between-industry or structure (sum p_i0 ds_i) and interaction (sum dp_i ds_i). Each is given as
  % of the start-year level, for each region and Great Britain, and relative to Great Britain (region minus GB).
  Full-time employees are not hours: part-time work and the self-employed are left out, and BRES counts jobs
  at the workplace. Northern Ireland is not in BRES; section T (households) has no BRES count and is dropped;
  section A (agriculture) is dropped too, because BRES leaves out most farm employment (and Scotland's entirely
  in its early years), which would make its GVA per employee meaningless.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data.datasets import load
from helpers.data.indicators import gva_rows, with_sources
from helpers.data.memo import memoized
from helpers.stats import accounting

IMPUTED_RENT = "68IMP"
EMPLOYEES = "full_time_employees"  # the BRES measure of the decomposition
COMPONENTS = ("national", "industry_mix", "regional")
PRODUCTIVITY_COMPONENTS = ("within", "between", "interaction")
NOT_IN_DECOMPOSITION = ("A", "T")  # no (full) BRES count: see the module doc


@memoized
def sections_gva(exclude_imputed_rent: bool = True) -> pd.DataFrame:
    """(year, ITL1 region) x SIC section table of current-price GVA (GBP million), the 12 ITL1 regions;
    with ``exclude_imputed_rent`` section L is real estate excluding owner-occupiers' imputed rental."""
    table = gva_rows("current_prices")
    rows = table[(table.geography_level == "ITL1") & table.region_code.isin(regions.codes("ITL1"))]
    wide = rows[rows.industry_level == "section"].pivot_table(index=["year", "region_code"], columns="industry_code",
                                                               values="value", aggfunc="sum")
    if exclude_imputed_rent:
        imputed = rows[rows.industry_code == IMPUTED_RENT].set_index(["year", "region_code"])["value"]
        wide["L"] = wide["L"] - imputed.reindex(wide.index)
    wide.index = wide.index.set_levels(wide.index.levels[0].astype(int), level=0)
    return with_sources(wide.fillna(0.0), pd.unique(rows["source_id"]))


def span(*tables: pd.DataFrame) -> tuple[int, int]:
    """First and last year that every (year, region) x industry table covers."""
    years = [sorted(set(t.index.get_level_values(0))) for t in tables]
    return max(y[0] for y in years), min(y[-1] for y in years)


def window(start_year: int | None, end_year: int | None, *tables: pd.DataFrame) -> tuple[int, int]:
    """The years given, or the span of ``tables`` (``span``) for those left as None."""
    first, last = span(*tables)
    start, end = start_year or first, end_year or last
    if not first <= start < end <= last:
        raise ValueError(f"years {start}-{end} are outside the data ({first}-{last}); choose {first} <= start < end "
                         f"<= {last}, or leave them as None")
    return start, end


def _years(wide: pd.DataFrame, start_year: int, end_year: int) -> list[int]:
    window(start_year, end_year, wide)
    return list(range(start_year, end_year + 1))


def _with_pct(result: pd.DataFrame) -> pd.DataFrame:
    result["change_pct"] = result["change"] / result["start"] * 100
    for component in COMPONENTS:
        result[f"{component}_pct"] = result[component] / result["start"] * 100
    return result


def dynamic_shift_share(start_year: int, end_year: int, exclude_imputed_rent: bool = True) -> pd.DataFrame:
    """Annual shift-share of each ITL1 region's current-price GVA change, summed over the years (module doc):
    start, end, change and the three components (GBP million, adding up to the change), and each as % of the
    start-year GVA (``*_pct``)."""
    wide = sections_gva(exclude_imputed_rent)
    years = _years(wide, start_year, end_year)
    parts = [accounting.shift_share(wide.loc[a], wide.loc[b]) for a, b in zip(years[:-1], years[1:])]
    result = sum(p[["change", *COMPONENTS]] for p in parts)
    result.insert(0, "start", parts[0]["start"])
    result.insert(1, "end", parts[-1]["end"])
    result = with_sources(_with_pct(result).reindex(regions.codes("ITL1")), wide.attrs["source_ids"])
    result.attrs["years"] = (start_year, end_year)
    return result


def static_shift_share(start_year: int, end_year: int, exclude_imputed_rent: bool = True) -> pd.DataFrame:
    """The same components from one comparison of the start and end years (start-year industry weights)."""
    wide = sections_gva(exclude_imputed_rent)
    _years(wide, start_year, end_year)
    result = _with_pct(accounting.shift_share(wide.loc[start_year], wide.loc[end_year])).reindex(regions.codes("ITL1"))
    result = with_sources(result, wide.attrs["source_ids"])
    result.attrs["years"] = (start_year, end_year)
    return result


@memoized
def full_time_employees() -> pd.DataFrame:
    """(year, ITL1 region) x SIC section table of BRES full-time employees (persons), ITL2 areas summed to ITL1
    (Great Britain: 11 regions)."""
    table = load("employment")
    rows = table[table.measure == EMPLOYEES].assign(itl1=lambda t: t.itl1_code)
    wide = rows.pivot_table(index=["year", "itl1"], columns="industry_code", values="value", aggfunc="sum")
    wide.index = wide.index.set_levels(wide.index.levels[0].astype(int), level=0).rename(["year", "region_code"])
    return with_sources(wide, pd.unique(rows["source_id"]))


def productivity_decomposition(start_year: int, end_year: int) -> pd.DataFrame:
    """Within / between / interaction decomposition of the change in GVA per full-time employee (current
    prices), per GB ITL1 region and for Great Britain (``GB``), see the module doc. Columns: start and end level
    (GBP per full-time employee), change_pct and the three components (% of the start level, adding up to
    change_pct), then ``*_vs_gb``: each minus Great Britain's (percentage points)."""
    gva, jobs = sections_gva(True), full_time_employees()
    _years(gva, start_year, end_year), _years(jobs, start_year, end_year)
    sections = [s for s in jobs.columns if s in gva.columns and s not in NOT_IN_DECOMPOSITION]
    rows = {}
    for region in [*sorted(set(jobs.index.get_level_values(1))), "GB"]:
        (g0, e0), (g1, e1) = (_region(gva, jobs, year, region, sections) for year in (start_year, end_year))
        p0, p1, s0, s1 = g0 / e0 * 1e6, g1 / e1 * 1e6, e0 / e0.sum(), e1 / e1.sum()
        level0, level1 = (s0 * p0).sum(), (s1 * p1).sum()
        parts = {"within": (s0 * (p1 - p0)).sum(), "between": (p0 * (s1 - s0)).sum(),
                 "interaction": ((p1 - p0) * (s1 - s0)).sum()}
        rows[region] = {"start": level0, "end": level1, "change_pct": (level1 / level0 - 1) * 100,
                        **{k: v / level0 * 100 for k, v in parts.items()}}
    out = pd.DataFrame(rows).T
    for column in ("change_pct", *PRODUCTIVITY_COMPONENTS):
        out[f"{column}_vs_gb"] = out[column] - out.loc["GB", column]
    out = with_sources(out, [*gva.attrs["source_ids"], *jobs.attrs["source_ids"]])
    out.attrs["years"] = (start_year, end_year)
    return out


def _region(gva: pd.DataFrame, jobs: pd.DataFrame, year: int, region: str, sections: list[str]):
    """(GVA by section, full-time employees by section) of one region, or of GB (the 11 GB regions summed)."""
    g, e = gva.loc[year][sections], jobs.loc[year][sections]
    if region == "GB":
        return g.loc[e.index].sum(), e.sum()
    return g.loc[region], e.loc[region]


def shift_share_tables(start_year: int, end_year: int, check_end_year: int | None) -> dict[str, pd.DataFrame]:
    """The headline (dynamic, without imputed rent) and its alternatives: static, dynamic with imputed rent,
    static with imputed rent (the classic version, the method of the report's first version) and, when
    ``check_end_year`` is inside the window, dynamic to it."""
    out = {"dynamic": dynamic_shift_share(start_year, end_year), "static": static_shift_share(start_year, end_year),
           "dynamic_imputed": dynamic_shift_share(start_year, end_year, False),
           "static_imputed": static_shift_share(start_year, end_year, False)}
    if check_end_year is not None and start_year < check_end_year < end_year:
        out["dynamic_check"] = dynamic_shift_share(start_year, check_end_year)
    return out
