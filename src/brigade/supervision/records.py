"""Fire supervision's record types: campaigns, inspections, hazards and their events, enforcement,
interviews, notices and letters."""

from urllib.parse import urlencode

from django.urls import reverse

from brigade.core.records import ApiFacet, DetailAction, LedgerFacet, RecordType, SheetRef, register
from brigade.core.roles import SUPERVISION
from brigade.org.records import STREET_EXAMPLES, STREET_SYNONYMS
from brigade.supervision.models import (
    Campaign,
    EnforcementAction,
    Hazard,
    HazardEvent,
    Inspection,
    Interview,
    MajorHazardCase,
    Notice,
    SupervisionLetter,
)
from brigade.supervision.workflow import ENFORCEMENT_WORKFLOW, HAZARD_WORKFLOW

S = frozenset({SUPERVISION})
# A hazard's state and dates change through the workflow services only, never by a plain write.
HAZARD_WORKFLOW_FIELDS = ("status", "ordered_on", "deadline", "rectified_on", "reinspected_on", "closed_on",
                          "reinspection_requested_on", "reinspection_passed", "recurrence_of", "version", "unit")
# An enforcement decision is lifted by its workflow's step, which checks the inspection and logs it.
ENFORCEMENT_LIFT_FIELDS = ("lifted_on", "lifted_by", "lifted_at", "lift_inspection", "decided_by")


def _new_hazard_url(inspection) -> str:
    query = urlencode({"inspection": inspection.pk, "unit": inspection.unit_id, "found_on": inspection.inspected_on})
    return reverse("web:record-create", args=["hazards"]) + "?" + query


