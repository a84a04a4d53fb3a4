"""The findings of the ICT-vs-finance report (question 1) that a referee can check: how much of ICT's (SIC J)
real growth is telecoms (61), J excluding telecoms against finance (K) on both price bases and two windows,
the implied deflators, the Main points, the "What holds up" findings and the headline metrics.

Every number comes from ``helpers.questions.ict_finance.decomposition`` (method and sources there): ONS regional GVA
(balanced) by industry, Apr 2023 ITL1 tables (1998-2021) and the Apr 2024 ITL2 current-price table summed to
ITL1 (to 2022). Method notes cited in the text:

- ONS regional accounts deflate each industry with UK-level industry deflators ("no regional price indices
  are available"; ONS, Regional GVA (production approach) and Regional economic activity by GDP QMI), so a
  region's real growth is its nominal growth and its industry mix, not regional prices.
- The telecoms services deflator: Abdirahman, Coyle, Heys and Stewart, "A comparison of deflators for
  telecommunications services output" (ESCoE DP 2017; Economie et Statistique 517-518-519, 2020) and
  "Telecoms deflators: a story of volume and revenue weights" (ESCoE DP 2020-11); ONS introduced the improved
  deflator in the national accounts with double deflation in Blue Book 2021 ("Double deflation methods and
  deflator improvements to UK National Accounts: Blue Book 2021").
"""

from __future__ import annotations

import pandas as pd

from helpers import regions, sic
from helpers.data.memo import memoized
from helpers.questions.ict_finance import decomposition
from helpers.questions.ict_finance import tables as ict_finance

RECENT_WINDOW = (2016, 2021)
PRE_COVID_END, RECENT_PRE_COVID = 2019, (2014, 2019)  # windows that stop before the COVID fall and 2021 rebound
LATEST_END = 2022  # current prices only in this repository's data: Apr 2024 ITL2 table summed to ITL1
J, K, TELECOMS = sic.ICT_SECTION, sic.FINANCE_SECTION, decomposition.TELECOMS
BASES = ("chained_volume", "current_prices")
BASIS_WORDS = {"chained_volume": "chained volume", "current_prices": "current prices"}
SERIES = {"j": "j_cagr_pct", "j_excl_61": "j_excl_61_cagr_pct", "k": "k_cagr_pct"}
MATERIAL_PP = ict_finance.MATERIAL_PP
VINTAGE_2024 = decomposition.ITL2_CP_2024
DEFLATOR_METHOD = (
    "ONS regional accounts deflate every region's industries with the same UK-level industry deflators (there are "
    "no regional price indices), so regional real growth is nominal growth plus industry mix. The telecoms "
    "services deflator was rebuilt after ESCoE research (Abdirahman, Coyle, Heys and Stewart, 2017 and 2020) and "
    "introduced with double deflation in Blue Book 2021.")
FINANCE_VOLUME = (
    "Finance's real output is itself contested: ONS measures much of it indirectly (FISIM, financial "
    "intermediation services indirectly measured, from interest margins) and estimates its volume from indicators "
    "such as deflated loan and deposit stocks, so neither sector's deflator is neutral.")


def windows(start_year: int, end_year: int) -> dict[str, tuple[int, int]]:
    """The report window and its window checks (recent, ending 2019 before COVID), by name; a check equal to the
    report window or outside it is left out."""
    out = {"report window": (start_year, end_year), f"recent window {RECENT_WINDOW[0]}-{RECENT_WINDOW[1]}": RECENT_WINDOW}
    if start_year < PRE_COVID_END < end_year:
        out[f"window to {PRE_COVID_END} ({start_year}-{PRE_COVID_END})"] = (start_year, PRE_COVID_END)
    if RECENT_PRE_COVID[0] >= start_year and PRE_COVID_END < end_year:
        out[f"recent window to {PRE_COVID_END} ({RECENT_PRE_COVID[0]}-{PRE_COVID_END})"] = RECENT_PRE_COVID
    return {k: w for k, w in out.items() if k == "report window" or w != (start_year, end_year)}


