"""Every record type the web pages show, declared in a few lines each.

A declaration names the list columns, the filters, the searched fields and the date field of the
period filter, plus the lookup paths that tie a row to a street or department (a liaison sees only
their own) and the roles that may create and edit it. ``brigade.web.generic`` builds the list,
detail, create and edit pages from it.
"""

from dataclasses import dataclass, field

from django.db import models

from brigade.evaluation.models import (
    Deduction,
    EvaluationRun,
    EvaluationScore,
    ManualScore,
    Rubric,
    RubricItem,
)
from brigade.ledger.models import Activity, ActivityKind
from brigade.org.models import Brigade, Community, Department, Person, Station, Street
from brigade.planning.models import AnalysisRun
from brigade.reports.models import NarrativeNote
from brigade.resources.models import (
    ChargingShed,
    ElevatorBlocker,
    Equipment,
    Hydrant,
    Road,
    Vehicle,
    WaterSource,
)
from brigade.response.models import Dispatch, Incident
from brigade.risk.models import ConflictOfInterest, Draw, DrawItem, RiskGradeHistory, RiskRubric, UnitRisk
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
from brigade.units.models import SocialUnit
from brigade.web.roles import COMMAND, LEADER, SUPERVISION, TRAINING

# Navigation sections, in menu order: key → Chinese title.
SECTIONS = {
    "org": "组织与辖区",
    "units": "社会单位",
    "supervision": "防火监督",
    "response": "接处警",
    "resources": "车辆装备与水源",
    "ledger": "工作台账",
    "evaluation": "考评",
    "risk": "风险分级与双随机",
    "analysis": "分析与总结",
}

NOBODY: frozenset[str] = frozenset()  # only the administrator edits


@dataclass(frozen=True)
class RecordType:
    model: type[models.Model]
    slug: str  # URL segment, the same as the API's
    section: str  # a key of SECTIONS
    list_columns: tuple[str, ...]  # field names (or callables' names on the model) shown in the list
    filters: tuple[str, ...] = ()  # fields with choices, booleans or foreign keys
    search: tuple[str, ...] = ()  # fields the search box matches (icontains)
    date_field: str | None = None  # the period filter's field (``*_at``: a datetime)
    street: str | None = None  # lookup path to Street; a street liaison sees rows matching theirs
    department: str | None = None  # lookup path to Department, for a department liaison
    editors: frozenset[str] = NOBODY  # roles that may create and edit (the administrator always may)
    form_fields: tuple[str, ...] | None = None  # None: every editable field
    raw_id: tuple[str, ...] = ()  # foreign keys to big tables: typed as a number, not a drop-down
    select_related: tuple[str, ...] = ()
    hidden_for_liaison: bool = False  # brigade-internal records a liaison never sees
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


def _types(*types: RecordType) -> dict[str, RecordType]:
    registry: dict[str, RecordType] = {}
    for rt in types:
        if rt.slug in registry:
            raise ValueError(f"record type slug {rt.slug!r} declared twice")
        registry[rt.slug] = rt
    return registry


S, C, T = frozenset({SUPERVISION}), frozenset({COMMAND}), frozenset({TRAINING})

