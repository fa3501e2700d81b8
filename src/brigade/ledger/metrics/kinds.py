"""Figures from the activity ledger: one summed value per (activity kind, metric).

All activity figures of a period and scope come from one grouped query, shared by every
metric through the context; each activity kind a brigade adds in the admin becomes a metric
``ledger.<kind>.<metric>`` with no code change.
"""

from django.db.models import FloatField, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save

from brigade.ledger.models import Activity, ActivityKind
from brigade.metrics.registry import Context, Metric, forget_dynamic, register, register_dynamic

LEDGER_SCOPES = frozenset({"brigade", "street", "station"})


def _metric_keys() -> list[str]:
    keys: list[str] = []
    for metrics in ActivityKind.objects.values_list("metrics", flat=True):
        keys.extend(m["code"] for m in metrics if m["code"] not in keys)
    return keys


def activity_totals(ctx: Context) -> dict[str, dict[str, float]]:
    """{kind code: {metric code: sum}} for the context's period and scope, in one query."""

    def build():
        keys = _metric_keys()
        rows = ctx.scoped(ctx.between(Activity.objects.all(), "occurred_on"), street="street", station="station")
        sums = {f"s_{k}": Sum(Cast(KeyTextTransform(k, "values"), FloatField())) for k in keys}
        totals: dict[str, dict[str, float]] = {}
        for row in rows.values("kind__code").annotate(**sums).order_by():
            totals[row["kind__code"]] = {k: row[f"s_{k}"] for k in keys if row[f"s_{k}"] is not None}
        return totals

    return ctx.memo("activity_totals", build)


def activity_sum(ctx: Context, kinds: str | tuple[str, ...], metric: str = "count") -> float:
    """The sum of one metric over one or several activity kinds."""
    totals = activity_totals(ctx)
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    return _tidy(sum(totals.get(kind, {}).get(metric, 0) for kind in kinds))


def activity_notes(ctx: Context, kind: str) -> list[str]:
    """The notes of a kind's rows (honours, security tasks): lists a report prints by name."""
    rows = ctx.scoped(ctx.between(Activity.objects.filter(kind__code=kind), "occurred_on"),
                      street="street", station="station")
    return [note for note in rows.order_by("occurred_on", "pk").values_list("note", flat=True) if note]


def _tidy(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _kind_metrics():
    for kind in ActivityKind.objects.filter(is_active=True).order_by("group", "sort_order", "code"):
        for m in kind.metrics:
            yield Metric(
                code=f"ledger.{kind.code}.{m['code']}",
                label=f"{kind.name}·{m['label']}",
                unit=m["unit"],
                definition=f"期间内“{kind.name}”台账的“{m['label']}”合计。",
                func=lambda ctx, k=kind.code, c=m["code"]: activity_sum(ctx, k, c),
                seed_ref=kind.seed_ref,
                scopes=LEDGER_SCOPES,
            )


register_dynamic(_kind_metrics)
post_save.connect(forget_dynamic, sender=ActivityKind, dispatch_uid="metrics-forget-kinds-on-save")
post_delete.connect(forget_dynamic, sender=ActivityKind, dispatch_uid="metrics-forget-kinds-on-delete")


def register_ledger_metric(code: str, label: str, unit: str, kinds: str | tuple[str, ...], metric: str = "count",
                           *, seed_ref: str, definition: str) -> None:
    """Register a named seed metric that sums one metric of one or more activity kinds."""
    register(code, label, unit, definition, seed_ref=seed_ref, scopes=LEDGER_SCOPES)(
        lambda ctx: activity_sum(ctx, kinds, metric)
    )
