"""Monthly evaluation (考评): rubrics as data, scoring per street or department, ranking and trend.

An item either keeps its points while a metric meets a threshold (the figure comes from the
metric registry through ``metric_value(code, period, scope)``) or is deducted by hand with the
evidence typed in. Every deduction keeps its evidence; a month's run can be re-run (it replaces
the previous one) and is compared with the month before.

A run belongs to one brigade (大队): it scores that brigade's streets (or departments) and ranks
them among themselves; re-running brigade A's month never touches brigade B's run. The rubric is
shared reference data: every brigade scores by the same rubric.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from brigade.core.errors import UserError
from brigade.core.period import Period, parse_period
from brigade.core.scope import Scope
from brigade.evaluation.models import (
    Comparison,
    Deduction,
    EvaluationRun,
    EvaluationScore,
    ItemMethod,
    ManualScore,
    Rubric,
    RubricItem,
    RubricTarget,
)
from brigade.org.chosen import chosen_brigade
from brigade.org.models import Brigade, Department, Street

RUBRIC_POINTS_MISMATCH = "考评细则各项分值合计{sum}分，与总分{total}分不一致。"
RUBRIC_NO_ITEMS = "考评细则至少应有一个考评项目。"
RUBRIC_BAD_TARGET = "考评对象“{value}”不是有效选项（应为镇街或行业部门）。"
RUBRIC_TOTAL_NOT_POSITIVE = "总分应大于0。"
RUBRIC_NAME_TAKEN = "已有名为“{name}”的考评细则。"
ITEM_NO_TITLE = "第{n}个考评项目未填写考评内容。"
ITEM_POINTS_NOT_POSITIVE = "考评项目“{title}”的分值应大于0。"
ITEM_BAD_METHOD = "考评项目“{title}”的评分方式“{value}”无效（应为按指标自动评分或人工评分）。"
ITEM_METRIC_INCOMPLETE = "考评项目“{title}”按指标评分，须填写指标代码、要求（不少于/不多于）和标准值。"
ITEM_UNKNOWN_METRIC = "考评项目“{title}”的指标代码“{code}”不存在。"
ITEM_METRIC_SCOPE = "指标“{label}”不能按{target}统计，考评项目“{title}”请改为人工评分。"
ITEM_PER_UNIT_NOT_POSITIVE = "考评项目“{title}”的每单位扣分应大于0。"
MANUAL_NOT_MANUAL = "考评项目“{title}”按指标自动评分，不能人工录入扣分。"
MANUAL_OVER_POINTS = "扣分（{deducted}）不能超过该项分值（{points}）。"
MANUAL_NEGATIVE = "扣分不能为负数。"
MANUAL_NO_EVIDENCE = "请填写扣分依据。"
MANUAL_WRONG_TARGET = "该细则考评{target}，请选择一个{target}（只选一个）。"
MONTH_ONLY = "考评按月进行，请用 2025-03 这样的月份（收到“{value}”）。"
RUN_METRIC_MISSING = "指标“{code}”对{name}不适用，无法评分。"
RUN_NO_TARGETS = "{brigade}没有可考评的{target}。"
MANUAL_MISSING = "“{title}”未录入{names}的人工评分，按不扣分计算。"

CENT = Decimal("0.01")
# The figure of a metric for a period and a scope; the default reads the metric registry.
MetricValue = Callable[[str, Period, Scope], float | int | None]


class EvaluationError(UserError):
    """A refused rubric, entry or run; ``field`` names the input to blame."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def registry_metric_value(code: str, period: Period, scope: Scope) -> float | int | None:
    """The registry's figure (None when the metric does not apply to the scope)."""
    from brigade.metrics.registry import compute

    return compute(period, scope, [code], with_previous=False).value(code)


def fmt(value: Decimal) -> str:
    """80.00 → "80", 12.50 → "12.5" (points and figures as a person writes them)."""
    return f"{Decimal(value).normalize():f}"


