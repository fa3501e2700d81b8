"""The full-scale demo year matches the digit counts of the seed summary (SEED_METRICS.md: `*` = one digit).

The demo also writes the two years before; every count here is of the demo year itself."""

import datetime as dt

import pytest
from django.db.models import Count, Q, Sum

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

YEAR = 2025


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker):
    from brigade.demo.generator import DEFAULT_SEED, build_demo, wipe_demo

    with django_db_blocker.unblock():
        build = build_demo(seed=DEFAULT_SEED, year=YEAR, scale=1.0)
        yield build
        wipe_demo()


def digits(n) -> int:
    return len(str(int(n)))


def _activity_sum(codes, metric):
    from brigade.ledger.models import Activity

    return sum(a.values.get(metric, 0) for a in Activity.objects.filter(kind__code__in=codes, occurred_on__year=YEAR))


def test_supervision_figures_have_the_seed_digits(full_demo):
    from brigade.supervision.models import (
        EnforcementAction,
        Hazard,
        Inspection,
        Interview,
        Notice,
        SupervisionLetter,
    )

    def actions(kind):
        return EnforcementAction.objects.filter(kind=kind, decided_on__year=YEAR)

    inspections = Inspection.objects.filter(inspected_on__year=YEAR)
    hazards = Hazard.objects.filter(found_on__year=YEAR)
    assert digits(inspections.exclude(kind="self_day").count()) == 4  # S6 units inspected
    assert 2_000 <= inspections.exclude(kind="self_day").count() <= 4_000
    assert digits(hazards.count()) == 4
    assert digits(hazards.filter(rectified_on__isnull=False).count()) == 4
    assert digits(actions("penalty").values("unit").distinct().count()) == 3
    assert digits(actions("seal_up").values("unit").distinct().count()) == 1
    assert digits(actions("stop_order").values("unit").distinct().count()) == 2
    assert actions("gov_listing").count() == 1
    assert actions("detention").count() == 1
    assert digits(actions("warning").exclude(person_name="").count()) == 2  # S2 people warned
    lane_wire = hazards.filter(category__in=("fire_lane", "flying_wire"), rectified_on__isnull=False)
    assert digits(lane_wire.count()) == 2
    assert digits(hazards.filter(inspection__kind="self_day").count()) == 3  # R6
    interviews = Interview.objects.filter(held_on__year=YEAR)
    assert digits(interviews.count()) == 2
    assert digits(interviews.aggregate(n=Sum("people_count"))["n"]) == 3
    assert digits(Notice.objects.filter(issued_on__year=YEAR).count()) == 2
    assert digits(SupervisionLetter.objects.filter(sent_on__year=YEAR).count()) == 2
    assert digits(inspections.filter(is_joint=True).count()) == 2
    overdue = hazards.filter(deadline__lt=dt.date(YEAR, 12, 31), rectified_on__isnull=True,
                                    status__in=("found", "ordered"))
    assert overdue.count() >= 20


def test_each_campaign_has_the_seed_scale(full_demo):
    from brigade.supervision.models import Campaign, EnforcementAction, Hazard, Inspection

    units_digits = []
    for c in Campaign.objects.filter(starts_on__year=YEAR).order_by("starts_on"):
        units = Inspection.objects.filter(campaign=c).values("unit").distinct().count()
        units_digits.append(digits(units))
        assert digits(Hazard.objects.filter(inspection__campaign=c, rectified_on__isnull=False).count()) == 3
        penalised = EnforcementAction.objects.filter(campaign=c, kind="penalty").values("unit").distinct().count()
        assert digits(penalised) == 2
    assert units_digits == [2, 3, 3]


def test_response_figures_have_the_seed_digits(full_demo):
    from brigade.response.models import Dispatch, Incident

    year = Incident.objects.filter(number__startswith=f"HD{YEAR}")
    by_category = dict(year.values_list("category").annotate(n=Count("pk")))
    assert digits(sum(by_category.values())) == 3
    assert digits(by_category["fire"]) == 3
    assert digits(by_category["rescue"]) == 2
    assert digits(by_category["assistance"]) == 2
    assert digits(by_category["duty"]) == 1
    dispatches = Dispatch.objects.filter(incident__in=year)
    assert digits(dispatches.count()) == 3
    assert digits(dispatches.aggregate(n=Sum("crew_count"))["n"]) == 4
    assert not Incident.objects.filter(has_impact=True).exists()


def test_resources_have_the_intended_scale(full_demo):
    from brigade.resources.models import ChargingShed, ElevatorBlocker, Equipment, Hydrant, Road, Vehicle
    from brigade.units.models import SocialUnit

    # A fine city grid, town seats and sparse country roads; hydrants dense in the old city.
    assert 2_000 <= Road.objects.count() <= 6_000
    assert 2_000 <= Hydrant.objects.count() <= 4_000
    assert Hydrant.objects.filter(status="damaged").exists()
    assert Hydrant.objects.filter(Q(last_checked_on__lt=dt.date(YEAR - 1, 1, 1)) | Q(last_checked_on=None)).exists()
    assert 2_800 <= SocialUnit.objects.count() <= 3_200
    assert 0.08 <= SocialUnit.objects.filter(is_key_unit=True).count() / SocialUnit.objects.count() <= 0.13
    assert 15 <= Vehicle.objects.count() <= 25
    assert Vehicle.objects.filter(commissioned_on__lt=dt.date(YEAR - 15, 12, 31)).count() >= 3
    assert digits(ChargingShed.objects.count()) == 3
    assert digits(ChargingShed.objects.aggregate(n=Sum("ports"))["n"]) == 4
    assert digits(ElevatorBlocker.objects.values("community").distinct().count()) == 2
    assert digits(ElevatorBlocker.objects.aggregate(n=Sum("elevators"))["n"]) == 3
    # SCBA below the 1-per-person standard somewhere (Q4).
    short = [e for e in Equipment.objects.filter(kind="scba").select_related("station")
             if e.in_service_qty < e.station.people.filter(is_on_duty=True).count()]
    assert short


def test_ledger_figures_have_the_seed_scale(full_demo):
    outreach = [f"outreach_{t}" for t in ("enterprise", "village", "community", "school", "family")]
    assert digits(_activity_sum(outreach, "count")) == 2  # P1
    assert digits(_activity_sum(["volunteer_event"], "count")) == 3
    assert digits(_activity_sum([*outreach, "volunteer_event", "materials"], "materials")) == 5  # x.x万
    assert digits(_activity_sum([*outreach, "online_training", "volunteer_event", "safety_training"], "people")) == 5
    assert digits(_activity_sum(["national_lesson"], "schools")) == 2
    assert digits(_activity_sum(["banner"], "places")) == 2
    assert digits(_activity_sum(["broadcast"], "broadcasts")) == 4
    assert digits(_activity_sum(["media_work"], "works")) == 3
    assert digits(_activity_sum(["livestream"], "count")) == 3
    assert digits(_activity_sum(["livestream"], "audience") // 10_000) == 4  # ****万
    assert digits(_activity_sum(["familiarisation"], "count")) == 3
    assert digits(_activity_sum(["alcohol_check"], "people")) == 3
    assert digits(_activity_sum(["committee_meeting"], "count")) == 1
