"""Incidents and dispatches as numpy columns, cached per UTC month: the statistics' fast read.

Reading a million calls and three million dispatches row by row costs far more than the
statistics themselves (issue 5: ~13 s of an 18 s run), so each UTC calendar month's records are
kept as numpy columns in one binary value (``IncidentColumns``) and rebuilt from the records when
one of them changes. The cache holds the records as they are, nothing derived, so every figure is
computed by the same code whether its month came from the cache or from the rows.

Every write forgets the months it touches: saves and deletes through model signals, bulk imports
and the demo through ``records_bulk_created``. A build that raced a write is not stored (the
month's ``generation`` moved on), so once a write has committed no reader can keep older data.
"""

import datetime as dt
import io
import logging
from dataclasses import dataclass, fields

import numpy as np
from django.db import DatabaseError, connections, transaction
from django.db.models import Case, F, FloatField, Func, IntegerField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from brigade.response.models import Dispatch, Incident, IncidentCategory, IncidentColumns

CATEGORIES: tuple[str, ...] = tuple(IncidentCategory.values)  # the index is the category code
# Stored with every month; a month written by another version is rebuilt, never misread.
FORMAT_VERSION = 2  # 2: first_due_id
log = logging.getLogger(__name__)


@dataclass
class IncidentArrays:
    """Calls and their dispatches as columns; dispatch rows point at call rows (``d_call``)."""

    incident_id: np.ndarray
    category: np.ndarray  # index into CATEGORIES
    street_id: np.ndarray  # float, NaN when unknown
    first_due_id: np.ndarray  # the dispatching system's first-due station (float, NaN when unknown)
    lon: np.ndarray
    lat: np.ndarray
    received_s: np.ndarray  # epoch seconds, NaN when unknown
    dispatched_s: np.ndarray
    controlled_s: np.ndarray
    cleared_s: np.ndarray
    returned_s: np.ndarray
    deaths: np.ndarray
    injuries: np.ndarray
    direct_loss: np.ndarray
    d_call: np.ndarray  # row index into the call arrays
    d_station_id: np.ndarray
    d_vehicle_id: np.ndarray  # float, NaN when no vehicle is recorded
    d_crew: np.ndarray
    d_dispatched_s: np.ndarray
    d_departed_s: np.ndarray
    d_arrived_s: np.ndarray
    d_returned_s: np.ndarray

    @property
    def n_calls(self) -> int:
        return int(self.incident_id.size)


CALL_FIELDS = tuple(f.name for f in fields(IncidentArrays) if not f.name.startswith("d_"))
DISPATCH_FIELDS = tuple(f.name for f in fields(IncidentArrays) if f.name.startswith("d_"))


def subset(a: IncidentArrays, keep: np.ndarray) -> IncidentArrays:
    """The calls where ``keep`` is true, with their dispatches (``d_call`` renumbered)."""
    new_index = np.cumsum(keep) - 1
    rows = keep[a.d_call] if a.d_call.size else np.zeros(0, dtype=bool)
    parts = {name: getattr(a, name)[keep] for name in CALL_FIELDS}
    parts.update({name: getattr(a, name)[rows] for name in DISPATCH_FIELDS})
    parts["d_call"] = new_index[a.d_call[rows]].astype(np.int64)
    return IncidentArrays(**parts)


