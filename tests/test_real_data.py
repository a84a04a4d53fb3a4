"""Integration tests on the real files (through the mirror): identities computed here, not by helpers,
and figures published by ONS where the vintage matches."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers import regions

ITL1 = [f"TL{c}" for c in "CDEFGHIJKLMN"]


def _pivot(frame, **filters):
    for column, value in filters.items():
        frame = frame[frame[column] == value]
    return frame


def test_itl1_plus_extra_regio_is_uk_in_current_prices(real_data):
    gva = _pivot(real_data("gva_by_industry"), source_id="gva_itl1_cp_2023", industry_code="TOTAL")
    wide = gva.pivot(index="year", columns="region_code", values="value")
    difference = wide[ITL1 + ["TLZ"]].sum(axis=1) - wide["UK"]
    assert difference.abs().max() <= 13  # each of the 13 parts is rounded to GBP 1m
    assert difference[2021] == 0  # exact in the latest year, as published
    assert wide.loc[2021, "UK"] == 2_040_499  # published UK total, Apr 2023 release


@pytest.mark.parametrize("industry", ["TOTAL", "J", "K"])
def test_itl2_sums_to_itl1(real_data, industry):
    gva = real_data("gva_by_industry", release="2023-04-25")
    itl1 = _pivot(gva, source_id="gva_itl1_cp_2023", industry_code=industry).query("geography_level == 'ITL1'")
    itl2 = _pivot(gva, source_id="gva_itl2_cp_2023", industry_code=industry)
    summed = itl2.groupby(["itl1_code", "year"])["value"].sum()
    direct = itl1.set_index(["region_code", "year"])["value"]
    direct.index.names = summed.index.names
    # ONS balances each table separately and rounds to GBP 1m: allow 1m per ITL2 area summed
    assert (summed - direct.loc[summed.index]).abs().max() <= 10


def test_divisions_add_up_to_sections(real_data):
    gva = _pivot(real_data("gva_by_industry"), source_id="gva_itl1_cp_2023", region_code="UK")
    by_code = gva.set_index(["industry_code", "year"])["value"]
    for section, divisions in {"J": ["58", "59", "60", "61", "62", "63"], "K": ["64", "65", "66"]}.items():
        parts = sum(by_code.loc[d] for d in divisions)
        assert (parts - by_code.loc[section]).abs().max() <= len(divisions), section  # GBP 1m rounding each


def test_every_itl1_region_every_year(real_data):
    checks = {
        "gva_by_industry": ("gva_itl1_cvm_2023", range(1998, 2022)),
        "regional_accounts": ("gva_total_cp_2024", range(1998, 2023)),
        "labour_productivity": ("productivity_2024", range(2004, 2023)),
        "job_postings": ("indeed_postings_regions", range(2020, 2027)),
        "employment": ("workforce_jobs_2021", range(1996, 2022)),
    }
    for name, (source_id, years) in checks.items():
        frame = _pivot(real_data(name), source_id=source_id).query("geography_level == 'ITL1'")
        present = frame.groupby("year")["region_code"].apply(lambda s: sorted(set(s)))
        for year in years:
            assert present.get(year) == ITL1, f"{name} {source_id}: ITL1 regions missing in {year}"


def test_population_and_gva_give_published_gva_per_head(real_data):
    accounts = _pivot(real_data("regional_accounts", release="2023-04-25"), source_id="gva_per_head_2023")
    wide = accounts.pivot_table(index=["region_code", "year"], columns="measure", values="value")
    wide = wide.dropna()
    computed = wide["gva_current_prices"] * 1e6 / wide["population"]
    # GVA is published rounded to GBP 1m and per head to GBP 1, so allow that rounding over the population
    tolerance = 0.5e6 / wide["population"] + 0.5
    assert ((computed - wide["gva_per_head"]).abs() <= tolerance).all()
    assert len(wide) > 200 * 20


def test_apr2024_totals_match_published(real_data):
    accounts = _pivot(real_data("regional_accounts"), year=2022)
    values = accounts.set_index(["source_id", "region_code"])["value"]
    assert values[("gva_total_cp_2024", "UK")] == 2_246_047
    assert values[("gva_total_cp_2024", "UKX")] == 2_230_427
    assert values[("population_2024", "UK")] == 67_596_279
    itl2_2024 = _pivot(real_data("gva_by_industry"), source_id="gva_itl2_cp_2024", industry_code="TOTAL", year=2022)
    assert itl2_2024["value"].sum() == 2_230_427  # ITL2 areas sum to UK less Extra-Regio
    assert accounts.query("source_id == 'population_2024' and region_code.str.startswith('TLM6')")["value"].isna().any()


def test_productivity_is_gva_over_hours(real_data):
    productivity = _pivot(real_data("labour_productivity"), year=2022).set_index(["region_code", "measure"])["value"]
    index = productivity.xs("gva_per_hour_index", level="measure")
    pounds = productivity.xs("gva_per_hour", level="measure")
    # the published index is GBP per hour relative to UK less Extra-Regio (both rounded to 1 dp)
    relative = pounds[ITL1] / pounds["UKX"] * 100
    assert (relative - index[ITL1]).abs().max() < 0.6


def test_bres_great_britain_coverage(real_data):
    employment = real_data("employment")
    bres = _pivot(employment, source_id="bres_employment_sic2_2023")
    assert bres.groupby("year")["region_code"].nunique().to_dict() == {y: 40 for y in range(2015, 2022)}
    assert "TLN" not in set(bres["itl1_code"])
    ict_2021 = bres.query("year == 2021 and industry_code in ['58', '59', '60', '61', '62', '63']")["value"].sum()
    assert 1.0e6 < ict_2021 < 2.0e6  # GB ICT employment is about 1.5 million (BRES)


def test_workforce_jobs_regions_add_up_to_uk(real_data):
    jobs = _pivot(real_data("employment"), source_id="workforce_jobs_2021", industry_code="TOTAL")
    wide = jobs.pivot(index="period", columns="region_code", values="value")
    share = (wide[ITL1].sum(axis=1) / wide["UK"] - 1).abs()
    assert share.max() < 0.005  # regional estimates are rounded to thousands


def test_indeed_index_starts_at_100(real_data):
    postings = real_data("job_postings")
    first = postings[postings.period == "2020-02-01"]
    assert sorted(first.region_code) == ITL1
    assert np.allclose(first["value"], 100.0)


def test_ai_organisations_place_regions_agree_with_spatial_join(real_data):
    """The loader places organisations by their coordinates (ITL3 polygons); an independent join with the ITL1
    polygons must give the same ITL1 region for nearly all, and so must the place's NUTS codes (kept as a check)."""
    import geopandas as gpd

    orgs = real_data("ai_organisations")
    assert len(orgs) == 3280 and orgs.is_company.sum() == 2785
    boundaries = real_data("boundaries_itl1")
    points = gpd.GeoDataFrame(orgs, geometry=gpd.points_from_xy(orgs.longitude, orgs.latitude), crs="EPSG:4326")
    joined = gpd.sjoin(points, boundaries[["region_code", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    inside = joined["region_code"].notna()
    assert (joined.loc[inside, "region_code"] == orgs.loc[inside, "itl1_code"]).mean() > 0.999
    assert (orgs["itl1_code"] == orgs["place_itl1_code"]).mean() > 0.99  # 99.7%: place and point agree on ITL1
    assert (orgs["itl_match"] == "within").mean() > 0.99 and (orgs["itl_match"] == "unmatched").sum() <= 5
    assert orgs.loc[orgs.itl_match == "nearest", "snap_distance_m"].max() <= 5_000


def test_ai_organisations_in_london_spread_over_its_itl2_areas(real_data):
    """The place NUTS codes put ~99% of London's organisations in Inner London West; by coordinates no ITL2 area
    of any region holds more than 80% of its region's organisations, and both Inner London areas are large."""
    orgs = real_data("ai_organisations").query("itl1_code != ''")
    shares = orgs.groupby("itl1_code")["itl2_code"].value_counts(normalize=True)
    assert shares.xs("TLI").max() < 0.8, shares.xs("TLI").to_dict()
    assert shares.xs("TLI")["TLI3"] > 0.3 and shares.xs("TLI")["TLI4"] > 0.3
    assert (orgs.query("place_itl1_code == 'TLI'")["place_itl2_code"] == "TLI3").mean() > 0.95  # the artefact fixed
    areas = pd.Series([regions.parent_itl1(a) for a in regions.codes("ITL2")]).value_counts()
    for region in areas[areas > 1].index:  # Northern Ireland is one ITL2 area
        assert shares.xs(region).max() <= 0.8, (region, shares.xs(region).to_dict())


def test_ai_organisations_itl3_by_shapely_on_known_points_and_a_sample(real_data):
    """Containment computed with shapely on the raw ITL3 GeoJSON (not geopandas, not the loader): a few known
    places, and a random sample of organisations."""
    from shapely import STRtree
    from shapely.geometry import Point, shape

    from helpers.data.sources import fetch

    features = json.loads(fetch(["geo_itl3"])["geo_itl3"].read_text())["features"]
    codes = [f["properties"]["ITL321CD"] for f in features]
    polygons = [shape(f["geometry"]).buffer(0) for f in features]
    tree = STRtree(polygons)

    def containing(lon, lat):
        hits = [codes[i] for i in tree.query(Point(lon, lat), predicate="within")]
        return hits[0] if len(hits) == 1 else None

    known = {(-1.8998, 52.4797): "Birmingham", (-0.0786, 51.5265): "Hackney and Newham",  # Shoreditch
             (-0.1276, 51.5034): "Westminster", (-2.2426, 53.4808): "Manchester", (0.1218, 52.2053): "Cambridgeshire CC"}
    for (lon, lat), name in known.items():
        assert regions.region_name(containing(lon, lat)) == name
    orgs = real_data("ai_organisations").sample(300, random_state=1)
    expected = [containing(lon, lat) for lon, lat in zip(orgs.longitude, orgs.latitude)]
    agree = [e == got for e, got in zip(expected, orgs.itl3_code) if e is not None]
    assert len(agree) >= 295 and all(agree)


def test_boundaries_valid_and_complete(real_data):
    itl1 = real_data("boundaries_itl1")
    itl2 = real_data("boundaries_itl2")
    assert sorted(itl1.region_code) == ITL1 and len(itl2) == 41
    assert itl1.is_valid.all() and itl2.is_valid.all()
    assert itl2.set_index("region_code").loc["TLJ3"].geometry.is_valid


def test_innovation_and_skills_cover_itl2(real_data):
    innovation = real_data("innovation")
    berd = innovation.query("source_id == 'berd_itl2_son26' and measure == 'berd_per_100k_residents'")
    assert sorted(berd.region_code) == sorted(regions.itl2_codes())
    skills = real_data("skills_and_adoption")
    for measure in ("postgraduate_degree_share", "new_economy_jobs_share", "gigabit_broadband_share"):
        itl2 = skills.query("measure == @measure and geography_level == 'ITL2'")
        assert sorted(itl2.region_code) == sorted(regions.itl2_codes()), measure
        assert itl2["value"].between(0, 100).all()
    vc = innovation.query("measure == 'venture_capital'")
    assert set(vc.itl1_code) <= set(ITL1) and vc.groupby("year")["itl1_code"].nunique().min() >= 11


def test_every_processed_table_records_its_sources(real_data):
    from helpers.data.datasets import DATASETS, releases
    from helpers.data.sources import load_manifest

    manifest = load_manifest()
    for dataset in DATASETS.values():
        if not hasattr(dataset, "provenance_path"):  # a reference table: nothing is built
            continue
        record = json.loads(dataset.provenance_path.read_text())
        assert [s["id"] for s in record["sources"]] == list(dataset.sources)
        for source in record["sources"]:
            assert source["sha256"] == manifest[source["id"]].sha256
        held = releases(dataset.name) if dataset.releases else [None]  # every release, not only the default's
        frames = [real_data(dataset.name, release=release) for release in held]
        recorded = set().union(*(set(f[c]) for f in frames for c in f.columns if c.endswith("source_id")))
        assert recorded == set(dataset.sources), dataset.name  # e.g. ai_organisations: itl_source_id


GVA_KEY = ["region_code", "industry_code", "year", "measure", "unit"]


def test_gva_by_industry_never_stacks_two_releases_of_a_figure(real_data):
    """By default each price basis and geography level comes from the latest release that has it (computed here from
    the manifest's publication dates); a named release gives that release alone."""
    from helpers.data.sources import get_source

    default = real_data("gva_by_industry")
    assert not default.duplicated(GVA_KEY).any()
    both = pd.concat([real_data("gva_by_industry", release=r) for r in ("2023-04-25", "2024-04-24")])
    published = {s: get_source(s).published for s in both["source_id"].unique()}
    expected = both.assign(published=both["source_id"].map(published)).groupby(
        ["measure", "geography_level"])["published"].max().to_dict()
    chosen = default.groupby(["measure", "geography_level"])["release"].unique().to_dict()
    assert {k: list(v) for k, v in chosen.items()} == {k: [v] for k, v in expected.items()}
    assert expected[("gva_current_prices", "ITL2")] == "2024-04-24"  # the April 2024 release has ITL2 and ITL3 only
    assert expected[("gva_chained_volume", "ITL3")] == expected[("gva_current_prices", "ITL1")] == "2023-04-25"
    assert both.duplicated(GVA_KEY).any()  # the two releases do overlap: the default is a choice, not an accident
    older = real_data("gva_by_industry", release="2023-04")
    assert set(older["release"]) == {"2023-04-25"} and not older.duplicated(GVA_KEY).any()


def test_an_unknown_release_is_one_sentence_naming_the_releases(real_data):
    from helpers.errors import RegionalDivideError

    with pytest.raises(RegionalDivideError, match=r"no release '2019'.*2023-04-25, 2024-04-24.*Fix:"):
        real_data("gva_by_industry", release="2019")
