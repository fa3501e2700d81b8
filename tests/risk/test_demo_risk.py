"""The demo grades every unit and draws the next January's list from its seed."""

import pytest

from tests.demo.conftest import SEED, YEAR, demo  # noqa: F401  (the module's shared demo brigade)

pytestmark = pytest.mark.django_db


def test_demo_has_grades_and_a_verifiable_draw(demo):  # noqa: F811
    from brigade.risk.models import Draw, UnitRisk
    from brigade.risk.services.draw import draw_verify
    from brigade.units.models import SocialUnit

    assert UnitRisk.objects.count() == SocialUnit.objects.count() > 0
    assert set(UnitRisk.objects.values_list("level", flat=True)) == {"high", "medium", "low"}
    draw = Draw.objects.get(status="active")
    assert draw.month.isoformat() == f"{YEAR + 1}-01-01"
    assert draw.items.count() == draw.checks > 0
    assert not draw.items.filter(inspector_a__isnull=True).exists()
    assert draw_verify(draw=draw)
    assert SEED  # the demo's seed fixes the draw's seed too
