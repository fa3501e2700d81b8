"""The map layer of incidents received in the period shown."""

from brigade.core.maplayers import MapLayer, feature, point, record_url, register_layer, thin, visible_rows
from brigade.metrics.registry import local_day_bounds


def incidents(access, period) -> list[dict]:
    rows = visible_rows("incidents", access).exclude(lon__isnull=True)
    if period is not None:
        start, end = local_day_bounds(period.start, period.end)
        rows = rows.filter(received_at__gte=start, received_at__lt=end)
    rows = rows.only("number", "lon", "lat", "category")
    return [feature(point(i.lon, i.lat), title=f"{i.number} {i.get_category_display()}",
                    url=record_url("incidents", i.pk), category=i.category) for i in thin(rows)]


register_layer(MapLayer("incidents", "警情", incidents, "point", "#e67e22", on=False, uses_period=True, order=60))
