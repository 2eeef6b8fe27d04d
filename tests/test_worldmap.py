"""The shipped world map: TopoJSON decoding, country names to codes, the Equal Earth projection."""

from __future__ import annotations

import math

import pytest

from riskscore.outputs import worldmap


def test_decode_a_hand_made_topology():
    # Two arcs in quantised, delta-encoded form: x = (sum of dx) * 2 + 10, y = (sum of dy) * 1 - 5.
    # Arc 0: (0,0) (1,0) (1,1) -> (10,-5) (12,-5) (12,-4); arc 1: (1,1) (0,1) (0,0) ->
    # (12,-4) (10,-4) (10,-5). Ring [0, 1] joins them, the shared point kept once; ring [~1, ~0]
    # (i.e. [-2, -1]) walks both reversed.
    topology = {"type": "Topology", "transform": {"scale": [2, 1], "translate": [10, -5]},
                "arcs": [[[0, 0], [1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]],
                "objects": {"things": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "id": "001", "properties": {"name": "Square"},
                     "arcs": [[0, 1]]},
                    {"type": "MultiPolygon", "id": "002", "properties": {"name": "Back"},
                     "arcs": [[[-2, -1]]]},
                    {"type": "Point", "coordinates": [0, 0]}]}}}
    found = worldmap.decode_topojson(topology, "things")
    assert [(f[0], f[1]) for f in found] == [("001", "Square"), ("002", "Back")]
    assert found[0][2] == [(((10, -5), (12, -5), (12, -4), (10, -4), (10, -5)),)]
    assert found[1][2] == [(((10, -5), (10, -4), (12, -4), (12, -5), (10, -5)),)]


def test_equal_earth_extent_is_the_published_one():
    # Šavrič, Patterson and Jenny (2018), Table 1 / the d3-geo implementation: for a unit
    # sphere the map spans x = ±2.7066 and y = ±1.3174, a width-to-height ratio of 2.05.
    x, _ = worldmap.project(180, 0)
    _, y = worldmap.project(0, 90)
    assert x == pytest.approx(2.70663, abs=1e-5)
    assert y == pytest.approx(1.31736, abs=1e-5)
    assert x / y == pytest.approx(2.05, abs=0.01)
    assert worldmap.project(0, 0) == (0.0, 0.0)
    assert worldmap.project(-90, -30) == pytest.approx(
        tuple(-v for v in worldmap.project(90, 30)))


@pytest.mark.parametrize(("name", "code"), [
    ("Kazakhstan", "KAZ"), ("kyrgyz republic", "KGZ"), ("KGZ", "KGZ"), ("UZ", "UZB"),
    ("Russia", "RUS"), ("Russian Federation", "RUS"), ("Türkiye", "TUR"), ("Turkey", "TUR"),
    ("Côte d'Ivoire", "CIV"), ("Dem. Rep. Congo", "COD"), ("Kosovo", "XKX"),
    ("  United   Kingdom ", "GBR"), ("E00001", None), ("Atlantis", None), ("", None),
])
def test_country_names_and_codes_resolve(name, code):
    assert worldmap.resolve_country(name) == code


def test_a_profile_code_wins_over_the_name():
    assert worldmap.resolve_country("Somewhere", "kaz") == "KAZ"


def test_place_entities_says_why_an_entity_is_not_on_the_map():
    placed = worldmap.place_entities(["Kazakhstan", "KAZ", "Singapore", "Atlantis", "Uzbekistan"])
    assert placed.placed == {"Kazakhstan": "KAZ", "Uzbekistan": "UZB"}
    assert placed.unplaced == {"KAZ": "KAZ is already Kazakhstan",
                               "Singapore": "SGP is too small for the 1:110m map",
                               "Atlantis": "not a country name or ISO code"}
    assert placed.is_map
    assert not worldmap.place_entities(["E1", "E2", "KAZ"]).is_map


def test_the_map_has_the_countries_of_natural_earth_110m():
    shapes = worldmap.countries()
    assert len(shapes) == 177   # world-atlas 2.0.2 countries-110m: 177 features
    assert {"KAZ", "USA", "BRA", "AUS", "ZAF", "LSO", "XKX", "ATA"} <= set(shapes)
    assert "SGP" not in shapes


@pytest.mark.parametrize("code", ["RUS", "FJI", "USA"])
def test_no_ring_crosses_the_antimeridian(code):
    # Crossing rings are cut at 180 degrees: no edge of any ring jumps across the world.
    rings = [ring for polygon in worldmap.countries()[code].polygons for ring in polygon]
    for ring in rings:
        assert all(-180 <= lon <= 180 for lon, _ in ring)
        assert all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False))
    if code in ("RUS", "FJI"):   # both have land on each side of 180 degrees
        assert any(lon == 180 for ring in rings for lon, _ in ring)
        assert any(lon == -180 for ring in rings for lon, _ in ring)


def test_svg_paths_stay_on_the_page_map():
    paths = worldmap.svg_paths()
    height = worldmap.svg_height()
    assert "ATA" not in paths and "KAZ" in paths
    for d in paths.values():
        assert d.startswith("M") and d.endswith("Z")
        for point in d.replace("M", " ").replace("L", " ").replace("Z", " ").split():
            x, y = map(float, point.split(","))
            assert -0.05 <= x <= 960.05
            assert -0.05 - 1 <= y <= height + 1   # 84°N to 58°S; a few islands reach a little past
    assert math.isclose(height / 960, (worldmap.project(0, 84)[1] - worldmap.project(0, -58)[1])
                        / (2 * worldmap.project(180, 0)[0]))
