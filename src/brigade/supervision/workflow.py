"""The hazard workflow, declared once: how a hazard is recorded and the steps of its loop, each calling
its service. The record's page, the API and ``brigade hazard`` all read this declaration (through the
hazards' record type, brigade.supervision.records), so a step has one name and one title everywhere."""

from brigade.core.records import StepInput, WorkflowFacet, WorkflowStep
from brigade.supervision import services
from brigade.supervision.choices import HazardEventKind as K

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
