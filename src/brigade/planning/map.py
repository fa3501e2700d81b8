"""Map layers of planning's stored results: coverage isochrones and first-due zones."""

from brigade.core.access import can_view, in_brigade
from brigade.core.maplayers import LayerBuilder, MapLayer, feature, record_url, register_layer
from brigade.core.records import RECORD_TYPES


def analysis_layer(kind: str, key: str, title_props: tuple[str, ...]) -> LayerBuilder:
    """Features stored by the latest analysis run of a kind (``AnalysisRun.result[key]``, GeoJSON):
    each brigade's latest, as each run is one brigade's (a brigade's user sees their own only).

    Planning's runs cover a brigade's whole district, so a liaison is shown none of them.
    """

    def build(access, period) -> list[dict]:
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
                out.append(feature(f.get("geometry"), title=title, url=record_url("analysis-runs", run.pk),
                                   **{k: v for k, v in props.items() if k not in ("title", "url")}))
        return out

    return build


register_layer(MapLayer("isochrones", "出警时间覆盖（最近一次分析）", analysis_layer("coverage", "isochrones", ("label",)),
                        "polygon", "#27ae60", on=False, order=70))
register_layer(MapLayer("first-due-zones", "辖区站责任区（最近一次分析）",
                        analysis_layer("coverage", "first_due_zones", ("station",)), "polygon", "#8e44ad", on=False,
                        order=80))
