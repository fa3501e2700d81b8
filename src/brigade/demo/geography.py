"""The demo district: 河东区's real outline and street names, invented street borders and roads.

The outline (EPSG:4490, practically WGS 84 longitude/latitude) and the 11 street names come from
the files in ``settings.BRIGADE_DATA_DIR`` (by default the package's own ``demo/data``). Street borders are a Voronoi division of seeded points
clipped to the outline; the road network is a jittered grid clipped to the outline: city blocks of
about 350 m in the urban core and around each street's seat, a road every ~1.4 km through the
countryside, each grid line cut into separately named runs; segments share junction vertices exactly.
Geometry is computed in a local metric projection (metres east/north of the district's centre).
"""

import csv
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import nearest_points, unary_union

from brigade.core.errors import UserError
from brigade.demo.names import ARTERIAL_SUFFIXES, unique_words

DISTRICT_NAME = "河东区"
DISTRICT_AREA_CODE = "371312"
STREETS_FILE = "linyi_streets.csv"
OUTLINE_FILE = "linyi_districts.geojson"
# Roughly where the district's built-up area lies (the west bank, facing the city centre).
URBAN_CENTRE_LL = (118.41, 35.07)
# The city proper (a fine street grid) and the built-up seat of every other street.
URBAN_RADIUS_M = 5_500.0
TOWN_RADIUS_M = 1_300.0
# Urban blocks are about this wide; countryside roads run on every sixth line (about 2 km apart).
ROAD_SPACING_M = 350.0
COUNTRY_SPACING_M = 2_100.0
# Grid segments one road name runs before it changes, by class (segments are ~350 m at full scale).
RUN_SEGMENTS = {"local": (2, 6), "secondary": (3, 8), "arterial": (5, 12), "main_rural": (5, 12), "rural": (3, 8),
                "expressway": (18, 30)}
RURAL_SUFFIXES = ("路", "路", "线")
EARTH_RADIUS_M = 6_371_008.8

MISSING_DATA = (
    "找不到演示区划数据文件 {path}。请将环境变量 BRIGADE_DATA_DIR 设置为包含 "
    "linyi_streets.csv 和 linyi_districts.geojson 的目录后重试。"
)
BAD_DATA = "演示区划数据文件 {path} 中没有找到{what}，请检查 BRIGADE_DATA_DIR 指向的数据是否完整。"


class DemoDataMissing(UserError):
    """The district files are absent or do not hold 河东区."""


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular projection around a centre: accurate to well under 1 % over a county."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(self.lat0))

    @property
    def ky(self) -> float:
        return math.radians(1) * EARTH_RADIUS_M

    def to_xy(self, lonlat: np.ndarray) -> np.ndarray:
        lonlat = np.asarray(lonlat, dtype=float)
        return np.column_stack(((lonlat[:, 0] - self.lon0) * self.kx, (lonlat[:, 1] - self.lat0) * self.ky))

    def to_ll(self, xy: np.ndarray) -> np.ndarray:
        xy = np.asarray(xy, dtype=float)
        return np.column_stack((xy[:, 0] / self.kx + self.lon0, xy[:, 1] / self.ky + self.lat0))


@dataclass
class StreetArea:
    code: str
    name: str
    kind: str  # "subdistrict" or "town"
    polygon_xy: object  # shapely (Multi)Polygon in metres
    inner_xy: object  # the polygon shrunk by a margin: points drawn here stay inside after rounding
    boundary: dict  # GeoJSON geometry in lon/lat (6 decimals)
    area_km2: float
    centre_distance_m: float
    seat_xy: tuple = (0.0, 0.0)  # the seeded point the street grew from: its built-up seat


@dataclass
class RoadEdge:
    a: int
    b: int
    name: str
    road_class: str
    length_m: float
    street: int  # index into District.streets of the midpoint (-1 if on a border)


