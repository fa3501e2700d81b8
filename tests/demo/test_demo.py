"""The demo brigade: deterministic, at the intended scale, and valid under every model rule."""

import datetime as dt
import io
import math
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F
from shapely.geometry import Point, shape

from tests.demo.conftest import SCALE, SEED, UNTIL, YEAR

pytestmark = pytest.mark.django_db


def scaled(lo: int, hi: int) -> tuple[int, int]:
    """The range a full-scale count lands in at the tests' scale (with rounding slack)."""
    return math.floor(lo * SCALE) - 1, math.ceil(hi * SCALE) + 1


# ----------------------------------------------------------------------------------------------
# Determinism


def test_same_seed_same_counts_and_checksums(demo):
    from brigade.demo.generator import build_demo, counts, table_checksums, wipe_demo

    first_counts, first_sums = counts(), table_checksums()
    wipe_demo()
    assert sum(counts().values()) == 0
    build_demo(seed=SEED, year=YEAR, until=UNTIL, scale=SCALE)
    assert counts() == first_counts
    assert table_checksums() == first_sums


def test_other_seed_gives_other_content(demo):
    from brigade.demo.generator import build_demo, checksum, wipe_demo

    before = checksum()
    wipe_demo()
    build_demo(seed=SEED + 1, year=YEAR, until=UNTIL, scale=SCALE)
    assert checksum() != before


def test_default_year_is_last_complete_year():
    from brigade.demo.generator import default_year

    assert default_year(dt.date(2026, 11, 28)) == 2025
    assert default_year(dt.date(2026, 1, 1)) == 2025


# ----------------------------------------------------------------------------------------------
# Scale


def test_counts_within_intended_ranges(demo):
    from brigade.org.models import Community, Station, Street
    from brigade.resources.models import Hydrant, Road, Vehicle
    from brigade.response.models import Dispatch, Incident
    from brigade.supervision.models import Campaign, EnforcementAction, Hazard, Inspection
    from brigade.units.models import SocialUnit

    def between(n, rng):
        return rng[0] <= n <= rng[1]

    assert Street.objects.count() == 11
    assert Street.objects.filter(kind="town").count() == 3
    assert 40 <= Community.objects.count() <= 130
    assert Station.objects.count() == 8
    assert 15 <= Vehicle.objects.count() <= 25
    assert Road.objects.count() >= 200
    assert between(SocialUnit.objects.count(), scaled(2_800, 3_200))
    key_share = SocialUnit.objects.filter(is_key_unit=True).count() / SocialUnit.objects.count()
    assert 0.04 <= key_share <= 0.2
    # Hydrants follow the built-up area (dense old city, sparse fringe): about 2,900 at full scale.
    assert between(Hydrant.objects.count(), (150, 450))
    # The demo year itself has one real year's scale (the history adds years around it).
    assert Campaign.objects.filter(starts_on__year=YEAR).count() == 3
    supervision = Inspection.objects.filter(inspected_on__year=YEAR).exclude(kind="self_day").count()
    assert 200 <= supervision <= 420
    assert 200 <= Hazard.objects.filter(found_on__year=YEAR).count() <= 450
    year_incidents = Incident.objects.filter(number__startswith=f"HD{YEAR}")
    assert between(year_incidents.count(), scaled(577, 726))
    fires = year_incidents.filter(category="fire").count()
    assert 0.6 <= fires / year_incidents.count() <= 0.85
    assert Dispatch.objects.filter(incident__in=year_incidents).count() <= round(950 * SCALE)
    assert EnforcementAction.objects.filter(kind="gov_listing", decided_on__year=YEAR).count() == 1
    assert EnforcementAction.objects.filter(kind="detention", decided_on__year=YEAR).count() == 1


def test_history_spans_two_years_before_and_the_current_year_to_date(demo):
    from brigade.response.models import Incident
    from brigade.supervision.models import Hazard, Inspection

    years = {d.year for d in Inspection.objects.dates("inspected_on", "year")}
    assert years == {YEAR - 2, YEAR - 1, YEAR, YEAR + 1}
    assert Incident.objects.filter(number__startswith=f"HD{YEAR + 1}").exists()
    assert not Inspection.objects.filter(inspected_on__gt=UNTIL).exists()
    assert not Hazard.objects.filter(rectified_on__gt=UNTIL).exists()
    assert max(i.received_at for i in Incident.objects.all()).date() <= UNTIL
    # Recurrence across years: a hazard whose earlier closed twin was found in an earlier year.
    assert Hazard.objects.filter(recurrence_of__isnull=False, found_on__year__gt=F("recurrence_of__found_on__year")
                                 ).exists()


