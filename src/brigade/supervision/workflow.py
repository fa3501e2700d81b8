"""The supervision workflows, declared once: how a hazard is recorded and the steps of its loop, and the
steps of an enforcement decision (lifting it, extending a seal-up), each calling its service. The record's
page, the API and ``brigade hazard`` all read these declarations (through the record types,
brigade.supervision.records), so a step has one name, one title and one set of rules everywhere."""

from brigade.core.records import StepInput, WorkflowFacet, WorkflowStep
from brigade.supervision import services
from brigade.supervision.choices import EnforcementKind
from brigade.supervision.choices import HazardEventKind as K
from brigade.supervision.models import Inspection

NOTE = StepInput("note", "说明")


def _from(kind: str):
    return lambda hazard: hazard.status in services.ALLOWED_FROM[kind]


def _on(service):
    return lambda hazard, **kw: service(hazard=hazard, **kw)


def _create(*, by, client_id=None, **fields):
    return services.hazard_record(by=by, client_id=client_id, **fields)


HAZARD_WORKFLOW = WorkflowFacet(
    create_fields=("inspection", "category", "description", "is_major", "found_on"),
    create=_create,
    steps=(
        WorkflowStep("order", "责令改正", "ordered_on", "责令改正日期", _on(services.hazard_order),
                     (StepInput("deadline", "整改期限（留空为责令立即改正）", "date"), NOTE), _from(K.ORDERED)),
        WorkflowStep("rectify", "登记整改完成", "rectified_on", "整改日期", _on(services.hazard_rectify), (NOTE,),
                     _from(K.RECTIFIED)),
        WorkflowStep("request", "登记复查申请", "requested_on", "申请复查日期",
                     _on(services.hazard_request_reinspection), (NOTE,), _from(K.REINSPECTION_REQUESTED),
                     aliases=("request_reinspection",)),  # the API's name before the steps were declared once
        WorkflowStep("reinspect", "复查", "reinspected_on", "复查日期", _on(services.hazard_reinspect),
                     (StepInput("passed", "复查结果", "passed", required=True), NOTE), _from(K.REINSPECTED)),
        WorkflowStep("close", "销案", "closed_on", "销案日期", _on(services.hazard_close), (NOTE,), _from(K.CLOSED)),
    ),
    log="events",
)


def _open(kinds):
    return lambda action: action.kind in kinds and action.lifted_on is None


def _lift(action, *, by, expected_version=None, **kw):
    return services.enforcement_lift(action=action, by=by, **kw)


def _extend(action, *, by, expected_version=None, **kw):
    return services.enforcement_extend_seal_up(action=action, by=by, **kw)


# Enforcement decisions are created by a plain save (the model's clean() holds the legal basis and the
# seal-up limit); lifting and extending go through the services, which log them on the hazards.
ENFORCEMENT_WORKFLOW = WorkflowFacet(steps=(
    WorkflowStep("lift", "解除措施", "lifted_on", "解除日期", _lift,
                 (StepInput("inspection", "解除前检查记录编号（临时查封、责令三停必填）", "record", model=Inspection),
                  NOTE), _open(services.LIFTABLE_KINDS)),
    WorkflowStep("extend", "延长临时查封", "ends_on", "延长至", _extend,
                 (StepInput("reason", "延长理由", required=True),), _open((EnforcementKind.SEAL_UP,))),
))