def _dec(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_month(value: str | Period) -> Period:
    period = value if isinstance(value, Period) else parse_period(str(value))
    if period.kind != "month":
        raise EvaluationError(MONTH_ONLY.format(value=getattr(value, "key", value)), field="month")
    return period


# --- rubrics ---------------------------------------------------------------------------------------
def _clean_item(n: int, raw: dict, target: str) -> dict:
    from brigade.metrics.registry import all_metrics

    title = (raw.get("title") or "").strip()
    if not title:
        raise EvaluationError(ITEM_NO_TITLE.format(n=n), field="title")
    points = _dec(raw.get("points", 0))
    if points <= 0:
        raise EvaluationError(ITEM_POINTS_NOT_POSITIVE.format(title=title), field="points")
    method = raw.get("method", ItemMethod.MANUAL)
    if method not in ItemMethod.values:
        raise EvaluationError(ITEM_BAD_METHOD.format(title=title, value=method), field="method")
    item = {"order": raw.get("order", n), "title": title, "points": points, "method": method,
            "guidance": raw.get("guidance", ""), "metric_code": "", "comparison": "", "threshold": None,
            "per_unit": None}
    if method == ItemMethod.METRIC:
        code, comparison, threshold = raw.get("metric_code", ""), raw.get("comparison", ""), raw.get("threshold")
        if not code or comparison not in Comparison.values or threshold is None:
            raise EvaluationError(ITEM_METRIC_INCOMPLETE.format(title=title), field="metric_code")
        metric = all_metrics().get(code)
        if metric is None:
            raise EvaluationError(ITEM_UNKNOWN_METRIC.format(title=title, code=code), field="metric_code")
        if target not in metric.scopes:
            raise EvaluationError(
                ITEM_METRIC_SCOPE.format(label=metric.label, target=RubricTarget(target).label, title=title),
                field="metric_code",
            )
        per_unit = raw.get("per_unit")
        if per_unit is not None and _dec(per_unit) <= 0:
            raise EvaluationError(ITEM_PER_UNIT_NOT_POSITIVE.format(title=title), field="per_unit")
        item.update(metric_code=code, comparison=comparison, threshold=_dec(threshold),
                    per_unit=_dec(per_unit) if per_unit is not None else None)
    return item


@transaction.atomic
def rubric_create(*, name: str, target: str, total_points, items: Iterable[dict], note: str = "") -> Rubric:
    """Create a rubric with its items; refused unless the items' points add up to the total."""
    if target not in RubricTarget.values:
        raise EvaluationError(RUBRIC_BAD_TARGET.format(value=target), field="target")
    total = _dec(total_points)
    if total <= 0:
        raise EvaluationError(RUBRIC_TOTAL_NOT_POSITIVE, field="total_points")
    if Rubric.objects.filter(name=name).exists():
        raise EvaluationError(RUBRIC_NAME_TAKEN.format(name=name), field="name")
    cleaned = [_clean_item(n, raw, target) for n, raw in enumerate(items, start=1)]
    if not cleaned:
        raise EvaluationError(RUBRIC_NO_ITEMS, field="items")
    points = sum((i["points"] for i in cleaned), Decimal(0))
    if points != total:
        raise EvaluationError(RUBRIC_POINTS_MISMATCH.format(sum=fmt(points), total=fmt(total)),
                              field="total_points")
    rubric = Rubric.objects.create(name=name, target=target, total_points=total, note=note)
    RubricItem.objects.bulk_create(RubricItem(rubric=rubric, **i) for i in cleaned)
    return rubric


@transaction.atomic
def manual_score_enter(*, item: RubricItem, month: str | Period, deducted, evidence: str,
                       street: Street | None = None, department: Department | None = None, by=None) -> ManualScore:
    """Enter (or correct) a hand-scored deduction for one street or department and one month."""
    period = parse_month(month)
    if item.method != ItemMethod.MANUAL:
        raise EvaluationError(MANUAL_NOT_MANUAL.format(title=item.title), field="item")
    target = item.rubric.target
    wanted = street if target == RubricTarget.STREET else department
    other = department if target == RubricTarget.STREET else street
    if wanted is None or other is not None:
        raise EvaluationError(MANUAL_WRONG_TARGET.format(target=RubricTarget(target).label), field=target)
    points = _dec(deducted)
    if points < 0:
        raise EvaluationError(MANUAL_NEGATIVE, field="deducted")
    if points > item.points:
        raise EvaluationError(MANUAL_OVER_POINTS.format(deducted=fmt(points), points=fmt(item.points)),
                              field="deducted")
    if points > 0 and not evidence.strip():
        raise EvaluationError(MANUAL_NO_EVIDENCE, field="evidence")
    entry, _ = ManualScore.objects.update_or_create(
        item=item, month=period.start, street=street, department=department,
        defaults={"deducted": points, "evidence": evidence.strip(), "entered_by": by},
    )
    return entry


# --- scoring ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemResult:
    points: Decimal  # deducted
    reason: str
    evidence: dict


def score_metric_item(item: RubricItem, value, unit: str = "") -> ItemResult | None:
    """The deduction of a metric item for a figure (in ``unit``), or None when the threshold is met."""
    value = _dec(value)
    shortfall = item.threshold - value if item.comparison == Comparison.GTE else value - item.threshold
    if shortfall <= 0:
        return None
    points = min(item.points, _dec(item.per_unit * shortfall)) if item.per_unit else item.points
    requirement = f"{Comparison(item.comparison).label}{fmt(item.threshold)}{unit}"
    reason = f"{item.title}：要求{requirement}，实际{fmt(value)}{unit}"
    evidence = {"指标代码": item.metric_code, "实际值": float(value), "要求": requirement,
                "差额": float(shortfall), "扣分": float(points)}
    if item.per_unit:
        evidence["每单位扣分"] = float(item.per_unit)
    return ItemResult(points, reason, evidence)


def _targets(rubric: Rubric, brigade: Brigade):
    if rubric.target == RubricTarget.STREET:
        return [(s, Scope("street", s.name, s.pk))
                for s in Street.objects.filter(brigade=brigade).order_by("code", "name")]
    return [(d, Scope("department", d.name, d.pk)) for d in Department.objects.filter(brigade=brigade).order_by("name")]


def has_targets(rubric: Rubric, brigade: Brigade | None = None) -> bool:
    """Whether the brigade (None: any brigade) has streets or departments the rubric scores."""
    model = Street if rubric.target == RubricTarget.STREET else Department
    rows = model.objects.all() if brigade is None else model.objects.filter(brigade=brigade)
    return rows.exists()


def run_brigade(brigade: Brigade | str | None) -> Brigade:
    """A Brigade, or one named (None: the only brigade; several: refused, listing them)."""
    return brigade if isinstance(brigade, Brigade) else chosen_brigade(brigade, what="考评")


def competition_ranks(scores: list[Decimal]) -> list[int]:
    """1, 1, 3 …: equal scores share a rank (scores given best first)."""
    ranks = []
    for i, score in enumerate(scores):
        ranks.append(ranks[-1] if i and score == scores[i - 1] else i + 1)
    return ranks


@transaction.atomic
def evaluation_run(*, rubric: Rubric, month: str | Period, brigade: Brigade | str | None = None,
                   metric_value: MetricValue | None = None, by=None) -> EvaluationRun:
    """Score the brigade's streets (or departments) for the month and rank them; replaces the
    brigade's earlier run of the same rubric and month (other brigades' runs are left alone)."""
    period = parse_month(month)
    brigade = run_brigade(brigade)
    metric_value = metric_value or registry_metric_value
    targets = _targets(rubric, brigade)
    if not targets:
        raise EvaluationError(RUN_NO_TARGETS.format(brigade=brigade.name, target=RubricTarget(rubric.target).label))
    items = list(rubric.items.order_by("order", "pk"))
    field = "street" if rubric.target == RubricTarget.STREET else "department"
    manual = {
        (m.item_id, getattr(m, f"{field}_id")): m
        for m in ManualScore.objects.filter(item__rubric=rubric, month=period.start,
                                            **{f"{field}__brigade": brigade})
    }
    from brigade.metrics.registry import all_metrics

    metrics = all_metrics()
    units = {i.metric_code: metrics[i.metric_code].unit for i in items if i.metric_code in metrics}
    rows, missing = [], {}
    for entity, scope in targets:
        results = []
        for item in items:
            if item.method == ItemMethod.METRIC:
                value = metric_value(item.metric_code, period, scope)
                if value is None:
                    raise EvaluationError(RUN_METRIC_MISSING.format(code=item.metric_code, name=entity.name))
                result = score_metric_item(item, value, units.get(item.metric_code, ""))
            else:
                entry = manual.get((item.pk, entity.pk))
                if entry is None:
                    missing.setdefault(item.title, []).append(entity.name)
                    result = None
                elif entry.deducted > 0:
                    result = ItemResult(entry.deducted, f"{item.title}：{entry.evidence}",
                                        {"扣分依据": entry.evidence, "扣分": float(entry.deducted),
                                         "录入人": entry.entered_by.get_username() if entry.entered_by else ""})
                else:
                    result = None
            if result is not None:
                results.append((item, result))
        deducted = sum((r.points for _, r in results), Decimal(0))
        rows.append((entity, rubric.total_points - deducted, deducted, results))
    rows.sort(key=lambda r: (-r[1], r[0].name))
    warnings = [MANUAL_MISSING.format(title=title, names="、".join(names)) for title, names in missing.items()]
    EvaluationRun.objects.filter(brigade=brigade, rubric=rubric, month=period.start).delete()
    run = EvaluationRun.objects.create(brigade=brigade, rubric=rubric, month=period.start, run_by=by,
                                       warnings=warnings)
    for rank, (entity, score, deducted, results) in zip(competition_ranks([r[1] for r in rows]), rows, strict=True):
        row = EvaluationScore.objects.create(run=run, score=score, deducted=deducted, rank=rank, **{field: entity})
        Deduction.objects.bulk_create(
            Deduction(score=row, item=item, points=r.points, reason=r.reason[:300], evidence=r.evidence)
            for item, r in results
        )
    return run


# --- ranking and trend -----------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendRow:
    name: str
    score: Decimal
    rank: int
    previous_score: Decimal | None
    previous_rank: int | None
    deductions: list[Deduction]

    @property
    def change(self) -> Decimal | None:
        return None if self.previous_score is None else self.score - self.previous_score

    @property
    def trend(self) -> str:
        """Chinese: how the rank moved since the month before."""
        if self.previous_rank is None:
            return "上月无考评"
        if self.rank < self.previous_rank:
            return f"较上月上升{self.previous_rank - self.rank}位"
        if self.rank > self.previous_rank:
            return f"较上月下降{self.rank - self.previous_rank}位"
        return "名次与上月持平"


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def evaluation_trend(*, run: EvaluationRun) -> list[TrendRow]:
    """The run's ranking with each target's score and rank of the month before (same brigade)."""
    before = EvaluationRun.objects.filter(brigade_id=run.brigade_id, rubric=run.rubric,
                                          month=previous_month(run.month)).first()
    previous = {}
    if before is not None:
        for s in before.scores.all():
            previous[(s.street_id, s.department_id)] = s
    rows = []
    for s in run.scores.select_related("street", "department").prefetch_related("deductions__item"):
        p = previous.get((s.street_id, s.department_id))
        rows.append(TrendRow(s.target_name, s.score, s.rank, p.score if p else None, p.rank if p else None,
                             list(s.deductions.all())))
    return rows
