"""The headline indicators of every area at one ITL level, and of the UK total, each from the newest release that
has it: population, GVA per head (GBP, current prices: total GVA over resident population, as ONS defines it), GVA
per hour worked (UK = 100), ICT share of GVA (%) and AI organisations per 100,000 people. The profiles and the
comparison of areas read the same table, so an area's figure is the same on both pages."""

from __future__ import annotations

import pandas as pd

from helpers import regions, sic
from helpers.data import indicators
from helpers.data.datasets import load
from helpers.data.indicators import AI_ORGS_SOURCE, PRODUCTIVITY_SOURCE
from helpers.data.memo import memoized
from helpers.data.sources import get_source


def ai_counts(level: str) -> pd.Series:
    """AI organisations by area at ``level`` (WAIfinder, placed by a spatial join at every level)."""
    return indicators.ai_organisations(level).iloc[-1]


def _per_head(level: str, release: str) -> tuple[pd.Series, pd.Series, int]:
    """GVA per head (GBP, current prices) of every area at ``level`` and of the UK in the latest year of ``release``:
    total GVA over resident population, as ONS defines it."""
    gva = indicators.gva("TOTAL", level, release)
    year = int(gva.index.max())
    population = indicators.population_for_years([year], level).iloc[0]
    accounts = load("regional_accounts", release=release)
    uk = accounts[(accounts.region_code == regions.UK_CODE) & (accounts.year == year)].set_index("measure")["value"]
    return gva.loc[year] * 1e6 / population, uk["gva_current_prices"] * 1e6 / uk["population"], year


@memoized
def indicator_table(level: str) -> pd.DataFrame:
    """The headline indicators of every area at ``level`` and of the UK total (``regions.UK_CODE``), each in the
    newest release's latest year; ``attrs``: years and sources of each column."""
    latest = indicators.latest_release()
    per_head, uk_per_head, year = _per_head(level, latest)
    population = indicators.population_for_years([year], level).iloc[0]
    relative = indicators.productivity("per_hour", level, "relative")
    ict, total = indicators.gva(sic.ICT_SECTION, level, latest), indicators.gva("TOTAL", level, latest)
    uk_ict = indicators.gva(sic.ICT_SECTION, "ITL1", latest).loc[year].sum() / indicators.gva("TOTAL", "ITL1", latest).loc[year].sum()
    itl1_population = indicators.population_for_years([year], "ITL1").iloc[0].sum()
    table = pd.DataFrame({"population": population, "gva_per_head": per_head, "gva_per_hour_uk100": relative.iloc[-1],
                          "ict_share_pct": ict.loc[year] / total.loc[year] * 100,
                          "ai_orgs_per_100k": ai_counts(level) / population * 100_000})
    table.loc[regions.UK_CODE] = [itl1_population, uk_per_head, 100.0, uk_ict * 100,
                                  ai_counts("ITL1").sum() / itl1_population * 100_000]
    table.attrs["years"] = {"population": year, "gva_per_head": year, "gva_per_hour_uk100": int(relative.index.max()),
                            "ict_share_pct": int(ict.index.max()), "ai_orgs_per_100k": int(get_source(AI_ORGS_SOURCE).published[:4])}
    table.attrs["column_sources"] = {"population": indicators.population(level).attrs["source_ids"],
                                     "gva_per_head": [*total.attrs["source_ids"], *indicators.population(level).attrs["source_ids"]],
                                     "gva_per_hour_uk100": [PRODUCTIVITY_SOURCE],
                                     "ict_share_pct": [*ict.attrs["source_ids"], *total.attrs["source_ids"]],
                                     "ai_orgs_per_100k": [AI_ORGS_SOURCE, *indicators.population(level).attrs["source_ids"]]}
    return table
