"""Main points, "What holds up" findings and headline metrics of the ICT-vs-finance report, built from
``ict_finance_findings.evidence`` (numbers, sources and method there)."""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.questions.ict_finance import decomposition
from helpers.questions.ict_finance import evidence as f
from helpers.questions.ict_finance import tables as ict_finance
from helpers.stats import robustness
from helpers.stats.robustness import Finding

ITL1_COUNT = 12
CV, CP = "chained_volume", "current_prices"
REAL, CASH = "in real terms (chained volume)", "in cash terms (current prices)"
LABELS = {  # finding label by (series, price basis): the basis is in the label, whatever the report's parameter
    ("j", CV): f"ICT outgrew finance {REAL}", ("j", CP): f"ICT outgrew finance {CASH}",
    ("j_excl_61", CV): f"ICT excluding telecoms outgrew finance {REAL}",
    ("j_excl_61", CP): f"ICT excluding telecoms outgrew finance {CASH}"}
REGION_LABELS = {CV: f"ICT excluding telecoms outgrew finance {REAL} in most regions",
                 CP: f"ICT excluding telecoms outgrew finance {CASH} in most regions"}
TELECOMS_LABEL = "Telecoms is most of ICT's real growth (UK)"


def other(price_basis: str) -> str:
    return next(b for b in f.BASES if b != price_basis)


def check_names(ev: dict) -> dict[str, tuple]:
    """Check name -> (start, end, vintage) for the growth findings: the window checks of ``f.windows``, the
    April 2024 release over the same years and the window to 2022 (both current prices only)."""
    s, e = ev["start_year"], ev["end_year"]
    out = {name: (*w, None) for name, w in ev["windows"].items() if name != "report window"}
    if e < f.LATEST_END:
        out[f"April 2024 release (same years {s}-{e}; current prices only)"] = (s, e, f.VINTAGE_2024)
        out[f"window to {f.LATEST_END} ({s}-{f.LATEST_END}; April 2024 release; current prices only)"] = (s, f.LATEST_END, None)
    return out


def findings(ev: dict, price_basis: str | None = None) -> list[Finding]:
    """The report's headline findings with their checks (estimates from ``ev``). The same findings on both
    price bases, each with its basis in its label: ``price_basis`` (the report's parameter) changes nothing.
    'Outgrew' needs a CAGR gap above the materiality band (``MATERIAL_PP`` points a year)."""
    s, e = ev["start_year"], ev["end_year"]
    band = f.MATERIAL_PP

    def estimate(measure, series, basis, start, end, vintage):
        if basis == CV and (vintage is not None or end == f.LATEST_END):
            return float("nan")  # the April 2024 chained-volume tables are not in this repository's data
        return measure(ev, series, basis, start, end, vintage=vintage)

    def finding(label, measure, series, basis, threshold, unit) -> Finding:
        checks = {name: estimate(measure, series, basis, *w) for name, w in check_names(ev).items()}
        return Finding(label, measure(ev, series, basis, s, e), checks, "above", threshold, unit=unit)

    out = [finding(LABELS[(series, basis)], f.gap, series, basis, band,
                   f"pp a year ({'J' if series == 'j' else 'J excl. 61'} minus K)")
           for series in ("j", "j_excl_61") for basis in (CV, CP)]
    out += [finding(REGION_LABELS[basis], f.regions_ahead, "j_excl_61", basis, ITL1_COUNT / 2,
                    f"regions of {ITL1_COUNT} faster by > {band:g} pp") for basis in (CV, CP)]
    lowest = ev["real"][ev["real"].region_code.isin(regions.codes("ITL1")) & (ev["real"].industry_code == f.TELECOMS)]
    shares = {name: f.telecoms_share(ev, window=w) for name, w in ev["windows"].items() if name != "report window"}
    out.append(Finding(TELECOMS_LABEL, f.telecoms_share(ev), {**shares, "lowest ITL1 region": float(lowest.share_pct.min())},
                       "above", 50.0, unit="% of J's real growth"))
    return out


