"""Load a road network from a file: OSM extracts or GeoJSON road lines with name and class."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from brigade.analysis.network import NetworkError, RoadLine, RoadNetwork, network_from_lines
from brigade.analysis.osm import is_osm_path, osm_network

# Road classes as people write them in GeoJSON properties, to our codes.
CLASS_ALIASES: dict[str, str] = {
    "快速路": "expressway", "高速公路": "expressway", "主干路": "arterial", "次干路": "secondary",
    "支路": "local", "乡村道路": "rural", "村道": "rural",
}
NAME_KEYS = ("name", "名称", "道路名称", "road_name")
CLASS_KEYS = ("road_class", "class", "道路等级", "highway")


def geojson_road_lines(data: dict) -> list[RoadLine]:
    """Road lines from a GeoJSON FeatureCollection of LineString / MultiLineString features."""
    if not isinstance(data, dict):
        raise NetworkError("GeoJSON 道路文件的内容应为 FeatureCollection 对象。")
    feats = data.get("features") if data.get("type") == "FeatureCollection" else [data]
    if not isinstance(feats, list):
        raise NetworkError("GeoJSON 道路文件缺少 features 列表。")
    lines: list[RoadLine] = []
    for feat in feats:
        if not isinstance(feat, dict):
            continue
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        name = next((str(props[k]) for k in NAME_KEYS if props.get(k)), "")
        raw = next((str(props[k]) for k in CLASS_KEYS if props.get(k)), "local")
        road_class = CLASS_ALIASES.get(raw, raw)
        if geom.get("type") == "LineString":
            parts = [geom.get("coordinates")]
        elif geom.get("type") == "MultiLineString":
            parts = geom.get("coordinates") or []
        else:
            continue
        for coords in parts:
            if isinstance(coords, list) and len(coords) >= 2:
                lines.append(RoadLine(name, road_class, coords))
    return lines


def load_network(path: str | Path, *, speeds_kph: Mapping[str, float] | None = None,
                 split_crossings: bool = False) -> RoadNetwork:
    """Read a road network from an OSM extract (.osm.pbf, .osm, .osm.bz2) or a GeoJSON file.

    ``split_crossings`` joins GeoJSON lines where they cross without a shared vertex (OSM data
    always shares junction nodes and is never split).

    Raises
    ------
    NetworkError
        with a Chinese message when the file is missing, empty, corrupt or has no drivable road.
    """
    path = Path(path)
    if is_osm_path(path):
        return osm_network(path, speeds_kph=speeds_kph)
    if not path.is_file():
        raise NetworkError(f"道路网络文件“{path}”不存在。")
    if path.suffix.lower() not in (".geojson", ".json"):
        raise NetworkError(f"无法识别道路网络文件“{path.name}”的格式：支持 .osm.pbf、.osm、.osm.bz2、.geojson。")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkError(f"无法读取道路网络文件“{path.name}”：{exc}") from exc
    if not text.strip():
        raise NetworkError(f"道路网络文件“{path.name}”是空文件。")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NetworkError(f"道路网络文件“{path.name}”不是有效的 GeoJSON（第 {exc.lineno} 行）。") from exc
    lines = geojson_road_lines(data)
    if not lines:
        raise NetworkError(f"道路网络文件“{path.name}”中没有可通行的道路（LineString 线要素）。")
    try:
        return network_from_lines(lines, speeds_kph=speeds_kph, split_crossings=split_crossings)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, NetworkError):
            raise
        raise NetworkError(f"道路网络文件“{path.name}”中的坐标无效：{exc}") from exc
