"""Map layers as GeoJSON, drawn by Leaflet on a plain background (no tile server).

Each layer is a function of (access, period) returning GeoJSON features; every feature carries
``url`` (its record page) and ``title``. Planning adds its layers (coverage isochrones, first-due
zones, hydrant gaps, proposed sites from ``AnalysisRun.result``) with ``register_layer``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from brigade.core.access import can_view, in_brigade, scoped
from brigade.core.period import Period
from brigade.core.records import RECORD_TYPES
from brigade.core.roles import Access
from brigade.metrics.registry import local_day_bounds

MAX_POINTS = 5000  # per layer; a denser layer is thinned by taking every n-th row

LayerBuilder = Callable[[Access, Period | None], list[dict]]


@dataclass(frozen=True)
class MapLayer:
    slug: str
    title: str
    build: LayerBuilder
    geometry: str  # "polygon" | "line" | "point": how the page styles it
    color: str
    on: bool = True  # shown when the map opens
    uses_period: bool = False


LAYERS: dict[str, MapLayer] = {}


def register_layer(layer: MapLayer) -> None:
    """Add a layer to the map (planning's analysis layers plug in here)."""
    if layer.slug in LAYERS:
        raise ValueError(f"map layer {layer.slug!r} registered twice")
    LAYERS[layer.slug] = layer


def feature(geometry: dict, *, title: str, url: str | None, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"title": title, "url": url, **props}}


def point(lon, lat) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def _url(slug: str, pk: int) -> str:
    return reverse("web:record-detail", args=[slug, pk])


def _rows(slug: str, access: Access):
    rt = RECORD_TYPES[slug]
    return scoped(rt, access) if can_view(rt, access) else rt.model.objects.none()


def _thin(rows, limit: int = MAX_POINTS) -> list:
    total = rows.count()
    step = max(1, -(-total // limit))
    return list(rows)[::step] if step > 1 else list(rows)


def streets(access: Access, period: Period | None) -> list[dict]:
    rows = _rows("streets", access).exclude(boundary__isnull=True).only("name", "boundary")
    out = []
    for s in rows:
        geom = s.boundary.get("geometry", s.boundary) if isinstance(s.boundary, dict) else None
        if geom and geom.get("type") in ("Polygon", "MultiPolygon"):
            out.append(feature(geom, title=s.name, url=_url("streets", s.pk)))
    return out


def roads(access: Access, period: Period | None) -> list[dict]:
    return [feature({"type": "LineString", "coordinates": r.coordinates}, title=r.name, url=_url("roads", r.pk),
                    road_class=r.road_class)
            for r in _rows("roads", access).only("name", "coordinates", "road_class")]


def stations(access: Access, period: Period | None) -> list[dict]:
    return [feature(point(s.lon, s.lat), title=s.name, url=_url("stations", s.pk), kind=s.get_kind_display())
            for s in _rows("stations", access).exclude(lon__isnull=True)]


def hydrants(access: Access, period: Period | None) -> list[dict]:
    rows = _rows("hydrants", access).exclude(lon__isnull=True).only("code", "lon", "lat", "status")
    return [feature(point(h.lon, h.lat), title=f"消火栓 {h.code}", url=_url("hydrants", h.pk),
                    damaged=h.status != "in_service") for h in _thin(rows)]


def units(access: Access, period: Period | None) -> list[dict]:
    rows = _rows("units", access).exclude(lon__isnull=True).only("name", "lon", "lat", "is_key_unit")
    return [feature(point(u.lon, u.lat), title=u.name, url=_url("units", u.pk), key=u.is_key_unit)
            for u in _thin(rows.order_by("-is_key_unit", "pk"))]


def incidents(access: Access, period: Period | None) -> list[dict]:
    rows = _rows("incidents", access).exclude(lon__isnull=True)
    if period is not None:
        start, end = local_day_bounds(period.start, period.end)
        rows = rows.filter(received_at__gte=start, received_at__lt=end)
    rows = rows.only("number", "lon", "lat", "category")
    return [feature(point(i.lon, i.lat), title=f"{i.number} {i.get_category_display()}", url=_url("incidents", i.pk),
                    category=i.category) for i in _thin(rows)]


for _layer in (
    MapLayer("streets", "镇街边界", streets, "polygon", "#5b7db1"),
    MapLayer("roads", "道路", roads, "line", "#9a8f7a"),
    MapLayer("stations", "消防救援站", stations, "point", "#c0392b"),
    MapLayer("hydrants", "市政消火栓", hydrants, "point", "#2471a3", on=False),
    MapLayer("units", "社会单位（重点单位加粗）", units, "point", "#7d3c98", on=False),
    MapLayer("incidents", "警情", incidents, "point", "#e67e22", on=False, uses_period=True),
):
    register_layer(_layer)


def analysis_layer(kind: str, key: str, title_props: tuple[str, ...]) -> LayerBuilder:
    """Features stored by the latest analysis run of a kind (``AnalysisRun.result[key]``, GeoJSON):
    each brigade's latest, as each run is one brigade's (a brigade's user sees their own only).

    Planning's runs cover a brigade's whole district, so a liaison is shown none of them.
    """

    def build(access: Access, period: Period | None) -> list[dict]:
        if access.is_limited or not can_view(RECORD_TYPES["analysis-runs"], access):
            return []
        from brigade.planning.models import AnalysisRun

        visible = in_brigade(AnalysisRun.objects.filter(kind=kind), access)
        out = []
        for brigade_id in sorted(set(visible.values_list("brigade_id", flat=True))):
            run = visible.filter(brigade_id=brigade_id).order_by("-created_at", "-pk").first()
            data = (run.result or {}).get(key)
            if not isinstance(data, dict):
                continue
            for f in data.get("features", []):
                props = f.get("properties") or {}
                title = next((str(props[p]) for p in title_props if props.get(p) not in (None, "")), str(run))
                out.append(feature(f.get("geometry"), title=title, url=_url("analysis-runs", run.pk),
                                   **{k: v for k, v in props.items() if k not in ("title", "url")}))
        return out

    return build


# Planning's stored results: coverage isochrones and first-due zones (brigade.planning.coverage).
register_layer(MapLayer("isochrones", "出警时间覆盖（最近一次分析）", analysis_layer("coverage", "isochrones", ("label",)),
                        "polygon", "#27ae60", on=False))
register_layer(MapLayer("first-due-zones", "辖区站责任区（最近一次分析）",
                        analysis_layer("coverage", "first_due_zones", ("station",)), "polygon", "#8e44ad", on=False))


def collection(layer: MapLayer, access: Access, period: Period | None) -> dict:
    return {"type": "FeatureCollection", "name": layer.slug, "features": layer.build(access, period)}
