"""Everything a summary says, gathered as plain data: metrics, lists, findings and narrative notes.

This is the only module of ``reports`` that reads the database; the template and the writers
get the plain ``ReportFacts`` it returns.
"""

from dataclasses import dataclass, field

from brigade.core.findings import Finding, collect_findings
from brigade.core.period import Period
from brigade.core.scope import Scope
from brigade.ledger.metrics.kinds import activity_notes
from brigade.metrics.registry import Context, MetricTable, compute
from brigade.org.models import Brigade, Community, Person, Station, Street
from brigade.supervision.metrics import campaign_results
from brigade.units.models import SocialUnit


@dataclass
class ReportFacts:
    period: Period
    scope: Scope
    brigade_name: str
    metrics: MetricTable
    campaigns: list[dict]
    honours: dict[str, list[str]]
    findings: list[Finding]
    notes: dict[str, str]
    # Names that the redacted twin replaces with ** (streets, roads, communities, units, people).
    sensitive_names: set[str] = field(default_factory=set)


NOTE_FIELDS = ("title", "opening", "overview", "honours", "problems_intro", "plan_intro", "signature")


def _notes(period: Period, scope: Scope) -> dict[str, str]:
    from brigade.reports.models import NarrativeNote

    note = NarrativeNote.objects.filter(period_key=period.key, scope_key=scope.key).first()
    values = {name: (getattr(note, name) if note else "") for name in NOTE_FIELDS}
    values["signed_on"] = note.signed_on.isoformat() if note and note.signed_on else ""
    return values


def sensitive_names() -> set[str]:
    """Every proper name stored in the records that a redacted document must not show."""
    from brigade.resources.models import Hydrant, Road, WaterSource

    names: set[str] = set()
    for model, fields in ((Street, ("name",)), (Community, ("name",)), (SocialUnit, ("name",)),
                          (Person, ("name",)), (Station, ("name",)), (Road, ("name",)),
                          (Hydrant, ("road_name",)), (WaterSource, ("name",))):
        for field_name in fields:
            names.update(v for v in model.objects.values_list(field_name, flat=True).distinct() if v)
    # Short forms people write: 九曲街道 → 九曲, 汤河镇 → 汤河; 九曲站 → 九曲消防救援站 is covered by the full name.
    for street in Street.objects.values_list("name", flat=True):
        for suffix in ("街道", "镇"):
            if street.endswith(suffix) and len(street) > len(suffix) + 1:
                names.add(street[: -len(suffix)])
    return names


def gather_facts(period: Period, scope: Scope) -> ReportFacts:
    ctx = Context(period, scope)
    if scope.kind == "detachment":
        name = detachment_name()
    else:
        ids = scope.brigade_ids if scope.kind == "brigades" and len(scope.brigade_ids) == 1 else ()
        brigade = Brigade.objects.filter(**({"pk": ids[0]} if ids else {})).order_by("pk").first()
        name = brigade.name if brigade else "消防救援大队"
    return ReportFacts(
        period=period,
        scope=scope,
        brigade_name=name,
        metrics=compute(period, scope),
        campaigns=campaign_results(ctx),
        honours={kind: activity_notes(ctx, kind) for kind in
                 ("individual_honour", "collective_honour", "security_task")},
        findings=collect_findings(period, scope),
        notes=_notes(period, scope),
        sensitive_names=sensitive_names(),
    )


def detachment_name() -> str:
    """The detachment's name as the brigades record it (the first one given), else a plain one."""
    from brigade.org.models import Brigade

    names = [n for n in Brigade.objects.order_by("pk").values_list("detachment", flat=True) if n]
    return names[0] if names else "消防救援支队"
