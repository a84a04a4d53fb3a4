"""Question 1's findings: is ICT (SIC J) growing faster than finance (SIC K), and on which price basis?

``evidence`` gathers every table the findings use (growth of J, J excluding telecoms (61) and K on both price bases,
over the report window and its window checks, in two releases; the contributions of J's divisions to its real growth;
the implied deflators; J's real growth with telecoms re-deflated), ``findings`` states the findings with their checks
(``findings.yml`` declares them; the verdict rule is ``helpers.findings.model``), ``metrics`` the headline figures and
the wording file (``wording.md.j2``) the sentences.

Method notes cited in the words: ONS regional accounts deflate each industry with UK-level industry deflators ("no
regional price indices are available"; ONS, Regional GVA QMI), so a region's real growth is its nominal growth and its
industry mix, not regional prices. The telecoms services deflator: Abdirahman, Coyle, Heys and Stewart, "A comparison of
deflators for telecommunications services output" (ESCoE DP 2017; Economie et Statistique 2020) and "Telecoms
deflators: a story of volume and revenue weights" (ESCoE DP 2020-11), introduced with double deflation in Blue Book 2021.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.data import indicators
from helpers.data.memo import memoized
from helpers.findings import wording
from helpers.findings.model import BANDS, PRE_COVID_END, Check, Finding, Metric, declared
from helpers.findings.numbers import release_name
from helpers.questions.ict_finance import decomposition, tables

QUESTION = "ict_finance"
J, K, TELECOMS = "J", "K", decomposition.TELECOMS
CV, CP = "chained_volume", "current_prices"
SERIES = {"j": "j_cagr_pct", "j_excl_61": "j_excl_61_cagr_pct", "k": "k_cagr_pct"}
RECENT_YEARS = 5  # the recent window: the last five years of the report window
HIRING = {"ICT": ("Software Development", "IT Operations & Helpdesk"), "finance": ("Banking & Finance", "Insurance")}
HIRING_DAYS = 91  # the hiring figures: mean of the last three months of data


def windows(start_year: int, end_year: int) -> dict[str, tuple[int, int]]:
    """The report window and its window checks, by name: the last ``RECENT_YEARS`` years, the window ending before
    COVID and the recent window ending then (a check equal to the report window or outside it is left out)."""
    recent = (end_year - RECENT_YEARS, end_year)
    out = {"report window": (start_year, end_year), f"recent window {recent[0]}-{recent[1]}": recent}
    if start_year < PRE_COVID_END < end_year:
        out[f"window to {PRE_COVID_END} ({start_year}-{PRE_COVID_END})"] = (start_year, PRE_COVID_END)
        recent_pre = (PRE_COVID_END - RECENT_YEARS, PRE_COVID_END)
        if recent_pre[0] >= start_year:
            out[f"recent window to {PRE_COVID_END} ({recent_pre[0]}-{recent_pre[1]})"] = recent_pre
    return {k: w for k, w in out.items() if k == "report window" or w != (start_year, end_year)}


@memoized
def evidence(start_year: int, end_year: int) -> dict:
    """Every table the findings and the report use (each carries its source ids): ``comparison`` (growth of J, J
    excl. 61 and K per window, region, price basis and release: the default release of each basis for every window,
    and the newest release over the same years and to its last year), ``real``/``nominal`` (each division's share of
    J's growth), ``deflators``, ``redeflated`` (J with telecoms re-deflated), ``reconciliation`` and
    ``non_additivity``; also the windows and releases."""
    wins = windows(start_year, end_year)
    spans = tuple(dict.fromkeys(wins.values()))
    latest = indicators.latest_release()
    latest_end = int(decomposition.panel(CP, (J,), latest).index.get_level_values("year").max())
    measured = indicators.growth_release()  # the release growth is measured in (the compare page uses it too)
    parts = [decomposition.growth_comparison(spans, CV, measured), decomposition.growth_comparison(spans, CP, measured),
             decomposition.growth_comparison(tuple(w for w in spans if w[1] < latest_end), CP, latest),
             decomposition.growth_comparison(((start_year, latest_end), (end_year - RECENT_YEARS, latest_end)), CP,
                                             latest)]
    comparison = pd.concat(parts, ignore_index=True).drop_duplicates(
        ["price_basis", "release", "start_year", "end_year", "region_code"])
    comparison.attrs["source_ids"] = list(dict.fromkeys(s for part in parts for s in part.attrs["source_ids"]))
    real = {w: decomposition.cumulative_contributions(J, *w) for w in spans}
    return {"start_year": start_year, "end_year": end_year, "windows": wins, "comparison": comparison,
            "releases": {CV: parts[0]["release"].iloc[0], CP: parts[1]["release"].iloc[0], "latest": latest},
            "latest_end": latest_end, "real": real[(start_year, end_year)], "real_by_window": real,
            "nominal": decomposition.nominal_contributions(J, start_year, end_year),
            "deflators": decomposition.implied_deflators([J, K, TELECOMS], start_year, end_year),
            "redeflated": decomposition.redeflated_growth(start_year, end_year),
            "reconciliation": decomposition.reconciliation(J),
            "non_additivity": decomposition.non_additivity(J, start_year)}


def _rows(ev: dict, basis: str, start: int, end: int, release: str | None = None) -> pd.DataFrame:
    c = ev["comparison"]
    release = release or ev["releases"][basis]
    rows = c[(c.price_basis == basis) & (c.release == release) & (c.start_year == start) & (c.end_year == end)]
    if rows.empty:
        raise KeyError(f"no {basis} growth for {start}-{end} in the release of {release}")
    return rows.set_index("region_code")


def cagr(ev: dict, series: str, basis: str, start: int, end: int, region: str = regions.UK_CODE,
         release: str | None = None) -> float:
    """CAGR (% a year) of ``series`` ("j", "j_excl_61" or "k") over ``start``-``end`` from ``evidence``."""
    return float(_rows(ev, basis, start, end, release).loc[region, SERIES[series]])


def gap(ev: dict, series: str, basis: str, start: int, end: int, region: str = regions.UK_CODE,
        release: str | None = None) -> float:
    """CAGR of ``series`` ("j" or "j_excl_61") minus CAGR of K, percentage points a year."""
    return cagr(ev, series, basis, start, end, region, release) - cagr(ev, "k", basis, start, end, region, release)


def paces(ev: dict, series: str, basis: str, start: int, end: int, release: str | None = None) -> dict[str, int]:
    """Number of the ITL1 regions where ``series`` grew faster than K, about the same or slower (materiality band)."""
    rows = _rows(ev, basis, start, end, release).loc[regions.codes("ITL1")]
    return tables.pace_counts(rows[SERIES[series]] - rows.k_cagr_pct)


def telecoms_share(ev: dict, window: tuple[int, int] | None = None, region: str = regions.UK_CODE,
                   nominal: bool = False) -> float:
    """Telecoms' share (%) of J's chained-volume growth over ``window`` (default: the report window), or with
    ``nominal`` of its current-price growth over the report window, in ``region``."""
    table = ev["nominal"] if nominal else ev["real_by_window"][window or (ev["start_year"], ev["end_year"])]
    return float(table[(table.region_code == region) & (table.industry_code == TELECOMS)].share_pct.iloc[0])


def growth_checks(ev: dict, series: str, basis: str, measure) -> list[Check]:
    """The checks of a growth finding: each window check on the basis's default release and, in current prices, the
    newest release over the same years and to its last year (``measure(start, end, release)`` gives the estimate)."""
    s, e = ev["start_year"], ev["end_year"]
    checks = [Check(name, "window", measure(*w)) for name, w in ev["windows"].items() if name != "report window"]
    if basis == CP:
        latest = ev["releases"]["latest"]
        checks += [Check(f"{release_name(latest)}, same years", "release", measure(s, e, latest)),
                   Check(f"to {ev['latest_end']}, {release_name(latest)}", "release", measure(s, ev["latest_end"], latest))]
    return checks


def findings(ev: dict) -> list[Finding]:
    """The report's findings, each with its checks: the same whatever the report's price-basis parameter."""
    s, e, sources = ev["start_year"], ev["end_year"], ev["comparison"].attrs["source_ids"]
    out = []
    for series, name in (("j", "ict"), ("j_excl_61", "ict_excl_telecoms")):
        for basis, words in ((CP, "cash"), (CV, "real")):
            def measure(a, b, release=None, series=series, basis=basis):
                return gap(ev, series, basis, a, b, release=release)
            checks = growth_checks(ev, series, basis, measure)
            if (series, basis) == ("j", CV):
                redeflated = ev["redeflated"].loc[regions.UK_CODE]
                checks.append(Check("telecoms re-deflated with the deflator of the rest of J", "deflator",
                                    redeflated.j_redeflated_cagr_pct - redeflated.k_cagr_pct))
            out.append(declared(QUESTION, f"{name}_outgrew_finance_{words}", gap(ev, series, basis, s, e),
                                checks=checks, sources=sources))
    half = len(regions.codes("ITL1")) / 2
    for basis, words in ((CP, "cash"), (CV, "real")):
        def ahead(a, b, release=None, basis=basis):
            return paces(ev, "j_excl_61", basis, a, b, release)["faster"]
        out.append(declared(QUESTION, f"ict_excl_telecoms_ahead_in_most_regions_{words}", ahead(s, e),
                            checks=growth_checks(ev, "j_excl_61", basis, ahead), sources=sources, threshold=half,
                            regions=len(regions.codes("ITL1"))))
    real = ev["real"]
    lowest = real[real.region_code.isin(regions.codes("ITL1")) & (real.industry_code == TELECOMS)].share_pct
    checks = [Check(name, "window", telecoms_share(ev, w)) for name, w in ev["windows"].items() if name != "report window"]
    checks.append(Check(f"lowest ITL1 region ({regions.region_name(real.loc[lowest.idxmin(), 'region_code'])})", "sample",
                        float(lowest.min())))
    out.append(declared(QUESTION, "telecoms_most_of_ict_real_growth", telecoms_share(ev), checks=checks,
                        sources=real.attrs["source_ids"]))
    return out


def metrics(ev: dict, found: list[Finding]) -> list[Metric]:
    """The report's headline figures (``reports/metrics.csv``): UK growth of J, J excluding telecoms and K on both
    price bases and recently, J with telecoms re-deflated, telecoms' share of J's real growth, the regions where J
    excluding telecoms grew faster, and the largest gap between published and rebuilt J growth."""
    s, e, recent = ev["start_year"], ev["end_year"], (ev["end_year"] - RECENT_YEARS, ev["end_year"])
    sources, out = ev["comparison"].attrs["source_ids"], []

    def add(metric_id, value, unit, what, **fields):
        out.append(Metric(metric_id, value, unit, wording.line(QUESTION, "metric", what=what, **fields), sources))

    for basis in (CV, CP):
        for series, code in (("j", "J"), ("j_excl_61", "J_excl_61"), ("k", "K")):
            add(f"uk_{code}_cagr_{basis}", cagr(ev, series, basis, s, e), "% a year", "cagr", series=series,
                basis=basis, start=s, end=e)
        add(f"regions_J_excl_61_faster_{basis}", paces(ev, "j_excl_61", basis, s, e)["faster"],
            f"regions of {len(regions.codes('ITL1'))}", "ahead", basis=basis, start=s, end=e)
    for series, code in (("j_excl_61", "J_excl_61"), ("k", "K")):
        add(f"uk_{code}_cagr_chained_volume_recent", cagr(ev, series, CV, *recent), "% a year", "cagr",
            series=series, basis=CV, start=recent[0], end=recent[1])
    add("uk_J_redeflated_cagr_chained_volume", ev["redeflated"].loc[regions.UK_CODE, "j_redeflated_cagr_pct"],
        "% a year", "redeflated", start=s, end=e)
    add("uk_telecoms_share_of_J_real_growth", telecoms_share(ev), "%", "telecoms_share", start=s, end=e)
    years = ev["reconciliation"].year
    add("uk_J_max_reconstruction_error", max_reconstruction_error(ev), "percentage points", "reconstruction",
        start=int(years.min()), end=int(years.max()))
    return out


def hiring() -> pd.DataFrame:
    """Indeed's UK job postings index (1 Feb 2020 = 100) of the occupational categories closest to ICT and finance
    (``HIRING``), monthly means: hiring demand as postings, context for question 1, not output."""
    from helpers.data.datasets import load

    rows = load("sector_job_postings")
    rows = rows[(rows.measure == "job_postings_index") & rows.industry_code.isin([c for cs in HIRING.values() for c in cs])]
    wide = rows.assign(date=pd.to_datetime(rows.period)).pivot_table(index="date", columns="industry_code", values="value")
    monthly = wide.resample("MS").mean()[[c for cs in HIRING.values() for c in cs]]
    monthly.attrs["source_ids"] = list(pd.unique(rows["source_id"]))
    monthly.attrs["latest"] = wide.loc[wide.index > wide.index.max() - pd.Timedelta(days=HIRING_DAYS)].mean()
    monthly.attrs["last_day"] = wide.index.max()
    return monthly


def hiring_metrics(table: pd.DataFrame) -> list[Metric]:
    """The latest three-month mean of each hiring category's postings index (``hiring``)."""
    latest, day = table.attrs["latest"], table.attrs["last_day"]
    return [Metric(f"uk_postings_{category.lower().replace(' & ', '_').replace(' ', '_')}", latest[category],
                   "index, 1 Feb 2020 = 100", wording.line(QUESTION, "hiring_metric", category=category, day=day),
                   table.attrs["source_ids"]) for category in table.columns]


def max_reconstruction_error(ev: dict, region: str = regions.UK_CODE) -> float:
    """Largest |published - rebuilt from divisions| annual J chained-volume growth, percentage points."""
    table = ev["reconciliation"]
    return float(table[table.region_code == region].non_additivity_pp.abs().max())


def mix_correlation(ev: dict) -> float:
    """Spearman rank correlation across the ITL1 regions between the real J-K CAGR gap and telecoms' share of the
    region's J (current prices) in the start year."""
    s, e, itl1 = ev["start_year"], ev["end_year"], regions.codes("ITL1")
    gaps = pd.Series({c: gap(ev, "j", CV, s, e, c) for c in itl1})
    cp = decomposition.panel(CP, (J, TELECOMS)).xs(s, level="year")
    return float(gaps.corr((cp[TELECOMS] / cp[J]).loc[itl1], method="spearman"))


def shares_by_division(ev: dict, real: bool = True, named: bool = False) -> pd.DataFrame:
    """Region (UK first) x division: share (%) of J's growth over the report window (real or nominal); ``named``
    labels the columns and adds J's growth: rebuilt from the divisions (the base of the shares) and published."""
    table = ev["real"] if real else ev["nominal"]
    out = table.pivot(index="region_code", columns="industry_code", values="share_pct").loc[decomposition.geographies()]
    if named:
        out.columns = [wording.line(QUESTION, "division_share_column", name=f"{c} {n}")
                       for c, n in zip(out.columns, decomposition.industry_names(out.columns))]
        first = table.groupby("region_code").first()
        for key in ("rebuilt", "published", "difference"):
            column = wording.line(QUESTION, "growth_column", key=key)
            out[column] = (first.section_growth_rebuilt_pct if key == "rebuilt" else first.section_growth_published_pct
                           if key == "published" else first.section_growth_rebuilt_pct - first.section_growth_published_pct)
    out.attrs["source_ids"] = table.attrs["source_ids"]
    return out


def comparison_table(ev: dict, start: int, end: int) -> pd.DataFrame:
    """Region (UK first) x CAGR (% a year) of J, J excl. 61 and K on both price bases over ``start``-``end`` (default
    releases), and in current prices to the newest release's last year, columns labelled in words."""
    parts = {}
    for basis, last, release in [(CV, end, None), (CP, end, None), (CP, ev["latest_end"], ev["releases"]["latest"])]:
        rows = _rows(ev, basis, start, last, release)
        for series, column in SERIES.items():
            label = wording.line(QUESTION, "comparison_column", series=series, basis=basis, start=start, end=last,
                                 release=release_name(rows.release.iloc[0]))
            parts[label] = rows[column]
    out = pd.DataFrame(parts).loc[decomposition.geographies()]
    out.attrs["source_ids"] = ev["comparison"].attrs["source_ids"]
    return out


def pace_table(ev: dict) -> pd.DataFrame:
    """Per price basis, release and window: the ITL1 regions where J and J excl. 61 grew faster than K, about the
    same (within the materiality band) and slower."""
    c, out = ev["comparison"], []
    for (basis, release, start, end), rows in c[c.region_code != regions.UK_CODE].groupby(
            ["price_basis", "release", "start_year", "end_year"], sort=False):
        row = {"price basis": basis, "release": release_name(release), "from": start, "to": end, "regions": len(rows)}
        for series in ("j", "j_excl_61"):
            counts = tables.pace_counts(rows[SERIES[series]] - rows.k_cagr_pct)
            row.update({wording.line(QUESTION, "pace_column", series=series, pace=p): n for p, n in counts.items()})
        out.append(row)
    table = pd.DataFrame(out)
    table.attrs["source_ids"] = c.attrs["source_ids"]
    return table


def _says(found: list[Finding]) -> dict[str, Finding]:
    return {f.id: f for f in found}


def main_points(ev: dict, found: list[Finding]) -> str:
    """The report's Main points (Markdown)."""
    return wording.render(QUESTION, "main_points", ev=ev, f=_says(found), n=figures(ev))


def figures(ev: dict) -> dict:
    """The figures the wording quotes, by name (computed once, named for the template)."""
    s, e = ev["start_year"], ev["end_year"]
    recent = (e - RECENT_YEARS, e)
    pre = [w for w in ev["windows"].values() if w[1] == PRE_COVID_END]
    d = ev["deflators"]
    redeflated = ev["redeflated"].loc[regions.UK_CODE]
    return {
        "cagr": {(series, basis): cagr(ev, series, basis, s, e) for series in SERIES for basis in (CV, CP)},
        "recent": {(series, basis): cagr(ev, series, basis, *recent) for series in SERIES for basis in (CV, CP)},
        "recent_window": recent, "pre_covid": [(a, b, gap(ev, "j_excl_61", CV, a, b), gap(ev, "j_excl_61", CP, a, b))
                                               for a, b in pre],
        "paces": {(series, basis): paces(ev, series, basis, s, e) for series in ("j", "j_excl_61") for basis in (CV, CP)},
        "regions": len(regions.codes("ITL1")), "telecoms_real": telecoms_share(ev),
        "telecoms_nominal": telecoms_share(ev, nominal=True), "telecoms_recent": telecoms_share(ev, recent),
        "deflator": {code: d.loc[code].to_dict() for code in (J, K, TELECOMS)},
        "redeflated": redeflated.j_redeflated_cagr_pct, "mix_correlation": mix_correlation(ev),
        "latest": release_name(ev["releases"]["latest"]), "latest_end": ev["latest_end"],
        "same_years": {series: gap(ev, series, CP, s, e, release=ev["releases"]["latest"]) for series in ("j", "j_excl_61")},
        "to_latest": {series: gap(ev, series, CP, s, ev["latest_end"], release=ev["releases"]["latest"])
                      for series in ("j", "j_excl_61")},
        "band": BANDS["growth_gap"],
    }


def words(macro: str, **fields) -> str:
    """A passage of this question's wording (Markdown)."""
    return wording.render(QUESTION, macro, **fields)


def line(macro: str, **fields) -> str:
    """One line of this question's wording (chart titles, captions)."""
    return wording.line(QUESTION, macro, **fields)