@memoized
def evidence(start_year: int, end_year: int) -> dict:
    """Every table the findings use, for the report window and the window checks (each carries source ids):
    ``comparison`` holds the Apr 2023 rows for every window, the Apr 2024 rows for the same windows (vintage
    check) and to 2022."""
    wins = windows(start_year, end_year)
    spans = tuple(dict.fromkeys(wins.values()))
    comparison = decomposition.growth_comparison(spans, include_2022=True)
    same_years = decomposition.growth_comparison_2024(tuple(w for w in spans if w[1] < LATEST_END))
    comparison = pd.concat([comparison, same_years], ignore_index=True).drop_duplicates(
        ["price_basis", "source_id", "start_year", "end_year", "region_code"])
    comparison.attrs["source_ids"] = [*decomposition.ITL1_SOURCES.values(), VINTAGE_2024]
    real = {w: decomposition.cumulative_contributions(J, *w) for w in spans}
    return {"start_year": start_year, "end_year": end_year, "windows": wins, "comparison": comparison,
            "counts": pace_table(comparison), "real": real[(start_year, end_year)],
            "real_recent": real[RECENT_WINDOW], "real_by_window": real,
            "nominal": decomposition.nominal_contributions(J, start_year, end_year),
            "deflators": decomposition.implied_deflators([J, K, TELECOMS], start_year, end_year),
            "reconciliation": decomposition.reconciliation(J),
            "non_additivity": decomposition.non_additivity(J, start_year)}


def _source(price_basis: str, end: int, vintage: str | None) -> str:
    if vintage is not None:
        return vintage
    return VINTAGE_2024 if end == LATEST_END else decomposition.ITL1_SOURCES[price_basis]


def _rows(comparison: pd.DataFrame, price_basis: str, start: int, end: int, vintage: str | None = None) -> pd.DataFrame:
    rows = comparison[(comparison.price_basis == price_basis) & (comparison.start_year == start)
                      & (comparison.end_year == end) & (comparison.source_id == _source(price_basis, end, vintage))]
    return rows.set_index("region_code")


def _row(comparison: pd.DataFrame, price_basis: str, start: int, end: int, region: str,
         vintage: str | None = None) -> pd.Series:
    rows = _rows(comparison, price_basis, start, end, vintage)
    if region not in rows.index:
        raise KeyError(f"no {price_basis} row for {region}, {start}-{end} ({_source(price_basis, end, vintage)})")
    return rows.loc[region]


def cagr(ev: dict, series: str, price_basis: str, start: int, end: int, region: str = regions.UK_CODE,
         vintage: str | None = None) -> float:
    """CAGR (% a year) of ``series`` ("j", "j_excl_61" or "k") from ``evidence``; Apr 2023 ITL1 tables unless
    ``end`` is 2022 or ``vintage`` names the Apr 2024 source."""
    return float(_row(ev["comparison"], price_basis, start, end, region, vintage)[SERIES[series]])


def gap(ev: dict, series: str, price_basis: str, start: int, end: int, region: str = regions.UK_CODE,
        vintage: str | None = None) -> float:
    """CAGR of ``series`` ("j" or "j_excl_61") minus CAGR of K, percentage points a year."""
    return cagr(ev, series, price_basis, start, end, region, vintage) - cagr(ev, "k", price_basis, start, end, region, vintage)


def paces(ev: dict, series: str, price_basis: str, start: int, end: int, vintage: str | None = None) -> dict[str, int]:
    """Number of the 12 ITL1 regions where ``series`` grew faster than K / about the same / slower (band
    ``MATERIAL_PP``)."""
    rows = _rows(ev["comparison"], price_basis, start, end, vintage).loc[regions.codes("ITL1")]
    return ict_finance.pace_counts(rows[SERIES[series]] - rows.k_cagr_pct)


