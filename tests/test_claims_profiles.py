"""The claims table, the claim checks and the region profiles: the claims the issue lists are all there,
every verdict is from the fixed set, and verdicts and profile figures agree with figures computed here
from the raw files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis import claims, profiles
from helpers.errors import UnknownRegionError

REQUIRED = {
    "ict_outgrowing_finance", "ai_postings_80pct_london", "tech_vacancies_65pct_london", "ai_budget_19_vs_13",
    "genai_training_58_vs_40", "ai_demand_up_200pct", "wm_fastest_growing_tech", "wm_tech_144k_employees",
    "wm_140_ai_companies", "agz_investment_jobs", "ai_13m_jobs_2035", "skills_7_6m_by_2030", "skills_10m_by_2030",
    "one_million_students", "one_million_courses",
}


def test_claims_table_has_the_required_claims_with_quotes_found_in_the_seeds():
    table = claims.claims()
    assert REQUIRED <= set(table.index)
    assert set(table.index) == set(claims.CHECKS)
    assert (table["quote"].str.len() > 20).all() and (table["document"] != "").all()


def test_quotes_appear_in_their_seed_documents():
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.exists():
        pytest.fail(f"{seeds} is missing: the claims are checked against ../shared/seeds beside the checkout")
    for claim_id, row in claims.claims().iterrows():
        text = (seeds / row["document"].split(":")[0]).read_text(encoding="utf-8")
        text = text.replace("º£½ÇÊÓÆµ", "UK")  # the garbled word in 000 stands for "UK" (DEVELOPERS.md)
        normalise = lambda s: " ".join(s.replace("–", "-").replace("’", "'").split())  # noqa: E731
        for fragment in row["quote"].split(" ... "):
            assert normalise(fragment) in normalise(text), claim_id


def test_every_verdict_is_from_the_fixed_set(real_data):
    checked = claims.check_all()
    assert set(checked["verdict"]) <= set(claims.VERDICTS)
    assert (checked["caveat"].str.len() > 20).all()


def test_ict_vs_finance_verdict_follows_from_the_raw_csvs(real_data):
    from helpers.pipeline.sources import fetch

    gaps = []
    for source in ("gva_itl1_cvm_2023", "gva_itl1_cp_2023"):
        raw = pd.read_csv(fetch([source])[source], thousands=",", dtype={"SIC07 code": str})
        uk = raw[raw["ITL region code"] == "UK"].set_index("SIC07 code")
        growth = {s: (uk.loc[s, "2021"] / uk.loc[s, "1998"]) ** (1 / 23) for s in ("J (58-63)", "K (64-66)")}
        gaps.append(growth["J (58-63)"] > growth["K (64-66)"])
    expected = {2: claims.SUPPORTED, 1: claims.PARTLY, 0: claims.NOT_SUPPORTED}[sum(gaps)]
    assert claims.check_all().loc["ict_outgrowing_finance", "verdict"] == expected


def test_west_midlands_ict_jobs_verdict_follows_from_the_raw_bres_file(real_data):
    import pyreadr

    from helpers.pipeline.sources import fetch

    raw = next(iter(pyreadr.read_r(str(fetch(["bres_employment_sic2_2023"])["bres_employment_sic2_2023"])).values()))
    wm = raw[raw["GEOGRAPHY_CODE"].str.startswith("UKG") & raw["INDUSTRY_CODE"].isin(["58", "59", "60", "61", "62", "63"])
             & (raw["DATE"].astype(int) == 2021)]
    ratio = wm["COUNT"].sum() / 144_000
    expected = claims.SUPPORTED if 0.85 <= ratio <= 1.15 else claims.PARTLY if 0.6 <= ratio <= 1.4 else claims.NOT_SUPPORTED
    checked = claims.check_all().loc["wm_tech_144k_employees"]
    assert checked["verdict"] == expected
    assert f"{wm['COUNT'].sum():,.0f}" in checked["evidence"]


def test_growth_zones_are_five_announcements_in_great_britain():
    zones = claims.growth_zones()
    assert len(zones) == 5 and (zones["status"] == "announcement").all()
    assert (zones["itl1_code"] == "TLL").sum() == 2 and (zones["itl1_code"] == "TLM").sum() == 1
    assert "TLN" not in set(zones["itl1_code"])


def test_profile_ict_share_matches_raw_csv(real_data):
    from helpers.pipeline.sources import fetch

    raw = pd.read_csv(fetch(["gva_itl1_cp_2023"])["gva_itl1_cp_2023"], thousands=",", dtype={"SIC07 code": str})
    wm = raw[raw["ITL region code"] == "TLG"].set_index("SIC07 code")["2021"]
    headline = profiles.headline("TLG")
    assert headline.loc["TLG", "ict_share_pct"] == pytest.approx(wm["J (58-63)"] / wm["Total"] * 100)
    assert list(headline.index) == ["TLG", "TLI", "UK"]


def test_profiles_work_for_itl2_and_reject_unknown_codes(real_data):
    assert list(profiles.headline("TLG3").index) == ["TLG3", "TLI", "UK"]
    assert list(profiles.sub_regions("TLG3").index) == ["TLG1", "TLG2", "TLG3"]
    assert profiles.employment_structure("TLN").empty  # BRES covers Great Britain only
    with pytest.raises(UnknownRegionError, match="Valid codes: TLC, TLD"):
        profiles.headline("TLX")


def test_profile_notebook_runs_for_an_itl2_area(real_data, tmp_path):
    import papermill

    from helpers.runner import KERNEL

    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    executed = papermill.execute_notebook(str(notebooks / "region_profile.ipynb"), str(tmp_path / "TLG3.ipynb"),
                                          parameters={"region": "TLG3"}, kernel_name=KERNEL, cwd=str(notebooks),
                                          progress_bar=False)
    outputs = json.dumps([c.get("outputs", []) for c in executed.cells if c.cell_type == "code"])
    assert "(TLG3, ITL2)" in outputs and "Evalue" not in outputs
    assert "Herefordshire, Worcestershire and Warwickshire" in outputs  # its sibling TLG1 in the sub-regions table
