"""The map layer of units coloured by their risk grade (red, yellow, green; key units drawn bold)."""

from brigade.core.maplayers import (
    MAX_POINTS,
    MapLayer,
    feature,
    point,
    record_url,
    register_layer,
    visible_rows,
)
from brigade.risk.choices import LEVEL_COLORS, RiskLevel


def graded_units(access, period) -> list[dict]:
    # The units the user may see, highest risk first, so a thinned layer keeps the red ones.
    units = visible_rows("units", access).exclude(lon__isnull=True).filter(risk__isnull=False)
    rows = units.order_by("-risk__score", "pk").values_list("pk", "name", "lon", "lat", "is_key_unit", "risk__level",
                                                           "risk__score", "risk__evidence")[:MAX_POINTS]
    return [feature(point(lon, lat), title=f"{name}（{RiskLevel(level).label}风险，{score:g}分）", url=record_url("units", pk),
                    key=key, level=level, color=LEVEL_COLORS[RiskLevel(level)], evidence=evidence)
            for pk, name, lon, lat, key, level, score, evidence in rows]


register_layer(MapLayer("risk-grades", "社会单位风险等级（红高、黄中、绿低）", graded_units, "point",
                        LEVEL_COLORS[RiskLevel.HIGH], on=False, order=90))