def holds_up_notes(table: pd.DataFrame) -> str:
    """One sentence per finding that is not robust: whether its baseline meets the rule, and the checks it
    depends on, with their values (every rule here is 'above <threshold>')."""
    lines = []
    checks = [c for c in table.columns if c not in ("finding", "rule", "unit", "baseline", "checks_held", "changed_in", "verdict")]
    for _, row in table.iterrows():
        if row.verdict == "robust":
            continue
        digits = 0 if str(row.unit).startswith("regions") else 1
        value = lambda x: f"{x:.{digits}f}"  # noqa: E731
        threshold = float(str(row.rule).split()[-1])
        held = [c for c in checks if pd.notna(row[c]) and row[c] > threshold]
        failed = [c for c in checks if pd.notna(row[c]) and row[c] <= threshold]
        listed = lambda names: "; ".join(f"{c}: {value(row[c])}" for c in names)  # noqa: E731
        if row.baseline <= threshold:
            text = f"the baseline ({value(row.baseline)} {row.unit}) is not {row.rule}"
            text += f"; only {listed(held)} would meet it" if held else "; no check meets it"
        else:
            text = f"the baseline ({value(row.baseline)} {row.unit}) is {row.rule}, but not with {listed(failed)}"
        lines.append(f"- **{row.finding}** ({row.verdict}): {text}.")
    return "\n".join(lines) or "Every finding held under every check."


def mix_correlation(ev: dict, price_basis: str = "chained_volume") -> float:
    """Spearman rank correlation across the 12 ITL1 regions between the J-K CAGR gap on ``price_basis`` and
    telecoms' share of the region's J (current prices) in the start year."""
    s, e = ev["start_year"], ev["end_year"]
    itl1 = regions.codes("ITL1")
    gaps = pd.Series({c: f.gap(ev, "j", price_basis, s, e, c) for c in itl1})
    cp = decomposition.panel("current_prices", [f.J, f.TELECOMS]).xs(s, level="year")
    share = (cp[f.TELECOMS] / cp[f.J]).loc[itl1]
    return float(gaps.corr(share, method="spearman"))


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def _pp(x: float) -> str:
    """A signed gap in points with one decimal, never '-0.0'."""
    return f"{round(x, 1) + 0.0:+.1f}"


def _pace(a: float, b: float) -> str:
    """Words for growth ``a`` against K's ``b`` (% a year) with the materiality band."""
    words = {"faster": "faster than", "about the same": "at about the same rate as", "slower": "more slowly than"}
    return f"{words[ict_finance.pace(a - b)]} K ({_pct(b)}; gap {_pp(a - b)} points a year)"


def _lead(gap: float) -> str:
    """Who grew faster, in words, for a J minus K gap (points a year)."""
    if ict_finance.pace(gap) == "about the same":
        return "ICT and finance grew at about the same rate"
    size = "slightly " if abs(gap) < 1 else ""
    return f"finance grew {size}faster than ICT" if gap < 0 else f"ICT grew {size}faster than finance"