def regions_ahead(ev: dict, series: str, price_basis: str, start: int, end: int, vintage: str | None = None) -> int:
    """Number of the 12 ITL1 regions where ``series`` ("j" or "j_excl_61") grew faster than K by more than the
    materiality band."""
    return paces(ev, series, price_basis, start, end, vintage)["faster"]


def pace_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per price basis, source and window: the ITL1 regions where J and J excl. 61 grew faster than K, about the
    same (within ``MATERIAL_PP`` points a year) and slower."""
    out = []
    keys = ["price_basis", "source_id", "start_year", "end_year"]
    for key, rows in comparison[comparison.region_code != regions.UK_CODE].groupby(keys, sort=False):
        row = dict(zip(keys, key), regions=len(rows))
        for series, name in (("j", "J"), ("j_excl_61", "J excl. 61")):
            counts = ict_finance.pace_counts(rows[SERIES[series]] - rows.k_cagr_pct)
            row.update({f"{name} {p} than K" if p != "about the same" else f"{name} about the same as K": n
                        for p, n in counts.items()})
        out.append(row)
    table = pd.DataFrame(out)
    table.attrs["source_ids"] = comparison.attrs.get("source_ids", [])
    return table


def j_excl_61_vs_k_gap(start_year: int, end_year: int, price_basis: str = "chained_volume",
                       region: str = regions.UK_CODE) -> float:
    """CAGR of J excluding telecoms (61) minus CAGR of K (percentage points a year) in ``region`` over
    ``start_year``-``end_year`` on ``price_basis`` (Apr 2023 ITL1 tables; with ``end_year`` 2022, current prices
    only, from the Apr 2024 ITL2 table summed to ITL1)."""
    if end_year == LATEST_END:
        if price_basis != "current_prices":
            raise ValueError(f"{LATEST_END} is in this repository's data in current prices only (Apr 2024 ITL2 table)")
        comparison = decomposition.growth_comparison_2024(((start_year, end_year),))
    else:
        comparison = decomposition.growth_comparison(((start_year, end_year),), include_2022=False)
    row = _row(comparison, price_basis, start_year, end_year, region)
    return float(row.j_excl_61_cagr_pct - row.k_cagr_pct)


def telecoms_share(ev: dict, real: str = "real", region: str = regions.UK_CODE,
                   window: tuple[int, int] | None = None) -> float:
    """Telecoms' share (%) of J's chained-volume growth (``real`` = "real" or "real_recent", or ``window`` one of
    ``ev["windows"]``) or, with ``real`` = "nominal", of its current-price growth, in ``region``."""
    table = ev["real_by_window"][window] if window is not None else ev[real]
    return float(table[(table.region_code == region) & (table.industry_code == TELECOMS)].share_pct.iloc[0])


def shares_by_division(ev: dict, real: str = "real", named: bool = False) -> pd.DataFrame:
    """Region (UK first) x division: share (%) of J's growth over the window, from ``ev[real]``; ``named``
    labels the columns '61 Telecommunications' etc. and adds J's growth (%): for chained volume the growth
    rebuilt from the divisions (the base of the shares), the published growth and their difference."""
    table = ev[real]
    wide = table.pivot(index="region_code", columns="industry_code", values="share_pct")
    out = wide.loc[decomposition.geographies()]
    if named:
        out.columns = [f"{name}, % of J's growth" for name in division_names(out.columns)]
        first = table.groupby("region_code").first()
        if "section_growth_rebuilt_pct" in table:
            out["J's real growth rebuilt from its divisions, %"] = first.section_growth_rebuilt_pct
            out["J's real growth as published, %"] = first.section_growth_published_pct
            out["rebuilt minus published, points"] = first.section_growth_rebuilt_pct - first.section_growth_published_pct
        else:
            out["J's growth over the window, %"] = first.section_growth_pct
    out.attrs["source_ids"] = table.attrs["source_ids"]
    return out


def contributions_method(ev: dict) -> str:
    """How the shares of J's real growth are defined (the base of the 'telecoms is X%' figure), in words."""
    rebuilt = ev["real"].query("region_code == @regions.UK_CODE").iloc[0]
    return (f"A division's share of J's real growth over {ev['start_year']}-{ev['end_year']} adds, over the years, its "
            "annual contribution (percentage points) weighted by the level of J's chain-linked index rebuilt from its "
            "divisions at the end of the previous year (relative to the start year). The weighted contributions add up "
            f"exactly to J's rebuilt cumulative growth (UK: {rebuilt.section_growth_rebuilt_pct:,.1f}% against "
            f"{rebuilt.section_growth_published_pct:,.1f}% published), so the shares add to 100%; plain sums of annual "
            "contributions would not, because growth compounds. In the regions the rebuilt and published growth "
            "differ more (see the last columns of the table).")


