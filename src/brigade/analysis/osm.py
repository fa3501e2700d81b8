"""OpenStreetMap extracts (.osm.pbf, .osm, .osm.bz2) to road lines, read with pyosmium."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from brigade.analysis.network import NetworkError, RoadLine, RoadNetwork, network_from_lines

# OSM ``highway`` values a fire engine drives on, mapped to our road classes.
OSM_ROAD_CLASSES: dict[str, str] = {
    "motorway": "expressway", "motorway_link": "expressway", "trunk": "expressway", "trunk_link": "expressway",
    "primary": "arterial", "primary_link": "arterial",
    "secondary": "secondary", "secondary_link": "secondary", "tertiary": "secondary", "tertiary_link": "secondary",
    "residential": "local", "unclassified": "local", "living_street": "local", "service": "local", "road": "local",
    "track": "rural",
}
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz")


def is_osm_path(path: str | Path) -> bool:
    """True when the file name looks like an OSM extract."""
    name = str(path).lower()
    return name.endswith(OSM_SUFFIXES)


def osm_road_lines(path: str | Path, *, classes: Mapping[str, str] | None = None) -> list[RoadLine]:
    """Drivable ways of an OSM file as road lines (name, our road class, coordinates).

    Raises
    ------
    NetworkError
        when the file is missing, empty or cannot be read as OSM.
    """
    import osmium

    path = Path(path)
    table = dict(OSM_ROAD_CLASSES if classes is None else classes)
    if not path.is_file():
        raise NetworkError(f"道路网络文件“{path}”不存在。")
    if path.stat().st_size == 0:
        raise NetworkError(f"道路网络文件“{path}”是空文件。")
    lines: list[RoadLine] = []
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_filter(osmium.filter.KeyFilter("highway"))
        for obj in processor:
            if not obj.is_way():
                continue
            road_class = table.get(obj.tags.get("highway", ""))
            if road_class is None or obj.tags.get("area") == "yes":
                continue
            coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if len(coords) >= 2:
                name = obj.tags.get("name:zh") or obj.tags.get("name") or obj.tags.get("ref") or ""
                lines.append(RoadLine(name, road_class, coords))
    except (RuntimeError, ValueError, OSError) as exc:
        raise NetworkError(f"无法读取 OSM 道路网络文件“{path.name}”：文件已损坏或不是 OSM 格式（{exc}）。") from exc
    return lines


def osm_network(path: str | Path, *, speeds_kph: Mapping[str, float] | None = None) -> RoadNetwork:
    """Road network of an OSM extract (drivable ways only)."""
    lines = osm_road_lines(path)
    if not lines:
        raise NetworkError(f"OSM 文件“{Path(path).name}”中没有可通行的道路（highway 为机动车道路的路段）。")
    return network_from_lines(lines, speeds_kph=speeds_kph)
