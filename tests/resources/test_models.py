"""Resources: counts that cannot be negative, roads that need two points."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

pytestmark = pytest.mark.django_db


def test_negative_equipment_counts_rejected(station):
    from brigade.resources.models import Equipment

    with pytest.raises(ValidationError) as err:
        Equipment(kind="scba", station=station, in_service_qty=-1).full_clean()
    assert "in_service_qty" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Equipment.objects.create(kind="scba", station=station, in_service_qty=-1)


def test_road_needs_two_points():
    from brigade.resources.models import Road

    with pytest.raises(ValidationError) as err:
        Road(name="示例路", road_class="local", coordinates=[[118.4, 35.0]]).full_clean()
    assert err.value.message_dict["coordinates"] == ["道路坐标应为至少两个 [经度, 纬度] 点的列表。"]
    Road(name="示例路", road_class="local", coordinates=[[118.4, 35.0], [118.41, 35.0]]).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Road.objects.create(name="负长度", road_class="local", coordinates=[[118.4, 35.0], [118.41, 35.0]], length_m=-1)