def concat(chunks: list[IncidentArrays]) -> IncidentArrays:
    """Chunks (months) one after the other: calls in incident-id order, dispatches by call."""
    offsets = np.cumsum([0] + [c.n_calls for c in chunks[:-1]])
    parts = {name: np.concatenate([getattr(c, name) for c in chunks]) for name in CALL_FIELDS + DISPATCH_FIELDS}
    parts["d_call"] = np.concatenate([c.d_call + off for c, off in zip(chunks, offsets, strict=True)]).astype(np.int64)
    out = IncidentArrays(**parts)
    if out.n_calls > 1 and not (np.diff(out.incident_id) > 0).all():
        order = np.argsort(out.incident_id, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        for name in CALL_FIELDS:
            setattr(out, name, getattr(out, name)[order])
        out.d_call = rank[out.d_call]
        by_call = np.argsort(out.d_call, kind="stable")  # each call's dispatches keep their id order
        for name in DISPATCH_FIELDS:
            setattr(out, name, getattr(out, name)[by_call])
    return out


# ---------------------------------------------------------------------------------------------
# Reading the records


class EpochSeconds(Func):
    """A datetime column as float seconds since 1970-01-01 UTC, computed by the database."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores UTC text; julianday is exact to ~50 µs at today's dates (rounded later).
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
                           **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float8", **extra)

    def as_mysql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="UNIX_TIMESTAMP(%(expressions)s)", **extra)


FETCH_ROWS = 100_000  # rows converted to numpy at a time (bounds the memory of Python tuples)


def fetch_columns(queryset, *columns) -> list[np.ndarray]:
    """``queryset.values_list(*columns)`` as float columns (NULL → NaN), in one query.

    The SQL is the queryset's own; rows are read with the database cursor directly, skipping the
    per-value Python converters, and turned into numpy in chunks.
    """
    qs = queryset.values_list(*columns)
    sql, params = qs.query.sql_with_params()
    chunks = []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            chunks.append(np.array(rows, dtype=float))
    table = np.concatenate(chunks) if chunks else np.empty((0, len(columns)))
    return [table[:, i] for i in range(len(columns))]


def _ms(seconds: np.ndarray) -> np.ndarray:
    """Round epoch seconds to the millisecond (julianday arithmetic is exact to ~50 µs)."""
    return np.round(seconds, 3)


def _category_code():
    return Case(*(When(category=c, then=Value(i)) for i, c in enumerate(CATEGORIES)), default=Value(-1),
                output_field=IntegerField())


def read_records(start: dt.datetime, end: dt.datetime, calls_filter=None) -> IncidentArrays:
    """Two queries: every incident received in [start, end) in id order, and every dispatch to them
    by call and id. ``calls_filter(prefix)`` (a Q, e.g. one brigade's calls) narrows both."""
    # No ORDER BY: sorting a million rows is cheaper in numpy than in the database.
    calls = Incident.objects.filter(received_at__gte=start, received_at__lt=end).order_by()
    if calls_filter is not None:
        calls = calls.filter(calls_filter(""))
    (inc_id, category, street_id, first_due, lon, lat, deaths, injuries, loss, *times) = fetch_columns(
        calls, "pk", _category_code(), "street_id", "first_due_station_id", "lon", "lat", "deaths", "injuries",
        Cast("direct_loss", FloatField()), *(EpochSeconds(f) for f in
                                             ("received_at", "dispatched_at", "controlled_at", "cleared_at", "returned_at")))
    order = np.argsort(inc_id, kind="stable")
    inc_id = inc_id[order].astype(np.int64)
    dispatches = Dispatch.objects.filter(incident__received_at__gte=start, incident__received_at__lt=end).order_by()
    if calls_filter is not None:
        dispatches = dispatches.filter(calls_filter("incident__"))
    d_id, d_inc, d_station, d_vehicle, d_crew, *d_times = fetch_columns(
        dispatches, "pk", "incident_id", "station_id", "vehicle_id", "crew_count",
        *(EpochSeconds(f) for f in ("dispatched_at", "departed_at", "arrived_at", "returned_at")))
    d_call = np.searchsorted(inc_id, d_inc.astype(np.int64)) if inc_id.size else np.zeros(d_inc.size, np.int64)
    # Dispatches by call, then by id: a tie for first arrival goes to the same vehicle on every read.
    d_order = np.lexsort((d_id, d_call))
    return IncidentArrays(
        inc_id, category[order].astype(np.int64), street_id[order], first_due[order], lon[order], lat[order],
        *(_ms(t[order]) for t in times), deaths[order], injuries[order], loss[order],
        d_call[d_order].astype(np.int64), d_station[d_order].astype(np.int64), d_vehicle[d_order], d_crew[d_order],
        *(_ms(t[d_order]) for t in d_times))


# ---------------------------------------------------------------------------------------------
# The cache: one row per UTC month


def month_of(moment: dt.datetime) -> dt.date:
    utc = moment.astimezone(dt.UTC)
    return dt.date(utc.year, utc.month, 1)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _month_start(month: dt.date) -> dt.datetime:
    return dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC)


def months_between(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    """The UTC months that overlap [start, end)."""
    out, month = [], month_of(start)
    while _month_start(month) < end:
        out.append(month)
        month = _next_month(month)
    return out


def _pack(a: IncidentArrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, version=np.array(FORMAT_VERSION), **{name: getattr(a, name) for name in CALL_FIELDS + DISPATCH_FIELDS})
    return buf.getvalue()


def _unpack(data) -> IncidentArrays | None:
    """The month's columns; None when they were written by a version with other columns."""
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as npz:
        if "version" not in npz.files or int(npz["version"]) != FORMAT_VERSION \
                or set(npz.files) != {"version", *CALL_FIELDS, *DISPATCH_FIELDS}:
            return None
        return IncidentArrays(**{name: npz[name] for name in CALL_FIELDS + DISPATCH_FIELDS})


def _runs(months: list[dt.date]) -> list[list[dt.date]]:
    """Consecutive months grouped, so each run of stale months is read in one pair of queries."""
    runs: list[list[dt.date]] = []
    for m in months:
        if runs and _next_month(runs[-1][-1]) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _by_month(a: IncidentArrays, months: list[dt.date]) -> dict[dt.date, IncidentArrays]:
    edges = np.array([_month_start(m).timestamp() for m in months] + [_month_start(_next_month(months[-1])).timestamp()])
    slot = np.searchsorted(edges, a.received_s, side="right") - 1
    return {m: subset(a, slot == i) for i, m in enumerate(months)}


def _build(stale: dict[dt.date, int]) -> dict[dt.date, IncidentArrays]:
    """Read the stale months from the records and store each, unless a write moved it on meanwhile."""
    built = {}
    for run in _runs(sorted(stale)):
        records = read_records(_month_start(run[0]), _month_start(_next_month(run[-1])))
        for month, chunk in _by_month(records, run).items():
            built[month] = chunk
            _store(IncidentColumns.objects.filter(month=month, generation=stale[month]),
                   data=_pack(chunk), calls=chunk.n_calls, dispatches=int(chunk.d_call.size), built_at=timezone.now())
    return built


def _store(rows, **values) -> None:
    """Best effort: a reader that cannot write now (the database busy with an import) still answers
    from the rows it read, and the month is built again next time."""
    try:
        with transaction.atomic():
            rows.update(**values)
    except DatabaseError as error:
        log.warning("警情统计列缓存未能写入，下次统计将重新生成：%s", error)


def load(start: dt.datetime, end: dt.datetime) -> IncidentArrays:
    """Every call received in [start, end) and its dispatches, from the cache (built where stale)."""
    months = months_between(start, end) or [month_of(start)]  # an empty range reads one month, keeps nothing
    rows = list(IncidentColumns.objects.filter(month__in=months).values_list("month", "generation", "data"))
    missing = set(months) - {r[0] for r in rows}
    if missing:
        # A row exists before its build starts, so a concurrent write always has a generation to move on.
        try:
            with transaction.atomic():
                IncidentColumns.objects.bulk_create([IncidentColumns(month=m) for m in missing], ignore_conflicts=True)
        except DatabaseError as error:  # nothing is cached for these months this time: read from the records
            log.warning("警情统计列缓存未能建立：%s", error)
        rows += IncidentColumns.objects.filter(month__in=missing).values_list("month", "generation", "data")
    chunks, stale = {}, {}
    for month, generation, data in rows:
        chunk = None if data is None else _unpack(data)
        if chunk is None:
            stale[month] = generation
        else:
            chunks[month] = chunk
    stale.update({m: -1 for m in months if m not in chunks and m not in stale})  # no row: built, not stored
    if stale:
        chunks.update(_build(stale))
    a = concat([chunks[m] for m in months])
    return subset(a, (a.received_s >= start.timestamp()) & (a.received_s < end.timestamp()))


def forget_months(months) -> None:
    months = {m for m in months if m is not None}
    if months:
        IncidentColumns.objects.filter(month__in=months).update(data=None, generation=F("generation") + 1)


def forget_moments(moments) -> None:
    forget_months(month_of(m) for m in moments if m is not None)


def forget_incidents(incident_ids) -> None:
    """Forget the months of these incidents (their dispatches changed)."""
    ids = sorted({int(i) for i in incident_ids if i is not None})
    months = set()
    for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        months.update(month_of(t) for t in Incident.objects.filter(pk__in=ids[i:i + 500])
                      .values_list("received_at", flat=True).distinct())
    forget_months(months)


def forget_all() -> int:
    """Forget every month (after the records were changed outside Brigade); returns how many were built."""
    built = IncidentColumns.objects.exclude(data=None).count()
    IncidentColumns.objects.update(data=None, generation=F("generation") + 1)
    return built
