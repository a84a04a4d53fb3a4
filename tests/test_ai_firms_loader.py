"""The WAIfinder loader's spatial placement on synthetic polygons: inside a polygon, just off the coast (snapped
to the nearest area within the limit), far off (unmatched, empty codes), and the parents from the registry."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.loaders import ai_firms


@pytest.fixture
def boundaries():
    import geopandas as gpd
    from shapely.geometry import box

    # two adjacent 10 km squares on the British National Grid, in Hartlepool/Stockton (TLC11) and South Teesside (TLC12)
    squares = [box(440_000, 520_000, 450_000, 530_000), box(450_000, 520_000, 460_000, 530_000)]
    frame = gpd.GeoDataFrame({"region_code": ["TLC11", "TLC12"], "source_id": "geo_itl3"}, geometry=squares,
                             crs="EPSG:27700")
    return frame.to_crs("EPSG:4326")


def _orgs(points_bng):
    import geopandas as gpd
    wgs84 = gpd.GeoSeries(gpd.points_from_xy(*zip(*points_bng)), crs="EPSG:27700").to_crs("EPSG:4326")
    return pd.DataFrame({"name": [f"org {i}" for i in range(len(points_bng))], "latitude": wgs84.y, "longitude": wgs84.x})


def test_points_inside_near_and_far(boundaries):
    orgs = _orgs([(445_000, 525_000), (455_000, 525_000), (461_000, 525_000), (480_000, 525_000)])
    placed = ai_firms.place_in_areas(orgs, boundaries)
    assert list(placed.itl3_code) == ["TLC11", "TLC12", "TLC12", ""]
    assert list(placed.itl_match) == ["within", "within", "nearest", "unmatched"]
    assert list(placed.itl2_code) == ["TLC1", "TLC1", "TLC1", ""] and list(placed.itl1_code[:3]) == ["TLC"] * 3
    assert placed.snap_distance_m[2] == pytest.approx(1_000, abs=5) and pd.isna(placed.snap_distance_m[3])
    assert placed.snap_distance_m[0] == 0 and (placed.itl_source_id == "geo_itl3").all()


def test_snap_limit_is_a_parameter(boundaries):
    placed = ai_firms.place_in_areas(_orgs([(461_000, 525_000)]), boundaries, max_snap_metres=500)
    assert placed.itl_match[0] == "unmatched" and placed.itl3_code[0] == ""
