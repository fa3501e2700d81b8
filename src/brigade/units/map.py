"""The map layer of social units (key units drawn bold)."""

from brigade.core.maplayers import MapLayer, feature, point, record_url, register_layer, thin, visible_rows


def units(access, period) -> list[dict]:
    rows = visible_rows("units", access).exclude(lon__isnull=True).only("name", "lon", "lat", "is_key_unit")
    return [feature(point(u.lon, u.lat), title=u.name, url=record_url("units", u.pk), key=u.is_key_unit)
            for u in thin(rows.order_by("-is_key_unit", "pk"))]


register_layer(MapLayer("units", "社会单位（重点单位加粗）", units, "point", "#7d3c98", on=False, order=50))
