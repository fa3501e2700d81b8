"""Dispatch-system CSV exports through a mapping profile (the San Francisco calls-for-service export)."""

import csv
import datetime as dt
import io
import time
from zoneinfo import ZoneInfo

import pytest

from brigade.io.profiles.run import import_with_profile
from brigade.io.profiles.spec import available_profiles, load_profile
from brigade.io.workbook import ImportFileError
from brigade.org.models import Station
from brigade.resources.models import Vehicle
from brigade.response.models import Dispatch, Incident
from tests.sample_data import sf_calls_csv

pytestmark = pytest.mark.django_db

SF_FILE = sf_calls_csv()
LA = ZoneInfo("America/Los_Angeles")


def _sf_rows(limit=None):
    with SF_FILE.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [row for _, row in zip(range(limit or 10**9), reader, strict=False)]
    return header, rows


def _write(path, header, rows):
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_profiles_are_listed_and_loadable():
    assert "sf_fire_calls" in available_profiles()
    prof = load_profile("sf_fire_calls")
    assert prof["time_zone"] == "America/Los_Angeles"
    with pytest.raises(ImportFileError, match="没有名为“nope”的映射配置"):
        load_profile("nope")


def test_sf_subset_becomes_incidents_dispatches_stations_vehicles(tmp_path):
    header, rows = _sf_rows(400)
    # Another export of the same schema: columns in another order, one extra column.
    order = list(reversed(range(len(header))))
    path = _write(tmp_path / "sf.csv", [header[i] for i in order] + ["Extra"], [[r[i] for i in order] + ["x"] for r in rows])
    report = import_with_profile(path, profile="sf_fire_calls")
    assert report.ok, report.errors[:5]
    calls = {r[0] for r in rows}
    assert Incident.objects.count() == len(calls) == report.created
    assert Dispatch.objects.count() == len(rows)

    first = Incident.objects.get(number="163664050")  # Citizen Assist, E39, Station Area 39
    assert first.received_at == dt.datetime(2016, 12, 31, 23, 57, 56, tzinfo=LA)
    assert first.dispatched_at == dt.datetime(2016, 12, 31, 23, 59, 42, tzinfo=LA)
    assert first.category == "assistance" and round(first.lat, 3) == 37.746 and round(first.lon, 3) == -122.457
    d = first.dispatches.get()
    assert d.vehicle.plate == "E39" and d.vehicle.kind == "water_tanker" and d.station.name == "39号站"
    assert d.arrived_at == dt.datetime(2017, 1, 1, 0, 4, 18, tzinfo=LA)
    assert d.returned_at == dt.datetime(2017, 1, 1, 0, 24, 11, tzinfo=LA)
    # A medic unit has no station number: it belongs to the station area of its first response.
    medic = Vehicle.objects.get(plate="AM30")
    assert medic.station.name == "16号站" and medic.kind == "other"
    two_units = Incident.objects.get(number="163664036")
    assert two_units.dispatches.count() == 2
    assert Station.objects.filter(name="1号站").exists() and not Station.objects.filter(name="01号站").exists()
    alarms = {r[0] for r in rows if r[3] == "Alarms"}
    assert set(Incident.objects.filter(category="false").values_list("number", flat=True)) >= alarms

    again = import_with_profile(path, profile="sf_fire_calls")
    assert again.ok and again.created == 0 and again.existing == len(calls)
    assert "本次没有新增任何数据" in again.summary()
    assert Dispatch.objects.count() == len(rows)


def test_out_of_order_times_keep_the_row_and_flag_it(tmp_path):
    header, rows = _sf_rows(3)
    col = {name: i for i, name in enumerate(header)}
    bad = list(rows[0])
    bad[col["On Scene DtTm"]] = "12/31/2016 11:00:00 PM"  # before the call was received
    path = _write(tmp_path / "sf.csv", header, [bad, *rows[1:]])
    report = import_with_profile(path, profile="sf_fire_calls")
    assert report.ok and Dispatch.objects.count() == 3  # nothing lost
    assert [(f.row, f.column) for f in report.flags] == [(2, "On Scene DtTm")]
    assert "早于" in report.flags[0].message and "记录保留" in report.flags[0].message
    d = Dispatch.objects.get(incident__number=bad[0])
    assert d.arrived_at is None and d.returned_at is not None


