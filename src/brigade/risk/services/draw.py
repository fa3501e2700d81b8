"""The monthly 双随机 draw: inputs from the grades, the pure draw, stored with its seed and inputs.

A draw belongs to one brigade (大队): it picks among that brigade's graded units and pairs that
brigade's 防火监督员. A brigade has at most one active draw a month. Drawing again needs a reason;
the earlier draw stays in the history as superseded. Everything the draw used is stored in order (``Draw.inputs``) with a
SHA-256 digest, so ``draw_verify`` (``brigade draw --verify``) re-draws the same list from the seed.
"""

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from brigade.analysis.draw import DrawInput, draw_sample, required_officers
from brigade.core.errors import UserError
from brigade.core.period import Period, parse_period
from brigade.core.workdays import CalendarOutOfRange, is_workday
from brigade.org.chosen import chosen_brigade
from brigade.org.models import Brigade, Person, Post
from brigade.risk.choices import DrawReason, DrawStatus, RiskLevel
from brigade.risk.models import ConflictOfInterest, Draw, DrawItem, UnitRisk
from brigade.risk.rubric import Rubric
from brigade.risk.selectors import active_rubric
from brigade.supervision.deadlines import add_months

MONTH_ONLY = "双随机抽查按月进行，请用 2026-01 这样的月份（收到“{value}”）。"
DRAW_EXISTS = ("{brigade}{month}已有双随机抽查名单（{day}抽取，种子 {seed}），不会重新抽取；"
               "确需重新抽取，请注明理由（命令行 --redraw --reason 理由），原名单将保留在历史中。")
NO_REASON = "重新抽取须注明理由。"
NO_DRAW = "{brigade}{month}还没有双随机抽查名单。"
NO_UNITS = "{brigade}没有已评定风险等级的社会单位，无法抽取（请先录入社会单位并运行 brigade risk grade）。"
TOO_FEW_OFFICERS = ("{brigade}监督员不足：本月需检查 {checks} 户（其中重点单位到期 {due} 户），每户 2 人、每人每月最多 {per} 户，"
                    "需要 {need} 名防火监督员，现有 {have} 名，还缺 {missing} 名。"
                    "也可指定本月抽查户数（命令行 --checks），排不下的到期重点单位顺延至下月。")
TOO_FEW_FOR_PAIRS = "{brigade}监督员不足：双随机抽查每户须 2 名防火监督员，现有 {have} 名，还缺 {missing} 名。"
BAD_CHECKS = "抽查户数应为正整数（收到“{value}”）。"
BAD_SEED = "随机种子应为 0 至 {max} 之间的整数（收到“{value}”）。"
NOT_PAIRED = "有 {n} 户因回避或人手不足未能配齐两名检查人员，请人工指派。"
DUE_LEFT = "另有 {n} 户重点单位已到检查周期但超出本月抽查户数，顺延至下月。"
MAX_SEED = 2**63 - 1
LEVEL_CODES = {RiskLevel.LOW: "l", RiskLevel.MEDIUM: "m", RiskLevel.HIGH: "h"}
CODE_LEVELS = {v: k for k, v in LEVEL_CODES.items()}


class DrawError(UserError):
    pass


def parse_month(value) -> Period:
    try:
        period = value if isinstance(value, Period) else parse_period(str(value))
    except UserError:
        raise DrawError(MONTH_ONLY.format(value=value)) from None
    if period.kind != "month":
        raise DrawError(MONTH_ONLY.format(value=value))
    return period


def last_workday(month: Period) -> dt.date:
    """The month's last working day (the last calendar day where the holiday data ends)."""
    day = month.end
    try:
        while not is_workday(day) and day > month.start:
            day -= dt.timedelta(days=1)
    except CalendarOutOfRange:
        return month.end
    return day


@dataclass
class Prepared:
    data: DrawInput
    inputs: dict  # JSON of everything the draw used, in order
    levels: list[str]


def _months_between(earlier: dt.date, later: dt.date) -> float:
    return (later - earlier).days / 30.4375


