"""Region profiles: the words agree with the numbers they print. Growth rates within the materiality band are "about
the same", with no direction; productivity that rounds to 100 is "about the same as the UK's"; telecoms' weight has
one reading, used by the note and the Main points alike; Northern Ireland has no BRES employment at any level; the
areas tables say what they list; per-head caveats and small counts are flagged. Expected values are computed here
from the raw ONS CSVs or the reference tables (or are constructed inputs), not through the profile code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.sources import fetch
from helpers.findings import wording
from helpers.questions.profiles import areas
from helpers.questions.profiles import findings as profile
from helpers.questions.profiles import tables as profiles
from helpers.show import tables as formatting

ROOT = Path(__file__).resolve().parents[1]
BAND = 0.25  # points a year: the project's materiality band (helpers.findings.model.BANDS["growth_gap"])


def _pace(area, uk):
    gap = area - uk
    return "about the same" if abs(gap) <= BAND else "faster" if gap > 0 else "slower"


def _cmp(real, same, ext) -> dict:
    """A ``growth.comparison``-shaped dict from (area, UK) rates on the three bases."""
    out = {}
    for basis, (a, u), window, release in (("chained_volume", real, (1998, 2021), "April 2023 release"),
                                           ("current_prices_same_window", same, (1998, 2021), "April 2023 release"),
                                           ("current_prices", ext, (1998, 2022), "April 2024 release")):
        out[basis] = {"area": a, "uk": u, "pace": _pace(a, u), "window": window, "release": release}
    paces = {out["current_prices_same_window"]["pace"], out["current_prices"]["pace"]}
    out["agreement"] = "same" if len(paces) == 1 else "differ" if paces == {"faster", "slower"} else "tie"
    return out


def _title(*rates) -> str:
    return wording.line("profiles", "growth_title", name="Area", cmp=_cmp(*rates))


# ------------------------------------------------------------------ constructed inputs (fast)


def test_rates_within_the_band_are_about_the_same_with_no_direction():
    title = _title((11.3, 9.9), (4.26, 4.29), (4.15, 4.53))
    assert "grew faster than the UK's in real terms but at about the same rate in current prices. 1998-2021, April 2023" in title
    assert "current prices 4.3% vs 4.3%;" in title and "more slowly in current prices" not in title
    assert "4.2% vs 4.5%, slower; a gap in one release and window, about the same in the other" in title
    title = _title((12.6, 9.9), (4.51, 4.29), (4.50, 4.53))
    assert "4.5% vs 4.5%, about the same in both releases and windows" in title and "differ" not in title


def test_direction_is_claimed_only_outside_the_band():
    title = _title((7.5, 9.9), (5.6, 4.3), (3.9, 4.5))
    assert "grew more slowly than the UK's in real terms but faster in current prices" in title
    assert "3.9% vs 4.5%, slower; the two releases and windows differ in direction" in title
    title = _title((9.8, 9.9), (4.0, 4.1), (4.4, 4.5))
    assert "grew at about the same rate as the UK's in real terms and in current prices" in title


@pytest.mark.parametrize("value, side", [(100.0, "about the same as"), (100.4, "about the same as"), (99.5, "about the same as"),
                                         (100.6, "above"), (99.4, "below"), (87.0, "below"), (154.0, "above")])
def test_productivity_that_rounds_to_100_is_about_the_same(value, side):
    assert wording.line("profiles", "productivity_side", x=value) == side


def _reading(**t) -> str:
    base = {"available": True, "price_change_pct": -98.456, "start_year": 1998, "end_year": 2021, "year": 2022}
    return wording.line("profiles", "telecoms_reading", name="Area", t={**base, **t}, band=5)


def test_telecoms_has_one_reading_and_never_contradicts_itself():
    """The West Midlands case: telecoms a larger share of ICT output (38% against 23%) but about the same share of
    real ICT growth (77% against 78%): the reading follows the share of real growth, and says nothing else."""
    west_midlands = _reading(cp_share_area=37.9, cp_share_uk=23.2, real_growth_share_area=76.8, real_growth_share_uk=78.5)
    assert "about the same share, so telecoms' falling price weighs about as much" in west_midlands
    assert "owes more" not in west_midlands and "owes at least as much" not in west_midlands
    assert "does not by itself explain" not in west_midlands
    london = _reading(cp_share_area=11.2, cp_share_uk=23.2, real_growth_share_area=62.8, real_growth_share_uk=78.5)
    assert "a smaller share, so real ICT growth here owes less" in london
    itl2 = _reading(cp_share_area=41.8, cp_share_uk=23.2)  # no decomposition below ITL1: the weight in output
    assert "likely to owe more to telecoms' falling price" in itl2 and "fell 98.5% from 1998 to 2021" in itl2
    assert "likely to owe about as much" in _reading(cp_share_area=22.8, cp_share_uk=23.2)
    itl3 = wording.line("profiles", "telecoms_reading", name="Area", t={"available": False}, band=5)
    assert "not available" in itl3 and "%" not in itl3


def test_notebooks_state_no_years_and_derive_the_window_from_the_data():
    for name in ("region_profile.ipynb", "claims_check.ipynb"):
        cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
        markdown = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        assert not re.search(r"\b(19|20)\d\d\b", markdown), name
    parameters = next("".join(c["source"]) for c in json.loads((ROOT / "notebooks" / "region_profile.ipynb").read_text(
        encoding="utf-8"))["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert "start_year = None" in parameters and "end_year = None" in parameters


# ------------------------------------------------------------------ real data


def _raw(source_id: str) -> pd.DataFrame:
    frame = pd.read_csv(fetch([source_id])[source_id], thousands=",", encoding="utf-8-sig", dtype={"SIC07 code": str})
    return frame.rename(columns={"ITL region code": "code", "ITL code": "code"})


def _cagr(start, end, years):
    return ((end / start) ** (1 / years) - 1) * 100


@pytest.mark.parametrize("code", ["TLN0", "TLD7", "TLK1", "TLG"])
def test_growth_ties_in_the_flagged_profiles_are_about_the_same(real_data, code):
    """ICT CAGRs from the raw CSVs: real and current prices 1998-2021 (April 2023), current prices 1998-2022 (April
    2024, ITL2 rows summed); the UK as the sum of the ITL1 regions (current prices) or its published row (real)."""
    level = "itl1" if len(code) == 3 else "itl2"
    j = lambda raw: raw[raw["SIC07 code"] == "J (58-63)"]  # noqa: E731
    cp23 = j(_raw(f"gva_{level}_cp_2023")).set_index("code")
    uk23 = j(_raw("gva_itl1_cp_2023")).query("code.str.fullmatch('TL[C-N]')", engine="python")
    cvm = j(_raw(f"gva_{level}_cvm_2023")).set_index("code")
    cvm_uk = j(_raw("gva_itl1_cvm_2023")).set_index("code").loc["UK"]
    new = j(_raw("gva_itl2_cp_2024"))
    rates = {"real": (_cagr(cvm.at[code, "1998"], cvm.at[code, "2021"], 23), _cagr(cvm_uk["1998"], cvm_uk["2021"], 23)),
             "same": (_cagr(cp23.at[code, "1998"], cp23.at[code, "2021"], 23), _cagr(uk23["1998"].sum(), uk23["2021"].sum(), 23)),
             "ext": (_cagr(*new[new["code"].str.startswith(code)][["1998", "2022"]].sum(), 24),
                     _cagr(*new[["1998", "2022"]].sum(), 24))}
    title = profile.growth(code, *profile.window(code)).attrs["title"]
    points = profile.main_points(code, *profile.window(code))
    for text in (title, " ".join(points.split())):
        assert f"current prices {rates['same'][0]:.1f}% vs {rates['same'][1]:.1f}%;" in text
        assert f"current prices {rates['ext'][0]:.1f}% vs {rates['ext'][1]:.1f}%, {_pace(*rates['ext'])}" in text
        assert ("differ in direction" in text) == ({_pace(*rates["same"]), _pace(*rates["ext"])} == {"faster", "slower"})


def test_the_west_midlands_note_and_main_points_read_telecoms_the_same_way(real_data):
    window = profile.window("TLG")
    note = profile.growth("TLG", *window).attrs["note"]
    points = " ".join(profile.main_points("TLG", *window).split())
    reading = note.split("inside ICT. ")[1].split(" Current-price growth")[0]
    assert reading in points and points.count("Telecoms (SIC 61)") == 1


@pytest.mark.parametrize("code", ["TLN06", "TLN0", "TLN"])
def test_northern_ireland_has_no_employment_structure_at_any_level(real_data, code):
    structure = profiles.employment_structure(code)
    assert structure.empty and "BRES covers Great Britain only" in structure.attrs["note"]
    assert f"({code}, {profiles.level_of(code)})" in structure.attrs["note"]


def _reference(level: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / "reference" / f"{level.lower()}_regions.csv")


def test_areas_tables_list_what_their_titles_say(real_data):
    itl2, itl3 = _reference("ITL2"), _reference("ITL3")
    tables = areas.area_tables("TLG3")
    assert [t.attrs["title"] for t in tables] == [
        "The ITL3 areas of West Midlands (TLG3, ITL2)",
        "West Midlands (ITL2 area) and the other ITL2 areas of West Midlands (TLG, ITL1)"]
    assert list(tables[0]["code"]) == list(itl3.loc[itl3.itl2_code == "TLG3", "itl3_code"])
    assert list(tables[1]["code"]) == list(itl2.loc[itl2.itl1_code == "TLG", "itl2_code"])
    (birmingham,) = areas.area_tables("TLG31")
    assert birmingham.attrs["title"] == "Birmingham and the other ITL3 areas of West Midlands (TLG3, ITL2)"
    assert birmingham["ict_share_pct"].notna().all()  # every level has an ICT share now
    (ni,) = areas.area_tables("TLN0")
    assert ni.attrs["title"] == "The ITL3 areas of Northern Ireland (TLN0, ITL2)" and len(ni) == (itl3.itl2_code == "TLN0").sum()


def test_headline_note_caveats_commuting_and_flags_small_ai_counts(real_data):
    orgs = real_data("ai_organisations")
    counts = orgs[orgs.itl3_code != ""].groupby("itl3_code").size()
    small = [c for c in _reference("ITL3").query("itl2_code == 'TLG3'").itl3_code if counts.get(c, 0) < 5]
    assert small and counts["TLG31"] >= 5
    for code in ("TLI31", "TLG31", small[0]):
        note = profiles.headline_table(code).attrs["note"]
        assert "overstate residents' output" in note and ("Small count" in note) == (code in small)
    table = areas.sibling_areas("TLG31")
    assert list(table["ai_organisations"]) == [counts.get(c, 0) for c in table["code"]]
    names = [profiles.area_label(c) for c in small]
    verb = "rests" if len(names) == 1 else "each rest"
    assert f"the AI rate of {', '.join(names)} {verb} on fewer than 5 organisations" in table.attrs["note"]


@pytest.mark.parametrize("code", ["TLC", "TLD11", "TLI31"])
def test_ai_rate_column_has_one_precision_in_every_areas_table(real_data, code):
    for table in areas.area_tables(code):
        html = formatting.table_html(table)
        header = re.findall(r"<th[^>]*>(.*?)</th>", html)
        rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(<td.*?)</tr>", html)]
        column = next(i for i, h in enumerate(header) if h.startswith("AI organisations per 100,000 people"))
        assert all(re.fullmatch(r"[\d,]+\.\d\d", row[column]) for row in rows)


def test_zones_and_sites_are_titled_as_in_the_itl1_region(real_data):
    itl3 = _reference("ITL3").set_index("itl3_code")
    code = itl3.index[itl3.itl1_code == "TLL"][0]
    name = itl3.at[code, "itl3_name"]
    title = profile.line("zones_title", name=name, itl1="TLL", level="ITL3")
    assert title.startswith(f"AI Growth Zones in Wales, the ITL1 region that contains {name}") and "need not be in" in title
    policy = profiles.policies("TLK11")  # Bristol: Isambard-AI, with its source
    assert list(policy["sites"].site) == ["Isambard-AI"] and policy["sites"].address.str.startswith("https://").all()
    assert policy["zones"].empty


@pytest.mark.parametrize("code", ["TLG", "TLK1", "TLE42"])
def test_similar_areas_section_names_five_areas_at_its_level_and_a_command_that_parses(real_data, code):
    import shlex

    from helpers import regions
    from helpers.data.areas import resolve_many
    from helpers.questions.compare import tables as compare
    from helpers.site.adhoc import adhoc_run

    text = profile.similar_areas(code, compare.similar_areas(code))
    level = regions.geography_level(code)
    linked = re.findall(r"\]\(profile--([A-Z0-9]+)\.html\)", text)
    assert len(linked) == 5 == len(set(linked)) and code not in linked
    assert all(regions.geography_level(c) == level for c in linked)
    assert f"most like {profiles.area_label(code)}" in text and "standardised headline indicators" in text
    command = re.search(r"`(regional-divide report [^`]+)`", text).group(1)
    words = shlex.split(command)
    assert words[:4] == ["regional-divide", "report", "compare_areas", "-p"] and len(words) == 5
    run = adhoc_run(words[2], [words[4]])
    assert resolve_many(run.parameters["areas"]) == [code, *linked]


def test_rank_table_medians_have_the_precision_of_the_values_they_summarise(real_data):
    html = formatting.table_html(profiles.ecosystem_ranks("TLE42"))
    rows = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td.*?</td>", row)] for row in re.findall(r"<tr>(.*?)</tr>", html)]
    rows = [r for r in rows if r]

    def places(text):
        return len(text.split(".")[1]) if "." in text else 0

    assert len(rows) >= 5 and all(places(r[3]) == places(r[4]) for r in rows)
    # AI organisations per 100,000 people, from the processed tables with pandas: median of the 12 ITL1 regions
    orgs = pd.read_parquet(ROOT / "data" / "processed" / "ai_organisations.parquet")
    accounts = pd.read_parquet(ROOT / "data" / "processed" / "regional_accounts.parquet")
    people = accounts[(accounts.measure == "population") & (accounts.geography_level == "ITL1")]
    people = people[people.source_id == "population_2024"]  # the newest population release (data/sources.yml)
    people = people[people.year == people.year.max()].set_index("region_code")["value"]
    rate = orgs[orgs.itl1_code != ""].groupby("itl1_code").size().reindex(people.index, fill_value=0) / people * 1e5
    ai_row = next(r for r in rows if r[0].startswith("AI organisations"))
    assert places(ai_row[4]) >= 1 and float(ai_row[4]) == pytest.approx(rate.median(), abs=0.05)


@pytest.mark.parametrize("code", ["TLE42", "TLK1", "TLG"])
def test_the_profile_s_own_first_heading_names_its_area(code):
    level = {5: "itl3", 4: "itl2", 3: "itl1"}[len(code)]
    names = pd.read_csv(ROOT / "data" / "reference" / f"{level}_regions.csv").set_index(f"{level}_code")[f"{level}_name"]
    assert profile.page_heading(code) == f"# {names[code]} ({code}): profile"
    cells = json.loads((ROOT / "notebooks" / "region_profile.ipynb").read_text())["cells"]
    first = next(i for i, c in enumerate(cells) if "profile.page_heading(region)" in "".join(c["source"]))
    before = [c for c in cells[:first] if c["cell_type"] == "markdown"]
    assert not any(re.search(r"^#{1,6} ", "".join(c["source"]), flags=re.M) for c in before)
