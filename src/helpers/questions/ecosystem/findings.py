"""Question 2's findings in the AI-ecosystem report: where are the ingredients of an AI economy, and does London lead
on them?

Only the ``ecosystem.LEVELS`` indicators (levels of the AI economy: organisations, money, firms, skills) enter the
ranks counted and the composite ordering; gigabit broadband and the Indeed postings index (a change since 1 Feb 2020,
not a level) stay out. Ranks carry sampling error where the survey gives it (``ecosystem.ecosystem_ranks``: a rank
whose 95% confidence interval overlaps its neighbour's is tied). The composite is the unweighted mean of the z-scores
across the 12 ITL1 regions: a descriptive ordering, not a measure.

Findings (``findings.yml``; verdict rule ``helpers.findings.model``): London ranks first, clear of the next region, on
more than half the level indicators; the leader outside London on the composite (its lead over the next region); London's
postings index below the other regions' median. Each carries the range over its checks (the partial Innovate UK year,
the other BERD edition, the indicator set, ties within the confidence limits, ranks instead of z-scores, z-scores
without London, another postings window) as its interval. ``metrics`` gives the headline figures and the wording file
(``wording.md.j2``) the sentences.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import ecosystem, indicators
from helpers.data.areas import resolve
from helpers.data.indicators import with_sources
from helpers.findings import wording
from helpers.findings.model import Check, Finding, Metric, declarations, declared, summarise
from helpers.stats import inequality

QUESTION = "ecosystem"
LONDON = regions.LONDON
SHORT_WINDOW, LONG_WINDOW = 1, 182  # postings checks: the latest day, the last six months
SKILLS = ("postgraduate_share", "new_economy_share")


def focus_region(value: str) -> str:
    """The ITL1 code of the region the report focuses on: a code or any name the area resolver knows ("West
    Midlands", "Birmingham": a place inside a region gives that region); an unknown name raises UnknownRegionError
    with the nearest names."""
    return resolve(value, levels=("ITL1",))


def check(key: str, estimate: float, **fields) -> Check:
    """The check ``key`` of ``findings.yml`` (its name filled with ``fields``) with its estimate."""
    spec = declarations(QUESTION)["checks"][key]
    return Check(spec["name"].format(**fields), spec["dimension"], float(estimate))


def composite(table: pd.DataFrame, columns=ecosystem.LEVELS, without: str | None = None) -> pd.Series:
    """Unweighted mean z-score of ``columns`` per region, highest first (``without``: a region left out of the
    standardisation)."""
    data = table[list(columns)].drop(index=[without] if without else [])
    return inequality.zscores(data).mean(axis=1).sort_values(ascending=False)


def ranks(table: pd.DataFrame, columns=ecosystem.LEVELS) -> pd.DataFrame:
    """Region x indicator rank (1 = highest) with ties where confidence intervals overlap (``ecosystem_ranks``)."""
    tied = ecosystem.ecosystem_ranks(table[list(columns)])
    return pd.DataFrame({c: tied[c]["rank"] for c in columns})


def ties(table: pd.DataFrame, columns=ecosystem.LEVELS) -> pd.DataFrame:
    """Region x indicator: True where the region's rank is shared within the confidence limits."""
    tied = ecosystem.ecosystem_ranks(table[list(columns)])
    return pd.DataFrame({c: tied[c]["tied"] for c in columns})


def led(table: pd.DataFrame, columns=ecosystem.LEVELS, count_ties: bool = False) -> list[str]:
    """The indicators of ``columns`` on which London ranks first (clear of the next region unless ``count_ties``)."""
    first, tied = ranks(table, columns).loc[LONDON] == 1, ties(table, columns).loc[LONDON]
    return [c for c in columns if first[c] and (count_ties or not tied[c])]


def share_led(table: pd.DataFrame, columns=ecosystem.LEVELS, count_ties: bool = False) -> float:
    """% of the indicators of ``columns`` that London leads (``led``)."""
    return len(led(table, columns, count_ties)) / len(columns) * 100


def _lead(order: pd.Series, leader: str, higher_is_better: bool = True) -> float:
    """``leader``'s score minus the best other region's (outside London); negative when another region leads."""
    others = order.drop(index=[LONDON, leader], errors="ignore")
    return float(order[leader] - others.max()) if higher_is_better else float(others.min() - order[leader])


def postings_gap(values: pd.Series) -> float:
    """London's postings index minus the median of the other regions."""
    return float(values[LONDON] - values.drop(index=LONDON).median())


def alternatives(table: pd.DataFrame) -> dict[str, tuple[str, pd.DataFrame, dict]]:
    """The indicator table under each alternative (check key, table, fields of the check's name): Innovate UK with
    its partial year; business R&D of the pre-publication State of the Nation 2026 input file (another price base; a
    flagged comparison) instead of the published edition."""
    years = list(ecosystem.INNOVATE_UK_YEARS)
    partial = [y for y in indicators.get_total("innovate_uk_funding").partial_years if y in years] or years
    with_partial = table.copy()
    with_partial["innovate_uk_per_head"] = ecosystem._per_head(indicators.innovation_total("innovate_uk_funding"), years, 1)
    both = indicators.business_rd(editions=indicators.BERD_SOURCES)
    newest = int(both.index.max())
    berd = table.copy()
    berd["berd_per_head"] = ecosystem._per_head(both, [newest], 1_000_000)
    return {"partial_year": (with_partial, {"year": max(partial)}), "berd_edition": (berd, {"year": newest})}


def evidence() -> dict:
    """The indicator table, its metadata, the tied ranks, the composite and the alternatives (each table carries its
    source ids)."""
    table = ecosystem.ecosystem_table()
    return {"table": table, "meta": ecosystem.ecosystem_metadata(), "ranks": ecosystem.ecosystem_ranks(table),
            "composite": composite(table), "alternatives": alternatives(table),
            "sources": [*table.attrs.get("source_ids", []), *indicators.BERD_SOURCES]}


def findings(ev: dict) -> list[Finding]:
    """The report's findings with their checks (see the module docstring)."""
    table, alt, sources = ev["table"], ev["alternatives"], ev["sources"]
    money = [c for c in ecosystem.LEVELS if c not in SKILLS]
    first = declared(QUESTION, "london_first_on_most_ai_indicators", share_led(table),
                     checks=[*(check(key, share_led(t), **f) for key, (t, f) in alt.items()),
                             check("money_only", share_led(table, money)),
                             check("ties_counted", share_led(table, count_ties=True))],
                     sources=sources, n=len(ecosystem.LEVELS))
    order = ev["composite"]
    leader = order.drop(index=LONDON).index[0]
    spec = declarations(QUESTION)["checks"]
    second = declared(QUESTION, "leader_outside_london", _lead(order, leader),
                      checks=[*(check(key, _lead(composite(t), leader), **f) for key, (t, f) in alt.items()),
                              check("mean_rank", _lead(ranks(table).mean(axis=1), leader, higher_is_better=False)),
                              check("without_london", _lead(composite(table, without=LONDON), leader)),
                              check("all_indicators", _lead(composite(table, list(table.columns)), leader),
                                    n=len(table.columns))],
                      sources=sources, region=regions.region_name(leader), extra={"region": leader})
    windows = {wording.line(QUESTION, "window", days=days): postings_gap(ecosystem.postings_mean(days))
               for days in (SHORT_WINDOW, LONG_WINDOW)}
    third = declared(QUESTION, "london_postings_below_median", postings_gap(table["job_postings_index"]),
                     checks=[summarise(spec["window"]["name"].format(label=" or ".join(windows)),
                                       spec["window"]["dimension"], windows, -1)],
                     sources=ecosystem.get_ecosystem("job_postings_index").source_ids)
    return [first, second, third]


def values_table(ev: dict) -> pd.DataFrame:
    """Region x indicator values, each to its own decimals (``EcosystemIndicator.places``: the same value on every
    page), columns labelled with their unit."""
    table, meta = ev["table"], ev["meta"]
    shown = pd.DataFrame({f"{meta.loc[i.id, 'label']} ({meta.loc[i.id, 'unit']})": table[i.id].round(i.places)
                          for i in ecosystem.ECOSYSTEM})
    return with_sources(shown, table.attrs.get("source_ids", []))


def rank_table(ev: dict) -> pd.DataFrame:
    """Region x indicator ranks as a reader sees them ("=3" when tied within the confidence limits), regions in the
    composite's order, columns labelled."""
    from helpers.stats.ranking import rank_label

    shown = pd.DataFrame({c: [rank_label(r.rank, r.tied) for r in t.itertuples()] for c, t in ev["ranks"].items()},
                         index=ev["table"].index).loc[ev["composite"].index]
    return with_sources(shown.rename(columns=ev["meta"]["label"]), ev["table"].attrs.get("source_ids", []))


def limits_table(ev: dict) -> pd.DataFrame:
    """Each survey indicator's value with its 95% confidence limits, per region (composite order)."""
    frames = {ev["meta"].loc[c, "label"]: pd.DataFrame({"estimate": ev["table"][c], **lim})
              for c, lim in ecosystem.ecosystem_limits().items()}
    shown = pd.concat(frames, axis=1).loc[ev["composite"].index]
    return with_sources(shown, [s for c in ecosystem.ecosystem_limits() for s in ecosystem.get_ecosystem(c).source_ids])


def figures(ev: dict, found: list[Finding]) -> dict:
    """The figures the wording quotes, by name."""
    table, meta = ev["table"], ev["meta"]
    others = table.drop(index=LONDON)
    return {"london": LONDON, "table": table, "meta": meta, "others": others, "led": [meta.loc[c, "label"] for c in led(table)],
            "tied_first": [meta.loc[c, "label"] for c in led(table, count_ties=True) if c not in led(table)],
            "order": ev["composite"].drop(index=LONDON), "n": len(ecosystem.LEVELS), "n_all": len(table.columns),
            "places": {i.id: i.places for i in ecosystem.ECOSYSTEM},
            "tied": {meta.loc[c, "label"]: int(r["tied"].sum()) for c, r in ev["ranks"].items() if r["tied"].any()}}


def main_points(ev: dict, found: list[Finding]) -> str:
    """The report's Main points (Markdown)."""
    return wording.render(QUESTION, "main_points", f={x.id: x for x in found}, n=figures(ev, found))


def metrics(ev: dict, found: list[Finding]) -> list[Metric]:
    """The report's headline figures: London's value and the other regions' median of every indicator, the number of
    level indicators London leads (and of them), and London's postings gap. Descriptions are the wording file's
    ``metric`` macro."""
    table, meta, out = ev["table"], ev["meta"], []
    for i in ecosystem.ECOSYSTEM:
        for what, value in (("london", table.loc[LONDON, i.id]), ("median_other", table.drop(index=LONDON)[i.id].median())):
            out.append(Metric(f"{what}_{i.id}", value, i.unit,
                              wording.line(QUESTION, "metric", what=what, label=i.label, period=meta.loc[i.id, "period"]),
                              i.source_ids))
    sources = indicators.sources_of([ecosystem.get_ecosystem(c) for c in ecosystem.LEVELS])
    counts = (("london_first_ranks", len(led(table))), ("london_first_ranks_with_ties", len(led(table, count_ties=True))),
              ("level_indicators", len(ecosystem.LEVELS)))
    out += [Metric(key, value, "indicators", wording.line(QUESTION, "metric", what=key), sources) for key, value in counts]
    postings = ecosystem.get_ecosystem("job_postings_index")
    out.append(Metric("london_postings_gap_median_other", postings_gap(table["job_postings_index"]), "index points",
                      wording.line(QUESTION, "metric", what="postings_gap"), postings.source_ids))
    return out


def words(macro: str, **fields) -> str:
    """A passage of this question's wording (Markdown)."""
    return wording.render(QUESTION, macro, **fields)


def line(macro: str, **fields) -> str:
    """One line of this question's wording (chart titles, captions, labels)."""
    return wording.line(QUESTION, macro, **fields)
