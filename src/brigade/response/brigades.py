"""Which brigade a call belongs to: the one rule the metrics and the statistics share.

A call belongs to the brigade of its street; a call with no street, to the brigade of the first-due
station the dispatching system recorded (a call with neither belongs to no brigade).
"""

from django.db.models import Q


def incident_brigade(ids, prefix: str = "") -> Q:
    """Incidents (or, with ``prefix="incident__"``, dispatches) of the brigades ``ids``."""
    from brigade.org.models import Station, Street

    streets = Street.objects.filter(brigade__in=ids).values("pk")
    stations = Station.objects.filter(brigade__in=ids).values("pk")
    # Subqueries, not joins: each side can use its own index (street, first-due station) in a BitmapOr.
    return Q(**{f"{prefix}street__in": streets}) | Q(**{f"{prefix}street__isnull": True,
                                                     f"{prefix}first_due_station__in": stations})