def prepare(*, month: Period, rubric: Rubric, brigade: Brigade, checks: int | None = None) -> Prepared:
    """The draw's inputs from the brigade's current grades, its officers and their declared conflicts."""
    rows = list(UnitRisk.objects.filter(street__brigade=brigade).order_by("unit_id").values_list(
        "unit_id", "street_id", "level", "last_inspected_on", "unit__is_key_unit"))
    if not rows:
        raise DrawError(NO_UNITS.format(brigade=brigade.name))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    levels = [r[2] for r in rows]
    weights_by_level = rubric.weights.draw_weights
    weights = np.asarray([float(weights_by_level[lv]) for lv in levels])
    high = np.asarray([lv == RiskLevel.HIGH for lv in levels])
    # Key units whose cycle ends by the month's end (never inspected: due, most urgent).
    cycle_start = add_months(month.end, -rubric.key_unit_cycle_months)
    key = np.asarray([bool(r[4]) for r in rows])
    last = [r[3] for r in rows]
    priority = np.asarray([1e6 if d is None else _months_between(d, month.end) for d in last])
    recently_drawn = set(DrawItem.objects.filter(
        draw__brigade=brigade, draw__status=DrawStatus.ACTIVE, draw__month__lt=month.start,
        draw__month__gte=add_months(month.start, -max(rubric.key_unit_cycle_months, rubric.repeat_window_months)),
    ).values_list("unit_id", "draw__month"))
    window_start = add_months(month.start, -rubric.repeat_window_months)
    cycle_drawn = {u for u, m in recently_drawn if m > cycle_start}
    window_drawn = {u for u, m in recently_drawn if m >= window_start}
    must = key & np.asarray([(d is None or d <= cycle_start) and u not in cycle_drawn for d, u in zip(
        last, ids.tolist(), strict=True)])
    eligible = high | ~np.isin(ids, np.fromiter(window_drawn, dtype=np.int64, count=len(window_drawn)))

    # Every 防火监督员 (``is_on_duty`` counts the fire crews' shifts, not supervision staff).
    officers = list(Person.objects.filter(brigade=brigade, post=Post.SUPERVISOR).order_by("pk")
                    .values_list("pk", flat=True))
    conflicts = {p: (set(), set()) for p in officers}
    for person, street, unit in ConflictOfInterest.objects.filter(person__in=officers).values_list(
            "person_id", "street_id", "unit_id"):
        if street:
            conflicts[person][0].add(street)
        if unit:
            conflicts[person][1].add(unit)
    per = rubric.checks_per_officer
    if len(officers) < 2:
        raise DrawError(TOO_FEW_FOR_PAIRS.format(brigade=brigade.name, have=len(officers),
                                                 missing=2 - len(officers)))
    capacity = len(officers) * per // 2 if len(officers) >= 2 else 0
    due = int(must.sum())
    wanted = checks if checks is not None else max(capacity, due)
    need = required_officers(wanted, per)  # ≥ what the due units need unless --checks asked for fewer
    if len(officers) < need:
        raise DrawError(TOO_FEW_OFFICERS.format(brigade=brigade.name, checks=wanted, due=due, per=per, need=need,
                                                have=len(officers), missing=need - len(officers)))
    data = DrawInput(
        unit_ids=ids, weights=weights, must=must, eligible=eligible, priority=priority,
        unit_streets=np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
        officer_ids=officers,
        conflict_streets=[frozenset(conflicts[p][0]) for p in officers],
        conflict_units=[frozenset(conflicts[p][1]) for p in officers],
        checks=wanted, per_officer=per,
    )
    inputs = {
        "month": month.key, "checks": wanted, "per_officer": per,
        "cycle_months": rubric.key_unit_cycle_months, "window_months": rubric.repeat_window_months,
        "unit_ids": ids.tolist(), "streets": data.unit_streets.tolist(),
        "levels": "".join(LEVEL_CODES[RiskLevel(lv)] for lv in levels),
        "weights": {k: float(v) for k, v in weights_by_level.items()},
        "must": np.flatnonzero(must).tolist(), "ineligible": np.flatnonzero(~eligible).tolist(),
        "priority": [round(float(p), 4) for p in priority[must]],
        "officers": officers,
        "conflict_streets": [sorted(conflicts[p][0]) for p in officers],
        "conflict_units": [sorted(conflicts[p][1]) for p in officers],
    }
    return Prepared(data=data, inputs=inputs, levels=levels)


def input_from_json(inputs: dict) -> DrawInput:
    """The pure draw's input rebuilt from a stored ``Draw.inputs`` (for re-drawing from the seed)."""
    n = len(inputs["unit_ids"])
    levels = [CODE_LEVELS[c] for c in inputs["levels"]]
    must = np.zeros(n, dtype=bool)
    must[inputs["must"]] = True
    eligible = np.ones(n, dtype=bool)
    eligible[inputs["ineligible"]] = False
    priority = np.zeros(n)
    priority[inputs["must"]] = inputs["priority"]
    return DrawInput(
        unit_ids=np.asarray(inputs["unit_ids"], dtype=np.int64),
        weights=np.asarray([inputs["weights"][lv.value] for lv in levels], dtype=np.float64),
        must=must, eligible=eligible, priority=priority,
        unit_streets=np.asarray(inputs["streets"], dtype=np.int64), officer_ids=inputs["officers"],
        conflict_streets=[frozenset(s) for s in inputs["conflict_streets"]],
        conflict_units=[frozenset(u) for u in inputs["conflict_units"]],
        checks=inputs["checks"], per_officer=inputs["per_officer"],
    )


