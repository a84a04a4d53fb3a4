"""Main points, "What holds up" findings and headline metrics of the ICT-vs-finance report, built from
``ict_finance_findings.evidence`` (numbers, sources and method there)."""

from __future__ import annotations

import pandas as pd

from helpers import regions
from helpers.analysis import decomposition
from helpers.analysis import ict_finance_findings as f
from helpers.analysis.robustness import Finding

ITL1_COUNT = 12


def other(price_basis: str) -> str:
    return next(b for b in f.BASES if b != price_basis)


def findings(ev: dict, price_basis: str) -> list[Finding]:
    """The report's headline findings with their checks (estimates from ``ev``)."""
    s, e = ev["start_year"], ev["end_year"]
    r, o = f.RECENT_WINDOW, other(price_basis)
    cv, cp = "chained_volume", "current_prices"
    latest = "April 2024 vintage to 2022 (current prices)"

    def checks(measure, series: str) -> dict:
        out = {f.BASIS_WORDS[o]: measure(series, o, s, e)}
        if series == "j":
            out["chained volume excl. telecoms"] = measure("j_excl_61", cv, s, e)
            out["current prices excl. telecoms"] = measure("j_excl_61", cp, s, e)
        out[f"recent window {r[0]}-{r[1]}"] = measure(series, price_basis, *r)
        if series == "j":
            out[f"recent window {r[0]}-{r[1]} excl. telecoms"] = measure("j_excl_61", price_basis, *r)
        out[latest] = measure(series, cp, s, f.LATEST_END)
        return out

    def gap(series, basis, start, end):
        return f.gap(ev, series, basis, start, end)

    def ahead(series, basis, start, end):
        return f.regions_ahead(ev, series, basis, start, end)

    lowest = ev["real"][ev["real"].region_code.isin(regions.codes("ITL1")) & (ev["real"].industry_code == f.TELECOMS)]
    pp, most = "pp a year (J minus K)", ITL1_COUNT / 2
    return [
        Finding("ICT outgrew finance (UK)", gap("j", price_basis, s, e), checks(gap, "j"), "above", 0.0, unit=pp),
        Finding("ICT outgrew finance in most regions", ahead("j", price_basis, s, e), checks(ahead, "j"), "above",
                most, unit=f"regions of {ITL1_COUNT}"),
        Finding("ICT excl. telecoms outgrew finance (UK)", gap("j_excl_61", price_basis, s, e),
                checks(gap, "j_excl_61"), "above", 0.0, unit="pp a year (J excl. 61 minus K)"),
        Finding("ICT excl. telecoms outgrew finance in most regions", ahead("j_excl_61", price_basis, s, e),
                checks(ahead, "j_excl_61"), "above", most, unit=f"regions of {ITL1_COUNT}"),
        Finding("Telecoms is most of ICT's real growth (UK)", f.telecoms_share(ev),
                {f"recent window {r[0]}-{r[1]}": f.telecoms_share(ev, "real_recent"),
                 "lowest ITL1 region": float(lowest.share_pct.min())}, "above", 50.0, unit="% of J's real growth"),
    ]


def holds_up_notes(table: pd.DataFrame) -> str:
    """One sentence per finding that is not robust: the checks it depends on, with their values."""
    lines = []
    for row in table.itertuples(index=False):
        if row.verdict == "robust":
            continue
        changed = [c.strip() for c in str(row.changed_in).split(",") if c.strip()]
        digits = 0 if str(row.unit).startswith("regions") else 1
        detail = "; ".join(f"{c}: {getattr(row, _attr(table, c)):.{digits}f}" for c in changed)
        base = "" if row.verdict != "does not hold" or changed else f" (baseline {row.baseline:.1f}, {row.rule})"
        lines.append(f"- **{row.finding}** ({row.verdict}){base}" + (f": it fails with {detail} ({row.unit})." if changed else "."))
    return "\n".join(lines) or "Every finding held under every check."


def _attr(table: pd.DataFrame, column: str) -> str:
    """The itertuples field name of ``column``."""
    return f"_{list(table.columns).index(column)}"


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


def _pace(a: float, b: float) -> str:
    """Words for growth ``a`` against ``b`` (% a year): within 0.25 points a year counts as the same rate."""
    words = "at about the same rate as" if abs(a - b) < 0.25 else ("faster than" if a > b else "more slowly than")
    return f"{words} K ({b:.1f}%; gap {a - b:+.1f} points a year)"


