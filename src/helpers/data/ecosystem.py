"""The AI-ecosystem indicators: one value per ITL1 region for each of nine indicators (per head, shares, a postings index),
with the period and sources a chart or table must show (moved from ``indicators``, which still forwards the
names). Totals are divided by ONS mid-year population; rates published for ITL2 areas are averaged to ITL1 with
resident population as weights. Partial years (``indicators.Total.partial_years``) are left out of every sum.

``LEVELS`` are the indicators that measure a level of the AI economy (organisations, money, firms, skills);
gigabit broadband (an input to every economy) and the Indeed postings index (a change since 1 Feb 2020, not a
level) are kept out of any composite (``helpers.questions.ecosystem.findings``).

The two Social Mobility Commission survey rates (postgraduate degrees, new-economy jobs) come with 95% confidence
limits for each ITL2 area; ``ecosystem_limits`` carries them to ITL1 and ``ecosystem_ranks`` ranks the regions with
regions whose limits overlap their neighbour's shown as tied (``helpers.stats.ranking``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from helpers import regions
from helpers.data.datasets import load
from helpers.data.indicators import (
    AI_ORGS_SOURCE,
    BERD_HEADLINE,
    GIGABIT_SOURCE,
    INNOVATE_UK_SOURCE,
    NEW_ECONOMY_SOURCE,
    POPULATION_SOURCE,
    POSTGRADUATE_SOURCE,
    POSTINGS_SOURCE,
    TECH_FIRMS_SOURCE,
    VENTURE_CAPITAL_SOURCE,
    ai_organisations,
    business_rd,
    get_total,
    innovation_total,
    population,
    population_for_years,
    sources_of,
    with_sources,
    year_by_region,
)
from helpers.data.memo import memoized
from helpers.data.sources import get_source
from helpers.stats import ranking


@dataclass(frozen=True)
class EcosystemIndicator:
    id: str
    label: str
    unit: str
    period: str
    source_ids: tuple[str, ...]
    values: Callable[[], pd.Series]
    places: int = 1  # decimals of a value wherever it is shown (one value per figure across pages)
    limits: Callable[[], pd.DataFrame] | None = None  # 95% confidence limits (lower, upper) where a survey gives them


def complete_years(total_id: str, years) -> list[int]:
    """``years`` without the partial years of the ``indicators.TOTALS`` series ``total_id``."""
    return [y for y in years if y not in get_total(total_id).partial_years]


def _per_head(total: pd.DataFrame, years: list[int], scale: float) -> pd.Series:
    """Sum of ``total`` over ``years`` divided by the average population of those years, times ``scale``."""
    pop = population_for_years(years).mean()
    return total.loc[years].sum() / pop * scale


def _innovation_per_head(measure: str, years, scale: float = 1) -> pd.Series:
    """A Nesta series (its measure name is also its ``TOTALS`` id) per head over its complete ``years``."""
    return _per_head(innovation_total(measure), complete_years(measure, years), scale)


def _span(measure: str, years) -> str:
    """"2016-2019" for the complete years of ``years``, with the partial years left out named."""
    kept, left = complete_years(measure, years), [y for y in years if y not in complete_years(measure, years)]
    return f"{min(kept)}-{max(kept)}" + (f" ({', '.join(map(str, left))} partial, left out)" if left else "")


def _itl2_rate_to_itl1(measure: str, dataset: str, period: str | None = None) -> pd.Series:
    """Population-weighted ITL1 average of a rate published for ITL2 areas (latest population)."""
    table = load(dataset)
    rows = table[(table.measure == measure) & (table.geography_level == "ITL2")]
    if period is not None:
        rows = rows[rows.period == period]
    rate = rows.set_index("region_code")["value"]
    latest = int(population("ITL2").index.max())
    weights = population_for_years([latest], "ITL2").iloc[0].reindex(rate.index)
    parent = regions.itl2()["itl1_code"].reindex(rate.index)
    return (rate * weights).groupby(parent).sum() / weights.groupby(parent).sum()


def _itl2_limits_to_itl1(measure: str, dataset: str) -> pd.DataFrame:
    """95% confidence limits of the population-weighted ITL1 average of a survey rate (``_itl2_rate_to_itl1``): each
    ITL2 area's standard error is its published interval's half-width over z (0.975), and the areas are independent
    samples, so the ITL1 standard error is sqrt(sum w^2 se^2) / sum w; limits = the ITL1 rate -/+ z x that error."""
    from scipy.stats import norm

    table = load(dataset)
    rows = table[table.geography_level == "ITL2"]
    lower, upper = (rows[rows.measure == f"{measure}_{end}"].set_index("region_code")["value"] for end in ("lower", "upper"))
    z = norm.ppf(0.975)
    se = (upper - lower) / (2 * z)
    latest = int(population("ITL2").index.max())
    weights = population_for_years([latest], "ITL2").iloc[0].reindex(se.index)
    parent = regions.itl2()["itl1_code"].reindex(se.index)
    error = ((weights * se) ** 2).groupby(parent).sum() ** 0.5 / weights.groupby(parent).sum()
    rate = _itl2_rate_to_itl1(measure, dataset)
    return pd.DataFrame({"lower": rate - z * error, "upper": rate + z * error}).reindex(regions.codes("ITL1"))


POSTINGS_DAYS = 91


@memoized
def job_postings_rows(since: str | None = None, last_days: int | None = None) -> pd.DataFrame:
    """Indeed's job-postings index (1 Feb 2020 = 100, all jobs), tidy rows with a ``date`` column: from ``since``
    (a date) or over the last ``last_days`` days of data (both None: every date)."""
    postings = load("job_postings")
    postings = postings.assign(date=pd.to_datetime(postings.period))
    if since is not None:
        postings = postings[postings.date >= pd.Timestamp(since)]
    if last_days is not None:
        postings = postings[postings.date > postings.date.max() - pd.Timedelta(days=last_days)]
    return postings


def job_postings(since: str | None = None, last_days: int | None = None) -> pd.DataFrame:
    """``job_postings_rows`` as a date x region table."""
    return year_by_region(job_postings_rows(since, last_days), index="date")


def postings_mean(last_days: int = POSTINGS_DAYS) -> pd.Series:
    """Mean of the Indeed job-postings index over the last ``last_days`` days of data, per region."""
    return job_postings_rows(last_days=last_days).groupby("region_code")["value"].mean()


def _postings_period() -> str:
    recent = job_postings(last_days=POSTINGS_DAYS).index
    return f"{recent.min().date()} to {recent.max().date()} (1 Feb 2020 = 100)"


VC_YEARS, INNOVATE_UK_YEARS, TECH_FIRMS_YEARS = range(2016, 2020), range(2016, 2021), range(2016, 2019)
ECOSYSTEM = [
    EcosystemIndicator("ai_orgs_per_100k", "AI organisations per 100,000 people", "organisations per 100,000",
                       "Mar 2022 company extract, refreshed Sep 2023 (population 2022)", (AI_ORGS_SOURCE, POPULATION_SOURCE),
                       lambda: ai_organisations().iloc[0] / population().iloc[-1] * 100_000),
    EcosystemIndicator("vc_per_head", "Venture capital raised per head", "GBP per head, 2016-2019 total",
                       _span("venture_capital", VC_YEARS), (VENTURE_CAPITAL_SOURCE, POPULATION_SOURCE),
                       lambda: _innovation_per_head("venture_capital", VC_YEARS), places=0),
    EcosystemIndicator("innovate_uk_per_head", "Innovate UK funding per head",
                       f"GBP per head, {_span('innovate_uk_funding', INNOVATE_UK_YEARS).split(' ')[0]} total",
                       _span("innovate_uk_funding", INNOVATE_UK_YEARS), (INNOVATE_UK_SOURCE, POPULATION_SOURCE),
                       lambda: _innovation_per_head("innovate_uk_funding", INNOVATE_UK_YEARS), places=0),
    EcosystemIndicator("berd_per_head", "Business R&D per head", "GBP per head",
                       "2023 (State of the Nation 2025; Northern Ireland 2022; population 2022)",
                       (BERD_HEADLINE, POPULATION_SOURCE), lambda: _per_head(business_rd(), [2023], 1_000_000), places=0),
    EcosystemIndicator("tech_firms_per_100k", "Tech firms founded per 100,000 people", "firms per 100,000, 2016-2018 total",
                       _span("tech_firms_founded", TECH_FIRMS_YEARS), (TECH_FIRMS_SOURCE, POPULATION_SOURCE),
                       lambda: _innovation_per_head("tech_firms_founded", TECH_FIRMS_YEARS, 100_000)),
    EcosystemIndicator("postgraduate_share", "Adults 25-64 with a higher degree", "%", "2014-2025 pooled",
                       (POSTGRADUATE_SOURCE, POPULATION_SOURCE),
                       lambda: _itl2_rate_to_itl1("postgraduate_degree_share", "skills_and_adoption"),
                       limits=lambda: _itl2_limits_to_itl1("postgraduate_degree_share", "skills_and_adoption")),
    EcosystemIndicator("new_economy_share", "Workers 25-64 in new-economy occupations", "%", "2014-2025 pooled",
                       (NEW_ECONOMY_SOURCE, POPULATION_SOURCE),
                       lambda: _itl2_rate_to_itl1("new_economy_jobs_share", "skills_and_adoption"),
                       limits=lambda: _itl2_limits_to_itl1("new_economy_jobs_share", "skills_and_adoption")),
    EcosystemIndicator("gigabit_share", "Premises with gigabit-capable broadband", "%", "2025",
                       (GIGABIT_SOURCE, POPULATION_SOURCE),
                       lambda: _itl2_rate_to_itl1("gigabit_broadband_share", "skills_and_adoption", "2025")),
    EcosystemIndicator("job_postings_index", "Indeed job postings, mean of the last 3 months", "index, 1 Feb 2020 = 100",
                       f"latest {POSTINGS_DAYS} days", (POSTINGS_SOURCE,), postings_mean),
]
# levels of the AI economy; gigabit broadband (an input to any economy) and postings (a change) are left out
LEVELS = ("ai_orgs_per_100k", "vc_per_head", "innovate_uk_per_head", "berd_per_head", "tech_firms_per_100k",
          "postgraduate_share", "new_economy_share")


def get_ecosystem(indicator_id: str) -> EcosystemIndicator:
    """The ecosystem indicator with id ``indicator_id``."""
    known = {i.id: i for i in ECOSYSTEM}
    if indicator_id not in known:
        raise KeyError(f"Unknown ecosystem indicator {indicator_id!r}. Known: {', '.join(known)}.")
    return known[indicator_id]


@memoized
def ecosystem_table() -> pd.DataFrame:
    """ITL1 region x ecosystem indicator (columns = indicator ids), in each indicator's unit; ``attrs['source_ids']``
    lists every indicator's sources (sorted)."""
    table = pd.DataFrame({i.id: i.values() for i in ECOSYSTEM}).reindex(regions.codes("ITL1"))
    return with_sources(table, sources_of(ECOSYSTEM))