def max_reconstruction_error(ev: dict, region: str = regions.UK_CODE) -> float:
    """Largest |published - rebuilt from divisions| annual J chained-volume growth, percentage points."""
    table = ev["reconciliation"]
    return float(table[table.region_code == region].non_additivity_pp.abs().max())


def deflator_sentence(ev: dict) -> str:
    """J's, telecoms' and K's implied price changes over the window in words (direction from the data)."""
    d = ev["deflators"]
    start, end = ev["start_year"], ev["end_year"]

    def moved(code: str) -> str:
        change = d.loc[code, "change_pct"]
        return f"{'fell' if change < 0 else 'rose'} by {abs(change):.0f}% ({d.loc[code, 'start']:.0f} to {d.loc[code, 'end']:.0f})"

    return (f"Between {start} and {end} the implied price of J's output (current prices / chained volume, "
            f"2019 = 100) {moved(J)}, that of telecoms (61) {moved(TELECOMS)}, and that of K {moved(K)}.")


def non_additivity_sentence(ev: dict) -> str:
    """How far J's chained-volume divisions are from adding up to J in the start year (UK)."""
    n = ev["non_additivity"]
    return (f"Chained-volume divisions do not add up to their section: in {n['year']} the UK's J divisions sum to "
            f"£{n['sum_of_divisions']:,.0f}m against £{n['section_value']:,.0f}m for J ({n['gap_pct']:+.0f}%); "
            "they add up only in the reference year 2019 and after. Compare growth rates, not levels, across "
            "divisions; shares and sums use current prices.")


def comparison_table(ev: dict, start: int, end: int) -> pd.DataFrame:
    """Region (UK first) x CAGR (% a year) of J, J excl. 61 and K on both price bases over ``start``-``end``
    (Apr 2023 release), and in current prices to 2022 (Apr 2024 release), with column labels in words."""
    parts = {}
    for basis, last in [("chained_volume", end), ("current_prices", end), ("current_prices", LATEST_END)]:
        rows = _rows(ev["comparison"], basis, start, last)
        label = f"{BASIS_WORDS[basis]}, {start}-{last} ({'Apr 2024' if last == LATEST_END else 'Apr 2023'})"
        for series, column in SERIES.items():
            name = {"j": "J", "j_excl_61": "J excl. 61", "k": "K"}[series]
            parts[f"{name}, {label}, % a year"] = rows[column]
    out = pd.DataFrame(parts).loc[decomposition.geographies()]
    out.attrs["source_ids"] = ev["comparison"].attrs["source_ids"]
    return out


def division_names(codes) -> list[str]:
    """'61 Telecommunications'-style labels for division codes (names as ONS publishes them)."""
    gva = decomposition.load("gva_by_industry")
    names = gva.drop_duplicates("industry_code").set_index("industry_code").industry_name
    return [f"{code} {names[code]}" for code in codes]


def contributions_title(ev: dict) -> str:
    """Title of the contributions chart: telecoms' share of J's real and of its nominal growth (UK)."""
    return (f"Telecoms (61) is {telecoms_share(ev):.0f}% of J's real growth but {telecoms_share(ev, 'nominal'):.0f}% "
            f"of its nominal growth (UK, {ev['start_year']}-{ev['end_year']})")
