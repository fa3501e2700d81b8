"""The organisation: names unique within a brigade, areas that cannot be negative."""

import pytest
from django.db import IntegrityError, transaction

pytestmark = pytest.mark.django_db


def test_street_and_station_names_are_unique_within_a_brigade(brigade, street, station):
    from brigade.org.models import Brigade, Station, Street

    with pytest.raises(IntegrityError), transaction.atomic():
        Street.objects.create(brigade=brigade, name=street.name, code="371312009")
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(brigade=brigade, name=station.name, kind="level2", street=street)
    other = Brigade.objects.create(name="另一大队", detachment="测试支队", district="另一区")
    assert Street.objects.create(brigade=other, name=street.name, code="371399001").pk  # another brigade may


def test_street_area_cannot_be_negative(brigade):
    from brigade.org.models import Street

    with pytest.raises(IntegrityError), transaction.atomic():
        Street.objects.create(brigade=brigade, name="负面积街道", code="371312003", area_km2=-1)
