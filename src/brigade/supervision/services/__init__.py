"""Hazard and enforcement workflows: every change of a hazard's state goes through these functions.

Views, the API, the CLI and importers call the same services. Each runs in one transaction, locks
the row it changes, refuses an illegal step with a Chinese ``WorkflowError`` naming the problem
(and the field, when one is to blame), changes nothing on refusal, and records who did what and
when in ``HazardEvent``. ``by`` is the acting user, or ``None`` for the system or an import.

Lifecycle: found → ordered (on the spot, or with a deadline) → rectified (or overdue, derived
from the deadline) → re-inspected → closed; from any open state a hazard can be escalated to an
enforcement action (penalty, seal-up, stop order, government listing, detention transfer).

One module per workflow: ``hazards`` (the hazard loop), ``enforcement`` (enforcement actions),
``major_hazards`` (重大火灾隐患), on what they share in ``common``. Callers import from here.
"""

from brigade.supervision.services.common import (  # noqa: F401 (the services' one import path)
    ACTION_NAMES,
    ALLOWED_FROM,
    BAD_CATEGORY,
    CLOSE_BEFORE_REINSPECTION,
    CLOSE_MAJOR_LISTED,
    CLOSE_MAJOR_NOT_REPORTED,
    CLOSE_NOT_REINSPECTED,
    CLOSE_REINSPECTION_FAILED,
    DEADLINE_BEFORE_INSPECTION,
    DEADLINE_BEFORE_ORDER,
    ESCALATE_CLOSED,
    FOUND_BEFORE_INSPECTION,
    HAZARD_STALE,
    ORDER_BEFORE_FOUND,
    RECTIFIED_BEFORE_ORDER,
    REINSPECTION_BEFORE_ORDER,
    REINSPECTION_BEFORE_RECTIFIED,
    REINSPECTION_NOT_ORDERED,
    REINSPECTION_TOO_EARLY,
    REQUEST_BEFORE_ORDER,
    REQUEST_TWICE,
    TRANSITION_REFUSED,
    HazardConflict,
)
from brigade.supervision.services.enforcement import (  # noqa: F401 (the services' one import path)
    BAD_KIND,
    BAD_LEGAL_BASIS,
    DECISION_BEFORE_FOUND,
    ENDS_BEFORE_DECISION,
    EXTEND_HAZARDS_CLEARED,
    EXTEND_LIFTED,
    EXTEND_NO_REASON,
    EXTEND_NOT_LATER,
    EXTEND_NOT_SEAL_UP,
    HAZARD_OTHER_UNIT,
    LIFT_AFTER_INSPECTION,
    LIFT_ALREADY,
    LIFT_BEFORE_DECISION,
    LIFT_BEFORE_INSPECTION,
    LIFT_INSPECTION_BEFORE_DECISION,
    LIFT_INSPECTION_OTHER_UNIT,
    LIFT_NEEDS_INSPECTION,
    LIFT_NOT_LIFTABLE,
    LIFTABLE_KINDS,
    NEGATIVE_FINE,
    NO_LEGAL_BASIS,
    NO_PARTY,
    STOP_ORDER_NO_KIND,
    enforcement_create,
    enforcement_extend_seal_up,
    enforcement_lift,
    hazard_escalate,
)
from brigade.supervision.services.hazards import (  # noqa: F401 (the services' one import path)
    hazard_close,
    hazard_order,
    hazard_record,
    hazard_rectify,
    hazard_reinspect,
    hazard_request_reinspection,
)
from brigade.supervision.services.major_hazards import (  # noqa: F401 (the services' one import path)
    MAJOR_ALREADY,
    MAJOR_DELIST_NOT_LISTED,
    MAJOR_DELIST_NOT_VERIFIED,
    MAJOR_DETERMINED_BEFORE_FOUND,
    MAJOR_HAZARD_CLOSED,
    MAJOR_LIST_NOT_REPORTED,
    MAJOR_NOT_DETERMINED,
    MAJOR_STEP_BEFORE,
    MAJOR_STEP_DONE,
    major_hazard_delist,
    major_hazard_determine,
    major_hazard_list,
    major_hazard_report,
    major_hazard_send_notice,
)