def test_street_evaluations_have_a_year_earlier_base(demo):
    """The demo year's monthly street scores compare with the year before (同比), not with nothing."""
    from brigade.core.period import parse_period
    from brigade.metrics.registry import compute

    table = compute(parse_period(str(YEAR)), codes=["responsibility.evaluation_months", "responsibility.street_score"])
    months, score = table.values["responsibility.evaluation_months"], table.values["responsibility.street_score"]
    assert (months.value, months.previous) == (12, 12)
    assert score.value and score.previous


def test_years_tell_a_story(demo):
    from brigade.org.models import Street
    from brigade.response.models import Incident
    from brigade.supervision.models import Inspection

    def per_year(qs, field):
        return {y: qs.filter(**{f"{field}__year": y}).count() for y in range(YEAR - 2, YEAR + 1)}

    inspections = per_year(Inspection.objects.exclude(kind__in=("self_day", "reinspection")), "inspected_on")
    assert inspections[YEAR - 2] < inspections[YEAR - 1] < inspections[YEAR]
    fires = {y: Incident.objects.filter(category="fire", number__startswith=f"HD{y}").count()
             for y in range(YEAR - 2, YEAR + 1)}
    assert fires[YEAR] < fires[YEAR - 2]
    # One street's fires keep rising while the district's fall.
    rising = [s.name for s in Street.objects.all()
              if Incident.objects.filter(category="fire", street=s, number__startswith=f"HD{YEAR}").count()
              > Incident.objects.filter(category="fire", street=s, number__startswith=f"HD{YEAR - 2}").count()]
    assert rising


def test_default_until_is_yesterday_in_the_year_after_the_demo_year():
    from brigade.demo.generator import default_until, history

    assert default_until(2025, dt.date(2026, 11, 28)) == dt.date(2026, 11, 27)
    assert default_until(2025, dt.date(2026, 1, 1)) is None
    assert default_until(2023, dt.date(2026, 11, 28)) is None
    assert [y for y, _ in history(2025, dt.date(2026, 3, 31))] == [2023, 2024, 2025, 2026]
    assert history(2025, None)[-1] == (2025, dt.date(2025, 12, 31))


def test_every_activity_kind_has_rows(demo):
    from brigade.ledger.models import ActivityKind

    empty = ActivityKind.objects.annotate(n=Count("activities")).filter(n=0)
    assert list(empty.values_list("code", flat=True)) == []


# ----------------------------------------------------------------------------------------------
# Geography


def test_every_street_has_a_polygon_and_they_tile_the_district(demo):
    from django.conf import settings

    from brigade.demo.geography import read_outline
    from brigade.org.models import Street

    total = 0.0
    for street in Street.objects.all():
        geom = shape(street.boundary)
        assert geom.geom_type in ("Polygon", "MultiPolygon"), street.name
        assert geom.is_valid or geom.buffer(0).area == pytest.approx(geom.area, rel=1e-3)
        assert street.area_km2 > 5
        total += street.area_km2
    outline = read_outline(Path(settings.BRIGADE_DATA_DIR))
    # 河东区 is about 830 km²; the streets cover it without gaps or overlaps.
    assert 780 <= total <= 880
    assert outline.area > 0


def test_roads_form_one_connected_graph(demo):
    from brigade.resources.models import Road

    graph = nx.Graph()
    for coords in Road.objects.values_list("coordinates", flat=True):
        points = [tuple(p) for p in coords]
        graph.add_edges_from(zip(points, points[1:], strict=False))
    assert graph.number_of_edges() >= 200
    assert nx.is_connected(graph)


def test_roads_have_names_and_classes(demo):
    from brigade.resources.models import Road

    classes = set(Road.objects.values_list("road_class", flat=True))
    assert {"arterial", "secondary", "local", "rural"} <= classes
    assert not Road.objects.filter(name="").exists()
    assert Road.objects.values("name").distinct().count() >= 30