def main_points(ev: dict, price_basis: str | None, table: pd.DataFrame) -> str:
    """The Main points, Markdown bullets, every number from ``ev`` and the verdicts from ``table``: the same
    text whatever the report's ``price_basis``, each sentence naming the basis of its figures."""
    s, e, (rs, re_) = ev["start_year"], ev["end_year"], f.RECENT_WINDOW
    c = lambda series, basis, a=s, b=e: f.cagr(ev, series, basis, a, b)  # noqa: E731
    g = lambda series, basis, a=s, b=e, v=None: f.gap(ev, series, basis, a, b, vintage=v)  # noqa: E731
    n = lambda series, basis, a=s, b=e: ict_finance.pace_text(f.paces(ev, series, basis, a, b))  # noqa: E731
    verdict = table.set_index("finding").verdict
    d, band = ev["deflators"], f.MATERIAL_PP
    checks = check_names(ev)
    vintage = next((k for k, w in checks.items() if w[2] is not None), None)
    cash = (f"- **In cash terms (current prices), {_lead(g('j', CP))}: J grew {_pct(c('j', CP))} a year against K's "
            f"{_pct(c('k', CP))} ({s}-{e}, gap {_pp(g('j', CP))} points a year; a gap within ±{band:g} points counts as "
            f"about the same), {n('j', CP)} regions.** Excluding telecoms (61), J grew {_pct(c('j_excl_61', CP))} a year "
            f"in current prices, {_pace(c('j_excl_61', CP), c('k', CP))}; {n('j_excl_61', CP)} regions. Verdicts: "
            f"{LABELS[('j', CP)]}: {verdict[LABELS[('j', CP)]]}; excluding telecoms: {verdict[LABELS[('j_excl_61', CP)]]}.")
    if vintage:
        cash += (f" The April 2024 release over the same years gives gaps of {_pp(g('j', CP, v=f.VINTAGE_2024))} (J) and "
                 f"{_pp(g('j_excl_61', CP, v=f.VINTAGE_2024))} (J excl. 61) points a year; to {f.LATEST_END}, "
                 f"{_pp(g('j', CP, b=f.LATEST_END))} and {_pp(g('j_excl_61', CP, b=f.LATEST_END))}.")
    real = (f"- **In real terms (chained volume) ICT leads, but the lead is a price (deflator) effect, mostly "
            f"telecoms.** In chained volume J grew {_pct(c('j', CV))} a year "
            f"against K's {_pct(c('k', CV))} ({s}-{e}), but telecoms is {f.telecoms_share(ev):.0f}% of J's real growth "
            f"and its implied price fell {-d.loc[f.TELECOMS, 'change_pct']:.0f}% ({d.loc[f.TELECOMS, 'start']:,.0f} to "
            f"{d.loc[f.TELECOMS, 'end']:,.0f}, 2019 = 100; J's as a whole {d.loc[f.J, 'change_pct']:+.0f}%, K's "
            f"{d.loc[f.K, 'change_pct']:+.0f}%). The real lead holds in every window check (verdict: "
            f"{verdict[LABELS[('j', CV)]]}), but it measures falling telecoms prices as much as output. Excluding telecoms, J grew {_pct(c('j_excl_61', CV))} a year in "
            f"chained volume, {_pace(c('j_excl_61', CV), c('k', CV))}; {n('j_excl_61', CV)} regions (verdict: "
            f"{verdict[LABELS[('j_excl_61', CV)]]}). {f.FINANCE_VOLUME}")
    pre = [w for w in ev["windows"].values() if w[1] == f.PRE_COVID_END]
    pre_text = "; ".join(f"{a}-{b}: {_pp(g('j_excl_61', CV, a, b))} in chained volume and {_pp(g('j_excl_61', CP, a, b))} "
                         f"in current prices" for a, b in pre)
    recent = (f"- **Recent windows: over {rs}-{re_} J excluding telecoms grew {_pct(c('j_excl_61', CV, rs, re_))} a year "
              f"in chained volume, {_pace(c('j_excl_61', CV, rs, re_), c('k', CV, rs, re_))}, and "
              f"{_pct(c('j_excl_61', CP, rs, re_))} in current prices, {_pace(c('j_excl_61', CP, rs, re_), c('k', CP, rs, re_))}.**"
              f" Telecoms is {f.telecoms_share(ev, 'real_recent'):.0f}% of J's real growth over {rs}-{re_}."
              + (f" Both windows end in {e}, the COVID rebound year; ending in {f.PRE_COVID_END} instead, the gap of J "
                 f"excluding telecoms over K is {pre_text} (points a year)." if pre else ""))
    regional = (f"- **Regional real GVA uses UK-wide industry deflators, so \"J grew faster in real terms in "
                f"{f.paces(ev, 'j', CV, s, e)['faster']} of {ITL1_COUNT} regions\" is close to mechanical:** the "
                f"regions' ranking on the real J-K gap is moderately related to telecoms' share of their J in {s} "
                f"(Spearman rank correlation {mix_correlation(ev):.2f}, {ITL1_COUNT} regions).")
    caveat = ("- This is GVA only: it does not show jobs, productivity or firms, and the telecoms deflator is itself "
              "an estimate: ESCoE's alternative deflators for 2010-2017 ranged from a moderate to a near-total price fall.")
    return "\n".join([cash, real, recent, regional, caveat])


