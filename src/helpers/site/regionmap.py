"""The region picker of the landing page: the 12 ITL1 regions as an inline SVG map (each region a link to its
profile) and the ITL2/ITL3 profiles grouped under their ITL1 region.

The paths are drawn from the ``boundaries_itl1`` dataset (WGS84), simplified and projected to a plain
equirectangular projection (longitude scaled by the cosine of 54.5 N, close to the British National Grid's look
at this size), with coordinates rounded to one decimal: the same boundaries give the same SVG, byte for byte.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

WIDTH = 320  # SVG user units (the map scales to its box)
TOLERANCE_DEG = 0.02  # Douglas-Peucker tolerance in degrees: a few KB of path data per region
MIN_RING_AREA = 0.004  # square degrees: drop islets smaller than this (outside Scotland, they cannot be clicked)
COS_LAT = math.cos(math.radians(54.5))


def _rings(geometry) -> list:
    """The exterior rings of a (multi)polygon, largest first, islets dropped."""
    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    polygons = sorted(polygons, key=lambda p: -p.area)
    kept = [p for p in polygons if p.area >= MIN_RING_AREA] or polygons[:1]
    return [p.exterior for p in kept]


def region_paths(frame) -> tuple[list[dict], tuple[int, int]]:
    """[{code, d}] for each region of a GeoDataFrame with ``region_code`` and ``geometry`` (WGS84), and the
    (width, height) of the viewBox."""
    import shapely

    simplified = {row.region_code: shapely.simplify(row.geometry, TOLERANCE_DEG, preserve_topology=True)
                  for row in frame.itertuples()}
    min_x, min_y, max_x, max_y = frame.total_bounds
    scale = WIDTH / ((max_x - min_x) * COS_LAT)
    height = math.ceil((max_y - min_y) * scale)

    def point(x: float, y: float) -> str:
        return f"{(x - min_x) * COS_LAT * scale:.1f} {(max_y - y) * scale:.1f}"

    paths = []
    for code in sorted(simplified):
        parts = []
        for ring in _rings(simplified[code]):
            coords = list(ring.coords)[:-1]
            if len(coords) >= 3:
                parts.append("M" + " L".join(point(x, y) for x, y in coords) + "Z")
        paths.append({"code": code, "d": "".join(parts)})
    return paths, (WIDTH, height)


def itl1_map_svg(regions: list[dict]) -> Markup:
    """The clickable ITL1 map: ``regions`` is [{code, name, colour, href (None: no profile yet)}]; empty markup
    when the boundaries cannot be loaded (the list of regions beside the map still works)."""
    try:
        from helpers.data.datasets import load

        paths, (width, height) = region_paths(load("boundaries_itl1"))
    except Exception:  # boundaries not built or unreadable: the page keeps its list of regions
        return Markup("")
    by_code = {r["code"]: r for r in regions}
    shapes = []
    for path in paths:
        region = by_code.get(path["code"])
        if region is None:
            continue
        name = escape(region["name"])
        shape = (f'<path d="{path["d"]}" fill="{escape(region["colour"])}" stroke="#fff" stroke-width="0.8">'
                 f'<title>{name}</title></path>')
        if region.get("href"):
            shape = (f'<a href="{escape(region["href"])}" aria-label="{name}: region profile">{shape}</a>')
        shapes.append(shape)
    return Markup(
        f'<svg class="rd-map" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Map of the 12 UK regions and nations (ITL1): select one to open its profile" '
        f'xmlns="http://www.w3.org/2000/svg">' + "".join(shapes) + "</svg>"
    )