def test_unreadable_row_imports_nothing(tmp_path):
    header, rows = _sf_rows(5)
    col = {name: i for i, name in enumerate(header)}
    rows[2][col["Received DtTm"]] = "yesterday"
    rows[3][col["Location"]] = "(north, south)"
    report = import_with_profile(_write(tmp_path / "sf.csv", header, rows), profile="sf_fire_calls")
    assert [(e.row, e.column) for e in report.errors] == [(4, "Received DtTm"), (5, "Location")]
    assert Incident.objects.count() == 0 and Station.objects.count() == 0


def test_wrong_schema_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="缺少列"):
        import_with_profile(path, profile="sf_fire_calls")


def test_full_month_imports_in_seconds():
    started = time.perf_counter()
    report = import_with_profile(SF_FILE, profile="sf_fire_calls")
    elapsed = time.perf_counter() - started
    assert report.ok and report.rows == 7704
    assert Incident.objects.count() == 3560 and Dispatch.objects.count() == 7704
    assert elapsed < 60, elapsed  # seconds, not minutes (a shared 2-core machine can be slow)


def test_newer_sf_layout_renamed_and_missing_columns_still_import(tmp_path):
    """The current SF export renamed ``Neighborhood  District`` (to ``Neighborhooods - Analysis
    Boundaries``, spelled so) and serves the location as ``case_location`` "POINT (lon lat)"."""
    header, rows = _sf_rows(60)
    col = {name: i for i, name in enumerate(header)}
    renamed = ["Neighborhooods - Analysis Boundaries" if h == "Neighborhood  District" else
               "case_location" if h == "Location" else h for h in header]

    def point(text):
        lat, lon = (float(v) for v in text.strip("()").split(","))
        return f"POINT ({lon} {lat})"

    newer = [[point(v) if i == col["Location"] else v for i, v in enumerate(r)] for r in rows]
    report = import_with_profile(_write(tmp_path / "newer.csv", renamed, newer), profile="sf_fire_calls")
    assert report.ok, report.errors[:5]
    first = Incident.objects.get(number="163664050")
    assert round(first.lat, 3) == 37.746 and round(first.lon, 3) == -122.457
    assert first.street.name == rows[0][col["Neighborhood  District"]]
    assert first.first_due_station.name == "39号站"  # the export's Station Area, kept on the call

    # The neighbourhood is not needed for response times: a file without it imports too.
    keep = [i for i, h in enumerate(header) if h != "Neighborhood  District"]
    calls = {r[col["Call Number"]] for r in rows}
    other = [[r[i] for i in keep] for r in _sf_rows(120)[1][60:]]
    report = import_with_profile(_write(tmp_path / "bare.csv", [header[i] for i in keep], other), profile="sf_fire_calls")
    assert report.ok, report.errors[:5]
    assert Incident.objects.exclude(number__in=calls).filter(street__isnull=False).count() == 0
    assert Incident.objects.count() == len(calls | {r[col["Call Number"]] for r in _sf_rows(120)[1][60:]})


def test_a_column_missing_from_every_alternative_is_named(tmp_path):
    header, rows = _sf_rows(3)
    keep = [i for i, h in enumerate(header) if h != "Received DtTm"]
    path = _write(tmp_path / "x.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    with pytest.raises(ImportFileError, match="缺少列 Received DtTm"):
        import_with_profile(path, profile="sf_fire_calls")


def test_a_number_stored_for_another_brigade_is_not_this_calls(tmp_path):
    """Call numbers are unique within a brigade: the same number of another brigade is no reason to skip."""
    from brigade.org.models import Brigade

    header, rows = _sf_rows(40)
    calls = {r[0] for r in rows}
    other = Brigade.objects.create(name="另一大队")
    Incident.objects.create(number=rows[0][0], category="fire", brigade=other,
                            received_at=dt.datetime(2016, 12, 1, 8, tzinfo=LA))
    path = _write(tmp_path / "sf.csv", header, rows)
    report = import_with_profile(path, profile="sf_fire_calls")
    assert report.ok and (report.created, report.existing) == (len(calls), 0), report.errors[:3]
    assert Incident.objects.filter(number=rows[0][0]).count() == 2
    again = import_with_profile(path, profile="sf_fire_calls")
    assert again.ok and (again.created, again.existing) == (0, len(calls))
