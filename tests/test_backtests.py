"""Back-tests of reports/metrics.csv: headline figures recorded by the notebooks, compared with values computed
here straight from the raw files (pandas on the downloaded CSV/XLS/RDS, not through helpers) and with figures
that ONS and the Social Mobility Commission publish in those files. Metrics are stored to 6 significant digits,
so the tolerance is a relative 1e-5 unless stated."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.pipeline.sources import fetch

TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def metrics(site) -> pd.DataFrame:
    table = pd.read_csv(site.reports / "metrics.csv")
    assert not table.duplicated(["report", "id"]).any()
    return table.set_index(["report", "id"])["value"]


def _raw_csv(source_id: str) -> pd.DataFrame:
    return pd.read_csv(fetch([source_id])[source_id], thousands=",", dtype={"SIC07 code": str})


def test_uk_ict_and_finance_growth_and_shares(metrics):
    report = "ict-vs-finance--chained-volume"
    cvm = _raw_csv("gva_itl1_cvm_2023")
    uk = cvm[cvm["ITL region code"] == "UK"].set_index("SIC07 code")
    for sector, code in [("J", "J (58-63)"), ("K", "K (64-66)")]:
        expected = ((uk.loc[code, "2021"] / uk.loc[code, "1998"]) ** (1 / 23) - 1) * 100
        assert metrics[(report, f"uk_{sector}_cagr_chained_volume")] == pytest.approx(expected, rel=TOLERANCE)
    cp = _raw_csv("gva_itl1_cp_2023")
    uk_cp = cp[cp["ITL region code"] == "UK"].set_index("SIC07 code")["2021"]
    assert metrics[(report, "uk_J_share_2021")] == pytest.approx(uk_cp["J (58-63)"] / uk_cp["Total"] * 100, rel=TOLERANCE)


def test_regions_where_ict_outgrew_finance_in_current_prices(metrics):
    cp = _raw_csv("gva_itl1_cp_2023")
    regions = cp[cp["ITL region code"].str.fullmatch(r"TL[C-N]")]
    wide = regions.pivot(index="ITL region code", columns="SIC07 code", values=["1998", "2021"])
    ratio_j = wide[("2021", "J (58-63)")] / wide[("1998", "J (58-63)")]
    ratio_k = wide[("2021", "K (64-66)")] / wide[("1998", "K (64-66)")]
    assert metrics[("ict-vs-finance--current-prices", "regions_J_faster_current_prices")] == (ratio_j > ratio_k).sum()


def test_london_shares_of_ict_gva_and_venture_capital(metrics):
    cp = _raw_csv("gva_itl1_cp_2023")
    ict = cp[(cp["SIC07 code"] == "J (58-63)") & cp["ITL region code"].str.fullmatch(r"TL[C-N]")].set_index("ITL region code")["2021"]
    assert metrics[("concentration", "london_share_ict_gva_2021")] == pytest.approx(ict["TLI"] / ict.sum() * 100, rel=TOLERANCE)
    vc = pd.read_csv(fetch(["nesta_venture_capital"])["nesta_venture_capital"])
    vc = vc[vc["year"] == 2019]
    london = vc[vc["nuts_id"].str.startswith("UKI")]["gbp_venture_capital_received"].sum()
    expected = london / vc["gbp_venture_capital_received"].sum() * 100
    assert metrics[("concentration", "london_share_venture_capital_2019")] == pytest.approx(expected, rel=TOLERANCE)


def test_london_productivity_equals_the_index_ons_publishes(metrics):
    """ONS Subregional productivity (June 2024), sheet A2: unsmoothed GVA per hour, UK less Extra-Regio = 100."""
    sheet = pd.read_excel(fetch(["productivity_2024"])["productivity_2024"], sheet_name="A2", header=4, engine="calamine")
    london = sheet[sheet["ITL_code"] == "TLI"].iloc[0]
    column = next(c for c in sheet.columns if str(c).endswith("2021"))
    assert metrics[("productivity", "london_productivity_per_hour_2021")] == pytest.approx(london[column], rel=TOLERANCE)


def test_ict_share_in_the_west_midlands_profile(metrics):
    cp = _raw_csv("gva_itl1_cp_2023")
    wm = cp[cp["ITL region code"] == "TLG"].set_index("SIC07 code")["2021"]
    assert metrics[("profile--TLG", "TLG_ict_share")] == pytest.approx(wm["J (58-63)"] / wm["Total"] * 100, rel=TOLERANCE)


def test_business_rd_against_the_uk_total_smc_publishes(real_data):
    """SMC SON 2026 publishes UK BERD 2024 (its UK trend row, GBP billion); the ITL2 rates times population
    must come within 5% (population is the 2022 estimate, and some BERD is not allocated to areas)."""
    from helpers.analysis import indicators

    raw = pd.read_csv(fetch(["berd_itl2_son26"])["berd_itl2_son26"])
    published = raw[(raw["chart_type"] == "trend") & (raw["time_period"].astype(str) == "2024")]["value"].item()
    assert published == pytest.approx(55.615)
    assert indicators.business_rd().loc[2024].sum() / 1000 == pytest.approx(published, rel=0.05)
