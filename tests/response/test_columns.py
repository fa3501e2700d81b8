"""The incident column cache: what it serves equals the records, after every kind of write."""

import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import call_command

from brigade.core.period import parse_period
from brigade.metrics.registry import local_day_bounds
from brigade.response import columns
from brigade.response.models import Dispatch, Incident, IncidentColumns
from brigade.response.stats import incident_stats
from tests.io.helpers import write_xlsx

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PERIOD = parse_period("2025")


def at(month: int, day: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hh, mm, tzinfo=TZ)


def assert_same(a: columns.IncidentArrays, b: columns.IncidentArrays) -> None:
    for f in dataclasses.fields(a):
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)


def assert_cache_matches_records() -> None:
    """What the cache serves for 2025 is what the records hold now."""
    start, end = local_day_bounds(PERIOD.start, PERIOD.end)
    cached = columns.load(start, end)
    assert IncidentColumns.objects.filter(data=None).count() == 0  # every month of the year is built
    assert_same(cached, columns.read_records(start, end))


@pytest.fixture
def calls(brigade, street, station):
    """Calls either side of UTC month edges: 1 March 07:00 in Beijing is still February in UTC."""
    made = []
    for number, received in (("C1", at(2, 20, 9)), ("C2", at(3, 1, 7)), ("C3", at(3, 1, 9)), ("C4", at(4, 30, 23))):
        inc = Incident.objects.create(number=number, category="fire", received_at=received,
                                      dispatched_at=received + dt.timedelta(minutes=1), street=street,
                                      lon=118.4, lat=35.0, deaths=1 if number == "C4" else 0, direct_loss=120)
        Dispatch.objects.create(incident=inc, station=station, crew_count=5,
                                dispatched_at=received + dt.timedelta(minutes=1),
                                departed_at=received + dt.timedelta(minutes=2),
                                arrived_at=received + dt.timedelta(minutes=7))
        made.append(inc)
    assert_cache_matches_records()
    return made


def test_months_are_utc_and_a_call_lands_in_one(calls):
    start, end = local_day_bounds(PERIOD.start, PERIOD.end)
    months = columns.months_between(start, end)
    assert months[0] == dt.date(2024, 12, 1) and months[-1] == dt.date(2025, 12, 1)  # 1 Jan 00:00 +08 is 31 Dec UTC
    built = dict(IncidentColumns.objects.values_list("month", "calls"))
    assert built[dt.date(2025, 2, 1)] == 2 and built[dt.date(2025, 3, 1)] == 1 and built[dt.date(2025, 4, 1)] == 1
    # A local month reads the UTC months it overlaps and keeps only its own calls.
    march = incident_stats("2025-03", "brigade")
    assert march["summary"]["calls"] == 2 and march["summary"]["vehicles"] == 2


def test_the_cache_is_used_once_built(calls):
    a = incident_stats(PERIOD, "brigade")
    # Poke the records behind the cache's back (no signal): the cache still answers from its copy…
    Incident.objects.filter(number="C1").update(category="rescue")
    assert incident_stats(PERIOD, "brigade")["categories"] == a["categories"]
    # …until its month is forgotten, as every write path does, or as the command does for such pokes.
    out = io.StringIO()
    call_command("incidents", "rebuild", stdout=out)
    assert "已作废 13 个月份的列缓存" in out.getvalue()
    b = incident_stats(PERIOD, "brigade")
    assert {r["category"]: r["calls"] for r in b["categories"]}["rescue"] == 1


def test_saves_edits_and_deletes_forget_their_months(calls, station):
    c1, c2, c3, c4 = calls
    c2.received_at = at(5, 10, 9)  # moves out of February (UTC) into May: both months are rebuilt
    c2.dispatched_at = at(5, 10, 10)
    c2.save()
    d = Dispatch.objects.get(incident=c2)
    d.dispatched_at, d.departed_at, d.arrived_at = at(5, 10, 10), at(5, 10, 11), at(5, 10, 15)
    d.save()
    assert_cache_matches_records()
    Dispatch.objects.create(incident=c3, station=station, crew_count=3, dispatched_at=at(3, 1, 9, 5))
    assert_cache_matches_records()
    moved = Dispatch.objects.get(incident=c1)
    moved.incident = c4  # a dispatch moved to a call of another month forgets both
    moved.save()
    assert_cache_matches_records()
    Dispatch.objects.filter(incident=c3).first().delete()
    assert_cache_matches_records()
    c4.delete()  # the incident and, by cascade, its dispatches
    assert_cache_matches_records()
    assert incident_stats(PERIOD, "brigade")["summary"]["calls"] == 3


