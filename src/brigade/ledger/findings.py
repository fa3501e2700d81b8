"""Public awareness (Part 2 Q6, Part 3 N5): careless fires against the publicity each street received."""

from django.db.models import Count, FloatField, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from brigade.core.findings import Finding, finding_provider
from brigade.core.scope import BRIGADE
from brigade.ledger.metrics.items import PEOPLE_TRAINED
from brigade.ledger.models import Activity
from brigade.metrics.registry import Context, compute
from brigade.response.models import Incident

CARELESS_CAUSES = ("careless", "smoking", "playing")
# A street is named when its share of careless fires exceeds its share of people trained by this factor.
GAP_FACTOR = 1.5


@finding_provider("publicity.awareness")
def awareness(period, scope) -> list[Finding]:
    scope = scope or BRIGADE
    if scope.kind in ("street", "station"):
        return []  # it compares the streets of a territory
    table = compute(period, scope, ["response.careless_fires", "response.fire", "publicity.people_trained"],
                    with_previous=False)
    careless, fires = table.value("response.careless_fires"), table.value("response.fire")
    if not careless or not fires:
        return []
    ctx = Context(period, scope)
    careless_fires = ctx.scoped(ctx.between(Incident.objects.filter(category="fire", cause__in=CARELESS_CAUSES),
                                            "received_at"), street="street")
    per_street = dict(careless_fires.exclude(street=None).values_list("street__name").annotate(n=Count("pk")))
    people = Sum(Cast(KeyTextTransform("people", "values"), FloatField()))
    trained = dict(ctx.scoped(ctx.between(Activity.objects.filter(kind__code__in=PEOPLE_TRAINED), "occurred_on"),
                              street="street").exclude(street=None).values_list("street__name").annotate(n=people))
    total_trained = sum(trained.values()) or 1
    gaps = sorted(
        (name for name, n in per_street.items()
         if n and n / careless > GAP_FACTOR * trained.get(name, 0) / total_trained),
        key=lambda name: -per_street[name],
    )[:3]
    share = 100.0 * careless / fires
    statement = f"因生活用火不慎、吸烟、玩火等引发的火灾{careless}起，占火灾总数的{share:.1f}%，群众安全用火用电意识仍需提高。"
    if gaps:
        statement += f"{'、'.join(gaps)}此类火灾多而宣传培训覆盖相对不足。"
    evidence = [{"镇街": name, "不慎类火灾": per_street.get(name, 0), "宣传培训人次": int(trained.get(name, 0))}
                for name in sorted(set(per_street) | set(trained), key=lambda n: -per_street.get(n, 0))]
    found = [Finding(code="publicity.careless_fires", severity="medium" if share >= 30 else "low",
                     statement=statement, part="Q6",
                     metrics={"careless_fires": careless, "fires": fires, "careless_share_pct": round(share, 1)},
                     evidence=evidence)]
    if gaps:
        named = "、".join(f"{name}（不慎类火灾{per_street[name]}起、宣传培训{int(trained.get(name, 0))}人次）"
                         for name in gaps)
        found.append(Finding(code="publicity.focus_streets", severity="low", part="N5", evidence=evidence,
                             statement=f"把{named}作为宣传培训重点区域，加强入户和社区宣传。"))
    return found
