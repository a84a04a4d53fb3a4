"""Contributions to real growth of ICT (SIC J) and finance (K) by division, and "J excluding telecoms" (question 1).

Source: ONS regional GVA (balanced) by industry (``helpers.data.indicators.gva_rows``): the ITL1 tables of the latest
release that has them on each price basis (current prices; chained volume measures in 2019 money value; GBP million),
and the newest release's ITL2 current-price table summed to ITL1 where it has no ITL1 table.

Method (ONS annual chain-linking): a chain-linked aggregate's volume growth in year t is the sum over its components
i of the previous-year current-price weight CP_{i,t-1} / CP_{agg,t-1} times the component's volume growth CVM_{i,t}
/ CVM_{i,t-1} - 1. Each term x 100 is that component's *contribution* in percentage points (pp). Years after the
last base year (2019 in the Apr 2023 release) are valued at that year's prices, so the weight for growth into 2021
is the 2020 volume at 2019 prices (``LAST_BASE_YEAR``); with 2020 current-price weights instead, UK J growth in 2021
comes out 0.31 pp off the published figure. The published section series is chain-linked by ONS from finer
components and rounded to GBP 1 million, so it differs slightly from the sum of its divisions' contributions: the
difference is the non-additivity residual. ONS publishes J's divisions at ITL1 as 58, 59, 60, 61, 62, 63 and K's as
64, 65, 66 (at ITL2, 59-60 is one division). Every table carries ``attrs["source_ids"]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import regions, sic
from helpers.data import indicators
from helpers.data.memo import memoized
from helpers.stats import rates

PRICE_BASES = ("chained_volume", "current_prices")
DIVISIONS = sic.section_divisions()  # J: 58-63, K: 64-66 (the divisions ONS publishes at ITL1)
TELECOMS = "61"
# The Apr 2023 tables value 2020 and 2021 at 2019 prices (the divisions' CVM add up exactly to the section's
# from 2019 on, not before), so growth into 2021 is weighted by 2019-price volumes of 2020, not 2020 prices.
LAST_BASE_YEAR = 2019
J_EXCL_TELECOMS = "J excl. 61"


def geographies() -> list[str]:
    """UK followed by the 12 ITL1 region codes."""
    return [regions.UK_CODE, *regions.codes("ITL1")]


def published_codes(section: str, available) -> list[str]:
    """The industry codes among ``available`` that lie inside ``section``'s divisions (``helpers.sic``), in
    division order; a grouped code such as "59-60" (ITL2 tables) counts when every division it spans does."""
    inside = sic.divisions(section)

    def spans(code: str) -> list[str]:
        first, _, last = code.partition("-")
        return [f"{d:02d}" for d in range(int(first), int(last or first) + 1)] if first.isdigit() else [code]

    return sorted((c for c in set(available) if all(d in inside for d in spans(c))), key=lambda c: spans(c)[0])


def _with_sources(frame: pd.DataFrame, *source_ids: str) -> pd.DataFrame:
    frame.attrs["source_ids"] = list(dict.fromkeys(source_ids))
    return frame


@memoized
def panel(price_basis: str, industries: list[str] | tuple[str, ...], release: str | None = None) -> pd.DataFrame:
    """UK and ITL1 GVA (GBP million) of ``industries`` on ``price_basis``: index (region_code, year), one column per
    industry code, ``attrs["source_ids"]`` and ``attrs["release"]``. From ``release`` (by default the latest that has
    ITL1 tables on that basis); a release without ITL1 tables (the April 2024 one) is summed from its ITL2 areas."""
    rows = indicators.gva_rows(price_basis, release)
    rows = rows[rows.industry_code.isin(list(industries))]
    at_itl1 = rows[rows.region_code.isin(geographies())]
    if at_itl1.empty:  # ITL2 areas summed to ITL1 and to the UK (Extra-Regio has no J or K)
        itl2 = rows[rows.geography_level == "ITL2"]
        at_itl1 = pd.concat([itl2.assign(region_code=itl2.itl1_code), itl2.assign(region_code=regions.UK_CODE)])
    wide = at_itl1.pivot_table(index=["region_code", "year"], columns="industry_code", values="value", aggfunc="sum")
    missing = set(industries) - set(wide.columns)
    if missing:
        raise ValueError(f"industries {sorted(missing)} not in GVA by industry ({price_basis}, release {release})")
    wide.index = wide.index.set_levels(wide.index.levels[1].astype(int), level="year")
    out = _with_sources(wide[list(industries)].sort_index(), *pd.unique(at_itl1["source_id"]))
    out.attrs["release"] = str(at_itl1["release"].iloc[0])
    return out


def chain_link_growth(cp: pd.DataFrame, cvm: pd.DataFrame, weight_total: pd.Series | None = None,
                      last_base_year: int | None = LAST_BASE_YEAR) -> pd.DataFrame:
    """Annual contributions (pp) of each column to the chain-linked growth of their aggregate, one region.

    ``cp`` and ``cvm`` are year x component tables (current prices and chained volume, same units across
    columns). Weight of component i in year t = V_{i,t-1} / W_{t-1}: V is current prices up to
    ``last_base_year`` and, after it, the volume valued at ``last_base_year`` prices (CP_{i,b} x CVM_{i,t-1} /
    CVM_{i,b}); W is ``weight_total`` (e.g. the published section at current prices) up to the base year, else
    the sum of the components' V. ``last_base_year=None`` uses previous-year current prices throughout.
    Row t holds contributions to growth from t-1 to t; the first year is dropped."""
    cp, cvm = cp.sort_index(), cvm.sort_index()
    growth = cvm / cvm.shift(1) - 1
    return (_weights(cp, cvm, weight_total, last_base_year) * growth * 100).iloc[1:]


def _weights(cp: pd.DataFrame, cvm: pd.DataFrame, weight_total: pd.Series | None,
             last_base_year: int | None) -> pd.DataFrame:
    """Row t: each component's weight (0-1) for growth from t-1 to t (see ``chain_link_growth``)."""
    value = cp.copy()
    total = cp.sum(axis=1) if weight_total is None else weight_total.sort_index().copy()
    if last_base_year is not None and last_base_year in cp.index and (cp.index > last_base_year).any():
        later = cp.index > last_base_year
        value.loc[later] = cvm.loc[later] * (cp.loc[last_base_year] / cvm.loc[last_base_year])
        total.loc[later] = value.loc[later].sum(axis=1)
    return value.div(total, axis=0).shift(1)