@dataclass
class District:
    projection: LocalProjection
    outline_xy: object
    centre_xy: np.ndarray
    streets: list[StreetArea]
    nodes_xy: np.ndarray
    nodes_ll: np.ndarray  # rounded to 6 decimals: exactly the vertices stored in Road rows
    edges: list[RoadEdge]
    edge_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def street_of(self, xy: np.ndarray, inner: bool = True) -> np.ndarray:
        """Index of the street containing each point (-1 for none)."""
        xy = np.atleast_2d(np.asarray(xy, dtype=float))
        out = np.full(len(xy), -1, dtype=int)
        for i, street in enumerate(self.streets):
            inside = shapely.contains_xy(street.inner_xy if inner else street.polygon_xy, xy[:, 0], xy[:, 1])
            out[(out < 0) & inside] = i
        return out

    def to_ll(self, xy: np.ndarray) -> np.ndarray:
        return np.round(self.projection.to_ll(np.atleast_2d(xy)), 6)

    def distance_to_centre(self, xy: np.ndarray) -> np.ndarray:
        return np.hypot(*(np.atleast_2d(xy) - self.centre_xy).T)

    def point_on_edge(self, edge: RoadEdge, t: float) -> np.ndarray:
        return self.nodes_xy[edge.a] + t * (self.nodes_xy[edge.b] - self.nodes_xy[edge.a])


# ----------------------------------------------------------------------------------------------
# Source files


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DemoDataMissing(MISSING_DATA.format(path=path))
    return path


def read_street_names(data_dir: Path) -> list[tuple[str, str, str]]:
    """(code, name, kind) of the district's streets and towns, in code order."""
    path = _require(Path(data_dir) / STREETS_FILE)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("areaCode") == DISTRICT_AREA_CODE]
    if not rows:
        raise DemoDataMissing(BAD_DATA.format(path=path, what=f"区划代码 {DISTRICT_AREA_CODE} 的镇街"))
    rows.sort(key=lambda r: r["code"])
    return [(r["code"], r["name"], "town" if r["name"].endswith("镇") else "subdistrict") for r in rows]


def read_outline(data_dir: Path):
    """The district's outline as a shapely geometry in lon/lat."""
    path = _require(Path(data_dir) / OUTLINE_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data.get("features", []):
        if (feature.get("properties") or {}).get("name") == DISTRICT_NAME:
            return shape(feature["geometry"])
    raise DemoDataMissing(BAD_DATA.format(path=path, what=f"“{DISTRICT_NAME}”的边界"))


def check_data_files(data_dir: Path) -> None:
    """Raise DemoDataMissing (in Chinese, naming BRIGADE_DATA_DIR) unless both files hold 河东区."""
    read_street_names(data_dir)
    read_outline(data_dir)


# ----------------------------------------------------------------------------------------------
# Streets


def _geojson(geom_ll) -> dict:
    """GeoJSON of a geometry with coordinates rounded to 6 decimals, as plain lists."""
    rounded = shapely.set_precision(geom_ll, 1e-6)

    def lists(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(v), 6) for v in value]
            return [lists(v) for v in value]
        return value

    g = mapping(rounded)
    return {"type": g["type"], "coordinates": lists(g["coordinates"])}


def _seed_points(rng: random.Random, outline_xy, centre: np.ndarray, n: int, near: bool) -> list[tuple]:
    """Seeded street centres: sub-districts cluster around the urban core, towns lie beyond it."""
    minx, miny, maxx, maxy = outline_xy.bounds
    for min_gap in (5_000.0, 4_000.0, 3_000.0, 2_000.0, 1_000.0):
        points: list[tuple] = []
        for _ in range(4_000):
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            d = math.hypot(x - centre[0], y - centre[1])
            if near and d > 16_000 or not near and d < 19_000:
                continue
            if not outline_xy.contains(Point(x, y)):
                continue
            gap = min_gap if near else 3 * min_gap
            if all(math.hypot(x - px, y - py) >= gap for px, py in points):
                points.append((x, y))
                if len(points) == n:
                    return points
    raise RuntimeError("cannot place street seeds")  # pragma: no cover - geometry guarantees room


