"""ICT (SIC J) and finance (K) output of one area against the UK on both price bases, at every level of the
profiles (ITL1, ITL2 and ITL3): chained volume (real, the newest release that has it), current prices over the same
window and release, and current prices extended to the newest release's last year; with telecoms' (division 61)
weight in the area's ICT where the release publishes 61 on its own (ITL1 and ITL2; at ITL3 telecoms sits in 61-63
with IT).

Why both bases: ONS regional chained-volume GVA deflates each region's industries with UK-wide industry price
indices, so a region's real ICT growth differs from the UK's mostly through the mix of divisions inside J, and
telecoms' price fell by almost all its value (question 1's implied deflator, quoted from its evidence). The
current-price comparison has no deflator at all.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions, sic
from helpers.data import indicators
from helpers.data.indicators import with_sources
from helpers.data.memo import memoized
from helpers.findings.model import BANDS
from helpers.findings.numbers import release_name
from helpers.questions.ict_finance import findings as q1
from helpers.stats import rates

SECTORS = (sic.ICT_SECTION, sic.FINANCE_SECTION)
TELECOMS = q1.TELECOMS
CV, CP = "chained_volume", "current_prices"
BASES = ("chained_volume", "current_prices_same_window", "current_prices")


def pace(gap: float) -> str:
    """'faster', 'about the same' or 'slower': a CAGR gap (points a year) within the materiality band (which covers
    rates equal at the one decimal shown) has no direction."""
    band = BANDS["growth_gap"]
    return "about the same" if abs(gap) <= band else "faster" if gap > 0 else "slower"


def window(code: str, start_year: int | None = None, end_year: int | None = None) -> tuple[int, int]:
    """The profile's window: the years given, or the span of the chained-volume data at the area's level."""
    years = indicators.gva(sic.ICT_SECTION, regions.geography_level(code), basis=CV).index
    start, end = start_year or int(years.min()), end_year or int(years.max())
    if not int(years.min()) <= start < end <= int(years.max()):
        raise ValueError(f"years {start}-{end} are outside the chained-volume data ({years.min()}-{years.max()}); "
                         "choose start_year and end_year inside it")
    return start, end


def _series(industry: str, code: str, release: str | None, basis: str) -> dict[str, pd.Series]:
    """The area's and the UK's GVA of ``industry`` in ``release`` on ``basis``, GBP million by year: the UK row the
    release publishes (as question 1 reads it; chained volume does not add up), else the sum of the 12 ITL1 regions."""
    level = regions.geography_level(code)
    area = indicators.gva(industry, level, release, basis)
    rows = indicators.gva_rows(basis, release)
    uk = rows[(rows.region_code == regions.UK_CODE) & (rows.industry_code == industry)].set_index("year")["value"]
    if uk.empty:
        uk = indicators.gva(industry, "ITL1", release, basis)[regions.codes("ITL1")].sum(axis=1)
    uk.index = uk.index.astype(int)
    return {code: area[code], regions.UK_CODE: uk, "sources": area.attrs["source_ids"]}


@memoized
def growth_table(code: str, start_year: int, end_year: int) -> pd.DataFrame:
    """CAGR (% a year) of J and K for the area and the UK (rows: sector x area): chained volume over the window,
    current prices over the same window and release, and current prices from the window's start to the newest
    release's last year. ``attrs``: ``windows`` and ``releases`` of each basis, ``basis_sources``, ``telecoms``
    (``telecoms_weight``)."""
    latest, previous = indicators.latest_release(), indicators.previous_release()
    rows, sources, windows = [], {}, {}
    for sector in SECTORS:
        cvm, same, ext = (_series(sector, code, None, CV), _series(sector, code, previous, CP),
                          _series(sector, code, latest, CP))
        last = int(ext[code].last_valid_index())
        windows = {"chained_volume": (start_year, end_year), "current_prices_same_window": (start_year, end_year),
                   "current_prices": (start_year, last)}
        for basis, table in zip(BASES, (cvm, same, ext)):
            sources.setdefault(basis, table["sources"])
        for area in (code, regions.UK_CODE):
            rows.append({"sector": sector, "area": area, **{
                f"{basis}_cagr_pct": rates.cagr(table[area][windows[basis][0]], table[area][windows[basis][1]],
                                                windows[basis][1] - windows[basis][0])
                for basis, table in zip(BASES, (cvm, same, ext))}})
    out = pd.DataFrame(rows)
    cv_release = indicators.gva_rows(CV).release.max()
    out.attrs.update(windows=windows, basis_sources=sources, telecoms=telecoms_weight(code, start_year, end_year),
                     releases={"chained_volume": release_name(cv_release), "current_prices_same_window": release_name(previous),
                               "current_prices": release_name(latest)})
    return with_sources(out, [s for ids in sources.values() for s in ids])


def comparison(table: pd.DataFrame) -> dict:
    """The ICT comparison of ``growth_table``: each basis's rates (area, UK), pace and window, and whether the two
    current-price comparisons (two releases and windows) agree in direction."""
    ict = table[table.sector == sic.ICT_SECTION].set_index("area")
    area, uk = ict.index[0], regions.UK_CODE
    out = {}
    for basis in BASES:
        a, u = ict.at[area, f"{basis}_cagr_pct"], ict.at[uk, f"{basis}_cagr_pct"]
        out[basis] = {"area": a, "uk": u, "pace": pace(a - u), "window": table.attrs["windows"][basis],
                      "release": table.attrs["releases"][basis]}
    paces = {out["current_prices_same_window"]["pace"], out["current_prices"]["pace"]}
    out["agreement"] = ("same" if len(paces) == 1 else "differ" if paces == {"faster", "slower"} else "tie")
    return out


def telecoms_weight(code: str, start_year: int, end_year: int) -> dict:
    """Telecoms (61) in the area's ICT: ``available`` (the newest release publishes 61 on its own at the area's
    level), its share of J in current prices in that release's last year for the area and the UK
    (``cp_share_area``, ``cp_share_uk``, ``year``) and, for an ITL1 region, its share of J's chained-volume growth
    over the window (question 1's contributions: ``real_growth_share_area``, ``real_growth_share_uk``). Always:
    ``price_change_pct``, question 1's implied UK telecoms price change over the window."""
    level, latest = regions.geography_level(code), indicators.latest_release()
    ev = q1.evidence(start_year, end_year)
    out = {"available": True, "price_change_pct": float(ev["deflators"].loc[TELECOMS, "change_pct"]),
           "start_year": start_year, "end_year": end_year}
    telecoms = _series(TELECOMS, code, latest, CP)
    if telecoms[code].isna().all():  # the release has no division 61 at this level (ITL3: 61-63)
        return {**out, "available": False}
    ict = _series(sic.ICT_SECTION, code, latest, CP)
    year = int(telecoms[code].last_valid_index())
    out.update(year=year, cp_share_area=telecoms[code][year] / ict[code][year] * 100,
               cp_share_uk=telecoms[regions.UK_CODE][year] / ict[regions.UK_CODE][year] * 100)
    if level == "ITL1":
        out.update(real_growth_share_area=q1.telecoms_share(ev, region=code), real_growth_share_uk=q1.telecoms_share(ev))
    return out
