"""Region profiles: ICT and finance growth on both price bases at every level (ITL3 included), telecoms' weight,
headline figures from the newest release, and the telecoms price fall quoted from question 1. Expected numbers are
computed here with pandas from the raw ONS CSVs (after the ``real_data`` fixture has fetched them), not through helpers."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.sources import fetch
from helpers.findings.numbers import fmt
from helpers.questions.profiles import findings as profile
from helpers.questions.profiles import tables as profiles


def _raw(source_id: str) -> pd.DataFrame:
    frame = pd.read_csv(fetch([source_id])[source_id], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    return frame.rename(columns={"ITL region code": "code", "ITL code": "code"})


def _cagr(start, end, years):
    return ((end / start) ** (1 / years) - 1) * 100


def _uk_cp(source: str, section: str, first: str, last: str) -> tuple[float, float]:
    """The UK's GVA of ``section`` in current prices: the sum of the ITL1 regions (ITL2 rows for the 2024 file)."""
    raw = _raw(source)
    rows = raw[raw["SIC07 code"] == section]
    rows = rows[rows["code"].str.fullmatch(r"TL[C-N]\d?" if "itl2" in source else r"TL[C-N]")]
    return rows[first].sum(), rows[last].sum()


@pytest.fixture(scope="module")
def birmingham(real_data):
    return profile.growth("TLG31", *profile.window("TLG31"))


def test_birmingham_has_ict_and_finance_output_on_both_price_bases(birmingham):
    """ITL3: chained volume (Table 3b, April 2023), current prices over the same window (Table 3c, April 2023) and to
    2022 (Table 3c, April 2024), J and K, against the UK."""
    cvm, cp23, cp24 = _raw("gva_itl3_cvm_2023"), _raw("gva_itl3_cp_2023"), _raw("gva_itl3_cp_2024")
    uk_cvm = _raw("gva_itl1_cvm_2023").set_index(["code", "SIC07 code"])
    table = birmingham.set_index(["sector", "area"])
    for section, code in (("Information and communication", "J (58-63)"), ("Financial and insurance activities", "K (64-66)")):
        row = lambda raw: raw[(raw["code"] == "TLG31") & (raw["SIC07 code"] == code)].iloc[0]  # noqa: E731
        assert table.at[(section, "Birmingham"), "chained_volume_cagr_pct"] == pytest.approx(_cagr(row(cvm)["1998"], row(cvm)["2021"], 23))
        assert table.at[(section, "Birmingham"), "current_prices_same_window_cagr_pct"] == pytest.approx(
            _cagr(row(cp23)["1998"], row(cp23)["2021"], 23))
        assert table.at[(section, "Birmingham"), "current_prices_cagr_pct"] == pytest.approx(_cagr(row(cp24)["1998"], row(cp24)["2022"], 24))
        uk = uk_cvm.loc[("UK", code)]
        assert table.at[(section, "UK total"), "chained_volume_cagr_pct"] == pytest.approx(_cagr(uk["1998"], uk["2021"], 23))
        assert table.at[(section, "UK total"), "current_prices_cagr_pct"] == pytest.approx(
            _cagr(*_uk_cp("gva_itl2_cp_2024", code, "1998", "2022"), 24))
    assert not birmingham.attrs["telecoms"]["available"]  # 61-63 at ITL3
    assert "telecoms (61) together with IT (62-63)" in birmingham.attrs["note"] and "not available" in birmingham.attrs["note"]


def test_west_midlands_growth_and_telecoms_weight_from_the_raw_csvs(real_data):
    table = profile.growth("TLG", *profile.window("TLG")).set_index(["sector", "area"])
    new = _raw("gva_itl2_cp_2024")
    wm = new[new["code"].str.startswith("TLG")]
    j = wm[wm["SIC07 code"] == "J (58-63)"][["1998", "2022"]].sum()
    assert table.at[("Information and communication", "West Midlands"), "current_prices_cagr_pct"] == pytest.approx(
        _cagr(j["1998"], j["2022"], 24))
    assert round(_cagr(j["1998"], j["2022"], 24), 1) == 4.1  # the referee's figures: slower than the UK's 4.5%
    telecoms = profile.growth("TLG", *profile.window("TLG")).attrs["telecoms"]
    share = wm.loc[wm["SIC07 code"] == "61", "2022"].sum() / wm.loc[wm["SIC07 code"] == "J (58-63)", "2022"].sum() * 100
    assert telecoms["cp_share_area"] == pytest.approx(share) and telecoms["year"] == 2022


