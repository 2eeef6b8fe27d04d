"""Countries on a world map: shipped geometry, entity names to countries, a projection.

The geometry is Natural Earth's 1:110m country boundaries (public domain), shipped as the
TopoJSON of the npm package ``world-atlas`` (``riskscore/outputs/geodata``); nothing is
fetched at run time. ``decode_topojson`` turns its shared, delta-encoded arcs into
polygons; ``place_entities`` says which entities are countries on the map; ``project``
is the Equal Earth projection (Šavrič, Patterson and Jenny 2018), an equal-area map whose
formula fits in a few lines. The report draws the polygons with matplotlib and the page
with inline SVG paths (``svg_paths``).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

__all__ = ["Country", "Placement", "countries", "decode_topojson", "place_entities", "project",
           "resolve_country", "svg_paths"]

Ring = tuple[tuple[float, float], ...]   # (longitude, latitude) points, closed
Polygon = tuple[Ring, ...]               # the outer ring, then its holes

GEOMETRY = "countries-110m.json"
NOT_A_COUNTRY = "not a country name or ISO code"
# Features without an ISO numeric code in the file, keyed by the codes in common use.
UNCODED = {"N. Cyprus": "CYN", "Somaliland": "SOL", "Kosovo": "XKX"}
# Everyday names pycountry does not know (its names are the ISO ones: "Russian Federation").
ALIASES = {
    "russia": "RUS", "iran": "IRN", "syria": "SYR", "vietnam": "VNM", "laos": "LAO",
    "south korea": "KOR", "korea": "KOR", "north korea": "PRK", "bolivia": "BOL",
    "venezuela": "VEN", "tanzania": "TZA", "moldova": "MDA", "czech republic": "CZE",
    "turkey": "TUR", "ivory coast": "CIV", "cote d'ivoire": "CIV", "côte d'ivoire": "CIV",
    "democratic republic of the congo": "COD", "dr congo": "COD", "drc": "COD",
    "republic of the congo": "COG", "congo": "COG", "kyrgyzstan": "KGZ", "taiwan": "TWN",
    "brunei": "BRN", "cape verde": "CPV", "swaziland": "SWZ", "macedonia": "MKD",
    "east timor": "TLS", "burma": "MMR", "the gambia": "GMB", "gambia": "GMB",
    "the bahamas": "BHS", "bahamas": "BHS", "micronesia": "FSM", "palestine": "PSE",
    "vatican": "VAT", "united states of america": "USA", "usa": "USA", "us": "USA",
    "uk": "GBR", "great britain": "GBR", "kosovo": "XKX", "somaliland": "SOL",
    "northern cyprus": "CYN",
}


@dataclass(frozen=True)
class Country:
    """One country of the shipped map: its code, its name on the map and its polygons."""

    iso3: str
    name: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Placement:
    """Which entities are on the map (entity -> ISO3) and which are not (entity -> why)."""

    placed: dict[str, str]
    unplaced: dict[str, str]

    @property
    def is_map(self) -> bool:
        """Whether the entities are countries: some are on the map, and at least half of
        them name a country (on the map or too small for it)."""
        unknown = sum(why == NOT_A_COUNTRY for why in self.unplaced.values())
        return bool(self.placed) and 2 * unknown <= len(self.placed) + len(self.unplaced)


def decode_topojson(topology: Mapping, name: str) -> list[tuple[str | None, str, list[Polygon]]]:
    """The geometries of the object ``name`` of a quantised TopoJSON ``topology``.

    Returns ``(id, properties.name, polygons)`` per Polygon or MultiPolygon geometry; each
    polygon is its rings as (longitude, latitude) points. Arcs are delta-encoded integers
    (``transform``: scale and translate); an arc index ``~i`` (i.e. ``-i - 1``) is arc ``i``
    reversed; consecutive arcs of a ring share their joining point, kept once.
    """
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for dx, dy, *_ in arc:
            if transform:
                x, y = x + dx, y + dy
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(dx), float(dy)))
        arcs.append(points)

    def ring(indices: Sequence[int]) -> Ring:
        out: list[tuple[float, float]] = []
        for index in indices:
            points = arcs[index] if index >= 0 else arcs[~index][::-1]
            out.extend(points[1:] if out else points)
        return tuple(out)

    found = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [tuple(ring(r) for r in geometry["arcs"])]
        elif kind == "MultiPolygon":
            polygons = [tuple(ring(r) for r in polygon) for polygon in geometry["arcs"]]
        else:
            continue
        found.append((geometry.get("id"), (geometry.get("properties") or {}).get("name", ""),
                      polygons))
    return found


@functools.cache
def countries() -> dict[str, Country]:
    """The shipped map's countries by ISO 3166-1 alpha-3 code (read once)."""
    import pycountry

    text = resources.files("riskscore.outputs.geodata").joinpath(GEOMETRY).read_text("utf-8")
    out = {}
    for code, name, polygons in decode_topojson(json.loads(text), "countries"):
        found = pycountry.countries.get(numeric=code) if code else None
        iso3 = found.alpha_3 if found is not None else UNCODED.get(name)
        if iso3:
            out[iso3] = Country(iso3, name, tuple(_cut_at_antimeridian(p) for p in polygons))
    return out


