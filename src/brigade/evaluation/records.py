"""The evaluation's record types: rubrics are kept by the leaders; runs, scores and deductions are computed."""

from django.urls import reverse

from brigade.core.records import DetailAction, RecordType, register
from brigade.core.roles import ADMIN, LEADER
from brigade.evaluation.models import (
    Deduction,
    EvaluationRun,
    EvaluationScore,
    ManualScore,
    Rubric,
    RubricItem,
)

register(
    RecordType(Rubric, "rubrics", "evaluation", ("name", "target", "total_points", "is_active"),
               filters=("target", "is_active"), search=("name",), hidden_for_liaison=True),
    RecordType(RubricItem, "rubric-items", "evaluation", ("rubric", "order", "title", "points", "method"),
               filters=("rubric", "method"), search=("title", "metric_code"), hidden_for_liaison=True,
               select_related=("rubric",)),
    RecordType(ManualScore, "manual-scores", "evaluation", ("month", "item", "street", "department", "deducted"),
               filters=("street", "department"), date_field="month", street="street", department="department",
               select_related=("item", "street", "department")),
    RecordType(EvaluationRun, "evaluation-runs", "evaluation", ("month", "rubric", "run_by"), filters=("rubric",),
               date_field="month", hidden_for_liaison=True, select_related=("rubric", "run_by"),
               actions=(DetailAction("考评通报", lambda obj: reverse("web:evaluation-notice", args=[obj.pk]),
                                     lambda access: access.role in (ADMIN, LEADER)),)),
    RecordType(EvaluationScore, "evaluation-scores", "evaluation", ("run", "rank", "street", "department", "score"),
               filters=("run", "street", "department"), street="street", department="department",
               select_related=("run__rubric", "street", "department")),
    RecordType(Deduction, "deductions", "evaluation", ("score", "item", "points", "reason"),
               search=("reason",), street="score__street", department="score__department",
               select_related=("score__street", "item")),
)
