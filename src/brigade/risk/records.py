"""Risk grades and draws as record types: computed (brigade risk grade, brigade draw), served read-only;
conflicts of interest and rubrics are kept by the leaders."""

from brigade.core.records import ApiFacet, RecordType, register
from brigade.core.roles import LEADER
from brigade.risk.models import ConflictOfInterest, Draw, DrawItem, RiskGradeHistory, RiskRubric, UnitRisk

register(
    RecordType(UnitRisk, "risk-grades", "risk", ("unit", "level", "score", "evidence", "street", "graded_on"),
               filters=("level", "street"), search=("unit__name",), street="street", select_related=("unit", "street"),
               api=ApiFacet(category="level", writable=False)),
    RecordType(RiskGradeHistory, "risk-history", "risk", ("graded_on", "unit", "level", "score", "evidence"),
               filters=("level",), search=("unit__name",), date_field="graded_on", street="unit__street",
               select_related=("unit",), api=ApiFacet(category="level", writable=False)),
    RecordType(Draw, "draws", "risk", ("month", "status", "seed", "checks", "officers", "due_on", "reason"),
               filters=("status",), date_field="month", hidden_for_liaison=True,
               api=ApiFacet(category="status", writable=False)),
    RecordType(DrawItem, "draw-items", "risk", ("draw", "order", "unit", "street", "level", "reason", "inspector_a",
                                                "inspector_b"),
               filters=("draw", "level", "reason", "street"), search=("unit__name",), street="street",
               select_related=("draw", "unit", "street", "inspector_a", "inspector_b"),
               api=ApiFacet(category="level", writable=False)),
    RecordType(ConflictOfInterest, "conflicts", "risk", ("person", "street", "unit", "reason"),
               filters=("person", "street"), search=("person__name", "reason"), editors=frozenset({LEADER}),
               raw_id=("unit",), hidden_for_liaison=True, select_related=("person", "street", "unit")),
    RecordType(RiskRubric, "risk-rubrics", "risk", ("name", "is_active", "updated_at"), filters=("is_active",),
               search=("name",), editors=frozenset({LEADER}), hidden_for_liaison=True),
)
