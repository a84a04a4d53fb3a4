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
    """The newest release: April 2024, 2022 (ITL2 rows of J summed over all industries from its Table 1)."""
    new = pd.read_csv(fetch(["gva_itl2_cp_2024"])["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    j = new[(new["SIC07 code"] == "J (58-63)") & new["ITL code"].str.startswith("TLG")]["2022"].sum()
    total = pd.read_csv(fetch(["gva_total_cp_2024"])["gva_total_cp_2024"]).set_index("ITL code")
    assert metrics[("profile--TLG", "TLG_ict_share")] == pytest.approx(j / float(total.at["TLG", "2022"]) * 100, rel=TOLERANCE)


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
    """The '200%' claim: UK AI postings (AI share x all-postings index, SA) and the AI share over the claimant's window,
    1-14 February 2025, against the same days of 2024, and over the article's month (June 2025 on June 2024), from the
    raw Indeed CSVs; the 144,000 claim: DCMS digital employment (22 SIC classes from the raw BRES subclass file) in the
    Combined Authority's area, the metropolitan county (NUTS 2 UKG3 = ITL2 TLG3), 2021."""
    import pyreadr

    def gb(source_id, column):
        raw = pd.read_csv(fetch([source_id])[source_id], parse_dates=["date"])
        return raw[raw["jobcountry"] == "GB"].set_index("date")[column]

    total = pd.read_csv(fetch(["indeed_postings_national"])["indeed_postings_national"], parse_dates=["date"])
    total = total[total["variable"] == "total postings"].set_index("date")["indeed_job_postings_index_SA"]
    share = gb("indeed_ai_share", "AI_share_postings")
    daily = pd.DataFrame({"share": share, "postings": share * total})
    change = (daily.loc["2025-02-01":"2025-02-14"].mean() / daily.loc["2024-02-01":"2024-02-14"].mean() - 1) * 100
    assert metrics[("claims-check", "uk_ai_postings_change_claim_window")] == pytest.approx(change["postings"], rel=TOLERANCE)
    assert metrics[("claims-check", "uk_ai_share_change_claim_window")] == pytest.approx(change["share"], rel=TOLERANCE)
    monthly = daily.resample("MS").mean()
    june = (monthly.loc["2025-06-01"] / monthly.loc["2024-06-01"] - 1) * 100
    assert metrics[("claims-check", "uk_ai_postings_change_article_month")] == pytest.approx(june["postings"], rel=TOLERANCE)
    classes = ["2611", "2612", "2620", "2630", "2640", "2680", "4651", "4652", "5821", "5829", "6110", "6120", "6130",
               "6190", "6201", "6202", "6203", "6209", "6311", "6312", "9511", "9512"]  # DCMS digital sector
    bres = next(iter(pyreadr.read_r(str(fetch(["bres_employment_sic5_2023"])["bres_employment_sic5_2023"])).values()))
    digital = bres[bres["INDUSTRY_CODE"].str.zfill(5).str[:4].isin(classes) & (bres["DATE"].astype(int) == 2021)]
    assert metrics[("claims-check", "TLG3_digital_employment_2021")] == pytest.approx(
        digital[digital["GEOGRAPHY_CODE"] == "UKG3"]["COUNT"].sum(), rel=TOLERANCE)
    assert metrics[("claims-check", "TLG_digital_employment_2021")] == pytest.approx(
        digital[digital["GEOGRAPHY_CODE"].str.startswith("UKG")]["COUNT"].sum(), rel=TOLERANCE)


def test_claims_check_west_midlands_rank_and_ict_gap(metrics):
    """The Combined Authority's area (TLG3) ranks among the 36 ITL2 areas outside London on ICT growth in current
    prices, 2017-2022 (April 2024); ICT minus finance in current prices, 2016-2022, the UK (the ITL2 rows summed)."""
    new = pd.read_csv(fetch(["gva_itl2_cp_2024"])["gva_itl2_cp_2024"], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    j = new[(new["SIC07 code"] == "J (58-63)") & ~new["ITL code"].str.startswith("TLI")].set_index("ITL code")
    rank = (((j["2022"] / j["2017"]) ** (1 / 5) - 1) * 100).rank(ascending=False, method="min")["TLG3"]
    assert metrics[("claims-check", "wm_fastest_growing_tech_baseline")] == rank
    cagr = {s: ((new[new["SIC07 code"] == c]["2022"].sum() / new[new["SIC07 code"] == c]["2016"].sum()) ** (1 / 6) - 1) * 100
            for s, c in (("J", "J (58-63)"), ("K", "K (64-66)"))}
    assert metrics[("claims-check", "ict_outgrowing_finance_baseline")] == pytest.approx(cagr["J"] - cagr["K"], rel=TOLERANCE)


# ---------------------------------------------------------------- one figure, one value, written one way on every page


def _text(path) -> str:
    import html
    import re

    page = re.sub(r"<(style|script)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_one_value_per_figure_across_pages(metrics):
    """A figure two reports record is one value: the UK's ICT growth in the profiles is question 1's (the UK row
    where the release publishes one), on both price bases."""
    for profile, q1 in (("uk_total_ict_cagr_chained_volume", "uk_J_cagr_chained_volume"),
                        ("uk_total_ict_cagr_current_prices_1998_2021", "uk_J_cagr_current_prices")):
        assert metrics[("profile--TLG", profile)] == metrics[("ict-vs-finance--chained-volume", q1)]


def test_signs_agree_between_pages(metrics, site):
    """The landing page and the claims check write the AI postings change with the sign of the recorded figure, and
    the UK's fall in all postings with a minus, never as a rise."""
    from helpers.findings.numbers import fmt

    rise, fall = (metrics[("claims-check", f"uk_{m}_change_claim_window")] for m in ("ai_postings", "all_postings"))
    assert rise > 0 > fall
    landing, claims = _text(site.reports / "index.html"), _text(site.reports / "claims-check.html")
    for page in (landing, claims):
        assert f"rose {fmt(rise, 'pct_signed', 0)}" in page
    assert f"({fmt(fall, 'pct_signed')})" in claims and fmt(-fall, "pct_signed") not in claims


def test_rounding_agrees_between_pages(site):
    """One figure, one way of writing it: the telecoms price fall (question 1's implied deflator) reads the same in
    the ICT-vs-finance report and the West Midlands profile, and no page rounds it differently."""
    import re

    q1, profile = _text(site.reports / "ict-vs-finance--chained-volume.html"), _text(site.reports / "profile--TLG.html")
    fall = re.search(r"implied price fell (\d+\.\d)%", q1).group(1)
    assert f"UK price fell {fall}% from" in profile
    for page in (q1, profile):
        assert "almost 99%" not in page and "by 98%" not in page and "fell 98%" not in page