def ecosystem_metadata() -> pd.DataFrame:
    """Label, unit, period and sources (their citations: publisher, title, release) of each ecosystem indicator (the
    job-postings period from the data)."""
    rows = [{"id": i.id, "label": i.label, "unit": i.unit,
             "period": _postings_period() if i.id == "job_postings_index" else i.period,
             "sources": "; ".join(get_source(s).citation for s in i.source_ids)} for i in ECOSYSTEM]
    return with_sources(pd.DataFrame(rows).set_index("id"), sources_of(ECOSYSTEM))


@memoized
def ecosystem_limits() -> dict[str, pd.DataFrame]:
    """The 95% confidence limits (ITL1 region x lower, upper) of each ecosystem indicator that has them."""
    return {i.id: i.limits() for i in ECOSYSTEM if i.limits is not None}


def ecosystem_ranks(table: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """For each indicator of ``table`` (default ``ecosystem_table()``): the regions' rank (1 = highest) and whether it
    is tied, a rank whose confidence interval overlaps its neighbour's being tied (``ranking.tied_ranks``; indicators
    without limits tie only on equal values)."""
    table = ecosystem_table() if table is None else table
    limits = ecosystem_limits()
    return {c: ranking.tied_ranks(table[c], *((limits[c]["lower"], limits[c]["upper"]) if c in limits else ()))
            for c in table.columns}
