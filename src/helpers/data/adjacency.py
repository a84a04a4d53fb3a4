"""Neighbouring areas from the ONS boundaries (datasets ``boundaries_itl1``, ``boundaries_itl2``, ``boundaries_itl3``),
for spatial checks: an area's neighbours are the areas whose boundary comes within ``TOLERANCE_M`` metres of its own
(the generalised boundaries leave slivers between areas that touch), measured on the British National Grid; an
island with no such neighbour (the Isle of Wight, Orkney, Shetland, the Outer Hebrides) takes the area whose centroid
is nearest its own. ``spatial_lag``: the mean of a value over each area's neighbours (row-standardised weights).
"""

from __future__ import annotations

import pandas as pd

from helpers.data.datasets import load
from helpers.data.memo import memoized

TOLERANCE_M = 100
BRITISH_NATIONAL_GRID = 27700


@memoized
def neighbours(level: str) -> dict[str, tuple[str, ...]]:
    """Area code -> the codes of its neighbours (module doc), every area of ``level`` ("ITL1", "ITL2", "ITL3")."""
    import geopandas as gpd

    areas = load(f"boundaries_{level.lower()}")[["region_code", "geometry"]].to_crs(BRITISH_NATIONAL_GRID)
    near = gpd.sjoin(areas, areas.assign(geometry=areas.geometry.buffer(TOLERANCE_M)), predicate="intersects")
    near = near[near.region_code_left != near.region_code_right]
    out = {code: tuple(sorted(group.region_code_right)) for code, group in near.groupby("region_code_left")}
    centroids = areas.set_index("region_code").geometry.centroid
    for code in set(areas.region_code) - set(out):
        distance = centroids.drop(code).distance(centroids[code])
        out[code] = (str(distance.idxmin()),)
    return dict(sorted(out.items()))


def spatial_lag(values: pd.Series, level: str) -> pd.Series:
    """Per area of ``values`` (indexed by area code): the mean of ``values`` over its neighbours that have one."""
    table = neighbours(level)
    lag = {code: values.reindex(list(table.get(code, ()))).mean() for code in values.index}
    return pd.Series(lag, name=values.name).reindex(values.index)
