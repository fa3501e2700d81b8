"""The map's layers: a registry each app adds its layers to (in its own ``map`` module).

A layer is a function of (access, period) returning GeoJSON features; every feature carries ``url``
(its record page) and ``title``. The map page (``brigade.web``) draws them with Leaflet on a plain
background (no tile server), in the order of ``MapLayer.order``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from brigade.core.access import can_view, scoped
from brigade.core.period import Period
from brigade.core.records import RECORD_TYPES
from brigade.core.roles import Access

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
    order: int = 100  # place in the layer list: boundaries first, then points, then analyses


LAYERS: dict[str, MapLayer] = {}


def register_layer(layer: MapLayer) -> None:
    """Add a layer to the map, kept in ``order`` (apps register in any order)."""
    if layer.slug in LAYERS:
        raise ValueError(f"map layer {layer.slug!r} registered twice")
    ordered = sorted([*LAYERS.values(), layer], key=lambda one: one.order)
    LAYERS.clear()
    LAYERS.update((one.slug, one) for one in ordered)


def feature(geometry: dict, *, title: str, url: str | None, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"title": title, "url": url, **props}}


def point(lon, lat) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def record_url(slug: str, pk: int) -> str:
    return reverse("web:record-detail", args=[slug, pk])


def visible_rows(slug: str, access: Access):
    """The rows of a record type the user may see (none when the role may not see the type)."""
    rt = RECORD_TYPES[slug]
    return scoped(rt, access) if can_view(rt, access) else rt.model.objects.none()


def thin(rows, limit: int = MAX_POINTS) -> list:
    total = rows.count()
    step = max(1, -(-total // limit))
    return list(rows)[::step] if step > 1 else list(rows)


def collection(layer: MapLayer, access: Access, period: Period | None) -> dict:
    return {"type": "FeatureCollection", "name": layer.slug, "features": layer.build(access, period)}
