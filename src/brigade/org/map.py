"""Map layers of the organisation: street boundaries and stations."""

from brigade.core.maplayers import MapLayer, feature, point, record_url, register_layer, visible_rows


def streets(access, period) -> list[dict]:
    rows = visible_rows("streets", access).exclude(boundary__isnull=True).only("name", "boundary")
    out = []
    for s in rows:
        geom = s.boundary.get("geometry", s.boundary) if isinstance(s.boundary, dict) else None
        if geom and geom.get("type") in ("Polygon", "MultiPolygon"):
            out.append(feature(geom, title=s.name, url=record_url("streets", s.pk)))
    return out


def stations(access, period) -> list[dict]:
    return [feature(point(s.lon, s.lat), title=s.name, url=record_url("stations", s.pk), kind=s.get_kind_display())
            for s in visible_rows("stations", access).exclude(lon__isnull=True)]


register_layer(MapLayer("streets", "镇街边界", streets, "polygon", "#5b7db1", order=10))
register_layer(MapLayer("stations", "消防救援站", stations, "point", "#c0392b", order=30))
