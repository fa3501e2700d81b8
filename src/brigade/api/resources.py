"""Every record type the API serves, with the filters only the API has (station, category)."""

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
from brigade.risk.models import Draw, DrawItem, RiskGradeHistory, UnitRisk
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
from brigade.web.records import record_type_for


@dataclass(frozen=True)
class Resource:
    """What the API adds to a record type the web already declares (web/records.py): the URL,
    the period field, the street path and the searched fields come from that one declaration."""

    model: type[models.Model]
    station: str | None = None  # lookup path to Station for ?station=
    category: str | None = None  # field that ?category= filters
    read_only: tuple[str, ...] = ()  # fields only a workflow service may change
    writable: bool = True  # False: computed records (risk grades, draws), served for reading only

    @property
    def record_type(self):
        return record_type_for(self.model)

    @property
    def path(self) -> str:
        return self.record_type.slug

    @property
    def date_field(self) -> str | None:
        return self.record_type.date_field

    @property
    def street(self) -> str | None:
        return self.record_type.street

    @property
    def search(self) -> tuple[str, ...]:
        return self.record_type.search


RESOURCES: tuple[Resource, ...] = (
    Resource(Street),
    Resource(Community),
    Resource(Department),
    Resource(Station, station="id", category="kind"),
    Resource(Person, station="station", category="post"),
    Resource(SocialUnit, category="site_category"),
    Resource(Campaign),
    Resource(Inspection, category="kind"),
    Resource(Hazard, category="category", read_only=HAZARD_WORKFLOW_FIELDS),
    Resource(EnforcementAction, category="kind",
             read_only=("lifted_on", "lifted_by", "lifted_at", "lift_inspection", "decided_by")),
    Resource(Interview, category="site_category"),
    Resource(Notice, category="kind"),
    Resource(SupervisionLetter),
    Resource(Incident, station="dispatches__station", category="category"),
    Resource(Dispatch, station="station"),
    Resource(Vehicle, station="station", category="kind"),
    Resource(Equipment, station="station", category="kind"),
    Resource(Hydrant, category="status"),
    Resource(WaterSource, category="kind"),
    Resource(ChargingShed),
    Resource(ElevatorBlocker),
    Resource(Road, category="road_class"),
    Resource(ActivityKind, category="group"),
    Resource(Activity, station="station", category="kind__code"),
    # Computed by brigade risk grade / brigade draw: every field read-only.
    Resource(UnitRisk, category="level", writable=False),
    Resource(RiskGradeHistory, category="level", writable=False),
    Resource(Draw, category="status", writable=False),
    Resource(DrawItem, category="level", writable=False),
)
