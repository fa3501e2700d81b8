"""Does the grade find more? For each past month: hazards found per inspection in units the grade
ranked high (as of the day before the month began) against those it ranked low, and against a
uniform random draw of the same number of inspections.

The grade of each month is recomputed from the evidence as it stood then (``score(on=…)``), not read
from today's grades, so what the inspections found cannot leak into the grade that predicts them.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q

from brigade.analysis.risk import LEVEL_HIGH, LEVEL_LOW
from brigade.core.period import Period, month_periods
from brigade.risk.rubric import Rubric
from brigade.risk.selectors import active_rubric
from brigade.supervision.choices import InspectionKind

RANDOM_SEED = 2022  # the uniform draw is seeded: the same history gives the same figures


@dataclass(frozen=True)
class MonthResult:
    month: str
    inspections: dict[str, int]  # "high" | "low" | "all" | "random" → inspections
    hazards: dict[str, int]


@dataclass
class Backtest:
    period: Period
    months: list[MonthResult] = field(default_factory=list)

    def total(self, group: str) -> tuple[int, int]:
        return (sum(m.inspections[group] for m in self.months), sum(m.hazards[group] for m in self.months))

    def rate(self, group: str) -> float | None:
        inspections, hazards = self.total(group)
        return round(hazards / inspections, 2) if inspections else None

    @property
    def lift(self) -> float | None:
        """Hazards per inspection of high-risk units over the uniform random draw's."""
        high, rand = self.rate("high"), self.rate("random")
        return round(high / rand, 2) if high is not None and rand else None

    def lines(self) -> list[str]:
        out = [f"{self.period.label}风险分级回测（每次检查发现隐患数）："]
        for m in self.months:
            parts = "，".join(f"{label} {m.hazards[g]}/{m.inspections[g]}" for g, label in GROUPS.items())
            out.append(f"  {m.month}：{parts}")
        summary = "，".join(f"{label} {self.rate(g) if self.rate(g) is not None else '—'}" for g, label in GROUPS.items())
        out.append(f"合计：{summary}；高风险/均匀随机 = {self.lift if self.lift is not None else '—'}")
        return out


GROUPS = {"high": "高风险", "low": "低风险", "all": "全部", "random": "均匀随机"}


def _month(month: Period, rubric: Rubric, street_id: int | None, rng: np.random.Generator,
           brigade_ids: tuple[int, ...] | None = None) -> MonthResult | None:
    from brigade.core.tenancy import in_brigades
    from brigade.risk.services.grading import score
    from brigade.supervision.models import Inspection

    rows = Inspection.objects.filter(inspected_on__range=(month.start, month.end)).exclude(
        kind=InspectionKind.SELF_INSPECTION_DAY)
    if street_id is not None:
        rows = rows.filter(unit__street_id=street_id)
    if brigade_ids is not None:
        rows = rows.filter(in_brigades(Inspection, brigade_ids))  # as the pages and the metrics read it
    found = list(rows.annotate(n=Count("hazards", filter=Q(hazards__found_on__lte=month.end)))
                 .values_list("unit_id", "n").order_by("pk"))
    if not found:
        return None
    graded, scores = score(on=month.start - dt.timedelta(days=1), rubric=rubric,
                           unit_ids=sorted({u for u, _ in found}), brigade_ids=brigade_ids)
    level = dict(zip(graded.unit_ids.tolist(), scores.level.tolist(), strict=True))
    units = np.asarray([u for u, _ in found])
    hazards = np.asarray([n for _, n in found])
    levels = np.asarray([level.get(int(u), LEVEL_LOW) for u in units])
    high, low = levels == LEVEL_HIGH, levels == LEVEL_LOW
    pick = rng.choice(len(found), size=int(high.sum()), replace=False) if high.any() else np.zeros(0, dtype=int)
    return MonthResult(
        month=month.label,
        inspections={"high": int(high.sum()), "low": int(low.sum()), "all": len(found), "random": len(pick)},
        hazards={"high": int(hazards[high].sum()), "low": int(hazards[low].sum()), "all": int(hazards.sum()),
                 "random": int(hazards[pick].sum())},
    )


def backtest(*, period: Period, street_id: int | None = None, rubric: Rubric | None = None,
             brigade_ids: tuple[int, ...] | None = None) -> Backtest:
    rubric = rubric or active_rubric()
    rng = np.random.default_rng(RANDOM_SEED)
    result = Backtest(period=period)
    for month in month_periods(period):
        row = _month(month, rubric, street_id, rng, brigade_ids)
        if row is not None:
            result.months.append(row)
    return result