def test_units_lie_inside_their_street(demo):
    from brigade.org.models import Street
    from brigade.units.models import SocialUnit

    polygons = {s.pk: shape(s.boundary) for s in Street.objects.all()}
    outside = [u.name for u in SocialUnit.objects.all() if not polygons[u.street_id].contains(Point(u.lon, u.lat))]
    assert outside == []


def test_stations_and_incidents_lie_in_their_street(demo):
    from brigade.org.models import Station, Street
    from brigade.response.models import Incident

    polygons = {s.pk: shape(s.boundary) for s in Street.objects.all()}
    for station in Station.objects.all():
        assert polygons[station.street_id].contains(Point(station.lon, station.lat)), station.name
    for incident in Incident.objects.filter(street__isnull=False):
        assert polygons[incident.street_id].buffer(1e-4).contains(Point(incident.lon, incident.lat)), incident.number


def test_some_streets_have_no_station(demo):
    from brigade.org.models import Street

    without = Street.objects.annotate(n=Count("stations")).filter(n=0)
    assert without.count() == 3


def test_some_named_road_has_no_hydrant_and_hydrants_lie_on_their_road(demo):
    from brigade.resources.models import Hydrant, Road

    urban = set(Road.objects.filter(road_class__in=("arterial", "secondary", "local"))
                .values_list("name", flat=True))
    with_hydrants = set(Hydrant.objects.values_list("road_name", flat=True))
    assert urban - with_hydrants
    segments = defaultdict(list)
    for name, coords in Road.objects.values_list("name", "coordinates"):
        segments[name].append(coords)
    for h in Hydrant.objects.all()[:200]:
        p = (h.lon, h.lat)
        assert any(_distance_to_segment_m(p, a, b) < 1.0 for a, b in segments[h.road_name]), h.code


def _road_lengths_km():
    from brigade.resources.models import Road

    lengths, classes = defaultdict(float), {}
    for name, cls, length in Road.objects.values_list("name", "road_class", "length_m"):
        lengths[name] += length / 1000
        classes[name] = cls
    return lengths, classes


