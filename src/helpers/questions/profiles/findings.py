"""Summary text and headline metrics of a region profile (``helpers.questions.profiles.tables``): the Main points bullets
and the metrics recorded in reports/metrics.csv, both built from the profile's own tables so that each number's
description and sources come from the object that produced it."""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.questions.profiles import growth as profile_growth
from helpers.questions.profiles import tables as profiles
from helpers.safe_text import markdown_text


def main_points(code: str, start_year: int = 1998, end_year: int = 2021) -> str:
    """The 'Main points' bullets (Markdown, 4-5), every number computed from the profile's tables: productivity
    against the UK total, ICT share and growth on both price bases, AI organisations per head, ecosystem ranks
    and the claims that name the region."""
    level, name, itl1 = profiles.level_of(code), profiles.area_label(code), regions.parent_itl1(code)
    head = profiles.headline(code)
    years, releases = head.attrs["years"], head.attrs["releases"]
    area, uk = head.loc[code], head.loc[regions.UK_CODE]
    relative = indicators.productivity("per_hour", level, "relative")[code].dropna()
    side = productivity_side(area.gva_per_hour_uk100)
    points = [f"**Productivity {side} the UK's.** GVA per hour worked in {name} was {area.gva_per_hour_uk100:.0f}% of the "
              f"UK's in {relative.index[-1]} ({relative.iloc[0]:.0f}% in {relative.index[0]}; {releases['gva_per_hour_uk100']}); "
              f"GVA per head was £{area.gva_per_head:,.0f} against £{uk.gva_per_head:,.0f} for the UK total ({years['gva_per_head']}; "
              f"{releases['gva_per_head']}). Both are in current prices: neither adjusts for regional price levels."]
    if level in profiles.BY_INDUSTRY_LEVELS:
        table = profiles.growth(code, start_year, end_year)
        points.append(f"**ICT is {area.ict_share_pct:.1f}% of output against {uk.ict_share_pct:.1f}% for the UK total** "
                      f"({years['ict_share_pct']}, current prices, {releases['ict_share_pct']}). "
                      f"{profile_growth.growth_sentence(table, name)} {telecoms_reading(table.attrs['telecoms'])}")
    else:
        points.append(f"**No ICT figures at this level.** {profiles.no_data(code)['sector_index']}")
    count = profiles.ai_counts(level)[code]
    points.append(f"**{area.ai_orgs_per_100k:.1f} AI organisations per 100,000 people against {uk.ai_orgs_per_100k:.1f} for the "
                  f"UK total** ({count:,} organisation{'' if count == 1 else 's'}"
                  + (", a small count: one more or fewer moves the rate a lot" if count < profiles.SMALL_COUNT else "")
                  + f"; {releases['ai_orgs_per_100k']}"
                  + ("" if code == regions.LONDON else f"; London {head.loc[regions.LONDON, 'ai_orgs_per_100k']:.1f}")
                  + "). WAIfinder counts organisations at an address, "
                  "often a head office, placed by their coordinates: not their size or where the AI work is done.")
    ranks = profiles.ecosystem_ranks(code)
    top, bottom = ranks[ranks.rank_of_12 <= 3], ranks[ranks.rank_of_12 >= 10]
    listed = lambda t: ", ".join(f"{i} ({r})" for i, r in zip(t.indicator, t.rank_of_12)) or "none"  # noqa: E731
    whose = "" if level == "ITL1" else f" (figures for its ITL1 region, {regions.region_name(itl1)})"
    points.append(f"**Ecosystem ranks{whose}:** in the top three of the 12 ITL1 regions on {len(top)} of {len(ranks)} "
                  f"AI-ecosystem indicators ({listed(top)}) and in the bottom three on {len(bottom)} ({listed(bottom)}); "
                  f"ranks compare regions, not the size of the gaps between them.")
    named = profiles.policies(code)[1]
    if not named.empty:
        verdicts = "; ".join(f"\"{markdown_text(c)}\": {markdown_text(v)}" for c, v in zip(named.claim, named.verdict))
        points.append(f"**Claims that name {regions.region_name(itl1)}** (claims-check report): {verdicts}.")
    return "\n".join(f"- {p}" for p in points)


def productivity_side(uk100: float) -> str:
    """'above', 'below' or 'about the same as' the UK (= 100): within 0.5 of 100, which rounds to 100 as shown."""
    return "about the same as" if abs(uk100 - 100) <= 0.5 else "below" if uk100 < 100 else "above"


