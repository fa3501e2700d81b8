"""The column cache of one brigade's calls, for a brigade's statistics in a many-brigade database.

``brigade.response.columns`` keeps each month of the whole database; a brigade's dashboard in a
province-size database would read every brigade's month and throw most of it away. Here each
(month, brigade) is read from the records with the brigade's filter and kept in the shared cache
(settings ``CACHES``), so a brigade's figures cost what they cost in a database of its own.

A call is its brigade's as ``brigade.core.tenancy`` declares (the call's own brigade column, the rule
the pages and the API keep to). The cache key carries the month row's id and generation: a write to
a call of the month, its brigade included, moves it on (as for the whole-database columns), so a
stale part is never read.
"""

import datetime as dt

from django.core.cache import cache

from brigade.core.tenancy import in_brigades
from brigade.response import columns
from brigade.response.columns import IncidentArrays, concat, month_of, months_between, subset
from brigade.response.models import Incident, IncidentColumns

KEEP_SECONDS = 7 * 24 * 3600


def _month_rows(months: list[dt.date]) -> dict[dt.date, tuple[int, int]]:
    """(row id, generation) of each month, creating the rows that do not exist yet."""
    rows = dict((m, (pk, g)) for m, pk, g in IncidentColumns.objects.filter(month__in=months)
                .values_list("month", "pk", "generation"))
    missing = [m for m in months if m not in rows]
    if missing:
        IncidentColumns.objects.bulk_create([IncidentColumns(month=m) for m in missing], ignore_conflicts=True)
        rows.update((m, (pk, g)) for m, pk, g in IncidentColumns.objects.filter(month__in=missing)
                    .values_list("month", "pk", "generation"))
    return rows


def load_brigade(start: dt.datetime, end: dt.datetime, brigade_id: int) -> IncidentArrays:
    """Every call of the brigade received in [start, end) and its dispatches."""
    months = months_between(start, end) or [month_of(start)]
    rows = _month_rows(months)
    keys = {m: f"brigade:columns:{rows[m][0]}:{rows[m][1]}:{brigade_id}:v{columns.FORMAT_VERSION}"
            for m in months}
    found = cache.get_many(list(keys.values()))
    chunks = {}
    for m in months:
        data = found.get(keys[m])
        chunk = None if data is None else columns._unpack(data)
        if chunk is not None:
            chunks[m] = chunk
    stale = [m for m in months if m not in chunks]
    for run in columns._runs(stale):
        records = columns.read_records(columns._month_start(run[0]), columns._month_start(columns._next_month(run[-1])),
                                       calls_filter=lambda prefix: in_brigades(Incident, (brigade_id,), prefix))
        for month, chunk in columns._by_month(records, run).items():
            chunks[month] = chunk
            cache.set(keys[month], columns._pack(chunk), KEEP_SECONDS)
    a = concat([chunks[m] for m in months])
    return subset(a, (a.received_s >= start.timestamp()) & (a.received_s < end.timestamp()))


def load_brigades(start: dt.datetime, end: dt.datetime, brigade_ids) -> IncidentArrays:
    """The calls of several brigades (each brigade's part from the cache), in incident-id order."""
    return concat([load_brigade(start, end, b) for b in brigade_ids])