def test_each_road_name_is_one_road_of_a_believable_length(demo):
    lengths, classes = _road_lengths_km()
    streets = [km for name, km in lengths.items() if classes[name] in ("local", "secondary")]
    # City streets run a few hundred metres to a few kilometres; nothing but an expressway passes 10 km.
    assert max(km for name, km in lengths.items() if classes[name] != "expressway") < 10
    assert max(streets) < 6
    assert sorted(streets)[len(streets) // 2] < 3
    assert len(lengths) >= 60


def test_hydrants_are_dense_in_the_old_city_and_sparse_at_the_fringe(demo):
    from brigade.demo.geography import URBAN_CENTRE_LL
    from brigade.demo.resources import OLD_CITY_M
    from brigade.resources.models import Hydrant, Road

    def ring(lon, lat):
        d = math.hypot((lon - URBAN_CENTRE_LL[0]) * 91_200, (lat - URBAN_CENTRE_LL[1]) * 110_900)
        return "old" if d < OLD_CITY_M else "rest"

    road_km, hydrants = defaultdict(float), defaultdict(int)
    for coords, length in Road.objects.values_list("coordinates", "length_m"):
        road_km[ring(*coords[0])] += length / 1000
    statuses = defaultdict(int)
    for lon, lat, status in Hydrant.objects.values_list("lon", "lat", "status"):
        hydrants[ring(lon, lat)] += 1
        statuses[status] += 1
    assert hydrants["old"] / road_km["old"] > 8 * hydrants["rest"] / road_km["rest"]
    assert statuses["damaged"] + statuses["out_of_service"] > 0


def test_first_arrival_is_quicker_in_the_city_than_in_the_countryside(demo):
    import numpy as np

    from brigade.demo.geography import URBAN_CENTRE_LL, URBAN_RADIUS_M
    from brigade.response.models import Incident

    city, country = [], []
    for inc in Incident.objects.prefetch_related("dispatches"):
        minutes = (min(d.arrived_at for d in inc.dispatches.all()) - inc.received_at).total_seconds() / 60
        d = math.hypot((inc.lon - URBAN_CENTRE_LL[0]) * 91_200, (inc.lat - URBAN_CENTRE_LL[1]) * 110_900)
        (city if d < URBAN_RADIUS_M else country).append(minutes)
    assert 5 <= np.median(city) <= 10
    assert np.median(country) > np.median(city) + 2


def _distance_to_segment_m(p, a, b) -> float:
    kx, ky = 111_320 * math.cos(math.radians(35)), 110_574
    px, py = (p[0] - a[0]) * kx, (p[1] - a[1]) * ky
    bx, by = (b[0] - a[0]) * kx, (b[1] - a[1]) * ky
    t = max(0.0, min(1.0, (px * bx + py * by) / (bx * bx + by * by)))
    return math.hypot(px - t * bx, py - t * by)


# ----------------------------------------------------------------------------------------------
# Records obey the model rules


def _domain_models():
    from brigade.demo.generator import DOMAIN_APPS

    for model in apps.get_models():
        if model._meta.app_label in DOMAIN_APPS and not model.__name__.startswith("Historical"):
            yield model


def test_full_clean_on_a_sample_of_every_model(demo):
    checked = []
    for model in _domain_models():
        rows = list(model.objects.order_by("pk")[:6]) + list(model.objects.order_by("-pk")[:6])
        for obj in rows:
            obj.full_clean()
        if rows:
            checked.append(model.__name__)
    expected = {"Brigade", "Street", "Community", "Department", "Station", "Person", "SocialUnit", "Campaign",
                "Inspection", "Hazard", "EnforcementAction", "Interview", "Notice", "SupervisionLetter",
                "Incident", "Dispatch", "Vehicle", "Equipment", "Hydrant", "WaterSource", "ChargingShed",
                "ElevatorBlocker", "Road", "Activity"}
    assert expected <= set(checked)


def test_incident_timelines_are_ordered(demo):
    from brigade.response.models import Dispatch, Incident

    for incident in Incident.objects.prefetch_related("dispatches"):
        legs = list(incident.dispatches.all())
        assert 1 <= len(legs) <= 4
        for d in legs:
            assert incident.received_at < d.dispatched_at <= d.departed_at < d.arrived_at <= d.returned_at
            assert dt.timedelta(seconds=40) <= d.departed_at - d.dispatched_at <= dt.timedelta(seconds=120)
        first = min(d.arrived_at for d in legs)
        assert incident.cleared_at >= first
        assert incident.returned_at == max(d.returned_at for d in legs)
    assert not Dispatch.objects.filter(vehicle__isnull=True).exists()


def test_hazard_workflow_states(demo):
    from brigade.supervision.models import Hazard, Inspection

    end = UNTIL
    assert Hazard.objects.filter(status="closed").count() > Hazard.objects.count() / 2
    overdue = Hazard.objects.filter(deadline__lt=end, rectified_on__isnull=True).exclude(status="closed")
    assert overdue.exists()
    assert not Hazard.objects.filter(found_on__gt=end).exists()
    assert not Hazard.objects.filter(rectified_on__gt=end).exists()
    # Re-found: a later hazard at the same unit and category than one already closed.
    closed = Hazard.objects.filter(status="closed", unit=F("unit"))
    refound = Hazard.objects.filter(description__startswith="整改后再次发现")
    assert refound.exists()
    h = refound.first()
    assert closed.filter(unit=h.unit, category=h.category, closed_on__lt=h.found_on).exists()
    # Campaign inspections fall inside their campaign.
    for i in Inspection.objects.filter(campaign__isnull=False).select_related("campaign"):
        assert i.campaign.starts_on <= i.inspected_on <= i.campaign.ends_on


def test_credit_codes_are_valid_and_unique(demo):
    from brigade.core.validators import validate_credit_code
    from brigade.units.models import SocialUnit

    codes = list(SocialUnit.objects.values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes))
    for code in codes:
        validate_credit_code(code)


# ----------------------------------------------------------------------------------------------
# Commands and bad input


def test_demo_command_does_not_rebuild_an_existing_demo(demo):
    from brigade.demo.generator import checksum

    before = checksum()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "已存在" in out.getvalue()
    assert "brigade-demo-2025" in out.getvalue()
    assert checksum() == before


def test_demo_command_force_rebuilds(demo):
    from brigade.demo.generator import counts
    from brigade.org.models import Brigade

    out = io.StringIO()
    call_command("demo", "--force", "--scale", "0.1", "--seed", str(SEED), "--year", str(YEAR), "-v", "0",
                 "--until", UNTIL.isoformat(), stdout=out)
    assert "已生成演示大队" in out.getvalue()
    assert Brigade.objects.count() == 1
    assert counts()["org.Street"] == 11


