"""Model rules that hold on every entry path: clean() messages in Chinese and database checks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from brigade.core.validators import validate_credit_code
from tests.conftest import make_credit_code

pytestmark = pytest.mark.django_db

# Codes whose check character is correct (GB 32100-2015), written out by hand.
VALID_CODES = ["91350100M000100Y43", "91110000802100433B", "91310000MA1FL4B24G"]


@pytest.mark.parametrize("code", VALID_CODES + [make_credit_code(n) for n in (1, 42, 999999)])
def test_credit_code_checksum_accepts_valid(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100Y4", "18位"),
        ("91350100M000100I43", "不允许的字符"),
    ],
)
def test_credit_code_checksum_rejects(code, fragment):
    with pytest.raises(ValidationError) as err:
        validate_credit_code(code)
    assert fragment in err.value.messages[0]


def test_dispatch_arriving_before_receipt_is_rejected(station):
    from brigade.response.models import Dispatch, Incident

    t0 = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)
    incident = Incident.objects.create(number="J1", category="fire", received_at=t0)
    dispatch = Dispatch(incident=incident, station=station, arrived_at=t0 - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as err:
        dispatch.full_clean()
    assert "到场时间不能早于警情的接警时间" in err.value.message_dict["arrived_at"][0]


def test_incident_timeline_out_of_order_names_the_field():
    from brigade.response.models import Incident

    t0 = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)
    incident = Incident(number="J2", category="rescue", received_at=t0, dispatched_at=t0 - dt.timedelta(seconds=5))
    with pytest.raises(ValidationError) as err:
        incident.full_clean()
    assert err.value.message_dict["dispatched_at"] == ["出动指令时间不能早于接警时间。"]


def test_database_refuses_out_of_order_timeline_even_without_clean():
    from brigade.response.models import Incident

    t0 = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(number="J3", category="fire", received_at=t0, dispatched_at=t0 - dt.timedelta(1))


def test_negative_counts_rejected(station, street):
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.resources.models import Equipment

    kind = ActivityKind.objects.get(code="alcohol_check")
    row = Activity(occurred_on=dt.date(2025, 1, 5), kind=kind, street=street, values={"count": 2, "people": -3})
    with pytest.raises(ValidationError) as err:
        row.full_clean()
    assert "“抽查人次”不能为负数" in err.value.message_dict["values"][0]

    with pytest.raises(ValidationError) as err:
        Equipment(kind="scba", station=station, in_service_qty=-1).full_clean()
    assert "in_service_qty" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Equipment.objects.create(kind="scba", station=station, in_service_qty=-1)


def test_activity_values_must_match_the_kind():
    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.get(code="live_drill")
    with pytest.raises(ValidationError) as err:
        Activity(occurred_on=dt.date(2025, 1, 5), kind=kind, values={"people": 3}).full_clean()
    assert "没有统计项“people”" in err.value.message_dict["values"][0]
    ok = Activity(occurred_on=dt.date(2025, 1, 5), kind=kind, values={"count": 2.0})
    ok.full_clean()
    assert ok.values == {"count": 2}


def test_catalogue_covers_every_count_item_of_the_seed():
    from brigade.ledger.models import ActivityKind

    refs = set(ActivityKind.objects.values_list("seed_ref", flat=True))
    expected = {"H1", "H2", "H3", "R1", "R2", "T1", "T2", "T3", "T4", "T5", "T6",
                "E1", "E2", "E3", "E4", "E5", "E7", "P1", "P2", "P3", "P4", "P5"}
    assert expected <= refs


def test_hazard_deadline_before_found_is_refused(unit, day):
    from brigade.supervision.models import Hazard, Inspection

    inspection = Inspection.objects.create(unit=unit, inspected_on=day, kind="random")
    hazard = Hazard(inspection=inspection, unit=unit, category="fire_lane", found_on=day,
                    deadline=day - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        hazard.full_clean()
    assert err.value.message_dict["deadline"] == ["整改期限不能早于发现日期。"]


def test_letter_needs_exactly_one_recipient(street):
    from brigade.supervision.models import SupervisionLetter

    with pytest.raises(ValidationError) as err:
        SupervisionLetter(sent_on=dt.date(2025, 1, 1), subject="督促整改").full_clean()
    assert "二选一" in err.value.message_dict["street"][0]