def main_points(ev: dict, price_basis: str, table: pd.DataFrame) -> str:
    """The Main points, Markdown bullets, every number from ``ev`` and the verdicts from ``table``."""
    s, e, (rs, re_) = ev["start_year"], ev["end_year"], f.RECENT_WINDOW
    c = lambda series, basis, a=s, b=e: f.cagr(ev, series, basis, a, b)  # noqa: E731
    n = lambda series, basis, a=s, b=e: f.regions_ahead(ev, series, basis, a, b)  # noqa: E731
    verdict = table.set_index("finding").verdict
    cv, cp = "chained_volume", "current_prices"
    real = (f"- **In chained volume (real terms), J grew {_pct(c('j', cv))} a year against K's {_pct(c('k', cv))} "
            f"({s}-{e}), faster in {n('j', cv)} of {ITL1_COUNT} regions, but {f.telecoms_share(ev):.0f}% of J's real "
            f"growth is telecoms (61).** {f.deflator_sentence(ev)} Excluding telecoms, J grew {_pct(c('j_excl_61', cv))} "
            f"a year, still faster than K in the UK and in {n('j_excl_61', cv)} of {ITL1_COUNT} regions (verdict on this "
            f"report's basis, {f.BASIS_WORDS[price_basis]}: {verdict['ICT excl. telecoms outgrew finance (UK)']}).")
    nominal = (f"- **In current prices, J grew {_pct(c('j', cp))} a year, {_pace(c('j', cp), c('k', cp))}, "
               f"and faster in only {n('j', cp)} of {ITL1_COUNT} regions;** J excluding telecoms "
               f"({_pct(c('j_excl_61', cp))}) grew {_pace(c('j_excl_61', cp), c('k', cp))}, ahead in "
               f"{n('j_excl_61', cp)} regions. Telecoms is only {f.telecoms_share(ev, 'nominal'):.0f}% of J's nominal "
               f"growth. With the April 2024 release to {f.LATEST_END}: J {_pct(c('j', cp, s, f.LATEST_END))}, J excl. "
               f"61 {_pct(c('j_excl_61', cp, s, f.LATEST_END))}, K {_pct(c('k', cp, s, f.LATEST_END))} a year.")
    recent = (f"- **Over {rs}-{re_}, J grew {_pct(c('j', cv, rs, re_))} a year in chained volume against K's "
              f"{_pct(c('k', cv, rs, re_))}, but telecoms is {f.telecoms_share(ev, 'real_recent'):.0f}% of that real "
              f"growth: J excluding telecoms grew {_pct(c('j_excl_61', cv, rs, re_))}, "
              f"{_pace(c('j_excl_61', cv, rs, re_), c('k', cv, rs, re_))}, and faster in {n('j_excl_61', cv, rs, re_)} "
              f"of {ITL1_COUNT} regions.** In current prices J excl. 61 grew {_pct(c('j_excl_61', cp, rs, re_))} "
              f"against K's {_pct(c('k', cp, rs, re_))} (to {f.LATEST_END}: {_pct(c('j_excl_61', cp, rs, f.LATEST_END))} "
              f"against {_pct(c('k', cp, rs, f.LATEST_END))}).")
    regional = (f"- **Regional real GVA uses UK-wide industry deflators, so \"J grew faster in real terms in "
                f"{n('j', cv)} of {ITL1_COUNT} regions\" is close to mechanical:** the regions' ranking on the real "
                f"J-K gap follows telecoms' share of their J in {s} (Spearman rank correlation "
                f"{mix_correlation(ev):.2f}). Verdicts: ICT outgrew finance in the UK: "
                f"{verdict['ICT outgrew finance (UK)']}; in most regions: {verdict['ICT outgrew finance in most regions']}.")
    caveat = ("- This is GVA only: it does not show jobs, productivity or firms, and the telecoms deflator is itself "
              "an estimate: ESCoE's alternative deflators for 2010-2017 ranged from a moderate to a near-total price fall.")
    first, second = (real, nominal) if price_basis == cv else (nominal, real)
    return "\n".join([first, second, recent, regional, caveat])


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
                    f"regions of {ITL1_COUNT}", f"ITL1 regions where J excluding telecoms (61) grew faster than K, "
                    f"{s}-{e}, {words}", _sources(row)))
    out.append(("uk_telecoms_share_of_J_real_growth", f.telecoms_share(ev), "%",
                f"Share of UK J chained-volume growth {s}-{e} contributed by telecoms (61), annual chain-linking",
                ev["real"].attrs["source_ids"]))
    years = ev["reconciliation"].year
    out.append(("uk_J_max_reconstruction_error", f.max_reconstruction_error(ev), "percentage points",
                "Largest gap between published UK J chained-volume growth and growth rebuilt from its divisions, "
                f"any year {years.min()}-{years.max()}", ev["reconciliation"].attrs["source_ids"]))
    return out
