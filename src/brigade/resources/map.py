"""Map layers of resources: roads and municipal hydrants."""

from brigade.core.maplayers import MapLayer, feature, point, record_url, register_layer, thin, visible_rows


def roads(access, period) -> list[dict]:
    return [feature({"type": "LineString", "coordinates": r.coordinates}, title=r.name, url=record_url("roads", r.pk),
                    road_class=r.road_class)
            for r in visible_rows("roads", access).only("name", "coordinates", "road_class")]


def hydrants(access, period) -> list[dict]:
    rows = visible_rows("hydrants", access).exclude(lon__isnull=True).only("code", "lon", "lat", "status")
    return [feature(point(h.lon, h.lat), title=f"消火栓 {h.code}", url=record_url("hydrants", h.pk),
                    damaged=h.status != "in_service") for h in thin(rows)]


register_layer(MapLayer("roads", "道路", roads, "line", "#9a8f7a", order=20))
register_layer(MapLayer("hydrants", "市政消火栓", hydrants, "point", "#2471a3", on=False, order=40))