def _sources(row: pd.Series) -> list[str]:
    """A comparison row's source (chained volume: plus the current-price table that weights the chain-link)."""
    extra = [decomposition.ITL1_SOURCES["current_prices"]] if row.price_basis == "chained_volume" else []
    return list(dict.fromkeys([row.source_id, *extra]))


def headlines(ev: dict) -> list[tuple]:
    """New headline metrics ``(id, value, unit, description, source_ids)``: J excl. 61 CAGR (UK) and regions
    where it outgrew K on both price bases, telecoms' share of UK J real growth, UK reconstruction error."""
    s, e = ev["start_year"], ev["end_year"]
    out = []
    for basis in f.BASES:
        row = f._row(ev["comparison"], basis, s, e, regions.UK_CODE)
        words = f.BASIS_WORDS[basis]
        out.append((f"uk_J_excl_61_cagr_{basis}", float(row.j_excl_61_cagr_pct), "% a year",
                    f"UK GVA growth of J excluding telecoms (61), {s}-{e}, {words}", _sources(row)))
        out.append((f"regions_J_excl_61_faster_{basis}", f.regions_ahead(ev, "j_excl_61", basis, s, e),
                    f"regions of {ITL1_COUNT}", f"ITL1 regions where J excluding telecoms (61) grew faster than K by "
                    f"more than {f.MATERIAL_PP:g} points a year, {s}-{e}, {words}", _sources(row)))
    out.append(("uk_telecoms_share_of_J_real_growth", f.telecoms_share(ev), "%",
                f"Share of UK J chained-volume growth {s}-{e} contributed by telecoms (61), annual chain-linking",
                ev["real"].attrs["source_ids"]))
    rs, re_ = f.RECENT_WINDOW
    for series, name in (("j_excl_61", "J excluding telecoms (61)"), ("k", "K")):
        row = f._row(ev["comparison"], CV, rs, re_, regions.UK_CODE)
        out.append((f"uk_{'J_excl_61' if series == 'j_excl_61' else 'K'}_cagr_chained_volume_recent",
                    float(row[f.SERIES[series]]), "% a year",
                    f"UK GVA growth of {name}, {rs}-{re_} (recent window), {f.BASIS_WORDS[CV]}", _sources(row)))
    years = ev["reconciliation"].year
    out.append(("uk_J_max_reconstruction_error", f.max_reconstruction_error(ev), "percentage points",
                "Largest gap between published UK J chained-volume growth and growth rebuilt from its divisions, "
                f"any year {years.min()}-{years.max()}", ev["reconciliation"].attrs["source_ids"]))
    return out + verdict_metrics(ev)


VERDICT_SLUGS = {**{LABELS[(series, basis)]: f"{'J' if series == 'j' else 'J_excl_61'}_outgrew_K_{basis}"
                    for series, basis in LABELS},
                 **{REGION_LABELS[basis]: f"regions_J_excl_61_outgrew_K_{basis}" for basis in REGION_LABELS},
                 TELECOMS_LABEL: "telecoms_most_of_J_real_growth"}


VERDICT_UNIT = "verdict (2 robust, 1 sensitive, 0 does not hold)"


def verdict_metrics(ev: dict) -> list[tuple]:
    """One metric per 'What holds up' row, ``verdict_<slug>``: 2 robust, 1 sensitive, 0 does not hold; the
    description is the finding's label, the sources those of the tables its estimates come from."""
    table = robustness.robustness_table(findings(ev))
    score = {v: 2 - i for i, v in enumerate(robustness.VERDICTS)}
    growth, telecoms = ev["comparison"].attrs["source_ids"], ev["real"].attrs["source_ids"]
    return [(f"verdict_{VERDICT_SLUGS[row.finding]}", score[row.verdict], VERDICT_UNIT, row.finding,
             list(telecoms if row.finding == TELECOMS_LABEL else growth)) for row in table.itertuples()]