register(
    RecordType(Campaign, "campaigns", "supervision", ("name", "starts_on", "ends_on"), search=("name", "slogan"),
               date_field="starts_on", editors=S, api=ApiFacet(),
               ledger=LedgerFacet("campaign", ("name", "slogan", "starts_on", "ends_on", "scope"),
                                  natural_keys=(("brigade_id", "name"),), examples={"name": "夏季消防检查", "ends_on": "2025-06-30"},
                                  date_field="starts_on")),
    RecordType(Inspection, "inspections", "supervision", ("inspected_on", "unit", "kind", "campaign", "is_joint"),
               filters=("kind", "is_joint", "campaign", "department"), search=("unit__name", "note"),
               date_field="inspected_on", street="unit__street", department="department", editors=S,
               raw_id=("unit",), select_related=("unit", "campaign"), api=ApiFacet(category="kind"),
               sheet_ref=SheetRef(resolver="inspection"), photos="inspection",
               ledger=LedgerFacet(
                   "inspection", ("unit", "inspected_on", "kind", "campaign", "is_joint", "department", "note"),
                   natural_keys=(("unit_id", "inspected_on", "kind"),), date_field="inspected_on",
                   synonyms={"unit": ("名称", "单位", "被检查单位", "检查单位"), "inspected_on": ("检查时间", "日期"),
                             "kind": ("检查类别", "类型"), "campaign": ("专项行动名称",),
                             "department": ("联合部门名称",), "is_joint": ("是否联合检查", "联合检查")},
                   examples={"campaign": "", "department": ""}),
               actions=(DetailAction("登记隐患", _new_hazard_url, lambda access: access.can_edit(S)),)),
    RecordType(Hazard, "hazards", "supervision",
               ("found_on", "unit", "category", "is_major", "status", "deadline"),
               filters=("status", "category", "is_major"), search=("unit__name", "description"),
               date_field="found_on", street="unit__street", editors=S, raw_id=("inspection", "unit"),
               # State and dates change through the workflow's steps (brigade.supervision.workflow), not the form.
               form_fields=("category", "description", "is_major"), select_related=("unit",),
               api=ApiFacet(category="category", read_only=HAZARD_WORKFLOW_FIELDS), workflow=HAZARD_WORKFLOW,
               photos="hazard",
               ledger=LedgerFacet(
                   "hazard", ("unit", "category", "description", "is_major", "status", "found_on", "deadline",
                              "rectified_on", "reinspected_on", "closed_on"),
                   natural_keys=(("unit_id", "found_on", "category", "description"),), date_field="found_on",
                   synonyms={"unit": ("名称", "单位", "被检查单位"), "category": ("隐患类型",),
                             "description": ("隐患内容", "问题描述")},
                   examples={"description": "消防车通道堆放杂物", "deadline": "2025-03-12"}, inspection_day=True),
               actions=(DetailAction("案卷摘要（Word，含照片）",
                                     lambda obj: reverse("web:hazard-case-file", args=[obj.pk])),)),
    RecordType(HazardEvent, "hazard-events", "supervision", ("at", "hazard", "kind", "from_status", "to_status", "by"),
               filters=("kind", "to_status"), search=("hazard__unit__name", "note"), date_field="on",
               street="hazard__unit__street", select_related=("hazard__unit", "by")),
    RecordType(MajorHazardCase, "major-hazards", "supervision",
               ("determined_on", "hazard", "reported_on", "listed_on", "delisted_on"),
               search=("hazard__unit__name", "listing_authority"), date_field="determined_on",
               street="hazard__unit__street", select_related=("hazard__unit",)),
    RecordType(EnforcementAction, "enforcement-actions", "supervision",
               ("decided_on", "kind", "unit", "person_name", "fine_amount", "decision_number"),
               filters=("kind", "legal_basis", "campaign"), search=("unit__name", "person_name", "decision_number"),
               date_field="decided_on", street="unit__street", editors=S, raw_id=("unit",),
               # Lifting and extending are the workflow's steps (they check the inspection and log them).
               form_fields=("unit", "person_name", "kind", "legal_basis", "stop_kind", "fine_amount",
                            "decision_number", "decided_on", "ends_on", "campaign"),
               select_related=("unit",), workflow=ENFORCEMENT_WORKFLOW,
               api=ApiFacet(category="kind",
                            read_only=ENFORCEMENT_LIFT_FIELDS),
               ledger=LedgerFacet(
                   "enforcement", ("unit", "person_name", "kind", "legal_basis", "stop_kind", "fine_amount",
                                   "decision_number", "decided_on", "ends_on", "lifted_on", "campaign"),
                   natural_keys=(("brigade_id", "decision_number"), ("unit_id", "person_name", "kind", "decided_on")),
                   date_field="decided_on", required={"unit": False},
                   synonyms={"fine_amount": ("罚款", "罚款金额", "罚款数额"), "decision_number": ("文书号", "决定书编号")},
                   examples={"fine_amount": 5000, "decision_number": "示例罚决字〔2025〕1号",
                             "legal_basis": "消防法第六十条", "kind": "立案处罚", "campaign": "", "stop_kind": ""})),
    RecordType(Interview, "interviews", "supervision", ("held_on", "site_category", "street", "people_count", "subject"),
               filters=("site_category", "street"), search=("subject",), date_field="held_on", street="street",
               editors=S, select_related=("street",), api=ApiFacet(category="site_category"),
               ledger=LedgerFacet("interview", ("held_on", "site_category", "street", "people_count", "subject"),
                                  natural_keys=(("brigade_id", "held_on", "site_category", "street_id", "subject"),),
                                  date_field="held_on", synonyms=STREET_SYNONYMS,
                                  examples={**STREET_EXAMPLES, "people_count": 12, "subject": "物流仓储场所约谈"})),
    RecordType(Notice, "notices", "supervision", ("issued_on", "kind", "number", "title"), filters=("kind",),
               search=("title", "number"), date_field="issued_on", editors=S, hidden_for_liaison=True,
               api=ApiFacet(category="kind"),
               ledger=LedgerFacet("notice", ("issued_on", "kind", "number", "title"),
                                  natural_keys=(("brigade_id", "issued_on", "title"),), date_field="issued_on",
                                  examples={"title": "关于开展消防安全检查的通知", "number": "示例消字〔2025〕1号"})),
    RecordType(SupervisionLetter, "letters", "supervision", ("sent_on", "number", "street", "department", "subject"),
               filters=("street", "department"), search=("subject", "number"), date_field="sent_on",
               street="street", department="department", editors=S, select_related=("street", "department"),
               api=ApiFacet(),
               ledger=LedgerFacet("letter", ("sent_on", "number", "street", "department", "subject"),
                                  natural_keys=(("sent_on", "subject", "street_id", "department_id"),),
                                  date_field="sent_on", synonyms={"street": ("镇街", "街道"), "department": ("部门",)},
                                  examples={**STREET_EXAMPLES, "department": "", "subject": "督促整改消防车通道问题"})),
)