def _cut_at_antimeridian(polygon: Polygon) -> Polygon:
    """The polygon's rings with any that cross 180° cut into an eastern and a western part.

    A ring that crosses (Russia's Chukotka, Fiji) jumps from +180 to -180 between two points;
    unwrapped to run on past 180 and clipped at 180 on each side, it gives two rings that
    draw on the map's two edges instead of a band across the whole world. A hole stays a
    hole only when nothing is cut, which is the case of every hole in the shipped map.
    """
    rings: list[Ring] = []
    for ring in polygon:
        if not any(abs(b[0] - a[0]) > 180 for a, b in zip(ring, ring[1:], strict=False)):
            rings.append(ring)
            continue
        unwrapped, shift = [ring[0]], 0.0
        for (lon0, _), (lon1, lat1) in zip(ring, ring[1:], strict=False):
            if lon1 - lon0 > 180:
                shift -= 360
            elif lon0 - lon1 > 180:
                shift += 360
            unwrapped.append((lon1 + shift, lat1))
        for offset in (0.0, -360.0, 360.0):
            moved = [(lon + offset, lat) for lon, lat in unwrapped]
            piece = _clip(_clip(moved, 180.0, keep_below=True), -180.0, keep_below=False)
            if len(piece) > 2:
                rings.append(tuple(piece + piece[:1]) if piece[0] != piece[-1] else tuple(piece))
    return tuple(rings)


def _clip(points: list[tuple[float, float]], edge: float, *, keep_below: bool
          ) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a closed ring on one side of the meridian ``edge``."""
    def inside(p: tuple[float, float]) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: list[tuple[float, float]] = []
    for k, current in enumerate(points):
        previous = points[k - 1]
        if inside(current) != inside(previous):
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def resolve_country(name: str, iso3: str | None = None) -> str | None:
    """The ISO3 code ``name`` stands for: an ISO code (alpha-3, alpha-2 or numeric), an ISO
    name (short, common or official, any case), a name on the map or an everyday alias
    ("Russia"). ``iso3`` (a profile's own code) wins when given. None when nothing matches:
    names are never guessed at."""
    import pycountry

    if iso3:
        return iso3.strip().upper()
    key = " ".join(name.split())
    if not key:
        return None
    alias = ALIASES.get(key.casefold())
    if alias:
        return alias
    if key.upper() in UNCODED.values():
        return key.upper()
    try:
        return pycountry.countries.lookup(key).alpha_3
    except LookupError:
        pass
    on_map = {c.name.casefold(): c.iso3 for c in countries().values()}
    return on_map.get(key.casefold())


def place_entities(entities: Iterable[str], iso3: Mapping[str, str | None] | None = None
                   ) -> Placement:
    """Which ``entities`` are countries drawn on the shipped map.

    ``iso3`` gives codes known for some entities (a profile's ``iso3``). An entity is
    unplaced when its name resolves to no country, or to one too small for the 1:110m map
    (e.g. Singapore, Malta), or when another entity already holds its country.
    """
    shapes = countries()
    placed: dict[str, str] = {}
    unplaced: dict[str, str] = {}
    holders: dict[str, str] = {}
    for entity in entities:
        code = resolve_country(entity, (iso3 or {}).get(entity))
        if code is None:
            unplaced[entity] = NOT_A_COUNTRY
        elif code not in shapes:
            unplaced[entity] = f"{code} is too small for the 1:110m map"
        elif code in holders:
            unplaced[entity] = f"{code} is already {holders[code]}"
        else:
            placed[entity] = code
            holders[code] = entity
    return Placement(placed, unplaced)


# ---- the Equal Earth projection ---------------------------------------------------------
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth x, y (north up) of a point in degrees; x in about ±2.71, y in ±1.32."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (
        3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, y


def projected_rings(country: Country) -> list[list[tuple[float, float]]]:
    """Every ring of ``country`` projected (outer rings and holes alike)."""
    return [[project(lon, lat) for lon, lat in ring] for polygon in country.polygons
            for ring in polygon]


def main_polygon(country: Country) -> Polygon:
    """The country's largest polygon (by its outer ring's area in degrees): where it is,
    ignoring far islands and territories (French Guiana for France, Alaska's tip for Russia)."""
    return max(country.polygons, key=lambda polygon: abs(_area(polygon[0])))


def _area(ring: Ring) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


@functools.cache
def svg_paths(width: float = 960.0) -> dict[str, str]:
    """Each country's SVG path data on a ``width``-wide Equal Earth map (y down), points to
    0.1 unit; Antarctica left out. The page colours these paths."""
    scale = width / (2 * project(180, 0)[0])
    out = {}
    for iso3, country in countries().items():
        if iso3 == "ATA":
            continue
        parts = []
        for ring in projected_rings(country):
            points = [f"{(x * scale + width / 2):.1f},{(-y * scale + _top(scale)):.1f}"
                      for x, y in ring]
            deduped = [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]
            if len(deduped) > 2:
                parts.append("M" + "L".join(deduped) + "Z")
        out[iso3] = "".join(parts)
    return out


# the page's map runs from 84°N to 58°S (Antarctica left out)
NORTH, SOUTH = 84.0, -58.0


def _top(scale: float) -> float:
    return project(0, NORTH)[1] * scale


def svg_height(width: float = 960.0) -> float:
    """The height of the page's map for ``width`` (84°N to 58°S)."""
    scale = width / (2 * project(180, 0)[0])
    return (project(0, NORTH)[1] - project(0, SOUTH)[1]) * scale