def divide_streets(rng, names, outline_xy, projection, centre) -> list[StreetArea]:
    towns = [n for n in names if n[2] == "town"]
    subs = [n for n in names if n[2] != "town"]
    seeds = _seed_points(rng, outline_xy, centre, len(subs), near=True)
    seeds += _seed_points(rng, outline_xy, centre, len(towns), near=False)
    ordered = subs + towns
    box = outline_xy.envelope.buffer(10_000)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=box)
    streets = []
    for (code, name, kind), seed in zip(ordered, seeds, strict=True):
        cell = next(c for c in cells.geoms if c.contains(Point(seed)))
        poly = cell.intersection(outline_xy)
        if poly.geom_type == "GeometryCollection":
            poly = unary_union([g for g in poly.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
        poly_ll = shapely.transform(poly, projection.to_ll)
        streets.append(StreetArea(
            code=code, name=name, kind=kind, polygon_xy=poly, inner_xy=poly.buffer(-40),
            boundary=_geojson(poly_ll), area_km2=round(poly.area / 1e6, 3),
            centre_distance_m=math.hypot(seed[0] - centre[0], seed[1] - centre[1]), seat_xy=tuple(seed),
        ))
    streets.sort(key=lambda s: s.code)
    return streets


# ----------------------------------------------------------------------------------------------
# Roads


def _largest_component(n: int, pairs: list[tuple[int, int]]) -> set[int]:
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    sizes: dict[int, int] = {}
    for a, _b in pairs:
        r = find(a)
        sizes[r] = sizes.get(r, 0) + 1
    best = max(sizes, key=lambda r: (sizes[r], -r))
    return {i for i in range(n) if find(i) == best}


def _town_centres(streets) -> np.ndarray:
    """Where each street's built-up seat lies (its seed point)."""
    return np.array([s.seat_xy for s in streets])


def _run_lengths(rng, road_class: str) -> int:
    """How many grid segments one named road runs before the name changes (a few hundred metres to a few km)."""
    lo, hi = RUN_SEGMENTS[road_class]
    return rng.randint(lo, hi)


def build_roads(rng, outline_xy, centre, streets, scale: float):
    """A jittered grid: a fine street grid in the city and around each street's seat, every fourth
    line through the countryside; each line is cut into named runs of a few hundred metres to a
    few kilometres, so a name belongs to one real-looking road, not to a whole grid line."""
    spacing = ROAD_SPACING_M / math.sqrt(max(min(scale, 1.0), 0.25))
    minx, miny, maxx, maxy = outline_xy.bounds
    ncols = int((maxx - minx) / spacing) + 2
    nrows = int((maxy - miny) / spacing) + 2
    jitter = 0.15 * spacing
    offsets = np.array([[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)]
                        for _ in range(ncols * nrows)]).reshape(ncols, nrows, 2)
    ii, jj = np.meshgrid(np.arange(ncols), np.arange(nrows), indexing="ij")
    grid = np.stack([minx + ii * spacing, miny + jj * spacing], axis=-1) + offsets
    flat = grid.reshape(-1, 2)
    inside = shapely.contains_xy(outline_xy, flat[:, 0], flat[:, 1]).reshape(ncols, nrows)
    to_centre = np.hypot(grid[..., 0] - centre[0], grid[..., 1] - centre[1])
    seats = _town_centres(streets)
    to_seat = np.min(np.hypot(grid[..., 0, None] - seats[:, 0], grid[..., 1, None] - seats[:, 1]), axis=-1)
    built_up = (to_centre < URBAN_RADIUS_M) | (to_seat < TOWN_RADIUS_M)

    ci = int((centre[0] - minx) / spacing)
    cj = int((centre[1] - miny) / spacing)
    coarse = max(1, round(COUNTRY_SPACING_M / spacing))
    express_col = min(ncols - 1, ci + int(9_000 / spacing))

    def line_class(kind: str, index: int, urban: bool) -> str:
        if kind == "col" and index == express_col:
            return "expressway"
        k = index - (cj if kind == "row" else ci)
        if k % (3 * coarse) == 0:
            # A main road: a city arterial in built-up areas, a county road between towns.
            return "arterial" if urban else "main_rural"
        if urban:
            return "secondary" if k % coarse == 0 else "local"
        return "rural" if k % coarse == 0 else ""

    candidates = []  # (a, b, line key, position along the line, class)
    for i in range(ncols):
        for j in range(nrows):
            for di, dj, kind in ((1, 0, "row"), (0, 1, "col")):
                i2, j2 = i + di, j + dj
                if i2 >= ncols or j2 >= nrows or not (inside[i, j] and inside[i2, j2]):
                    continue
                index = j if kind == "row" else i
                cls = line_class(kind, index, bool(built_up[i, j] and built_up[i2, j2]))
                if not cls:
                    continue  # countryside: only every ``coarse``-th line is a road
                mid = (grid[i, j] + grid[i2, j2]) / 2
                if not outline_xy.contains(Point(mid)):
                    continue
                candidates.append((i * nrows + j, i2 * nrows + j2, (kind, index), i if kind == "row" else j, cls))
    keep = _largest_component(ncols * nrows, [(a, b) for a, b, *_ in candidates])
    candidates = [c for c in candidates if c[0] in keep]

    # Name runs: along each line, a new name where the class changes, the line breaks, or the run is long enough.
    candidates.sort(key=lambda c: (c[2], c[3]))
    run_of = []
    runs: list[tuple[str, str]] = []  # (class, direction) per run
    previous = None
    left = 0
    for _a, _b, key, pos, cls in candidates:
        continues = previous is not None and previous[0] == key and previous[1] == pos - 1 and previous[2] == cls
        if not continues or left <= 0:
            runs.append((cls, key[0]))
            left = _run_lengths(rng, cls)
        left -= 1
        run_of.append(len(runs) - 1)
        previous = (key, pos, cls)
    words = unique_words(rng, len(runs))
    names = []
    for (cls, kind), word in zip(runs, words, strict=True):
        if cls == "expressway":
            names.append(f"{word}快速路")
        elif cls in ("arterial", "main_rural"):
            names.append(word + rng.choice(ARTERIAL_SUFFIXES))
        elif cls == "rural":
            names.append(word + rng.choice(RURAL_SUFFIXES))
        else:
            names.append(word + ("路" if kind == "row" else "街"))

    used = sorted({c[0] for c in candidates} | {c[1] for c in candidates})
    index_of = {node: k for k, node in enumerate(used)}
    nodes_xy = flat[used]
    edges = []
    for (a, b, _key, _pos, cls), run in zip(candidates, run_of, strict=True):
        pa, pb = nodes_xy[index_of[a]], nodes_xy[index_of[b]]
        road_class = "rural" if cls == "main_rural" else cls
        edges.append(RoadEdge(index_of[a], index_of[b], names[run], road_class, float(np.hypot(*(pb - pa))), -1))
    return nodes_xy, edges


# ----------------------------------------------------------------------------------------------


def build_district(rng: random.Random, data_dir: Path, scale: float = 1.0) -> District:
    """Read the real outline and street names, then invent street borders and the road network."""
    names = read_street_names(data_dir)
    outline_ll = read_outline(data_dir)
    c = outline_ll.centroid
    projection = LocalProjection(round(c.x, 4), round(c.y, 4))
    outline_xy = shapely.transform(outline_ll, projection.to_xy)
    centre = projection.to_xy(np.array([URBAN_CENTRE_LL]))[0]
    if not outline_xy.contains(Point(centre)):
        nearest = nearest_points(outline_xy.buffer(-2_000), Point(centre))[0]
        centre = np.array([nearest.x, nearest.y])
    streets = divide_streets(rng, names, outline_xy, projection, centre)
    nodes_xy, edges = build_roads(rng, outline_xy, centre, streets, scale)
    district = District(
        projection=projection, outline_xy=outline_xy, centre_xy=centre, streets=streets,
        nodes_xy=nodes_xy, nodes_ll=np.round(projection.to_ll(nodes_xy), 6), edges=edges,
    )
    mids = np.array([(nodes_xy[e.a] + nodes_xy[e.b]) / 2 for e in edges])
    for e, s in zip(edges, district.street_of(mids, inner=False), strict=True):
        e.street = int(s)
    # Where things happen: the urban core weighs most, the countryside a little.
    # Per edge, weighted by its length: the city core most, each street's seat some, open country little.
    d = district.distance_to_centre(mids)
    seats = np.array([s.seat_xy for s in streets])
    to_seat = np.min(np.hypot(mids[:, 0, None] - seats[:, 0], mids[:, 1, None] - seats[:, 1]), axis=1)
    lengths = np.array([e.length_m for e in edges]) / ROAD_SPACING_M
    urban = (np.exp(-d / 4_000.0) + 0.25 * np.exp(-to_seat / 1_500.0) + 0.03) * lengths
    district.edge_weights = np.where([e.road_class == "expressway" for e in edges], 0.0, urban)
    return district


def sample_near_roads(rng: random.Random, district: District, n: int, weights, max_offset_m: float = 120.0):
    """``n`` points beside roads (edges drawn by ``weights``), each inside a street's inner polygon.

    Returns (xy, street index, edge index) arrays. Drawing is in batches with the seeded
    generator, so the result depends only on its state.
    """
    edges = district.edges
    cum = list(np.cumsum(np.asarray(weights, dtype=float)))
    xs: list[np.ndarray] = []
    ss: list[np.ndarray] = []
    es: list[np.ndarray] = []
    have = 0
    if n <= 0:
        return np.empty((0, 2)), np.empty(0, dtype=int), np.empty(0, dtype=int)
    while have < n:
        k = max(16, int((n - have) * 1.3))
        picks = rng.choices(range(len(edges)), cum_weights=cum, k=k)
        pts = np.empty((k, 2))
        for j, i in enumerate(picks):
            e = edges[i]
            a, b = district.nodes_xy[e.a], district.nodes_xy[e.b]
            t = rng.uniform(0.08, 0.92)
            normal = np.array([a[1] - b[1], b[0] - a[0]]) / max(e.length_m, 1.0)
            side = 1 if rng.random() < 0.5 else -1
            pts[j] = a + t * (b - a) + side * rng.uniform(12.0, max_offset_m) * normal
        street = district.street_of(pts)
        ok = street >= 0
        xs.append(pts[ok])
        ss.append(street[ok])
        es.append(np.asarray(picks)[ok])
        have += int(ok.sum())
    return np.concatenate(xs)[:n], np.concatenate(ss)[:n], np.concatenate(es)[:n]


def network_times_s(district: District, sources: list[int], speeds_kph: dict[str, float]) -> np.ndarray:
    """Driving seconds from each source node to every node over the district's roads (class speeds)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    n = len(district.nodes_xy)
    a = np.array([e.a for e in district.edges])
    b = np.array([e.b for e in district.edges])
    w = np.array([e.length_m / (speeds_kph.get(e.road_class, 30.0) / 3.6) for e in district.edges])
    graph = coo_matrix((w, (a, b)), shape=(n, n)).tocsr()
    return dijkstra(graph, directed=False, indices=sources)


def time_to_points_s(district: District, node_times: np.ndarray, xy: np.ndarray, edge_index: np.ndarray,
                     speeds_kph: dict[str, float]) -> np.ndarray:
    """(sources, points) driving seconds to points beside known edges: along the edge from its nearer end."""
    xy = np.atleast_2d(xy)
    edges = [district.edges[int(i)] for i in edge_index]
    pa = district.nodes_xy[[e.a for e in edges]]
    pb = district.nodes_xy[[e.b for e in edges]]
    seg = pb - pa
    t = np.clip(((xy - pa) * seg).sum(axis=1) / np.maximum((seg * seg).sum(axis=1), 1.0), 0.0, 1.0)
    w = np.array([e.length_m / (speeds_kph.get(e.road_class, 30.0) / 3.6) for e in edges])
    ta = node_times[:, [e.a for e in edges]] + t * w
    tb = node_times[:, [e.b for e in edges]] + (1 - t) * w
    return np.minimum(ta, tb)