def test_missing_data_files_give_a_chinese_error(tmp_path):
    from brigade.demo.geography import DemoDataMissing, read_street_names

    with pytest.raises(DemoDataMissing, match="BRIGADE_DATA_DIR"):
        read_street_names(tmp_path)


def test_demo_refuses_a_database_with_another_brigade(brigade):
    from brigade.core.errors import UserError
    from brigade.demo.generator import build_demo

    with pytest.raises(UserError, match="其他大队"):
        build_demo(seed=1, year=YEAR, scale=SCALE)


def test_serve_prints_address_and_login(monkeypatch, demo):
    from django.core.management.commands.runserver import Command as BaseRunserver

    from brigade.demo.management.commands.serve import Command

    monkeypatch.setattr(BaseRunserver, "inner_run", lambda self, *a, **k: None)
    out = io.StringIO()
    cmd = Command(stdout=out)
    cmd.addr, cmd.port, cmd._raw_ipv6 = "127.0.0.1", "8000", False
    cmd.inner_run()
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert "admin / brigade-demo-2025" in text


def test_failed_rebuild_keeps_the_old_demo(demo, monkeypatch):
    from brigade.core.errors import UserError
    from brigade.demo.generator import checksum, demo_exists
    from brigade.demo.management.commands import demo as command

    def fail(**kwargs):
        raise UserError("生成中断")

    before = checksum()
    monkeypatch.setattr(command, "build_demo", fail)  # fails after the old demo was wiped
    with pytest.raises(UserError, match="生成中断"):
        call_command("demo", "--force", "--scale", "0.1", "-v", "0", stdout=io.StringIO())
    assert demo_exists()
    assert checksum() == before


def test_missing_data_files_stop_the_command_before_wiping(demo, settings, tmp_path):
    from brigade.core.errors import UserError
    from brigade.demo.generator import demo_exists

    settings.BRIGADE_DATA_DIR = tmp_path  # no district files here
    with pytest.raises(UserError, match="BRIGADE_DATA_DIR"):
        call_command("demo", "--force", stdout=io.StringIO())
    assert demo_exists()


def test_bad_scale_is_refused(demo):
    from brigade.core.errors import UserError

    with pytest.raises(UserError, match="--scale"):
        call_command("demo", "--force", "--scale", "3", stdout=io.StringIO())


def test_one_demo_account_per_role_and_the_liaison_sees_one_street(demo):
    from django.contrib.auth import get_user_model

    from brigade.core.roles import access_for
    from brigade.demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts

    accounts = ensure_demo_accounts("demo-password-for-tests")
    assert [name for name, _ in accounts] == [name for name, _, _ in DEMO_ACCOUNTS]
    User = get_user_model()
    roles = {name: access_for(User.objects.get(username=name)) for name, _, _ in DEMO_ACCOUNTS}
    assert roles["leader"].role == "leader" and not roles["leader"].is_limited
    assert roles["liaison"].is_limited and roles["liaison"].label == "九曲街道"
    assert roles["detachment"].role == "detachment" and roles["detachment"].is_read_only
    User.objects.filter(username__in=[n for n, _, _ in DEMO_ACCOUNTS]).delete()


def test_the_incident_column_cache_serves_what_the_demo_wrote(demo):
    """The demo writes in bulk; its months are forgotten, so the statistics read its calls."""
    import dataclasses

    import numpy as np

    from brigade.core.period import parse_period
    from brigade.metrics.registry import local_day_bounds
    from brigade.response import columns
    from brigade.response.models import Incident
    from brigade.response.stats import incident_stats

    period = parse_period(str(YEAR))
    start, end = local_day_bounds(period.start, period.end)
    stats = incident_stats(period, "brigade")
    cached, records = columns.load(start, end), columns.read_records(start, end)
    calls = Incident.objects.filter(received_at__gte=start, received_at__lt=end).count()
    assert stats["summary"]["calls"] == calls > 0
    for f in dataclasses.fields(cached):
        np.testing.assert_array_equal(getattr(cached, f.name), getattr(records, f.name), err_msg=f.name)
