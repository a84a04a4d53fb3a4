"""How much one ONS release revises London's ICT GVA share and location quotient (question 2).

ONS revises the whole history of regional GVA at every release. Two releases are compared year by year:
Apr 2023 (``gva_itl1_cp_2023``, ITL1, 1998-2021) and Apr 2024 (``gva_itl2_cp_2024`` summed to ITL1 for the
industry, ``gva_total_cp_2024`` for total GVA, 1998-2022). A revision is the Apr 2024 value minus the Apr 2023
value; it is set against the trend per year (Sen's slope of the Apr 2024 series over all its years): a trend
smaller than one release's revision is not a finding (STYLE.md "Vintages revise history").

Revisions are not spread evenly: the older release's last ``LATEST_YEARS`` years (then its newest
estimates) are revised by points, the years before by hundredths of a point. ``revision_against_trend`` reports
both, so that the newest year of the current release (itself a first estimate) is read as the fragile part.
"""

from __future__ import annotations

import pandas as pd

from helpers.data import indicators
from helpers.data.indicators import with_sources
from helpers.data.memo import memoized
from helpers.stats import trends

LATEST_YEARS = 3  # the older release's newest years, revised most at the next release
VINTAGE_SOURCES = {2023: (indicators.GVA_SOURCES["ITL1"],),
                   2024: (indicators.GVA_2024_SOURCE, indicators.GVA_TOTAL_2024_SOURCE)}


@memoized
def sensitivity(industry: str = "J") -> pd.DataFrame:
    """Year by year under both releases: London's share (%) and LQ, and the revisions (share in percentage
    points, LQ in LQ units); years only in the newer release have missing Apr 2023 values."""
    old, new = (indicators.london_share_and_lq(industry, r) for r in (indicators.previous_release(), indicators.latest_release()))
    table = pd.DataFrame({"share_apr2023": old["share_pct"], "share_apr2024": new["share_pct"],
                          "lq_apr2023": old["lq"], "lq_apr2024": new["lq"]})
    table["share_revision_pp"] = table["share_apr2024"] - table["share_apr2023"]
    table["lq_revision"] = table["lq_apr2024"] - table["lq_apr2023"]
    return with_sources(table.rename_axis("year"), [*VINTAGE_SOURCES[2023], *VINTAGE_SOURCES[2024]])


def revision_against_trend(table: pd.DataFrame) -> dict:
    """The revision in the last common year against the trend per year (Sen's slope of the Apr 2024 series) of
    London's share and LQ: ``*_years_of_trend`` = |revision| / |slope|; also the largest absolute revision, the
    largest before the older release's last ``LATEST_YEARS`` years (``share_settled_max_abs_revision``, up to
    ``settled_last_year``), each of those latest years' share revision (``latest_revisions``, year -> points),
    and the change of the newest year of the current release on the year before (``share_latest_change``)."""
    common = int(table.dropna().index.max())
    out = {"last_common_year": common, "last_year": int(table.index.max())}
    for name, revision in [("share", "share_revision_pp"), ("lq", "lq_revision")]:
        slope = trends.sens_slope(table[f"{name}_apr2024"])
        out.update({f"{name}_apr2023": table.loc[common, f"{name}_apr2023"],
                    f"{name}_apr2024": table.loc[common, f"{name}_apr2024"],
                    f"{name}_revision": table.loc[common, revision], f"{name}_slope": slope,
                    f"{name}_years_of_trend": abs(table.loc[common, revision] / slope),
                    f"{name}_max_abs_revision": table[revision].abs().max()})
    out["share_latest_apr2024"] = table["share_apr2024"].iloc[-1]
    out["share_latest_change"] = table["share_apr2024"].iloc[-1] - table["share_apr2024"].iloc[-2]
    common_years = table.dropna().index
    settled, latest = common_years[:-LATEST_YEARS], common_years[-LATEST_YEARS:]
    out.update(first_year=int(table.index.min()), settled_last_year=int(settled.max()),
               share_settled_max_abs_revision=table.loc[settled, "share_revision_pp"].abs().max(),
               latest_revisions={int(y): table.loc[y, "share_revision_pp"] for y in latest})
    return out


def sentence(check: dict) -> str:
    """The revision of London's ICT GVA share in words: small for the settled years, large for the latest ones,
    and what that means for the newest year of the current release."""
    c = check
    latest = ", ".join(f"{year} {revision:+.2f}" for year, revision in c["latest_revisions"].items())
    return (f"Between the Apr 2023 and Apr 2024 releases, London's share of UK ICT GVA was revised by at most "
            f"{c['share_settled_max_abs_revision']:.2f} points for {c['first_year']}-{c['settled_last_year']}, but by "
            f"up to {c['share_max_abs_revision']:.1f} points for the older release's latest years ({latest} points). "
            f"The {c['last_common_year']} revision ({c['share_apr2023']:.2f}% to {c['share_apr2024']:.2f}%) equals "
            f"{c['share_years_of_trend']:.1f} years of the share's trend ({c['share_slope']:+.3f} points a year, Sen's "
            f"slope {c['first_year']}-{c['last_year']}); London's ICT location quotient moved from {c['lq_apr2023']:.3f} "
            f"to {c['lq_apr2024']:.3f} ({c['lq_revision']:+.3f}). So the newest year, {c['last_year']} "
            f"({c['share_latest_apr2024']:.1f}%, {c['share_latest_change']:+.1f} points on {c['last_year'] - 1}), is a "
            f"first estimate that the next release can move by as much.")


def chart_title(check: dict) -> str:
    """Title of the two-release chart: small revisions for the settled years, large for the latest ones."""
    c = check
    return (f"Apr 2024 release: London's ICT share revised by at most {c['share_settled_max_abs_revision']:.2f} points "
            f"for {c['first_year']}-{c['settled_last_year']}, by up to {c['share_max_abs_revision']:.1f} for the latest years")
