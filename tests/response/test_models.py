"""Incident and dispatch timelines: refused out of order by clean() and by the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

pytestmark = pytest.mark.django_db


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
