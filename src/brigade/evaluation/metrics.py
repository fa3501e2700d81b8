"""Responsibility evaluation figures (R4): months evaluated and average scores."""

from django.db.models import Avg

from brigade.evaluation.models import EvaluationRun, EvaluationScore
from brigade.metrics.registry import Context, register


def _runs(ctx: Context):
    """The runs of the period; for a set of brigades, theirs (each run belongs to one brigade)."""
    runs = EvaluationRun.objects.filter(month__range=(ctx.period.start, ctx.period.end))
    if ctx.scope.kind == "brigades":
        runs = ctx.scoped(runs, street=None)
    return runs


@register("responsibility.evaluation_months", "月度考评", "次", "期间内开展镇街、部门消防工作考评的月数。", seed_ref="R4",
          scopes=("brigade", "brigades"))  # each run is one brigade's
def evaluation_months(ctx):
    return _runs(ctx).values("month").distinct().count()


@register("responsibility.street_score", "镇街考评平均得分", "分", "期间内各月镇街考评得分的平均值。", seed_ref="R4")
def street_score(ctx):
    rows = EvaluationScore.objects.filter(run__in=_runs(ctx), street__isnull=False)
    rows = ctx.scoped(rows, street="street")
    value = rows.aggregate(v=Avg("score"))["v"]
    return None if value is None else round(float(value), 1)
