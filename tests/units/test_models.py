"""Social units: the 统一社会信用代码 checksum (GB 32100-2015) and the unit's community."""

import pytest
from django.core.exceptions import ValidationError

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


def test_community_must_lie_in_the_units_street(unit, brigade):
    from brigade.org.models import Community, Street

    elsewhere = Street.objects.create(brigade=brigade, name="城东街道", code="371312002")
    unit.community = Community.objects.create(street=elsewhere, name="幸福小区")
    with pytest.raises(ValidationError) as err:
        unit.full_clean()
    assert err.value.message_dict["community"] == ["所选社区不属于该单位所在镇街。"]
    unit.community = Community.objects.create(street=unit.street, name="和谐小区")
    unit.full_clean()