RECORD_TYPES: dict[str, RecordType] = _types(
    # Organisation and territory
    RecordType(Brigade, "brigades", "org", ("name", "detachment", "district"), search=("name",),
               hidden_for_liaison=True),
    RecordType(Street, "streets", "org", ("name", "code", "kind", "area_km2"), filters=("kind",),
               search=("name", "code"), street="pk"),
    RecordType(Community, "communities", "org", ("name", "street"), filters=("street",), search=("name",),
               street="street", select_related=("street",)),
    RecordType(Department, "departments", "org", ("name",), search=("name",), department="pk"),
    RecordType(Station, "stations", "org", ("name", "kind", "street", "opened_on"), filters=("kind", "street"),
               search=("name",), street="street", editors=C, select_related=("street",)),
    RecordType(Person, "people", "org", ("name", "post", "station", "is_on_duty"),
               filters=("post", "station", "is_on_duty"), search=("name",), street="station__street",
               hidden_for_liaison=True, select_related=("station",)),
    # Social units
    RecordType(SocialUnit, "units", "units", ("name", "site_category", "is_key_unit", "street", "address"),
               filters=("site_category", "is_key_unit", "street"), search=("name", "credit_code", "address"),
               street="street", editors=S, select_related=("street",)),
    # Supervision
    RecordType(Campaign, "campaigns", "supervision", ("name", "starts_on", "ends_on"), search=("name", "slogan"),
               date_field="starts_on", editors=S),
    RecordType(Inspection, "inspections", "supervision", ("inspected_on", "unit", "kind", "campaign", "is_joint"),
               filters=("kind", "is_joint", "campaign", "department"), search=("unit__name", "note"),
               date_field="inspected_on", street="unit__street", department="department", editors=S,
               raw_id=("unit",), select_related=("unit", "campaign")),
    RecordType(Hazard, "hazards", "supervision",
               ("found_on", "unit", "category", "is_major", "status", "deadline"),
               filters=("status", "category", "is_major"), search=("unit__name", "description"),
               date_field="found_on", street="unit__street", editors=S, raw_id=("inspection", "unit"),
               # State and dates change through the workflow steps (brigade.web.workflows), not the form.
               form_fields=("category", "description", "is_major"), select_related=("unit",)),
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
               form_fields=("unit", "person_name", "kind", "legal_basis", "stop_kind", "fine_amount",
                            "decision_number", "decided_on", "ends_on", "lifted_on", "campaign"),
               select_related=("unit",)),
    RecordType(Interview, "interviews", "supervision", ("held_on", "site_category", "street", "people_count", "subject"),
               filters=("site_category", "street"), search=("subject",), date_field="held_on", street="street",
               editors=S, select_related=("street",)),
    RecordType(Notice, "notices", "supervision", ("issued_on", "kind", "number", "title"), filters=("kind",),
               search=("title", "number"), date_field="issued_on", editors=S, hidden_for_liaison=True),
    RecordType(SupervisionLetter, "letters", "supervision", ("sent_on", "number", "street", "department", "subject"),
               filters=("street", "department"), search=("subject", "number"), date_field="sent_on",
               street="street", department="department", editors=S, select_related=("street", "department")),
    # Response
    RecordType(Incident, "incidents", "response", ("received_at", "number", "category", "street", "address"),
               filters=("category", "street", "has_impact"), search=("number", "address"), date_field="received_at",
               street="street", editors=C, raw_id=("unit",), select_related=("street",)),
    RecordType(Dispatch, "dispatches", "response", ("incident", "station", "vehicle", "crew_count", "arrived_at"),
               filters=("station",), search=("incident__number",), date_field="arrived_at",
               street="incident__street", editors=C, raw_id=("incident",),
               select_related=("incident", "station", "vehicle")),
    # Resources
    RecordType(Vehicle, "vehicles", "resources", ("plate", "kind", "station", "commissioned_on", "status"),
               filters=("kind", "status", "station"), search=("plate", "model_name"), street="station__street",
               editors=C, hidden_for_liaison=True, select_related=("station",)),
    RecordType(Equipment, "equipment", "resources", ("station", "kind", "in_service_qty", "spare_qty"),
               filters=("kind", "station"), street="station__street", editors=C, hidden_for_liaison=True,
               select_related=("station",)),
    RecordType(Hydrant, "hydrants", "resources", ("code", "kind", "road_name", "street", "status", "last_checked_on"),
               filters=("kind", "status", "street"), search=("code", "road_name"), street="street", editors=C,
               select_related=("street",)),
    RecordType(WaterSource, "water-sources", "resources", ("name", "kind", "street", "is_usable"),
               filters=("kind", "street", "is_usable"), search=("name",), street="street", editors=C,
               select_related=("street",)),
    RecordType(ChargingShed, "charging-sheds", "resources", ("name", "community", "ports", "built_on"),
               search=("name", "community__name"), date_field="built_on", street="community__street", editors=S,
               select_related=("community__street",)),
    RecordType(ElevatorBlocker, "elevator-blockers", "resources", ("community", "elevators", "installed_on"),
               search=("community__name",), date_field="installed_on", street="community__street", editors=S,
               select_related=("community__street",)),
    RecordType(Road, "roads", "resources", ("name", "road_class", "length_m"), filters=("road_class",),
               search=("name",), editors=C),
    # Ledgers
    RecordType(ActivityKind, "activity-kinds", "ledger", ("name", "code", "group", "seed_ref", "is_active"),
               filters=("group", "is_active"), search=("name", "code"), hidden_for_liaison=True),
    RecordType(Activity, "activities", "ledger", ("occurred_on", "kind", "street", "station", "note"),
               filters=("kind", "street", "station", "department"), search=("note",), date_field="occurred_on",
               street="street", department="department", editors=T | S, select_related=("kind", "street", "station")),
    # Evaluation: rubrics are kept by the leaders; runs, scores and deductions are computed
    RecordType(Rubric, "rubrics", "evaluation", ("name", "target", "total_points", "is_active"),
               filters=("target", "is_active"), search=("name",), hidden_for_liaison=True),
    RecordType(RubricItem, "rubric-items", "evaluation", ("rubric", "order", "title", "points", "method"),
               filters=("rubric", "method"), search=("title", "metric_code"), hidden_for_liaison=True,
               select_related=("rubric",)),
    RecordType(ManualScore, "manual-scores", "evaluation", ("month", "item", "street", "department", "deducted"),
               filters=("street", "department"), date_field="month", street="street", department="department",
               select_related=("item", "street", "department")),
    RecordType(EvaluationRun, "evaluation-runs", "evaluation", ("month", "rubric", "run_by"), filters=("rubric",),
               date_field="month", hidden_for_liaison=True, select_related=("rubric", "run_by")),
    RecordType(EvaluationScore, "evaluation-scores", "evaluation", ("run", "rank", "street", "department", "score"),
               filters=("run", "street", "department"), street="street", department="department",
               select_related=("run__rubric", "street", "department")),
    RecordType(Deduction, "deductions", "evaluation", ("score", "item", "points", "reason"),
               search=("reason",), street="score__street", department="score__department",
               select_related=("score__street", "item")),
    # Risk grades and draws: computed (brigade risk grade, brigade draw); conflicts and rubrics kept by leaders
    RecordType(UnitRisk, "risk-grades", "risk", ("unit", "level", "score", "evidence", "street", "graded_on"),
               filters=("level", "street"), search=("unit__name",), street="street", select_related=("unit", "street")),
    RecordType(RiskGradeHistory, "risk-history", "risk", ("graded_on", "unit", "level", "score", "evidence"),
               filters=("level",), search=("unit__name",), date_field="graded_on", street="unit__street",
               select_related=("unit",)),
    RecordType(Draw, "draws", "risk", ("month", "status", "seed", "checks", "officers", "due_on", "reason"),
               filters=("status",), date_field="month", hidden_for_liaison=True),
    RecordType(DrawItem, "draw-items", "risk", ("draw", "order", "unit", "street", "level", "reason", "inspector_a",
                                                "inspector_b"),
               filters=("draw", "level", "reason", "street"), search=("unit__name",), street="street",
               select_related=("draw", "unit", "street", "inspector_a", "inspector_b")),
    RecordType(ConflictOfInterest, "conflicts", "risk", ("person", "street", "unit", "reason"),
               filters=("person", "street"), search=("person__name", "reason"), editors=frozenset({LEADER}),
               raw_id=("unit",), hidden_for_liaison=True, select_related=("person", "street", "unit")),
    RecordType(RiskRubric, "risk-rubrics", "risk", ("name", "is_active", "updated_at"), filters=("is_active",),
               search=("name",), editors=frozenset({LEADER}), hidden_for_liaison=True),
    # Analysis and summaries
    RecordType(AnalysisRun, "analysis-runs", "analysis", ("created_at", "kind", "name", "seconds"),
               filters=("kind",), search=("name",), hidden_for_liaison=True),
    RecordType(NarrativeNote, "narrative-notes", "analysis", ("period_key", "scope_key", "title", "signed_on"),
               search=("period_key", "title"), editors=frozenset({LEADER}), hidden_for_liaison=True),
)


def record_type_for(model: type[models.Model]) -> RecordType | None:
    for rt in RECORD_TYPES.values():
        if rt.model is model:
            return rt
    return None
