"""Shared fixtures: a small hand-built brigade that tests can reason about exactly."""

import datetime as dt

import pytest

from brigade.core.validators import credit_code_check_char


def make_credit_code(n: int) -> str:
    """A valid 统一社会信用代码 built from a serial number (the check character computed)."""
    first17 = f"91371312MA{n:07d}"
    return first17 + credit_code_check_char(first17)


@pytest.fixture
def brigade(db):
    from brigade.org.models import Brigade

    return Brigade.objects.create(name="测试大队", detachment="测试支队", district="测试区")


@pytest.fixture
def street(brigade):
    from brigade.org.models import Street

    return Street.objects.create(brigade=brigade, name="九曲街道", code="371312001", area_km2=40.0)


@pytest.fixture
def station(brigade, street):
    from brigade.org.models import Station

    return Station.objects.create(brigade=brigade, name="九曲站", kind="level1", street=street, lon=118.4, lat=35.0)


@pytest.fixture
def unit(street):
    from brigade.units.models import SocialUnit

    return SocialUnit.objects.create(
        name="测试物流有限公司", credit_code=make_credit_code(1), site_category="logistics", street=street
    )


@pytest.fixture
def day():
    return dt.date(2025, 3, 3)
