"""What a dry run shows: the first calls as they would be stored, with their units and intervals."""

from django.utils import timezone

SHORT = {"dispatched_at": "出动指令", "departed_at": "出车", "arrived_at": "到场", "returned_at": "归队"}
INTERVALS = (("接警→出动指令", "received_at", "dispatched_at"), ("出动指令→出车", "dispatched_at", "departed_at"),
             ("出车→到场", "departed_at", "arrived_at"), ("接警→到场", "received_at", "arrived_at"))


def _mmss(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}分{seconds % 60:02d}秒"


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S") if moment else "—"


def preview_lines(built: list[tuple]) -> list[str]:
    """One line per call and one per unit: times (local clock) and intervals in minutes:seconds."""
    lines = []
    for incident, dispatches in built:
        local = timezone.localtime(incident.received_at)
        where = "、".join(x for x in (incident.street.name if incident.street else "", incident.address) if x)
        lines.append(f"警情 {incident.number}：{local:%Y-%m-%d %H:%M:%S} 接警，{incident.get_category_display()}"
                     + (f"（{incident.alarm_type}）" if incident.alarm_type else "")
                     + f"，辖区站 {incident.first_due_station.name if incident.first_due_station else '未知'}"
                     + (f"，{where}" if where else ""))
        for d in dispatches:
            unit = d.vehicle.plate if d.vehicle else d.station.name
            kind = d.station.get_kind_display()
            times = "，".join(f"{label} {_clock(getattr(d, f))}" for f, label in SHORT.items())
            spans = []
            for label, start, end in INTERVALS:
                a = incident.received_at if start == "received_at" else getattr(d, start)
                b = getattr(d, end)
                if a is not None and b is not None:
                    spans.append(f"{label} {_mmss((b - a).total_seconds())}")
            lines.append(f"  · {unit}（{kind}）：{times}" + (f"；{'，'.join(spans)}" if spans else ""))
    return lines
