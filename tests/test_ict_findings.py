"""The ICT-vs-finance findings (helpers.questions.ict_finance.findings) against numbers
computed here from the raw ONS CSV files with pandas alone, and the report's text against the data."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import yaml
from conftest import REPO

J_DIVS = ["58", "59", "60", "61", "62", "63"]
J_EXCL = [d for d in J_DIVS if d != "61"]
ITL1 = [f"TL{c}" for c in "CDEFGHIJKLMN"]
BASE_YEAR = 2019  # Apr 2023 tables: 2020 and 2021 valued at 2019 prices


def _path(source_id: str):
    manifest = yaml.safe_load((REPO / "data" / "sources.yml").read_text())["sources"]
    return REPO / "data" / "raw" / next(s["path"] for s in manifest if s["id"] == source_id)


def _raw(source_id: str, region_column: str = "ITL region code") -> pd.DataFrame:
    """A raw table as (region, SIC code) x year, GBP million."""
    frame = pd.read_csv(_path(source_id), dtype=str)
    frame["code"] = frame["SIC07 code"].str.split(" ").str[0]
    frame = frame.set_index([region_column, "code"])
    years = [c for c in frame.columns if c.isdigit()]
    return frame[years].apply(lambda col: pd.to_numeric(col.str.replace(",", ""), errors="coerce")).rename(columns=int)


@pytest.fixture(scope="module")
def raw(real_data):
    return _raw("gva_itl1_cp_2023"), _raw("gva_itl1_cvm_2023")


@pytest.fixture(scope="module")
def evidence(real_data):
    from helpers.questions.ict_finance import findings as q1

    return q1.evidence(1998, 2021)


@pytest.fixture(scope="module")
def found(evidence):
    from helpers.questions.ict_finance import findings as q1

    return {f.id: f for f in q1.findings(evidence)}


def _cagr(a: float, b: float, years: int) -> float:
    return ((b / a) ** (1 / years) - 1) * 100


def _j_excl_61_real_cagr(cp: pd.DataFrame, cvm: pd.DataFrame, region: str, start: int, end: int) -> float:
    """Chain-linked J excl. 61: previous-year current-price weights (2019-price volumes after 2019)."""
    c, v = cp.loc[region], cvm.loc[region]
    level = 1.0
    for year in range(start + 1, end + 1):
        prev = year - 1
        value = c.loc[J_EXCL, prev] if prev <= BASE_YEAR else v.loc[J_EXCL, prev] * c.loc[J_EXCL, BASE_YEAR] / v.loc[J_EXCL, BASE_YEAR]
        level *= 1 + ((value / value.sum()) * (v.loc[J_EXCL, year] / v.loc[J_EXCL, prev] - 1)).sum()
    return ((level ** (1 / (end - start))) - 1) * 100


def test_uk_j_excl_61_cagr_on_both_price_bases(raw, evidence):
    from helpers.questions.ict_finance import findings as f

    cp, cvm = raw
    real = _j_excl_61_real_cagr(cp, cvm, "UK", 1998, 2021)
    nominal = _cagr(cp.loc["UK"].loc[J_EXCL, 1998].sum(), cp.loc["UK"].loc[J_EXCL, 2021].sum(), 23)
    assert f.cagr(evidence, "j_excl_61", "chained_volume", 1998, 2021) == pytest.approx(real, abs=1e-9)
    assert f.cagr(evidence, "j_excl_61", "current_prices", 1998, 2021) == pytest.approx(nominal, abs=1e-9)
    k_real = _cagr(cvm.loc[("UK", "K"), 1998], cvm.loc[("UK", "K"), 2021], 23)
    assert f.gap(evidence, "j_excl_61", "chained_volume", 1998, 2021) == pytest.approx(real - k_real, abs=1e-9)
    recent = _j_excl_61_real_cagr(cp, cvm, "UK", 2016, 2021) - _cagr(cvm.loc[("UK", "K"), 2016], cvm.loc[("UK", "K"), 2021], 5)
    assert f.gap(evidence, "j_excl_61", "chained_volume", 2016, 2021) == pytest.approx(recent, abs=1e-9)


def test_gap_to_2022_from_the_april_2024_itl2_table(evidence):
    from helpers.questions.ict_finance import findings as f

    itl2 = _raw("gva_itl2_cp_2024", "ITL code")
    uk = itl2.groupby(level="code").sum()  # ITL2 areas summed (Extra-Regio J and K are 0)
    others = ["58", "59-60", "62", "63"]
    expected = _cagr(uk.loc[others, 2016].sum(), uk.loc[others, 2022].sum(), 6) - _cagr(uk.loc["K", 2016], uk.loc["K", 2022], 6)
    latest = evidence["releases"]["latest"]
    assert latest == "2024-04-24" and evidence["latest_end"] == 2022
    assert f.gap(evidence, "j_excl_61", "current_prices", 2016, 2022, release=latest) == pytest.approx(expected, abs=1e-9)
    with pytest.raises(KeyError, match="no chained_volume growth"):
        f.gap(evidence, "j_excl_61", "chained_volume", 2016, 2022, release=latest)


def _pace(gap: float) -> str:
    return "about the same" if abs(gap) <= 0.25 else "faster" if gap > 0 else "slower"


def test_regions_where_j_excl_61_outgrew_k(raw, evidence):
    """Counts with the materiality band (|gap| <= 0.25 points a year = about the same), from the raw CSVs."""
    from helpers.questions.ict_finance import findings as f

    cp, cvm = raw
    k = lambda t, r, a, b: _cagr(t.loc[(r, "K"), a], t.loc[(r, "K"), b], b - a)  # noqa: E731
    real = [_pace(_j_excl_61_real_cagr(cp, cvm, r, 1998, 2021) - k(cvm, r, 1998, 2021)) for r in ITL1]
    nominal = [_pace(_cagr(cp.loc[r].loc[J_EXCL, 1998].sum(), cp.loc[r].loc[J_EXCL, 2021].sum(), 23) - k(cp, r, 1998, 2021))
               for r in ITL1]
    whole = [_pace(_cagr(cp.loc[(r, "J"), 1998], cp.loc[(r, "J"), 2021], 23) - k(cp, r, 1998, 2021)) for r in ITL1]
    for got, paces in [(f.paces(evidence, "j_excl_61", "chained_volume", 1998, 2021), real),
                       (f.paces(evidence, "j_excl_61", "current_prices", 1998, 2021), nominal),
                       (f.paces(evidence, "j", "current_prices", 1998, 2021), whole)]:
        assert got == {p: paces.count(p) for p in ("faster", "about the same", "slower")}
    assert f.paces(evidence, "j_excl_61", "chained_volume", 1998, 2021)["faster"] == real.count("faster")


def test_the_growth_findings_and_their_checks_from_raw(raw, found):
    """The cash and real findings with their window and release checks, computed from the raw CSVs; their interval is
    the range over those checks and the verdict follows the one rule."""
    cp, cvm = raw
    uk = cp.loc["UK"]
    cash, real = found["ict_outgrew_finance_cash"], found["ict_outgrew_finance_real"]
    assert cash.estimate == pytest.approx(_cagr(uk.loc["J", 1998], uk.loc["J", 2021], 23) - _cagr(uk.loc["K", 1998], uk.loc["K", 2021], 23))
    itl2 = _raw("gva_itl2_cp_2024", "ITL code").groupby(level="code").sum()
    vintage = _cagr(itl2.loc["J", 1998], itl2.loc["J", 2021], 23) - _cagr(itl2.loc["K", 1998], itl2.loc["K", 2021], 23)
    checks = {c.name: c for c in cash.checks}
    assert checks["April 2024 release, same years"].estimate == pytest.approx(vintage, abs=1e-9)
    assert checks["April 2024 release, same years"].dimension == "release"
    assert not any(c.dimension == "release" for c in real.checks)  # the April 2024 release has no chained volume
    pre = _cagr(cvm.loc[("UK", "J"), 1998], cvm.loc[("UK", "J"), 2019], 21) - _cagr(cvm.loc[("UK", "K"), 1998], cvm.loc[("UK", "K"), 2019], 21)
    assert {c.name: c.estimate for c in real.checks}["window to 2019 (1998-2019)"] == pytest.approx(pre, abs=1e-9)
    for f in (cash, real):
        values = [f.estimate, *(c.estimate for c in f.checks)]
        assert (f.lower, f.upper) == (pytest.approx(min(values)), pytest.approx(max(values)))
    # finance grew faster in cash over the report window, but not in every check: not significant, so inconclusive
    assert cash.estimate < -0.25 and cash.upper > 0 and cash.verdict == "inconclusive"
    assert real.verdict == ("holds" if min(c.estimate for c in real.checks) > 0.25 else "inconclusive")


def _redeflated_cagr(cp: pd.DataFrame, cvm: pd.DataFrame, region: str, start: int, end: int) -> float:
    """J chain-linked from its divisions with previous-year current-price weights, telecoms' volume being its
    current-price GVA over the implied deflator of J excluding telecoms (itself chain-linked the same way)."""
    c, v = cp.loc[region], cvm.loc[region]
    years = list(range(start, end + 1))
    rest_level = [1.0]
    for prev, year in zip(years[:-1], years[1:]):
        w = c.loc[J_EXCL, prev] / c.loc[J_EXCL, prev].sum()
        rest_level.append(rest_level[-1] * (1 + (w * (v.loc[J_EXCL, year] / v.loc[J_EXCL, prev] - 1)).sum()))
    deflator = {y: c.loc[J_EXCL, y].sum() / (c.loc[J_EXCL, start].sum() * lvl) for y, lvl in zip(years, rest_level)}
    volume = {y: (v.loc[J_EXCL, y].to_dict() | {"61": c.loc["61", y] / deflator[y]}) for y in years}
    level = 1.0
    for prev, year in zip(years[:-1], years[1:]):
        w = c.loc[J_DIVS, prev] / c.loc[J_DIVS, prev].sum()
        level *= 1 + sum(w[d] * (volume[year][d] / volume[prev][d] - 1) for d in J_DIVS)
    return (level ** (1 / (end - start)) - 1) * 100


def test_telecoms_re_deflated_the_deflator_check(raw, evidence, found):
    """ICT's real growth with telecoms re-deflated by the implied deflator of the rest of ICT, UK and a region,
    computed from the raw CSVs; it is the deflator check of "ICT outgrew finance in real terms"."""
    cp, cvm = raw
    table = evidence["redeflated"]
    for region in ("UK", "TLI"):
        assert table.loc[region, "j_redeflated_cagr_pct"] == pytest.approx(_redeflated_cagr(cp, cvm, region, 1998, 2021), abs=1e-9)
    k = _cagr(cvm.loc[("UK", "K"), 1998], cvm.loc[("UK", "K"), 2021], 23)
    check = next(c for c in found["ict_outgrew_finance_real"].checks if c.dimension == "deflator")
    assert check.estimate == pytest.approx(_redeflated_cagr(cp, cvm, "UK", 1998, 2021) - k, abs=1e-9)
    assert 2.5 < table.loc["UK", "j_redeflated_cagr_pct"] < 3.5  # about 3.1% a year, against 9.9% as published


def _telecoms_share(cp: pd.DataFrame, cvm: pd.DataFrame, start: int, end: int) -> float:
    """Telecoms' additive share of UK J's rebuilt cumulative real growth (weights within published J)."""
    c, v = cp.loc["UK"], cvm.loc["UK"]
    level, telecoms = 1.0, 0.0
    for year in range(start + 1, end + 1):
        prev = year - 1
        if prev <= BASE_YEAR:
            weights = c.loc[J_DIVS, prev] / c.loc["J", prev]
        else:
            at_base = v.loc[J_DIVS, prev] * c.loc[J_DIVS, BASE_YEAR] / v.loc[J_DIVS, BASE_YEAR]
            weights = at_base / at_base.sum()
        contrib = weights * (v.loc[J_DIVS, year] / v.loc[J_DIVS, prev] - 1)
        telecoms += contrib["61"] * level
        level *= 1 + contrib.sum()
    return telecoms / (level - 1) * 100


def test_telecoms_share_of_uk_j_real_growth(raw, evidence, found):
    from helpers.questions.ict_finance import findings as f

    cp, cvm = raw
    assert f.telecoms_share(evidence) == pytest.approx(_telecoms_share(cp, cvm, 1998, 2021), abs=1e-9)
    assert f.telecoms_share(evidence, (2016, 2021)) == pytest.approx(_telecoms_share(cp, cvm, 2016, 2021), abs=1e-9)
    uk = cp.loc["UK"]
    nominal = (uk.loc["61", 2021] - uk.loc["61", 1998]) / (uk.loc["J", 2021] - uk.loc["J", 1998]) * 100
    assert f.telecoms_share(evidence, nominal=True) == pytest.approx(nominal, abs=1e-9)
    assert found["telecoms_most_of_ict_real_growth"].estimate == pytest.approx(_telecoms_share(cp, cvm, 1998, 2021))


def test_the_words_quote_the_data(raw, evidence, found):
    """A few figures of the Main points and the deflator title, against the raw CSVs (one formatter)."""
    from helpers.questions.ict_finance import findings as f
    from helpers.questions.ict_finance import tables as sectors

    cp, cvm = raw
    change = {s: ((cp.loc[("UK", s), 2021] / cvm.loc[("UK", s), 2021]) / (cp.loc[("UK", s), 1998] / cvm.loc[("UK", s), 1998]) - 1) * 100
              for s in ["J", "K", "61"]}
    assert change["J"] < 0 < change["K"] and change["61"] < change["J"]  # J's implied price fell, K's rose
    text = f.main_points(evidence, list(found.values()))
    assert "{" not in text and len(re.findall(r"^- ", text, flags=re.M)) == 5
    assert f"implied price\n  fell {abs(change['61']):.1f}%" in text or f"fell {abs(change['61']):.1f}%" in " ".join(text.split())
    assert f"J grew {_cagr(cvm.loc[('UK', 'J'), 1998], cvm.loc[('UK', 'J'), 2021], 23):.1f}% a year" in " ".join(text.split())
    assert "(#finding-ict_outgrew_finance_cash)" in text
    deflators = {s: sectors.implied_deflator(s, 1998, 2021) for s in ("J", "K")}
    title = f.line("price_change_title", changes={s: (d.iloc[-1] / d.iloc[0] - 1) * 100 for s, d in deflators.items()},
                   start=1998, end=2021)
    assert title == f"Implied UK price: J's fell {abs(change['J']):.0f}% and K's rose {change['K']:.0f}%, 1998-2021"


def test_non_additivity_and_reconstruction(raw, evidence):
    from helpers.questions.ict_finance import findings as f

    cp, cvm = raw
    divisions = cvm.loc["UK"].loc[J_DIVS, 1998].sum()
    gap = (divisions / cvm.loc[("UK", "J"), 1998] - 1) * 100
    assert evidence["non_additivity"]["gap_pct"] == pytest.approx(gap)
    assert 0 <= f.max_reconstruction_error(evidence) < 0.05


def test_headline_metrics_carry_their_descriptions_and_sources(raw, evidence, found):
    from helpers.questions.ict_finance import findings as f

    cp, cvm = raw
    metrics = {m.id: m for m in f.metrics(evidence, list(found.values()))}
    expected = {
        "uk_J_excl_61_cagr_chained_volume": (_j_excl_61_real_cagr(cp, cvm, "UK", 1998, 2021), "chained volume"),
        "uk_J_excl_61_cagr_current_prices": (_cagr(cp.loc["UK"].loc[J_EXCL, 1998].sum(), cp.loc["UK"].loc[J_EXCL, 2021].sum(), 23),
                                             "current prices"),
        "uk_telecoms_share_of_J_real_growth": (_telecoms_share(cp, cvm, 1998, 2021), "chained-volume"),
        "uk_J_redeflated_cagr_chained_volume": (_redeflated_cagr(cp, cvm, "UK", 1998, 2021), "deflated"),
    }
    for metric_id, (value, words) in expected.items():
        metric = metrics[metric_id]
        assert metric.value == pytest.approx(value, abs=1e-9)
        assert "1998-2021" in metric.description and words in metric.description
        assert {"gva_itl1_cp_2023", "gva_itl1_cvm_2023"} <= set(metric.sources)
    for basis in ("chained_volume", "current_prices"):
        metric = metrics[f"regions_J_excl_61_faster_{basis}"]
        assert 0 <= metric.value <= 12 and metric.unit == "regions of 12" and basis.replace("_", " ") in metric.description


def test_notebook_text_has_no_unfilled_placeholders():
    notebook = json.loads((REPO / "notebooks" / "ict_vs_finance.ipynb").read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            assert not re.search(r"\{[a-z_]+\}", "".join(cell["source"])), "".join(cell["source"])[:80]
    text = " ".join("".join(c["source"]) for c in notebook["cells"])
    assert "rose least" not in text and "have risen much less" not in text


def test_published_codes_use_the_sic_registry():
    from helpers.questions.ict_finance import decomposition

    assert decomposition.published_codes("J", ["64", "59-60", "58", "61", "J", "62", "63", "68IMP"]) == ["58", "59-60", "61", "62", "63"]
    assert decomposition.published_codes("K", ["63", "64", "65", "66", "68IMP"]) == ["64", "65", "66"]
    assert decomposition.DIVISIONS["J"] == J_DIVS
