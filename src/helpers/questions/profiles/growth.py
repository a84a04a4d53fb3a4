"""ICT (SIC J) and finance (K) growth of one area against the UK on both price bases, for the region profiles
(``helpers.questions.profiles.tables``): chained volume (real, Apr 2023 release, to 2021) and current prices (Apr 2024
release, to 2022), with telecoms' (division 61) weight in the area's ICT.

Why both: ONS regional chained-volume GVA deflates each region's industries with UK-wide industry price indices,
so a region's real ICT growth differs from the UK's mostly through the mix of divisions inside J. Telecoms' UK
price index fell by almost 99% between 1998 and 2021, so an area where telecoms is a large part of J shows fast
real ICT growth whatever happened to its prices. The current-price comparison has no deflator at all.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.indicators import GVA_2024_SOURCE, GVA_CVM_SOURCES, GVA_SOURCES, with_sources
from helpers.questions.ict_finance import decomposition
from helpers.questions.ict_finance import tables as ict_finance
from helpers.stats import rates

LATEST_CP_YEAR = 2022  # the last year of the Apr 2024 release
SECTORS = {"J": "ICT (J)", "K": "Finance (K)"}
UK_TOTAL = "UK total"
BY_INDUSTRY_LEVELS = ("ITL1", "ITL2")
TIE = "about the same"  # ``ict_finance.pace`` within the materiality band


def _cvm(sector: str, level: str, code: str) -> dict[str, pd.Series]:
    table = load("gva_by_industry")
    table = table[table.industry_code == sector]
    uk = table[(table.source_id == GVA_CVM_SOURCES["ITL1"]) & (table.region_code == regions.UK_CODE)]
    area = table[(table.source_id == GVA_CVM_SOURCES[level]) & (table.region_code == code)]
    return {regions.UK_CODE: uk.set_index("year")["value"], code: area.set_index("year")["value"]}


def _cp_2024(industry: str, level: str, code: str) -> dict[str, pd.Series]:
    """Apr 2024 current prices (GBP million) of the area and of the UK (the sum of the 12 ITL1 regions, each the
    sum of its ITL2 areas; Extra-Regio has no J or K)."""
    latest = indicators.latest_release()
    return {code: indicators.gva(industry, level, latest)[code],
            regions.UK_CODE: indicators.gva(industry, "ITL1", latest).sum(axis=1)}


def _cp_2023(industry: str, level: str, code: str) -> dict[str, pd.Series]:
    """Apr 2023 current prices (GBP million) of the area and of the UK (the sum of the 12 ITL1 regions)."""
    previous = indicators.previous_release()
    return {code: indicators.gva(industry, level, previous)[code],
            regions.UK_CODE: indicators.gva(industry, "ITL1", previous)[regions.codes("ITL1")].sum(axis=1)}


def growth_table(code: str, start_year: int = 1998, end_year: int = 2021, name: str | None = None) -> pd.DataFrame:
    """CAGR (% a year) of J and K for the area and the UK: chained volume ``start_year``-``end_year`` (Apr 2023
    release) and current prices ``start_year``-2022 (Apr 2024 release). ``attrs``: ``note`` (the deflator caveat
    with telecoms' shares), ``telecoms`` (those shares) and ``labels``. Empty, with a note, at ITL3."""
    level = regions.geography_level(code)
    name = name or regions.region_name(code)
    columns = ["sector", "area", "chained_volume_cagr_pct", "current_prices_same_window_cagr_pct", "current_prices_cagr_pct"]
    if level not in BY_INDUSTRY_LEVELS:
        out = pd.DataFrame(columns=columns)
        out.attrs["note"] = (f"No ICT or finance growth for {name}: ONS GVA by industry is used at ITL1 and ITL2 only; "
                             f"see its ITL2 area, {regions.region_name(regions.parent_itl2(code))}.")
        return with_sources(out, [])
    rows = []
    for sector, label in SECTORS.items():
        cvm, cp, cp23 = _cvm(sector, level, code), _cp_2024(sector, level, code), _cp_2023(sector, level, code)
        n = end_year - start_year
        for area, area_name in ((code, name), (regions.UK_CODE, UK_TOTAL)):
            rows.append({"sector": label, "area": area_name,
                         "chained_volume_cagr_pct": rates.cagr(cvm[area][start_year], cvm[area][end_year], n),
                         "current_prices_same_window_cagr_pct": rates.cagr(cp23[area][start_year], cp23[area][end_year], n),
                         "current_prices_cagr_pct": rates.cagr(cp[area][start_year], cp[area][LATEST_CP_YEAR],
                                                                    LATEST_CP_YEAR - start_year)})
    out = pd.DataFrame(rows)
    out.attrs["labels"] = {
        "sector": "Industry", "area": "Area",
        "chained_volume_cagr_pct": f"Real (chained volume) growth, % a year, {start_year}-{end_year} (Apr 2023 release)",
        "current_prices_same_window_cagr_pct": f"Current-price growth, % a year, {start_year}-{end_year} (Apr 2023 release)",
        "current_prices_cagr_pct": f"Current-price growth extended, % a year, {start_year}-{LATEST_CP_YEAR} (Apr 2024 release)"}
    out.attrs["telecoms"] = telecoms_weight(code, start_year, end_year)
    out.attrs["note"] = deflator_note(code, out.attrs["telecoms"], start_year, end_year, name)
    out.attrs["windows"] = {"chained_volume": (start_year, end_year), "current_prices": (start_year, LATEST_CP_YEAR),
                            "current_prices_same_window": (start_year, end_year)}
    out.attrs["basis_sources"] = {"chained_volume": list(dict.fromkeys([GVA_CVM_SOURCES[level], GVA_CVM_SOURCES["ITL1"]])),
                                  "current_prices": [GVA_2024_SOURCE],
                                  "current_prices_same_window": list(dict.fromkeys([GVA_SOURCES[level], GVA_SOURCES["ITL1"]]))}
    return with_sources(out, [s for ids in out.attrs["basis_sources"].values() for s in ids])


def telecoms_weight(code: str, start_year: int = 1998, end_year: int = 2021) -> dict[str, float]:
    """Telecoms (61) as % of J in current prices, 2022 (Apr 2024), for the area and the UK (``cp_share_area``,
    ``cp_share_uk``); at ITL1 also its share of J's chained-volume growth over the window
    (``decomposition.telecoms_share``: ``real_growth_share_area``, ``real_growth_share_uk``)."""
    level = regions.geography_level(code)
    telecoms, ict = _cp_2024(decomposition.TELECOMS, level, code), _cp_2024("J", level, code)
    out = {"year": LATEST_CP_YEAR,
           "cp_share_area": telecoms[code][LATEST_CP_YEAR] / ict[code][LATEST_CP_YEAR] * 100,
           "cp_share_uk": telecoms[regions.UK_CODE][LATEST_CP_YEAR] / ict[regions.UK_CODE][LATEST_CP_YEAR] * 100}
    if level == "ITL1":
        shares = decomposition.telecoms_share(start_year, end_year).set_index("region_code")["share_pct"]
        out.update(real_growth_share_area=shares[code], real_growth_share_uk=shares[regions.UK_CODE])
    return out


def deflator_note(code: str, telecoms: dict, start_year: int, end_year: int, name: str) -> str:
    """Regional real GVA uses UK-wide industry deflators, so real ICT growth depends on telecoms' weight in the
    area's ICT: the shares, and what they show (telecoms' share of real ICT growth in the area against the UK)."""
    shares = (f"telecoms (SIC 61), whose UK price index fell by almost 99% from 1998 to 2021, is "
              f"{telecoms['cp_share_area']:.0f}% of ICT output in {name} against {telecoms['cp_share_uk']:.0f}% in the UK "
              f"(current prices, {telecoms['year']})")
    reading = ""
    area, uk = round(telecoms["cp_share_area"]), round(telecoms["cp_share_uk"])
    weight = "larger" if area > uk else "smaller" if area < uk else "similar"
    if "real_growth_share_area" in telecoms:
        a, u = telecoms["real_growth_share_area"], telecoms["real_growth_share_uk"]
        reading = (f"; it accounts for {a:.0f}% of real ICT growth {start_year}-{end_year} in {name} against {u:.0f}% in "
                   "the UK, so " + ("in both most measured real ICT growth is telecoms, whose volume rises as its price "
                                    f"falls: telecoms' share of real growth is about the same, and the {weight} "
                                    "telecoms weight does not by itself explain the gap in real growth" if abs(a - u) < 5 else
                                    "the mix inside ICT accounts for part of the gap in real growth"))
    return (f"Regional chained-volume GVA deflates each industry with UK-wide price indices, so real ICT growth depends "
            f"on the mix inside ICT: {shares}{reading}. Current-price growth involves no deflator.")


def _pace(area: float, uk: float) -> str:
    """'faster', 'about the same' or 'slower': a gap within the materiality band (``ict_finance.MATERIAL_PP`` points
    a year, which covers rates equal at the one decimal shown) is no direction."""
    return ict_finance.pace(area - uk)


def _grew(pace: str, than: str = "") -> str:
    """'faster than the UK's' / 'at about the same rate as the UK's' (``than``: what is compared with)."""
    if pace == TIE:
        return f"at about the same rate as {than}" if than else "at about the same rate"
    return f"{pace} than {than}" if than else pace


def _agreement(same: str, ext: str) -> str:
    """Whether the two current-price comparisons (Apr 2023 and Apr 2024 releases, two windows) agree: only a
    faster against a slower is a difference in direction; a tie against a gap is said as such."""
    if same == ext:
        return " in both releases and windows" if same == TIE else ", the same direction"
    if TIE in (same, ext):
        return "; a gap in one release and window, about the same in the other"
    return "; the two releases and windows differ in direction"


def _comparison(table: pd.DataFrame, name: str) -> tuple[str, str]:
    """The ICT comparison in words and numbers, from ``growth_table``: real and current prices over the same window
    and release (Apr 2023), then the current-price extension to the Apr 2024 release's last year, saying whether
    the two releases and windows agree in direction (gaps within the materiality band are "about the same")."""
    ict = table[table.sector == SECTORS["J"]].set_index("area")
    area, uk = ict.iloc[0], ict.loc[UK_TOTAL]
    w = table.attrs["windows"]
    (s1, e1), (s2, e2) = w["chained_volume"], w["current_prices"]
    real = _pace(area.chained_volume_cagr_pct, uk.chained_volume_cagr_pct)
    same = _pace(area.current_prices_same_window_cagr_pct, uk.current_prices_same_window_cagr_pct)
    ext = _pace(area.current_prices_cagr_pct, uk.current_prices_cagr_pct)
    current = "in current prices" if real == same == TIE else f"{_grew(same)} in current prices"
    real_words = _grew(real, "the UK's")
    words = (f"{name}: ICT output grew {real_words} in real terms "
             f"{'and' if real == same else 'but'} {current}, {s1}-{e1}")
    numbers = (f"{s1}-{e1}, Apr 2023 release: real {area.chained_volume_cagr_pct:.1f}% vs {uk.chained_volume_cagr_pct:.1f}% "
               f"a year, current prices {area.current_prices_same_window_cagr_pct:.1f}% vs "
               f"{uk.current_prices_same_window_cagr_pct:.1f}%; {s2}-{e2}, Apr 2024 release: current prices "
               f"{area.current_prices_cagr_pct:.1f}% vs {uk.current_prices_cagr_pct:.1f}%, {ext}{_agreement(same, ext)}")
    return words, numbers


def growth_title(table: pd.DataFrame, name: str, width: int = 78) -> str:
    """A chart title stating the ICT comparison on both price bases, from ``growth_table`` (wrapped to ``width``)."""
    if table.empty:
        return f"{name}: no ICT output series at this level"
    words, numbers = _comparison(table, name)
    return "\n".join([*textwrap.wrap(words, width), *textwrap.wrap(numbers[0].upper() + numbers[1:], width + 20)])


def growth_sentence(table: pd.DataFrame, name: str) -> str:
    """The growth comparison in words with the deflator caveat, for Main points."""
    if table.empty:
        return table.attrs["note"]
    words, numbers = _comparison(table, name)
    return f"{words[len(name) + 2].upper()}{words[len(name) + 3:]} ({numbers}). {table.attrs['note']}"
