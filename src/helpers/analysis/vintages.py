"""How much one ONS release revises London's ICT GVA share and location quotient (question 2).

ONS revises the whole history of regional GVA at every release. Two releases are compared year by year:
Apr 2023 (``gva_itl1_cp_2023``, ITL1, 1998-2021) and Apr 2024 (``gva_itl2_cp_2024`` summed to ITL1 for the
industry, ``gva_total_cp_2024`` for total GVA, 1998-2022). A revision is the Apr 2024 value minus the Apr 2023
value; it is set against the trend per year (Sen's slope of the Apr 2024 series over all its years): a trend
smaller than one release's revision is not a finding (STYLE.md "Vintages revise history").
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.analysis import indicators, statistics
from helpers.analysis.tables import with_sources

VINTAGE_SOURCES = {2023: (indicators.GVA_SOURCES["ITL1"],),
                   2024: (indicators.GVA_2024_SOURCE, indicators.GVA_TOTAL_2024_SOURCE)}


def london_share_and_lq(industry: str = "J", vintage: int = 2024) -> pd.DataFrame:
    """Per year: London's share of the UK (sum of the 12 ITL1 regions) GVA in ``industry`` (%), its share of
    all GVA (%) and its location quotient, in one release."""
    part, whole = indicators.gva(industry, "ITL1", vintage), indicators.gva("TOTAL", "ITL1", vintage)
    years = part.index.intersection(whole.index)
    part, whole = part.loc[years], whole.loc[years]
    share = part[regions.LONDON] / part.sum(axis=1) * 100
    benchmark = whole[regions.LONDON] / whole.sum(axis=1) * 100
    table = pd.DataFrame({"share_pct": share, "benchmark_share_pct": benchmark, "lq": share / benchmark})
    return with_sources(table.rename_axis("year"), VINTAGE_SOURCES[vintage])


def sensitivity(industry: str = "J") -> pd.DataFrame:
    """Year by year under both releases: London's share (%) and LQ, and the revisions (share in percentage
    points, LQ in LQ units); years only in the newer release have missing Apr 2023 values."""
    old, new = london_share_and_lq(industry, 2023), london_share_and_lq(industry, 2024)
    table = pd.DataFrame({"share_apr2023": old["share_pct"], "share_apr2024": new["share_pct"],
                          "lq_apr2023": old["lq"], "lq_apr2024": new["lq"]})
    table["share_revision_pp"] = table["share_apr2024"] - table["share_apr2023"]
    table["lq_revision"] = table["lq_apr2024"] - table["lq_apr2023"]
    return with_sources(table.rename_axis("year"), [*VINTAGE_SOURCES[2023], *VINTAGE_SOURCES[2024]])


def revision_against_trend(table: pd.DataFrame) -> dict:
    """The revision in the last common year against the trend per year (Sen's slope of the Apr 2024 series) of
    London's share and LQ: ``*_years_of_trend`` = |revision| / |slope|; also the largest absolute revision."""
    common = int(table.dropna().index.max())
    out = {"last_common_year": common, "last_year": int(table.index.max())}
    for name, revision in [("share", "share_revision_pp"), ("lq", "lq_revision")]:
        slope = statistics.sens_slope(table[f"{name}_apr2024"])
        out.update({f"{name}_apr2023": table.loc[common, f"{name}_apr2023"],
                    f"{name}_apr2024": table.loc[common, f"{name}_apr2024"],
                    f"{name}_revision": table.loc[common, revision], f"{name}_slope": slope,
                    f"{name}_years_of_trend": abs(table.loc[common, revision] / slope),
                    f"{name}_max_abs_revision": table[revision].abs().max()})
    out["share_latest_apr2024"] = table["share_apr2024"].iloc[-1]
    return out


def sentence(check: dict) -> str:
    """The revision of London's ICT GVA share in words, with the trend it is compared with."""
    c = check
    return (f"Between the Apr 2023 and Apr 2024 releases, London's {c['last_common_year']} share of UK ICT GVA moved "
            f"from {c['share_apr2023']:.2f}% to {c['share_apr2024']:.2f}% ({c['share_revision']:+.2f} points), "
            f"{c['share_years_of_trend']:.1f} years of its trend ({c['share_slope']:+.3f} points a year, Sen's slope "
            f"1998-{c['last_year']}); its ICT location quotient moved from {c['lq_apr2023']:.3f} to {c['lq_apr2024']:.3f} "
            f"({c['lq_revision']:+.3f}, {c['lq_years_of_trend']:.1f} years of its trend of {c['lq_slope']:+.4f} a year). "
            f"The largest revision of any year's share is {c['share_max_abs_revision']:.2f} points.")