def contributions(section: str = "J", last_base_year: int | None = LAST_BASE_YEAR) -> pd.DataFrame:
    """Contributions of each division of ``section`` ("J" or "K") to its chained-volume growth, UK and ITL1.

    One row per region, year (t, growth from t-1) and division: ``weight_pct`` (division's share of the
    published section's current-price GVA in t-1, %), ``volume_growth_pct`` (division's CVM growth, %) and
    ``contribution_pp`` (their product / 100, percentage points of section growth). ``last_base_year``: see
    ``chain_link_growth`` (None = previous-year current-price weights in every year)."""
    divisions = DIVISIONS[section]
    cp = panel("current_prices", [section, *divisions])
    cvm = panel("chained_volume", list(divisions))
    rows = []
    for region in geographies():
        cp_r, cvm_r = cp.loc[region], cvm.loc[region]
        weight = _weights(cp_r[list(divisions)], cvm_r, cp_r[section], last_base_year).iloc[1:] * 100
        growth = (cvm_r / cvm_r.shift(1) - 1).iloc[1:] * 100
        contrib = weight * growth / 100
        for division in divisions:
            rows.append(pd.DataFrame({"region_code": region, "year": contrib.index, "industry_code": division,
                                      "weight_pct": weight[division].to_numpy(),
                                      "volume_growth_pct": growth[division].to_numpy(),
                                      "contribution_pp": contrib[division].to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    out.insert(1, "region_name", out.region_code.map(regions.region_name))
    out.insert(2, "section", section)
    return _with_sources(out, *cp.attrs["source_ids"], *cvm.attrs["source_ids"])


def reconciliation(section: str = "J", last_base_year: int | None = LAST_BASE_YEAR) -> pd.DataFrame:
    """Published section CVM growth against the sum of its divisions' contributions, per region and year.

    Columns: ``sum_of_contributions_pp`` (chain-linked growth rebuilt from the divisions, %),
    ``published_growth_pct`` (growth of ONS's section CVM series, %) and ``non_additivity_pp`` (published
    minus rebuilt, percentage points: chain-linking below division level plus rounding)."""
    contrib = contributions(section, last_base_year)
    rebuilt = contrib.groupby(["region_code", "year"]).contribution_pp.sum()
    cvm = panel("chained_volume", [section])[section]
    published = (cvm / cvm.groupby(level="region_code").shift(1) - 1) * 100
    out = pd.DataFrame({"sum_of_contributions_pp": rebuilt,
                        "published_growth_pct": published.reindex(rebuilt.index)}).reset_index()
    out["non_additivity_pp"] = out.published_growth_pct - out.sum_of_contributions_pp
    out.insert(1, "region_name", out.region_code.map(regions.region_name))
    out.insert(2, "section", section)
    return _with_sources(out, *contrib.attrs["source_ids"])


def chain_linked_index(section: str, exclude: tuple[str, ...], start_year: int, end_year: int,
                       last_base_year: int | None = LAST_BASE_YEAR) -> pd.DataFrame:
    """Chain-linked volume index of ``section``'s divisions minus ``exclude`` (default: J excl. 61), UK and ITL1.

    Annual growth = sum over included divisions of (previous-year CP weight within the aggregate) x (division
    volume growth); the index is 100 in ``start_year``. Columns: region_code, region_name, aggregate, year,
    growth_pct (% on previous year; NaN in start_year) and index (start_year = 100)."""
    included = [d for d in DIVISIONS[section] if d not in exclude]
    cp, cvm = panel("current_prices", included), panel("chained_volume", included)
    label = f"{section} excl. {', '.join(exclude)}" if exclude else section
    rows = []
    for region in geographies():
        cp_r = cp.loc[region].loc[start_year:end_year]
        cvm_r = cvm.loc[region].loc[start_year:end_year]
        _check_years(cp_r.index, start_year, end_year)
        growth = chain_link_growth(cp_r, cvm_r, last_base_year=last_base_year).sum(axis=1)
        index = 100 * np.cumprod(np.r_[1.0, 1 + growth.to_numpy() / 100])
        rows.append(pd.DataFrame({"region_code": region, "aggregate": label, "year": cp_r.index,
                                  "growth_pct": np.r_[np.nan, growth.to_numpy()], "index": index}))
    out = pd.concat(rows, ignore_index=True)
    out.insert(1, "region_name", out.region_code.map(regions.region_name))
    return _with_sources(out, *cp.attrs["source_ids"], *cvm.attrs["source_ids"])


@memoized
def cumulative_contributions(section: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Each division's contribution to ``section``'s cumulative chained-volume growth over a window.

    Method: the index of the aggregate rebuilt from its divisions moves from I_{t-1} to I_t = I_{t-1}(1 + sum_i
    c_{i,t}/100), so c_{i,t} x I_{t-1} / I_start is division i's exact additive share of the cumulative growth
    (I_end / I_start - 1) x 100. ``cumulative_pp`` sums it over start_year+1..end_year; ``share_pct`` divides by
    the rebuilt cumulative growth (shares add to 100). ``simple_share_pct`` is the cruder sum of annual
    contributions over the sum of annual growth rates. Also reported: the rebuilt and the published cumulative
    growth of the section (%). A share above 100 or below 0 means the other divisions net to a fall."""
    contrib = contributions(section)
    _check_years(contrib.year.tolist() + [contrib.year.min() - 1], start_year, end_year)
    contrib = contrib[contrib.year.between(start_year + 1, end_year)]
    cvm = panel("chained_volume", [section])[section]
    rows = []
    for region, part in contrib.groupby("region_code", sort=False):
        wide = part.pivot(index="year", columns="industry_code", values="contribution_pp")
        total = wide.sum(axis=1)
        level_before = np.cumprod(np.r_[1.0, 1 + total.to_numpy()[:-1] / 100])  # I_{t-1} / I_start
        cumulative = wide.mul(level_before, axis=0).sum()
        rebuilt = (np.prod(1 + total.to_numpy() / 100) - 1) * 100
        published = (cvm.loc[(region, end_year)] / cvm.loc[(region, start_year)] - 1) * 100
        for division in wide.columns:
            rows.append({"region_code": region, "section": section, "industry_code": division,
                         "start_year": start_year, "end_year": end_year, "cumulative_pp": cumulative[division],
                         "share_pct": cumulative[division] / rebuilt * 100,
                         "simple_share_pct": wide[division].sum() / total.sum() * 100,
                         "section_growth_rebuilt_pct": rebuilt, "section_growth_published_pct": published})
    out = pd.DataFrame(rows)
    out.insert(1, "region_name", out.region_code.map(regions.region_name))
    return _with_sources(out, *contrib.attrs["source_ids"])


@memoized
def telecoms_share(start_year: int, end_year: int) -> pd.DataFrame:
    """Share of J's chained-volume growth over the window that telecoms (61) accounts for, UK and ITL1
    (``cumulative_contributions`` rows for division 61; method there)."""
    table = cumulative_contributions("J", start_year, end_year)
    out = table[table.industry_code == TELECOMS].reset_index(drop=True)
    return _with_sources(out, *table.attrs["source_ids"])


def nominal_contributions(section: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Each division's contribution to ``section``'s current-price growth over a window, UK and ITL1: the
    division's change in GVA over the section's start-year GVA (``cumulative_pp``, exactly additive up to
    rounding) and its share of the section's published growth (``share_pct``)."""
    divisions = DIVISIONS[section]
    cp = panel("current_prices", [section, *divisions])
    rows = []
    for region in geographies():
        start, end = cp.loc[(region, start_year)], cp.loc[(region, end_year)]
        growth = (end[section] / start[section] - 1) * 100
        for division in divisions:
            change = (end[division] - start[division]) / start[section] * 100
            rows.append({"region_code": region, "section": section, "industry_code": division,
                         "start_year": start_year, "end_year": end_year, "cumulative_pp": change,
                         "share_pct": change / growth * 100, "section_growth_pct": growth})
    out = pd.DataFrame(rows)
    out.insert(1, "region_name", out.region_code.map(regions.region_name))
    return _with_sources(out, *cp.attrs["source_ids"])


def implied_deflators(industries: list[str], start_year: int, end_year: int, region: str = regions.UK_CODE) -> pd.DataFrame:
    """Implied deflators (current prices / chained volume x 100; 100 in the reference year 2019) of
    ``industries`` in ``region``, one row per industry: value in start and end year and the change (%)."""
    cp_all, cvm_all = panel("current_prices", industries), panel("chained_volume", industries)
    sources = [*cp_all.attrs["source_ids"], *cvm_all.attrs["source_ids"]]
    cp, cvm = cp_all.loc[region], cvm_all.loc[region]
    deflator = cp / cvm * 100
    out = pd.DataFrame({"start_year": start_year, "end_year": end_year, "start": deflator.loc[start_year],
                        "end": deflator.loc[end_year]})
    out["change_pct"] = (out.end / out.start - 1) * 100
    return _with_sources(out.rename_axis("industry_code"), *sources)


def non_additivity(section: str, year: int, region: str = regions.UK_CODE) -> dict:
    """How far ``section``'s chained-volume divisions are from adding up to the section in ``year``: the sum
    of the divisions, the published section (GBP million) and the difference as % of the section."""
    cvm = panel("chained_volume", [section, *DIVISIONS[section]]).loc[(region, year)]
    total = float(cvm[list(DIVISIONS[section])].sum())
    return {"section": section, "year": year, "region_code": region, "sum_of_divisions": total,
            "section_value": float(cvm[section]), "gap_pct": (total / cvm[section] - 1) * 100}


def industry_names(codes) -> list[str]:
    """The names ONS publishes for industry ``codes`` ("61" -> "Telecommunications")."""
    rows = indicators.gva_rows("current_prices")
    names = rows.drop_duplicates("industry_code").set_index("industry_code")["industry_name"]
    return [names[code] for code in codes]


def published_divisions(section: str, release: str | None = None) -> list[str]:
    """The division codes a release publishes inside ``section`` at its finest table (J in April 2023: 58-63; in the
    April 2024 ITL2 table: 58, 59-60, 61, 62, 63)."""
    rows = indicators.gva_rows("current_prices", release)
    level = "ITL1" if (rows.geography_level == "ITL1").any() else "ITL2"
    return published_codes(section, rows.loc[rows.geography_level == level, "industry_code"].unique())


@memoized
def growth_comparison(windows: tuple[tuple[int, int], ...], price_basis: str, release: str | None = None) -> pd.DataFrame:
    """CAGR (% a year) of J, J excluding telecoms (61) and K, UK and each ITL1 region, over each window, on
    ``price_basis`` from ``release`` (default: the latest with ITL1 tables on that basis). In current prices J
    excluding telecoms is the sum of J's other divisions; in chained volume it is chain-linked from them
    (``chain_linked_index``). One row per window and region, with the ``release`` and ``source_id``."""
    j_other = [d for d in published_divisions("J", release) if d != TELECOMS]
    values = panel(price_basis, ["J", "K", *(j_other if price_basis == "current_prices" else [])], release)
    rows = []
    for start, end in windows:
        _check_years(values.index.get_level_values("year"), start, end)
        excl = (chain_linked_index("J", (TELECOMS,), start, end).set_index(["region_code", "year"])["index"]
                if price_basis == "chained_volume" else None)
        for region in geographies():
            v, n = values.loc[region], end - start
            other = (v.loc[start, j_other].sum(), v.loc[end, j_other].sum()) if excl is None else (
                excl[(region, start)], excl[(region, end)])
            rows.append((price_basis, values.attrs["release"], start, end, region,
                         rates.cagr(v.loc[start, "J"], v.loc[end, "J"], n), rates.cagr(*other, n),
                         rates.cagr(v.loc[start, "K"], v.loc[end, "K"], n)))
    out = pd.DataFrame(rows, columns=["price_basis", "release", "start_year", "end_year", "region_code",
                                      "j_cagr_pct", "j_excl_61_cagr_pct", "k_cagr_pct"])
    out.insert(5, "region_name", out.region_code.map(regions.region_name))
    return _with_sources(out, *values.attrs["source_ids"])


def _check_years(years, start_year: int, end_year: int) -> None:
    first, last = int(min(years)), int(max(years))
    if not (first <= start_year < end_year <= last):
        raise ValueError(f"years {start_year}-{end_year} are outside the data ({first}-{last})")


@memoized
def redeflated_growth(start_year: int, end_year: int) -> pd.DataFrame:
    """CAGR (% a year) of J with telecoms (61) re-deflated, UK and each ITL1 region (the deflator check).

    ONS deflates telecoms with its own services deflator, whose implied price fell by almost all its value. The check
    deflates telecoms' current-price GVA with the implied deflator of the rest of J instead: J excluding telecoms is
    chain-linked from its divisions (previous-year current-price weights), its implied deflator is its current-price
    GVA over that volume (start year = 1), and telecoms' volume is its current-price GVA over that deflator. J is then
    chain-linked again from its six divisions with the same previous-year weights. Columns: region_code, the CAGR of J
    so rebuilt (``j_redeflated_cagr_pct``), of J as published (``j_cagr_pct``) and of K (``k_cagr_pct``)."""
    divisions = DIVISIONS["J"]
    others = [d for d in divisions if d != TELECOMS]
    cp, cvm = panel("current_prices", ["J", "K", *divisions]), panel("chained_volume", ["J", "K", *divisions])
    rows = []
    for region in geographies():
        c, v = cp.loc[region].loc[start_year:end_year], cvm.loc[region].loc[start_year:end_year]
        _check_years(c.index, start_year, end_year)
        rest = chain_link_growth(c[others], v[others], last_base_year=None).sum(axis=1)
        rest_volume = c[others].iloc[0].sum() * np.cumprod(np.r_[1.0, 1 + rest.to_numpy() / 100])
        deflator = c[others].sum(axis=1).to_numpy() / rest_volume
        volumes = v[divisions].copy()
        volumes[TELECOMS] = c[TELECOMS].to_numpy() / deflator
        growth = chain_link_growth(c[divisions], volumes, last_base_year=None).sum(axis=1)
        index = np.cumprod(np.r_[1.0, 1 + growth.to_numpy() / 100])
        years = end_year - start_year
        rows.append({"region_code": region, "j_redeflated_cagr_pct": (index[-1] ** (1 / years) - 1) * 100,
                     "j_cagr_pct": rates.cagr(v.loc[start_year, "J"], v.loc[end_year, "J"], years),
                     "k_cagr_pct": rates.cagr(v.loc[start_year, "K"], v.loc[end_year, "K"], years)})
    return _with_sources(pd.DataFrame(rows).set_index("region_code"), *cp.attrs["source_ids"], *cvm.attrs["source_ids"])