def test_ledger_import_forgets_the_months_it_writes(calls, tmp_path, station):
    from brigade.io.importer import import_file
    from brigade.io.ledgers import get_ledger

    headers = {c.key: c.header for c in get_ledger("dispatch").columns}
    path = write_xlsx(tmp_path / "dispatch.xlsx", [headers["incident"], headers["station"], headers["crew_count"],
                                                   headers["dispatched_at"]],
                      [["C3", station.name, 4, "2025-03-01 09:03"], ["C4", station.name, 2, "2025-04-30 23:02"]])
    report = import_file(path, ledger="dispatch")
    assert report.ok, report.errors
    assert_cache_matches_records()
    assert incident_stats(PERIOD, "brigade")["summary"]["vehicles"] == 6


def test_api_writes_forget_their_months(calls, station, django_user_model):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(django_user_model.objects.create_superuser("chief", "", "pw-long-enough-1"))
    made = api.post("/api/incidents/", {"number": "A1", "category": "rescue", "received_at": "2025-06-01T10:00:00+08:00"},
                    format="json")
    assert made.status_code == 201, made.json()
    assert_cache_matches_records()
    sent = api.post("/api/dispatches/", {"incident": made.json()["id"], "station": station.pk, "crew_count": 4,
                                         "dispatched_at": "2025-06-01T10:01:00+08:00"}, format="json")
    assert sent.status_code == 201, sent.json()
    assert_cache_matches_records()
    moved = api.patch(f"/api/incidents/{made.json()['id']}/", {"category": "fire"}, format="json")
    assert moved.status_code == 200, moved.json()
    assert_cache_matches_records()
    assert {r["category"]: r["calls"] for r in incident_stats(PERIOD, "brigade")["categories"]}["fire"] == 5


def test_a_build_that_raced_a_write_is_not_kept(calls):
    march = dt.date(2025, 3, 1)
    row = IncidentColumns.objects.get(month=march)
    columns.forget_months([march])
    stale_generation = row.generation + 1
    columns.forget_months([march])  # a write lands while a reader is still building from older rows
    columns._build({march: stale_generation})
    assert IncidentColumns.objects.get(month=march).data is None  # not stored: the next read rebuilds
    assert_cache_matches_records()


def test_columns_of_another_version_are_rebuilt(calls):
    march = dt.date(2025, 3, 1)
    buf = io.BytesIO()
    np.savez(buf, incident_id=np.arange(3))  # what an older Brigade might have stored
    IncidentColumns.objects.filter(month=march).update(data=buf.getvalue())
    assert_cache_matches_records()


def test_columns_of_version_1_are_rebuilt_with_the_first_due_area(calls):
    """Version 1 had every column but the recorded first-due station: such a month is rebuilt."""
    from brigade.org.models import Station
    from brigade.response import columns

    Incident.objects.filter(number="C2").update(first_due_station=Station.objects.get())
    columns.forget_all()  # .update() sends no signal
    march = dt.date(2025, 3, 1)
    assert_cache_matches_records()  # the month is stored now, at the current version
    assert np.isfinite(columns.read_records(*local_day_bounds(PERIOD.start, PERIOD.end)).first_due_id).sum() == 1
    a = columns.load(columns._month_start(march), columns._month_start(columns._next_month(march)))
    buf = io.BytesIO()
    np.savez(buf, **{n: getattr(a, n) for n in columns.CALL_FIELDS + columns.DISPATCH_FIELDS if n != "first_due_id"})
    IncidentColumns.objects.filter(month=march).update(data=buf.getvalue())
    assert columns._unpack(IncidentColumns.objects.get(month=march).data) is None
    assert_cache_matches_records()
    assert columns._unpack(IncidentColumns.objects.get(month=march).data) is not None


def test_a_full_tie_for_first_arrival_goes_to_the_earlier_dispatch_record(brigade, street, station):
    from brigade.org.models import Station

    other = Station.objects.create(brigade=brigade, name="城东站", kind="level2", street=street, lon=118.5, lat=35.0)
    call = Incident.objects.create(number="T1", category="rescue", received_at=at(6, 1, 8), street=street)
    times = {"dispatched_at": at(6, 1, 8, 1), "departed_at": at(6, 1, 8, 2), "arrived_at": at(6, 1, 8, 6)}
    Dispatch.objects.create(incident=call, station=other, crew_count=3, **times)  # the earlier record
    Dispatch.objects.create(incident=call, station=station, crew_count=4, **times)
    for _ in range(2):  # built from the rows, then read from the cache
        rows = {r["station"]: r["first_arrivals"] for r in incident_stats(PERIOD, "brigade")["stations"]
                if r["station_id"]}
        assert rows == {"城东站": 1, station.name: 0}
