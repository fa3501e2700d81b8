"""Fire grade (火灾等级) by the rule in force on the fire's date, with the thresholds as data.

Two rules are tabulated in ``FIRE_GRADE_RULES``; a brigade may pass its own table (same shape)
when a province or a later revision differs. A grade is reached when ANY of its death, injury or
loss thresholds is reached; the most serious grade reached wins. The 2025 rule adds 轻微火灾 below
一般火灾 (no casualties and a loss under ¥1,000).

The rules speak of 重伤 (serious injuries); a record that only counts injuries is graded on that
count, which can only overstate the grade, never understate it.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

# Grades, most serious first; the code is the English identifier, the label what users read.
GRADE_LABELS: dict[str, str] = {
    "especially_serious": "特别重大火灾",
    "serious": "重大火灾",
    "major": "较大火灾",
    "ordinary": "一般火灾",
    "minor": "轻微火灾",
}

FIRE_GRADE_RULES: tuple[dict, ...] = (
    {
        "name": "2007年火灾等级标准",
        "source": "公安部《关于调整火灾等级标准的通知》（公消〔2007〕234号）；"
                  "STANDARDS.md「Incidents」：2007 loss thresholds ¥10M / ¥50M / ¥100M [V]；"
                  "issued 2007-06 [R]; also applied to earlier dates here",
        "effective_from": None,
        "effective_until": "2025-04-30",
        # Each grade: the thresholds that reach it (≥). None: that criterion cannot reach it.
        "grades": [
            {"grade": "especially_serious", "deaths": 30, "injuries": 100, "loss_yuan": 100_000_000},
            {"grade": "serious", "deaths": 10, "injuries": 50, "loss_yuan": 50_000_000},
            {"grade": "major", "deaths": 3, "injuries": 10, "loss_yuan": 10_000_000},
        ],
        "minor": None,  # no 轻微火灾 class before 2025
    },
    {
        "name": "火灾统计管理规定（2025）",
        "source": "《火灾统计管理规定》（消防〔2025〕17号，2025-05-01施行）；"
                  "STANDARDS.md「Incidents」：较大 ≥ ¥30M，重大 ≥ ¥100M，特别重大 ≥ ¥300M；轻微火灾 [V]",
        "effective_from": "2025-05-01",
        "effective_until": None,
        "grades": [
            {"grade": "especially_serious", "deaths": 30, "injuries": 100, "loss_yuan": 300_000_000},
            {"grade": "serious", "deaths": 10, "injuries": 50, "loss_yuan": 100_000_000},
            {"grade": "major", "deaths": 3, "injuries": 10, "loss_yuan": 30_000_000},
        ],
        # 轻微火灾: no deaths, no injuries and a loss strictly under this figure.
        "minor": {"deaths": 0, "injuries": 0, "loss_below_yuan": 1_000},
    },
)


class FireGradeError(ValueError):
    """No tabulated rule covers the date, or the figures are impossible."""


def rule_for(day: dt.date, rules: Sequence[dict] = FIRE_GRADE_RULES) -> dict:
    """The rule in force on ``day``."""
    for rule in rules:
        start = dt.date.fromisoformat(rule["effective_from"]) if rule["effective_from"] else dt.date.min
        end = dt.date.fromisoformat(rule["effective_until"]) if rule["effective_until"] else dt.date.max
        if start <= day <= end:
            return rule
    raise FireGradeError(f"没有适用于{day.isoformat()}的火灾等级标准。")


def fire_grade(day: dt.date, *, deaths: int = 0, injuries: int = 0, loss_yuan: float | Decimal = 0,
               rules: Sequence[dict] = FIRE_GRADE_RULES) -> str:
    """The grade code (a key of ``GRADE_LABELS``) of a fire on ``day`` with these consequences."""
    if deaths < 0 or injuries < 0 or loss_yuan < 0:
        raise FireGradeError("死亡人数、受伤人数和直接财产损失不能为负数。")
    rule = rule_for(day, rules)
    for row in rule["grades"]:
        if any(limit is not None and value >= limit for value, limit in
               ((deaths, row["deaths"]), (injuries, row["injuries"]), (loss_yuan, row["loss_yuan"]))):
            return row["grade"]
    minor = rule.get("minor")
    if minor and deaths <= minor["deaths"] and injuries <= minor["injuries"] and loss_yuan < minor["loss_below_yuan"]:
        return "minor"
    return "ordinary"


def grade_label(code: str) -> str:
    return GRADE_LABELS[code]


GRADE_ORDER: tuple[str, ...] = tuple(GRADE_LABELS)  # index used by ``grade_codes``


def grade_codes(day, deaths, injuries, loss_yuan, rules: Sequence[dict] = FIRE_GRADE_RULES):
    """Vectorised ``fire_grade``: an index into ``GRADE_ORDER`` per fire, ``-1`` when no rule covers
    its date. ``day`` is a ``datetime64[D]`` array (the local date of the fire)."""
    import numpy as np

    day = np.asarray(day, dtype="datetime64[D]")
    deaths, injuries = np.asarray(deaths, dtype=float), np.asarray(injuries, dtype=float)
    loss = np.asarray(loss_yuan, dtype=float)
    out = np.full(day.size, -1, dtype=np.int64)
    for rule in rules:
        start = np.datetime64(rule["effective_from"] or "0001-01-01", "D")
        end = np.datetime64(rule["effective_until"] or "9999-12-31", "D")
        in_force = (day >= start) & (day <= end) & (out < 0)
        grade = np.full(day.size, GRADE_ORDER.index("ordinary"), dtype=np.int64)
        minor = rule.get("minor")
        if minor:
            is_minor = (deaths <= minor["deaths"]) & (injuries <= minor["injuries"]) & (loss < minor["loss_below_yuan"])
            grade[is_minor] = GRADE_ORDER.index("minor")
        # Least serious first, so the most serious grade reached is written last.
        for row in reversed(rule["grades"]):
            reached = np.zeros(day.size, dtype=bool)
            for values, key in ((deaths, "deaths"), (injuries, "injuries"), (loss, "loss_yuan")):
                if row[key] is not None:
                    reached |= values >= row[key]
            grade[reached] = GRADE_ORDER.index(row["grade"])
        out[in_force] = grade[in_force]
    return out
