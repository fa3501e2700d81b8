"""The social unit (社会单位) as a record type."""

from django.urls import reverse

from brigade.core.records import ApiFacet, DetailAction, LedgerFacet, RecordType, SheetRef, register
from brigade.core.roles import SUPERVISION
from brigade.core.validators import credit_code_check_char
from brigade.org.records import STREET_EXAMPLES, STREET_SYNONYMS
from brigade.units.models import SocialUnit

EXAMPLE_CREDIT_CODE = "91371312MA0000001" + credit_code_check_char("91371312MA0000001")
INSPECTORS = frozenset({SUPERVISION})  # those who record inspections may start one from the unit

register(
    RecordType(SocialUnit, "units", "units", ("name", "site_category", "is_key_unit", "street", "address"),
               filters=("site_category", "is_key_unit", "street"), search=("name", "credit_code", "address"),
               street="street", editors=frozenset({SUPERVISION}), select_related=("street",),
               api=ApiFacet(category="site_category"), sheet_ref=SheetRef(resolver="unit"),
               ledger=LedgerFacet(
                   "social_unit", ("name", "credit_code", "site_category", "is_key_unit", "street", "community",
                                   "address", "responsible_person", "manager", "phone", "lon", "lat"),
                   natural_keys=(("credit_code",), ("name", "street_id")),
                   synonyms={**STREET_SYNONYMS, "name": ("名称", "单位", "单位全称"),
                             "credit_code": ("信用代码", "社会信用代码", "统一代码"),
                             "is_key_unit": ("重点单位", "是否重点单位"), "community": ("社区", "小区", "所属社区")},
                   examples={**STREET_EXAMPLES, "name": "示例物流有限公司", "credit_code": EXAMPLE_CREDIT_CODE,
                             "community": "", "address": "九曲街道示例路1号", "responsible_person": "张三",
                             "manager": "李四", "phone": "0539-0000000", "lon": "", "lat": ""},
                   title="社会单位"),
               actions=(
                   DetailAction("新增检查", lambda obj: reverse("web:record-create", args=["inspections"])
                                + f"?unit={obj.pk}", lambda access: access.can_edit(INSPECTORS)),
                   DetailAction("现场登记（可离线）", lambda obj: reverse("web:field") + f"#unit-{obj.pk}",
                                lambda access: access.can_edit(INSPECTORS)),
               )),
)