def test_the_telecoms_price_fall_is_question_1s_figure_through_the_formatter(real_data):
    """UK implied telecoms deflator (current prices / chained volume, division 61) from the April 2023 ITL1 tables,
    1998 to 2021; the profiles quote it exactly as question 1 writes it (98.5%, not '98%' or 'almost 99%')."""
    cp, cvm = (_raw(s).set_index(["code", "SIC07 code"]).loc[("UK", "61")] for s in ("gva_itl1_cp_2023", "gva_itl1_cvm_2023"))
    change = ((cp["2021"] / cvm["2021"]) / (cp["1998"] / cvm["1998"]) - 1) * 100
    shown = fmt(-change, "pct")
    assert shown == "98.5%"
    for code in ("TLG", "TLG3"):
        note = profile.growth(code, *profile.window(code)).attrs["note"]
        assert f"fell {shown} from 1998 to 2021" in note and "almost 99%" not in note and "98%" not in note.replace(shown, "")
    from helpers.questions.ict_finance import findings as q1

    ev = q1.evidence(1998, 2021)
    assert f"fell {shown}" in q1.main_points(ev, q1.findings(ev))  # the same figure, written the same way


def test_headline_uses_the_newest_release_for_ict_share_and_gva_per_head(real_data):
    """April 2024 has 2022: ICT share (J over all industries, ITL2 rows summed) and GVA per head (GVA over resident
    population, Tables 1 and 6 of April 2024)."""
    new = _raw("gva_itl2_cp_2024")
    j = new[(new["SIC07 code"] == "J (58-63)") & new["code"].str.startswith("TLG")]["2022"].sum()
    total = pd.read_csv(fetch(["gva_total_cp_2024"])["gva_total_cp_2024"]).set_index("ITL code")
    population = pd.read_csv(fetch(["population_2024"])["population_2024"], thousands=",", na_values="[u]").set_index("ITL code")
    head = profiles.headline("TLG")
    assert head.at["TLG", "ict_share_pct"] == pytest.approx(j / float(total.at["TLG", "2022"]) * 100)
    assert head.at["TLG", "gva_per_head"] == pytest.approx(float(total.at["TLG", "2022"]) * 1e6 / float(population.at["TLG", "2022"]))
    assert head.at["UK", "gva_per_head"] == pytest.approx(float(total.at["UK", "2022"]) * 1e6 / float(population.at["UK", "2022"]))
    assert head.attrs["years"]["ict_share_pct"] == head.attrs["years"]["gva_per_head"] == 2022
    assert "2022; ONS, April 2024" in head.attrs["labels"]["ict_share_pct"]
    birmingham = profiles.headline("TLG31")  # ITL3 has an ICT share too
    itl3 = _raw("gva_itl3_cp_2024")
    b = itl3[(itl3["code"] == "TLG31")].set_index("SIC07 code")["2022"]
    assert birmingham.at["TLG31", "ict_share_pct"] == pytest.approx(b["J (58-63)"] / float(total.at["TLG31", "2022"]) * 100)


def test_headline_metrics_come_from_the_tables_that_produced_them(real_data):
    metrics = {m.id: m for m in profile.metrics("TLG", *profile.window("TLG"))}
    head = profiles.headline("TLG")
    assert metrics["TLG_ict_share"].value == head.at["TLG", "ict_share_pct"]
    assert set(metrics["TLG_ict_share"].sources) == set(head.attrs["column_sources"]["ict_share_pct"])
    assert "1998-2022, April 2024 release" in metrics["TLG_ict_cagr_current_prices"].description
    assert "1998-2021, April 2023 release" in metrics["uk_total_ict_cagr_chained_volume"].description
    ids = {m.id for m in profile.metrics("TLG31", *profile.window("TLG31"))}
    assert {"TLG31_ict_cagr_chained_volume", "TLG31_ict_share", "TLG31_gva_per_head"} <= ids  # ITL3 has ICT now
    assert "TLG31_telecoms_share_of_ict" not in ids
