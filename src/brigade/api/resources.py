"""Every record type the API serves, declared in one line each: how to filter it by period and scope."""

from dataclasses import dataclass

from django.db import models

from brigade.api.workflow import HAZARD_WORKFLOW_FIELDS
from brigade.ledger.models import Activity, ActivityKind
from brigade.org.models import Community, Department, Person, Station, Street
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
from brigade.supervision.models import (
    Campaign,
    EnforcementAction,
    Hazard,
    Inspection,
    Interview,
    Notice,
    SupervisionLetter,
)
from brigade.units.models import SocialUnit


@dataclass(frozen=True)
class Resource:
    model: type[models.Model]
    path: str  # URL segment
    date_field: str | None = None  # ?period= filters on it
    street: str | None = None  # lookup path to Street for ?street=
    station: str | None = None  # lookup path to Station for ?station=
    category: str | None = None  # field that ?category= filters
    search: tuple[str, ...] = ()  # fields ?q= searches
    read_only: tuple[str, ...] = ()  # fields only a workflow service may change


RESOURCES: tuple[Resource, ...] = (
    Resource(Street, "streets", search=("name", "code")),
    Resource(Community, "communities", street="street", search=("name",)),
    Resource(Department, "departments", search=("name",)),
    Resource(Station, "stations", street="street", station="id", category="kind", search=("name",)),
    Resource(Person, "people", street="station__street", station="station", category="post", search=("name",)),
    Resource(SocialUnit, "units", street="street", category="site_category",
             search=("name", "credit_code", "address")),
    Resource(Campaign, "campaigns", date_field="starts_on", search=("name", "slogan")),
    Resource(Inspection, "inspections", date_field="inspected_on", street="unit__street", category="kind",
             search=("unit__name",)),
    Resource(Hazard, "hazards", date_field="found_on", street="unit__street", category="category",
             search=("unit__name", "description"), read_only=HAZARD_WORKFLOW_FIELDS),
    Resource(EnforcementAction, "enforcement-actions", date_field="decided_on", street="unit__street",
             category="kind", search=("unit__name", "person_name", "decision_number"),
             read_only=("lifted_on", "lifted_by", "lifted_at", "lift_inspection", "decided_by")),
    Resource(Interview, "interviews", date_field="held_on", street="street", category="site_category"),
    Resource(Notice, "notices", date_field="issued_on", category="kind", search=("title", "number")),
    Resource(SupervisionLetter, "letters", date_field="sent_on", street="street", search=("subject",)),
    Resource(Incident, "incidents", date_field="received_at", street="street", station="dispatches__station",
             category="category", search=("number", "address")),
    Resource(Dispatch, "dispatches", date_field="incident__received_at", street="incident__street",
             station="station"),
    Resource(Vehicle, "vehicles", street="station__street", station="station", category="kind",
             search=("plate",)),
    Resource(Equipment, "equipment", street="station__street", station="station", category="kind"),
    Resource(Hydrant, "hydrants", street="street", category="status", search=("code", "road_name")),
    Resource(WaterSource, "water-sources", street="street", category="kind", search=("name",)),
    Resource(ChargingShed, "charging-sheds", date_field="built_on", street="community__street"),
    Resource(ElevatorBlocker, "elevator-blockers", date_field="installed_on", street="community__street"),
    Resource(Road, "roads", category="road_class", search=("name",)),
    Resource(ActivityKind, "activity-kinds", category="group", search=("name", "code")),
    Resource(Activity, "activities", date_field="occurred_on", street="street", station="station",
             category="kind__code", search=("note",)),
)
