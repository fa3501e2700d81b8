"""Activity ledger rows: values checked against their kind; the shipped catalogue covers the seed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


def test_negative_activity_values_rejected(street):
    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.get(code="alcohol_check")
    row = Activity(occurred_on=dt.date(2025, 1, 5), kind=kind, street=street, values={"count": 2, "people": -3})
    with pytest.raises(ValidationError) as err:
        row.full_clean()
    assert "“抽查人次”不能为负数" in err.value.message_dict["values"][0]


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
