"""Statutory deadlines of fire supervision, read from a rule table with the source of each rule.

The table is the setting ``BRIGADE_DEADLINE_RULES``: the ``supervision.deadlines`` list of
``brigade/standards.yaml``, or the path of a brigade's own JSON copy ``{"rules": [...]}`` (standards
are revised, provinces differ). Working-day
rules use the Chinese holiday calendar of :mod:`brigade.core.workdays`.
"""

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from brigade.core.errors import UserError
from brigade.core.workdays import add_workdays

UNITS = ("workdays", "months")

UNKNOWN_RULE = "期限规则表中没有代码为“{code}”的规则。"
BAD_RULE = "期限规则“{code}”的单位“{unit}”无效，应为 workdays（工作日）或 months（自然月）。"

# The rule codes the services use.
RECTIFICATION_NOTICE = "rectification_notice"
REINSPECTION = "reinspection"
MAJOR_HAZARD_REPORT = "major_hazard_report"
MAJOR_HAZARD_NOTICE = "major_hazard_notice"
SEAL_UP_DECISION = "seal_up_decision"
SEAL_UP_MAX = "seal_up_max"
MAJOR_HAZARD_NOTICE_EXPERTS = "major_hazard_notice_expert_extension"


class DeadlineRuleError(UserError, KeyError):
    pass


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    name: str  # Chinese
    amount: int
    unit: str  # workdays | months
    anchor: str  # Chinese: the day counting starts from
    source: str  # the regulation and article, quotable in a report
    verified: bool = False

    @property
    def label(self) -> str:
        span = f"{self.amount}个工作日" if self.unit == "workdays" else f"{self.amount}个月"
        return f"{self.name}：{self.anchor}起{span}内"

    def due(self, start: dt.date) -> dt.date:
        """The last day allowed when counting starts on ``start``."""
        if self.unit == "workdays":
            return add_workdays(start, self.amount)
        return add_months(start, self.amount)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _table(rows) -> dict[str, DeadlineRule]:
    rules = {}
    for row in rows:
        rule = DeadlineRule(**row)
        if rule.unit not in UNITS:
            raise DeadlineRuleError(BAD_RULE.format(code=rule.code, unit=rule.unit))
        rules[rule.code] = rule
    return rules


@lru_cache(maxsize=4)
def _from_file(path: str) -> dict[str, DeadlineRule]:
    return _table(json.loads(Path(path).read_text(encoding="utf-8"))["rules"])


def rules() -> dict[str, DeadlineRule]:
    """Every rule, by code."""
    table = settings.BRIGADE_DEADLINE_RULES
    return dict(_from_file(str(table))) if isinstance(table, str | Path) else _table(table)


def rule(code: str) -> DeadlineRule:
    try:
        return rules()[code]
    except KeyError:
        raise DeadlineRuleError(UNKNOWN_RULE.format(code=code)) from None


def due_date(code: str, start: dt.date) -> dt.date:
    """The deadline of rule ``code`` counted from ``start``."""
    return rule(code).due(start)
