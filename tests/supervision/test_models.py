"""Supervision records: a hazard's deadline, a letter's one recipient."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


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
