"""The evidence of every unit's grade, read as of one day: one grouped query per evidence source.

Everything is counted as it stood on ``on`` (dates, not today's states), so the same code grades
today and grades a past month for the backtest. For ``on`` = today the overdue count agrees with
``brigade.supervision.selectors.overdue_hazards`` and the recurrences are the links that
``brigade.supervision.recurrence`` made.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Max, Q

from brigade.analysis.risk import UnitEvidence, nearest_minutes
from brigade.metrics.registry import local_day_bounds
from brigade.risk.rubric import Rubric
from brigade.supervision.choices import HazardStatus, InspectionKind
from brigade.supervision.deadlines import add_months

DAYS_PER_MONTH = 30.4375


def travel_speed_kph() -> float:
    return settings.BRIGADE_RISK_TRAVEL_SPEED_KPH


def detour_factor() -> float:
    return settings.BRIGADE_RISK_DETOUR_FACTOR


@dataclass
class GradedUnits:
    """The units read for grading, in id order, with their evidence."""

    unit_ids: np.ndarray
    street_ids: np.ndarray
    evidence: UnitEvidence
    last_inspected: list[dt.date | None]


def _into(ids: np.ndarray, rows, columns: int) -> np.ndarray:
    """Rows of (unit_id, value…) placed at their unit's position (0 for units without a row)."""
    out = np.zeros((len(ids), columns), dtype=np.int64)
    rows = [r for r in rows if r[0] is not None]
    if rows and len(ids):
        keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        pos = np.searchsorted(ids, keys)
        ok = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == keys)
        values = np.asarray([r[1:] for r in rows], dtype=np.int64).reshape(len(rows), columns)
        out[pos[ok]] = values[ok]
    return out


def _key(field: str) -> ExpressionWrapper:
    """``field + 0``: the same value, but not something SQLite can walk an index by."""
    return ExpressionWrapper(F(field) + 0, output_field=IntegerField())


def _since(on: dt.date, months: int | None) -> dt.date:
    return add_months(on, -months) if months else dt.date.min


def overdue_as_of(on: dt.date) -> Q:
    """Ordered with a deadline before ``on`` and neither rectified nor closed by ``on``."""
    return (
        ~Q(status__in=(HazardStatus.FOUND, HazardStatus.ESCALATED))
        & (Q(deadline__lt=on) | Q(deadline__isnull=True, ordered_on__lt=on))
        & (Q(rectified_on__isnull=True) | Q(rectified_on__gt=on))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    )


def open_as_of(on: dt.date) -> Q:
    """Found by ``on`` and neither rectified nor closed by then."""
    return (Q(rectified_on__isnull=True) | Q(rectified_on__gt=on)) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))


def read_evidence(*, on: dt.date, rubric: Rubric, unit_ids=None, brigade_ids=None) -> GradedUnits:
    """Evidence of all units (or those in ``unit_ids``) as it stood on ``on``. ``brigade_ids``: the units'
    brigades, when known: the records are then read from the brigades' indexes, not the whole database's."""
    from brigade.core.tenancy import in_brigades
    from brigade.org.models import Station
    from brigade.response.models import Incident
    from brigade.supervision.models import EnforcementAction, Hazard, Inspection
    from brigade.units.models import SocialUnit

    _, day_end = local_day_bounds(on, on)
    # Every unit, whatever its record's creation time (imports create units long after they opened).
    units = SocialUnit.objects.all()
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    rows = list(units.order_by("pk").values_list("pk", "street_id", "site_category", "is_key_unit", "lon", "lat"))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def scoped(qs, field="unit_id"):
        qs = qs.filter(**{f"{field}__isnull": False})
        if brigade_ids is not None:
            qs = qs.filter(in_brigades(qs.model, brigade_ids))
        return qs.filter(**{f"{field}__in": list(unit_ids)}) if unit_ids is not None else qs

    months = rubric.months
    # 1. Hazards: open, overdue, major (open) and recurring, in one grouped pass. The day is tested
    # inside each count and the grouping key is an expression: SQLite then reads the table once in
    # order and sorts, instead of visiting a million rows through an index in unit order.
    seen = Q(found_on__lte=on)
    hazards = scoped(Hazard.objects.all()).annotate(u=_key("unit_id")).values("u").annotate(
        n_open=Count("pk", filter=seen & open_as_of(on)),
        n_overdue=Count("pk", filter=seen & overdue_as_of(on)),
        n_major=Count("pk", filter=seen & open_as_of(on) & Q(is_major=True)),
        n_recurring=Count("pk", filter=seen & Q(recurrence_of__isnull=False,
                                                found_on__gt=_since(on, months("recurring")))),
    ).values_list("u", "n_open", "n_overdue", "n_major", "n_recurring").order_by()
    h = _into(ids, hazards, 4)
    # 2. Enforcement history.
    enforcement = scoped(EnforcementAction.objects.filter(
        decided_on__lte=on, decided_on__gt=_since(on, months("enforcement")))).values("unit_id").annotate(
        n=Count("pk")).values_list("unit_id", "n").order_by()
    e = _into(ids, enforcement, 1)
    # 3. Inspections: the units' own checks (自查) and the last inspection by the brigade.
    self_kind = InspectionKind.SELF_INSPECTION_DAY
    inspected = Q(inspected_on__lte=on)
    inspections = list(scoped(Inspection.objects.all()).annotate(u=_key("unit_id")).values("u").annotate(
        n_self=Count("pk", filter=inspected & Q(kind=self_kind, inspected_on__gt=_since(on, months("self_inspections")))),
        last=Max("inspected_on", filter=inspected & ~Q(kind=self_kind)),
    ).values_list("u", "n_self", "last").order_by())
    s = _into(ids, [(u, n) for u, n, _ in inspections], 1)
    last = dict((u, d) for u, _, d in inspections)
    last_inspected = [last.get(int(i)) for i in ids]
    # 4. Incidents at the unit.
    since = _since(on, months("incidents"))
    incidents = scoped(Incident.objects.filter(received_at__lt=day_end))
    if since != dt.date.min:  # the window's days after ``since``, like the other sources
        incidents = incidents.filter(received_at__gte=local_day_bounds(since, since)[1])
    i = _into(ids, incidents.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n").order_by(), 1)
    # 5. Stations that existed: straight-line minutes to the nearest.
    stations = list(Station.objects.exclude(lon__isnull=True).filter(Q(opened_on__isnull=True) | Q(opened_on__lte=on))
                    .values_list("lon", "lat"))
    lon = np.asarray([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64)
    lat = np.asarray([np.nan if r[5] is None else r[5] for r in rows], dtype=np.float64)
    minutes = nearest_minutes(lon, lat, [s_[0] for s_ in stations], [s_[1] for s_ in stations],
                              speed_kph=travel_speed_kph(), detour=detour_factor())
    months_since = np.asarray([np.nan if d is None else (on - d).days / DAYS_PER_MONTH for d in last_inspected])
    evidence = UnitEvidence(
        category=np.asarray([r[2] for r in rows], dtype=object),
        is_key=np.asarray([bool(r[3]) for r in rows], dtype=bool),
        counts={"open": h[:, 0], "overdue": h[:, 1], "major": h[:, 2], "recurring": h[:, 3],
                "enforcement": e[:, 0], "self_inspections": s[:, 0], "incidents": i[:, 0]},
        minutes=minutes, months_since=months_since.astype(np.float64) if len(rows) else np.zeros(0),
    )
    streets = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    return GradedUnits(unit_ids=ids, street_ids=streets, evidence=evidence, last_inspected=last_inspected)
