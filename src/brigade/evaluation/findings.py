"""Findings from the monthly evaluation: who keeps ranking last (Part 2 Q1, Part 3 N1)."""

from django.db.models import Avg, Count

from brigade.core.findings import Finding, finding_provider, in_scope_brigades
from brigade.evaluation.models import EvaluationScore

# How many of the lowest-scoring streets and departments a finding names.
LOWEST = 3


@finding_provider("evaluation.lowest")
def lowest_scored(period, scope) -> list[Finding]:
    rows = in_scope_brigades(EvaluationScore.objects.filter(run__month__range=(period.start, period.end)), scope)
    if scope is not None and scope.kind == "street":
        return []  # a street's own summary does not rank it against the others
    findings = []
    for field, what in (("street__name", "镇街"), ("department__name", "行业部门")):
        ranked = list(rows.filter(**{f"{field}__isnull": False}).values(field)
                      .annotate(avg=Avg("score"), months=Count("run", distinct=True)).order_by("avg")[:LOWEST])
        if len(ranked) < 2:
            continue
        names = "、".join(r[field] for r in ranked)
        evidence = [{what: r[field], "平均得分": round(float(r["avg"]), 1), "考评月数": r["months"]} for r in ranked]
        findings.append(Finding(
            code=f"evaluation.lowest.{'street' if what == '镇街' else 'department'}",
            severity="medium",
            statement=f"月度考评中{names}等{what}平均得分靠后（最低{round(float(ranked[0]['avg']), 1)}分），"
                      f"属地和行业监管责任落实仍有差距。",
            part="Q1",
            metrics={"lowest_avg_score": round(float(ranked[0]["avg"]), 1)},
            evidence=evidence,
        ))
        findings.append(Finding(
            code=f"evaluation.focus.{'street' if what == '镇街' else 'department'}",
            severity="low",
            statement=f"对{names}等考评靠后的{what}开展专项督导，逐月跟踪整改。",
            part="N1",
            evidence=evidence,
        ))
    return findings