def digest(inputs: dict, seed: int) -> str:
    text = json.dumps({"seed": seed, **inputs}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_seed(seed) -> int:
    if seed is None:
        return secrets.randbelow(10**9)  # short enough to print in the notice and type back
    if isinstance(seed, str) and not seed.strip().isdigit() or not 0 <= int(seed) <= MAX_SEED:
        raise DrawError(BAD_SEED.format(max=MAX_SEED, value=seed))
    return int(seed)


def _brigade(brigade) -> Brigade:
    """A Brigade, or one named (None: the only brigade; several: refused, listing them)."""
    return brigade if isinstance(brigade, Brigade) else chosen_brigade(brigade, what="抽取或查看双随机名单")


@transaction.atomic
def draw_month(*, month, brigade: Brigade | str | None = None, seed=None, checks: int | None = None,
               redraw: bool = False, reason: str = "", by=None, rubric: Rubric | None = None) -> Draw:
    """Draw the brigade's list for ``month``; refused when it has one, unless ``redraw`` with a reason."""
    month = parse_month(month)
    brigade = _brigade(brigade)
    seed = _check_seed(seed)
    if checks is not None and (not isinstance(checks, int) or checks <= 0):
        raise DrawError(BAD_CHECKS.format(value=checks))
    reason = (reason or "").strip()
    old = Draw.objects.select_for_update().filter(brigade=brigade, month=month.start,
                                                  status=DrawStatus.ACTIVE).first()
    if old is not None and not redraw:
        raise DrawError(DRAW_EXISTS.format(brigade=brigade.name, month=month.label, day=old.created_at.date(),
                                           seed=old.seed))
    if old is not None and not reason:
        raise DrawError(NO_REASON)
    rubric = rubric or active_rubric()
    prepared = prepare(month=month, rubric=rubric, brigade=brigade, checks=checks)
    result = draw_sample(prepared.data, seed)
    warnings = []
    if unpaired := sum(1 for p in result.pairs if p is None):
        warnings.append(NOT_PAIRED.format(n=unpaired))
    if result.due_left_out:
        warnings.append(DUE_LEFT.format(n=result.due_left_out))
    if old is not None:
        old.status = DrawStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
    draw = Draw.objects.create(
        brigade=brigade, month=month.start, seed=seed, reason=reason if old is not None else "",
        checks=len(result.units), officers=len(prepared.data.officer_ids), due_on=last_workday(month), rubric_name=rubric.name,
        inputs=prepared.inputs, digest=digest(prepared.inputs, seed), warnings=warnings, drawn_by=by,
    )
    if old is not None:
        old.superseded_by = draw
        old.save(update_fields=["superseded_by"])
    index = {u: k for k, u in enumerate(prepared.data.unit_ids.tolist())}
    streets = prepared.data.unit_streets
    DrawItem.objects.bulk_create([DrawItem(
        draw=draw, order=n, unit_id=u, street_id=int(streets[index[u]]), level=prepared.levels[index[u]],
        reason=DrawReason.DUE if due else DrawReason.RANDOM,
        inspector_a_id=pair[0] if pair else None, inspector_b_id=pair[1] if pair else None,
    ) for n, (u, due, pair) in enumerate(zip(result.units, result.due, result.pairs, strict=True), start=1)])
    return draw


def draw_verify(*, draw: Draw) -> bool:
    """Re-draw from the stored inputs and seed; True when the list and the inspectors are the same."""
    if digest(draw.inputs, draw.seed) != draw.digest:
        return False
    result = draw_sample(input_from_json(draw.inputs), draw.seed)
    stored = list(draw.items.order_by("order").values_list("unit_id", "inspector_a_id", "inspector_b_id"))
    again = [(u, *(p if p else (None, None))) for u, p in zip(result.units, result.pairs, strict=True)]
    return stored == again


def draw_for(month, brigade: Brigade | str | None = None) -> Draw:
    """The brigade's active draw of the month (None: the only brigade)."""
    month = parse_month(month)
    brigade = _brigade(brigade)
    draw = Draw.objects.filter(brigade=brigade, month=month.start, status=DrawStatus.ACTIVE).first()
    if draw is None:
        raise DrawError(NO_DRAW.format(brigade=brigade.name, month=month.label))
    return draw
