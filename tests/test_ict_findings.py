"""The ICT-vs-finance findings (helpers.questions.ict_finance.evidence / ict_finance_summary) against numbers
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
    from helpers.questions.ict_finance import evidence as ict_finance_findings

    return ict_finance_findings.evidence(1998, 2021)


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
    from helpers.questions.ict_finance import evidence as f

    cp, cvm = raw
    real = _j_excl_61_real_cagr(cp, cvm, "UK", 1998, 2021)
    nominal = _cagr(cp.loc["UK"].loc[J_EXCL, 1998].sum(), cp.loc["UK"].loc[J_EXCL, 2021].sum(), 23)
    assert f.cagr(evidence, "j_excl_61", "chained_volume", 1998, 2021) == pytest.approx(real, abs=1e-9)
    assert f.cagr(evidence, "j_excl_61", "current_prices", 1998, 2021) == pytest.approx(nominal, abs=1e-9)
    k_real = _cagr(cvm.loc[("UK", "K"), 1998], cvm.loc[("UK", "K"), 2021], 23)
    assert f.j_excl_61_vs_k_gap(1998, 2021, "chained_volume") == pytest.approx(real - k_real, abs=1e-9)
    recent = _j_excl_61_real_cagr(cp, cvm, "UK", 2016, 2021) - _cagr(cvm.loc[("UK", "K"), 2016], cvm.loc[("UK", "K"), 2021], 5)
    assert f.j_excl_61_vs_k_gap(2016, 2021, "chained_volume") == pytest.approx(recent, abs=1e-9)


def test_gap_to_2022_from_the_april_2024_itl2_table(real_data):
    from helpers.questions.ict_finance import evidence as f

    itl2 = _raw("gva_itl2_cp_2024", "ITL code")
    uk = itl2.groupby(level="code").sum()  # ITL2 areas summed (Extra-Regio J and K are 0)
    others = ["58", "59-60", "62", "63"]
    expected = _cagr(uk.loc[others, 2016].sum(), uk.loc[others, 2022].sum(), 6) - _cagr(uk.loc["K", 2016], uk.loc["K", 2022], 6)
    assert f.j_excl_61_vs_k_gap(2016, 2022, "current_prices") == pytest.approx(expected, abs=1e-9)
    with pytest.raises(ValueError, match="current prices only"):
        f.j_excl_61_vs_k_gap(2016, 2022, "chained_volume")


def _pace(gap: float) -> str:
    return "about the same" if abs(gap) <= 0.25 else "faster" if gap > 0 else "slower"


def test_regions_where_j_excl_61_outgrew_k(raw, evidence):
    """Counts with the materiality band (|gap| <= 0.25 points a year = about the same), from the raw CSVs."""
    from helpers.questions.ict_finance import evidence as f

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
    assert f.regions_ahead(evidence, "j_excl_61", "chained_volume", 1998, 2021) == real.count("faster")


def test_findings_are_the_same_on_both_price_bases_with_the_checks_from_raw(raw, evidence):
    """One set of findings whatever the report's price basis; the vintage check keeps the years and the basis
    (Apr 2024 ITL2 table summed, 1998-2021), the window-to-2019 check keeps the basis and release."""
    from helpers.questions.ict_finance import findings as summary
    from helpers.stats import robustness

    cp, cvm = raw
    tables = [robustness.robustness_table(summary.findings(evidence, b)) for b in ("chained_volume", "current_prices")]
    pd.testing.assert_frame_equal(tables[0], tables[1])
    row = tables[0].set_index("finding")
    cash, real = row.loc["ICT outgrew finance in cash terms (current prices)"], row.loc["ICT outgrew finance in real terms (chained volume)"]
    uk = cp.loc["UK"]
    assert cash.baseline == pytest.approx(_cagr(uk.loc["J", 1998], uk.loc["J", 2021], 23) - _cagr(uk.loc["K", 1998], uk.loc["K", 2021], 23))
    itl2 = _raw("gva_itl2_cp_2024", "ITL code").groupby(level="code").sum()
    vintage = _cagr(itl2.loc["J", 1998], itl2.loc["J", 2021], 23) - _cagr(itl2.loc["K", 1998], itl2.loc["K", 2021], 23)
    assert cash["April 2024 release (same years 1998-2021; current prices only)"] == pytest.approx(vintage, abs=1e-9)
    assert pd.isna(real["April 2024 release (same years 1998-2021; current prices only)"])
    pre = _cagr(cvm.loc[("UK", "J"), 1998], cvm.loc[("UK", "J"), 2019], 21) - _cagr(cvm.loc[("UK", "K"), 1998], cvm.loc[("UK", "K"), 2019], 21)
    assert real["window to 2019 (1998-2019)"] == pytest.approx(pre, abs=1e-9)
    expected = "robust" if min(real.baseline, pre) > 0.25 else None
    assert expected is None or real.verdict == expected
    assert cash.verdict == ("does not hold" if cash.baseline <= 0.25 else cash.verdict)


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


def test_telecoms_share_of_uk_j_real_growth(raw, evidence):
    from helpers.questions.ict_finance import evidence as f

    cp, cvm = raw
    assert f.telecoms_share(evidence) == pytest.approx(_telecoms_share(cp, cvm, 1998, 2021), abs=1e-9)
    assert f.telecoms_share(evidence, "real_recent") == pytest.approx(_telecoms_share(cp, cvm, 2016, 2021), abs=1e-9)
    uk = cp.loc["UK"]
    nominal = (uk.loc["61", 2021] - uk.loc["61", 1998]) / (uk.loc["J", 2021] - uk.loc["J", 1998]) * 100
    assert f.telecoms_share(evidence, "nominal") == pytest.approx(nominal, abs=1e-9)


def test_deflator_text_agrees_with_the_data(raw, evidence):
    from helpers.questions.ict_finance import tables as ict_finance
    from helpers.questions.ict_finance import evidence as f

    cp, cvm = raw
    change = {s: ((cp.loc[("UK", s), 2021] / cvm.loc[("UK", s), 2021]) / (cp.loc[("UK", s), 1998] / cvm.loc[("UK", s), 1998]) - 1) * 100
              for s in ["J", "K", "61"]}
    assert change["J"] < 0 < change["K"] and change["61"] < change["J"]  # J's implied price fell, K's rose
    sentence = f.deflator_sentence(evidence)
    assert f"output (current prices / chained volume, 2019 = 100) fell by {abs(change['J']):.0f}%" in sentence
    assert f"telecoms (61) fell by {abs(change['61']):.0f}%" in sentence and f"K rose by {change['K']:.0f}%" in sentence
    deflators = {s: ict_finance.implied_deflator(s, 1998, 2021) for s in ("J", "K")}
    assert ict_finance.price_change_title(deflators) == (
        f"Implied UK price: J's fell {abs(change['J']):.0f}% and K's rose {change['K']:.0f}%, 1998-2021")


def test_non_additivity_and_reconstruction(raw, evidence):
    from helpers.questions.ict_finance import evidence as f

    cp, cvm = raw
    divisions = cvm.loc["UK"].loc[J_DIVS, 1998].sum()
    gap = (divisions / cvm.loc[("UK", "J"), 1998] - 1) * 100
    assert evidence["non_additivity"]["gap_pct"] == pytest.approx(gap)
    assert f"£{divisions:,.0f}m against £{cvm.loc[('UK', 'J'), 1998]:,.0f}m for J ({gap:+.0f}%)" in f.non_additivity_sentence(evidence)
    assert 0 <= f.max_reconstruction_error(evidence) < 0.05


def test_headline_metrics_carry_their_descriptions_and_sources(raw, evidence):
    from helpers.questions.ict_finance import findings as summary

    cp, cvm = raw
    metrics = {m[0]: m for m in summary.headlines(evidence)}
    expected = {
        "uk_J_excl_61_cagr_chained_volume": (_j_excl_61_real_cagr(cp, cvm, "UK", 1998, 2021),
                                             "chained volume", {"gva_itl1_cvm_2023", "gva_itl1_cp_2023"}),
        "uk_J_excl_61_cagr_current_prices": (_cagr(cp.loc["UK"].loc[J_EXCL, 1998].sum(), cp.loc["UK"].loc[J_EXCL, 2021].sum(), 23),
                                             "current prices", {"gva_itl1_cp_2023"}),
        "uk_telecoms_share_of_J_real_growth": (_telecoms_share(cp, cvm, 1998, 2021), "chained-volume",
                                               {"gva_itl1_cvm_2023", "gva_itl1_cp_2023"}),
    }
    for metric_id, (value, words, sources) in expected.items():
        _, got, _, description, source_ids = metrics[metric_id]
        assert got == pytest.approx(value, abs=1e-9)
        assert "1998-2021" in description and words in description and set(source_ids) == sources
    for basis in ("chained_volume", "current_prices"):
        _, count, unit, description, _ = metrics[f"regions_J_excl_61_faster_{basis}"]
        assert 0 <= count <= 12 and unit == "regions of 12" and basis.replace("_", " ") in description
    assert metrics["uk_J_max_reconstruction_error"][1] < 0.05


def test_main_points_quote_the_computed_numbers(raw, evidence):
    from helpers.questions.ict_finance import findings as summary
    from helpers.stats import robustness

    cp, cvm = raw
    texts = []
    for basis in ("chained_volume", "current_prices"):
        table = robustness.robustness_table(summary.findings(evidence, basis))
        text = summary.main_points(evidence, basis, table)
        texts.append(text)
        assert "{" not in text and len(re.findall(r"^- ", text, flags=re.M)) == 5
        assert f"J grew {_cagr(cvm.loc[('UK', 'J'), 1998], cvm.loc[('UK', 'J'), 2021], 23):.1f}% a year" in text
        assert f"J grew {_j_excl_61_real_cagr(cp, cvm, 'UK', 1998, 2021):.1f}% a year in chained volume" in text
        assert f"telecoms is {_telecoms_share(cp, cvm, 1998, 2021):.0f}% of J's real growth" in text
        assert table.verdict.isin(["robust", "sensitive", "does not hold"]).all()
        assert "moderately related" in text and "follows telecoms" not in text
    assert texts[0] == texts[1]  # the same Main points on both price bases
    j_cp = _cagr(cp.loc[("UK", "J"), 1998], cp.loc[("UK", "J"), 2021], 23)
    k_cp = _cagr(cp.loc[("UK", "K"), 1998], cp.loc[("UK", "K"), 2021], 23)
    lead = ("finance grew slightly faster than ICT" if -1 < j_cp - k_cp < -0.25 else "ICT and finance grew at about the same rate"
            if abs(j_cp - k_cp) <= 0.25 else "")
    assert f"In cash terms (current prices), {lead}" in text
    j_excl_cp = _cagr(cp.loc["UK"].loc[J_EXCL, 1998].sum(), cp.loc["UK"].loc[J_EXCL, 2021].sum(), 23)
    if abs(j_excl_cp - k_cp) <= 0.25:  # a gap inside the band is "about the same", never "faster"
        assert f"J grew {j_excl_cp:.1f}% a year in current prices, at about the same rate as K" in text


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