def telecoms_reading(telecoms: dict) -> str:
    """What telecoms' weight in the area's ICT (``profile_growth.telecoms_weight``) means for its real ICT growth:
    a price effect at least as large as the UK's only where telecoms is at least the UK's share of ICT (compared
    at the whole percentages shown)."""
    area, uk = round(telecoms["cp_share_area"]), round(telecoms["cp_share_uk"])
    if area >= uk:
        size = "as large a share of ICT here as" if area == uk else "a larger share of ICT here than"
        reading = (f"Telecoms is {size} in the UK, so real-terms ICT growth here owes at least as much to telecoms' "
                   "falling price (its deflator) as the UK's does")
    else:
        reading = ("Telecoms is a smaller share of ICT here than in the UK, so the area's real ICT growth owes less "
                   "to telecoms' falling price than the UK's")
    return f"{reading}."


def headline_metrics(code: str, start_year: int = 1998, end_year: int = 2021) -> pd.DataFrame:
    """One row per headline metric of the profile (id, value, unit, description, source_ids), from ``headline``
    and ``growth``: GVA per hour, ICT share, AI organisations per 100,000 (the area and the UK total), and at ITL1
    and ITL2 the ICT CAGR of the area and the UK total on both price bases and telecoms' share of the area's ICT.
    A metric without data at the area's level is left out."""
    head, name = profiles.headline(code), profiles.area_label(code)
    years, sources = head.attrs["years"], head.attrs["column_sources"]
    rows = [(f"{code}_gva_per_hour", head.at[code, "gva_per_hour_uk100"], "UK = 100",
             f"{name}: GVA per hour worked, {years['gva_per_hour_uk100']}", sources["gva_per_hour_uk100"]),
            (f"{code}_ict_share", head.at[code, "ict_share_pct"], "% of GVA",
             f"{name}: ICT share of GVA, {years['ict_share_pct']}", sources["ict_share_pct"]),
            (f"{code}_ai_orgs_per_100k", head.at[code, "ai_orgs_per_100k"], "per 100,000 people",
             f"{name}: AI organisations per 100,000 people, {years['ai_orgs_per_100k']}", sources["ai_orgs_per_100k"]),
            ("uk_total_ai_orgs_per_100k", head.at[regions.UK_CODE, "ai_orgs_per_100k"], "per 100,000 people",
             f"UK total: AI organisations per 100,000 people (all organisations over all residents), "
             f"{years['ai_orgs_per_100k']}", sources["ai_orgs_per_100k"])]
    growth = profiles.growth(code, start_year, end_year)
    if not growth.empty:
        ict = growth[growth.sector == profile_growth.SECTORS["J"]].set_index("area")
        (s1, e1), (s2, e2) = (growth.attrs["windows"][k] for k in ("chained_volume", "current_prices"))
        cvm, cp = growth.attrs["basis_sources"]["chained_volume"], growth.attrs["basis_sources"]["current_prices"]
        cp23 = growth.attrs["basis_sources"]["current_prices_same_window"]
        for prefix, area in ((code, name), ("uk_total", profile_growth.UK_TOTAL)):
            rows += [(f"{prefix}_ict_cagr_chained_volume", ict.at[area, "chained_volume_cagr_pct"], "% a year",
                      f"{area}: real (chained-volume) ICT GVA growth, {s1}-{e1}, Apr 2023 release", cvm),
                     (f"{prefix}_ict_cagr_current_prices_{s1}_{e1}", ict.at[area, "current_prices_same_window_cagr_pct"],
                      "% a year", f"{area}: current-price ICT GVA growth, {s1}-{e1}, Apr 2023 release", cp23),
                     (f"{prefix}_ict_cagr_current_prices", ict.at[area, "current_prices_cagr_pct"], "% a year",
                      f"{area}: current-price ICT GVA growth, {s2}-{e2}, Apr 2024 release", cp)]
        telecoms = growth.attrs["telecoms"]
        rows.append((f"{code}_telecoms_share_of_ict", telecoms["cp_share_area"], "% of ICT GVA",
                     f"{name}: telecoms (SIC 61) share of ICT GVA, current prices, {telecoms['year']}, Apr 2024 release", cp))
    out = pd.DataFrame(rows, columns=["id", "value", "unit", "description", "source_ids"])
    return out[out["value"].notna()].reset_index(drop=True)
