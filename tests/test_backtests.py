"""Back-tests of reports/metrics.csv: headline figures recorded by the notebooks, compared with values computed
here straight from the raw files (pandas on the downloaded CSV/XLS/RDS, not through helpers) and with figures
that ONS and the Social Mobility Commission publish in those files. Metrics are stored to 6 significant digits,
so the tolerance is a relative 1e-5 unless stated."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.sources import fetch

TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def metrics(site) -> pd.DataFrame:
    table = pd.read_csv(site.reports / "metrics.csv")
    assert not table.duplicated(["report", "id"]).any()
    return table.set_index(["report", "id"])["value"]


def _raw_csv(source_id: str) -> pd.DataFrame:
    return pd.read_csv(fetch([source_id])[source_id], thousands=",", dtype={"SIC07 code": str})


def test_uk_ict_and_finance_growth(metrics, site):
    report = "ict-vs-finance--chained-volume"
    cvm = _raw_csv("gva_itl1_cvm_2023")
    uk = cvm[cvm["ITL region code"] == "UK"].set_index("SIC07 code")
    for sector, code in [("J", "J (58-63)"), ("K", "K (64-66)")]:
        expected = ((uk.loc[code, "2021"] / uk.loc[code, "1998"]) ** (1 / 23) - 1) * 100
        assert metrics[(report, f"uk_{sector}_cagr_chained_volume")] == pytest.approx(expected, rel=TOLERANCE)
    cp = _raw_csv("gva_itl1_cp_2023")
    uk_cp = cp[cp["ITL region code"] == "UK"].set_index("SIC07 code")
    cagr = {s: ((uk_cp.loc[c, "2021"] / uk_cp.loc[c, "1998"]) ** (1 / 23) - 1) * 100 for s, c in [("J", "J (58-63)"), ("K", "K (64-66)")]}
    found = pd.read_csv(site.reports / "findings.csv").set_index("id")
    assert found.loc["ict_outgrew_finance_cash", "estimate"] == pytest.approx(cagr["J"] - cagr["K"], rel=TOLERANCE)


def test_regions_where_ict_excluding_telecoms_outgrew_finance_in_current_prices(metrics):
    cp = _raw_csv("gva_itl1_cp_2023")
    regions = cp[cp["ITL region code"].str.fullmatch(r"TL[C-N]")]
    wide = regions.pivot(index="ITL region code", columns="SIC07 code", values=["1998", "2021"])
    others = ["58", "59", "60", "62", "63"]  # J excluding telecoms (61), summed in current prices
    ratio_j = wide["2021"][others].sum(axis=1) / wide["1998"][others].sum(axis=1)
    ratio_k = wide[("2021", "K (64-66)")] / wide[("1998", "K (64-66)")]
    gap = ((ratio_j ** (1 / 23)) - (ratio_k ** (1 / 23))) * 100  # CAGR gap, points a year
    # "faster" needs a gap above the materiality band of 0.25 points a year
    assert metrics[("ict-vs-finance--current-prices", "regions_J_excl_61_faster_current_prices")] == (gap > 0.25).sum()


def test_london_shares_of_ict_gva_and_venture_capital(metrics):
    """ICT GVA from the Apr 2024 release (ITL2 rows summed to ITL1; totals from its Table 1), with London's 2021
    share under the Apr 2023 release as the vintage check, and London's ICT LQ at both ends of the series."""
    cp = _raw_csv("gva_itl1_cp_2023")
    ict = cp[(cp["SIC07 code"] == "J (58-63)") & cp["ITL region code"].str.fullmatch(r"TL[C-N]")].set_index("ITL region code")["2021"]
    assert metrics[("concentration", "london_share_ict_gva_previous_release")] == pytest.approx(ict["TLI"] / ict.sum() * 100, rel=TOLERANCE)
    new = pd.read_csv(fetch(["gva_itl2_cp_2024"])["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    new = new[new["SIC07 code"] == "J (58-63)"].groupby(new["ITL code"].str[:3])[["1998", "2021", "2022"]].sum()
    total = pd.read_csv(fetch(["gva_total_cp_2024"])["gva_total_cp_2024"])
    total = total[total["ITL"] == "ITL1"].set_index("ITL code")[["1998", "2022"]]
    for year in ("2021", "2022"):
        expected = new.loc["TLI", year] / new[year].sum() * 100
        key = "london_share_ict_gva_latest_release" if year == "2021" else "london_share_ict_gva"
        assert metrics[("concentration", key)] == pytest.approx(expected, rel=TOLERANCE)
    for year in ("1998", "2022"):
        lq = (new.loc["TLI", year] / new[year].sum()) / (total.loc["TLI", year] / total[year].sum())
        end = "first" if year == "1998" else "last"
        assert metrics[("concentration", f"london_lq_ict_gva_{end}")] == pytest.approx(lq, rel=TOLERANCE)
    assert metrics[("concentration", "lq_ict_gva_london")] == pytest.approx(lq, rel=TOLERANCE)
    vc = pd.read_csv(fetch(["nesta_venture_capital"])["nesta_venture_capital"])
    vc = vc[vc["year"] == 2019]
    london = vc[vc["nuts_id"].str.startswith("UKI")]["gbp_venture_capital_received"].sum()
    expected = london / vc["gbp_venture_capital_received"].sum() * 100
    assert metrics[("concentration", "london_share_venture_capital")] == pytest.approx(expected, rel=TOLERANCE)


def test_ict_share_revisions_small_for_settled_years_and_the_latest_change(metrics):
    """The referee's point: the Apr 2024 release revises London's ICT share by hundredths of a point for 1998-2018
    and by up to 2 points for the latest years; the 2021-2022 change of the newest release is a first estimate."""
    old = _raw_csv("gva_itl1_cp_2023")
    old = old[(old["SIC07 code"] == "J (58-63)") & old["ITL region code"].str.fullmatch(r"TL[C-N]")].set_index("ITL region code")
    new = pd.read_csv(fetch(["gva_itl2_cp_2024"])["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    years = [str(y) for y in range(1998, 2023)]
    new = new[new["SIC07 code"] == "J (58-63)"].groupby(new["ITL code"].str[:3])[years].sum()
    share_new = new.loc["TLI"] / new.sum() * 100
    settled = [str(y) for y in range(1998, 2019)]
    revision = share_new[settled] - old.loc["TLI", settled].astype(float) / old[settled].astype(float).sum() * 100
    assert metrics[("concentration", "london_share_ict_gva_max_revision_settled")] == pytest.approx(revision.abs().max(), rel=TOLERANCE)
    change = share_new["2022"] - share_new["2021"]
    assert metrics[("concentration", "london_share_ict_gva_change_newest_year")] == pytest.approx(change, rel=TOLERANCE)


def test_london_share_of_ai_preprints_by_year_and_pooled(metrics):
    """Nesta EURITO AI-preprint participations (NUTS1 rows of the raw file): London's share by year, and London's and
    the Greater South East's share pooled over 2017-2021 (2021 a partial year, data collected to July)."""
    raw = pd.read_csv(fetch(["nesta_ai_preprints"])["nesta_ai_preprints"])
    uk = raw[raw["region_id"].str.startswith("UK") & (raw["region_level"] == 1)]
    wide = uk.pivot_table(index="year", columns="region_id", values="artificial_intelligence_count", aggfunc="sum").fillna(0)
    for year in range(2010, 2022):
        expected = wide.loc[year, "UKI"] / wide.loc[year].sum() * 100
        assert metrics[("concentration", f"london_share_ai_preprints_{year}")] == pytest.approx(expected, rel=TOLERANCE)
    pooled = wide.loc[2017:2021].sum()
    assert metrics[("concentration", "london_share_ai_preprints_recent")] == pytest.approx(pooled["UKI"] / pooled.sum() * 100, rel=TOLERANCE)
    gse = pooled[["UKI", "UKJ", "UKH"]].sum() / pooled.sum() * 100
    assert metrics[("concentration", "gse_share_ai_preprints_recent")] == pytest.approx(gse, rel=TOLERANCE)


def test_ai_ecosystem_tech_firms_per_100k_keeps_its_decimals(metrics):
    """Nesta tech firms founded 2016-2018 per 100,000 residents (mean population of those years), London: a value
    near 20, recorded unrounded (the report once showed whole numbers)."""
    from helpers.data import indicators

    raw = pd.read_csv(fetch(["nesta_tech_firms_founded"])["nesta_tech_firms_founded"])
    raw = raw[raw["year"].between(2016, 2018) & raw["nuts_id"].str.startswith("UKI")]
    pop = indicators.population_for_years([2016, 2017, 2018]).mean()["TLI"]
    expected = raw["companies_founded"].sum() / pop * 100_000
    assert metrics[("ai-ecosystem", "london_tech_firms_per_100k")] == pytest.approx(expected, rel=TOLERANCE)
    assert metrics[("ai-ecosystem", "london_tech_firms_per_100k")] != round(expected)


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


def test_ict_growth_on_both_price_bases_in_the_west_midlands_profile(metrics):
    """Apr 2024 ITL2 current prices summed to ITL1 (1998-2022) and the Apr 2023 ITL1 chained-volume table."""
    new = pd.read_csv(fetch(["gva_itl2_cp_2024"])["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    j = new[new["SIC07 code"] == "J (58-63)"].groupby(new["ITL code"].str[:3])[["1998", "2022"]].sum()
    cp = {"TLG": j.loc["TLG"], "uk_total": j.sum()}
    cvm = _raw_csv("gva_itl1_cvm_2023").set_index(["ITL region code", "SIC07 code"])
    for prefix, code in (("TLG", "TLG"), ("uk_total", "UK")):
        expected = ((cp[prefix]["2022"] / cp[prefix]["1998"]) ** (1 / 24) - 1) * 100
        assert metrics[("profile--TLG", f"{prefix}_ict_cagr_current_prices")] == pytest.approx(expected, rel=TOLERANCE)
        row = cvm.loc[(code, "J (58-63)")]
        expected = ((row["2021"] / row["1998"]) ** (1 / 23) - 1) * 100
        assert metrics[("profile--TLG", f"{prefix}_ict_cagr_chained_volume")] == pytest.approx(expected, rel=TOLERANCE)


def test_business_rd_against_the_uk_total_smc_publishes(real_data):
    """SMC SON 2026 publishes UK BERD 2024 (its UK trend row, GBP billion); the ITL2 rates times population
    must come within 5% (population is the 2022 estimate, and some BERD is not allocated to areas)."""
    from helpers.data import indicators

    raw = pd.read_csv(fetch(["berd_itl2_son26"])["berd_itl2_son26"])
    published = raw[(raw["chart_type"] == "trend") & (raw["time_period"].astype(str) == "2024")]["value"].item()
    assert published == pytest.approx(55.615)
    assert indicators.business_rd(editions=indicators.BERD_SOURCES).loc[2024].sum() / 1000 == pytest.approx(published, rel=0.05)


def test_claims_check_ai_postings_and_west_midlands_employment(metrics):
    """The '200%' claim: UK AI postings (AI share x all-postings index, SA) and the AI share, June 2025 on June
    2024 (monthly means of the raw Indeed CSVs); the 144,000 claim: West Midlands DCMS digital employment (22 SIC
    classes from the raw BRES subclass file), average 2019-2021."""
    import pyreadr

    def gb(source_id, column):
        raw = pd.read_csv(fetch([source_id])[source_id], parse_dates=["date"])
        return raw[raw["jobcountry"] == "GB"].set_index("date")[column]

    total = pd.read_csv(fetch(["indeed_postings_national"])["indeed_postings_national"], parse_dates=["date"])
    total = total[total["variable"] == "total postings"].set_index("date")["indeed_job_postings_index_SA"]
    share = gb("indeed_ai_share", "AI_share_postings")
    monthly = pd.DataFrame({"share": share, "postings": share * total}).resample("MS").mean()
    change = (monthly.loc["2025-06-01"] / monthly.loc["2024-06-01"] - 1) * 100
    assert metrics[("claims-check", "uk_ai_postings_change_2025_06")] == pytest.approx(change["postings"], rel=TOLERANCE)
    assert metrics[("claims-check", "uk_ai_share_change_2025_06")] == pytest.approx(change["share"], rel=TOLERANCE)
    classes = ["2611", "2612", "2620", "2630", "2640", "2680", "4651", "4652", "5821", "5829", "6110", "6120", "6130",
               "6190", "6201", "6202", "6203", "6209", "6311", "6312", "9511", "9512"]  # DCMS digital sector
    bres = next(iter(pyreadr.read_r(str(fetch(["bres_employment_sic5_2023"])["bres_employment_sic5_2023"])).values()))
    wm = bres[bres["GEOGRAPHY_CODE"].str.startswith("UKG") & bres["INDUSTRY_CODE"].str.zfill(5).str[:4].isin(classes)]
    average = wm[wm["DATE"].astype(int).between(2019, 2021)].groupby("DATE")["COUNT"].sum().mean()
    assert metrics[("claims-check", "wm_dcms_digital_employment_avg_2019_2021")] == pytest.approx(average, rel=TOLERANCE)
