"""Row errors grouped by cause: thousands of errors from a few decisions read as a few lines.

A value problem (a choice, a reference: "地下" is not a type, "九曲" is not a street) is one group per
column and value; a format problem (an unreadable date, a missing cell) is one group per column and
message with the value left out, showing a few of the values seen. Each group keeps its count and the
first rows, so the report stays small however many rows are bad.
"""

import re
from dataclasses import dataclass, field

SAMPLE_ROWS = 5  # rows named in a group's line
SAMPLE_VALUES = 3  # values shown for a format problem
MAX_DISTINCT = 10_000  # different values counted per format problem (memory stays bounded)


@dataclass
class Problem:
    column: str
    message: str  # the first row's message
    value: str | None  # the value, for a value problem (one group per value)
    count: int = 0
    rows: list[int] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    distinct: set = field(default_factory=set, repr=False)

    @property
    def forms(self) -> int:
        """How many different values share a format problem."""
        return len(self.distinct)

    def rows_text(self) -> str:
        shown = "、".join(str(r) for r in self.rows if r)
        if not shown:
            return ""
        return f"（第 {shown}{'…' if self.count > len(self.rows) else ''} 行）"

    def text(self) -> str:
        column = f"【{self.column}】" if self.column else ""
        if self.value is not None:
            quoted = f"“{self.value}”"
            rest = self.message[len(quoted):] if self.message.startswith(quoted) else f"：{self.message}"
            return f"{column}{quoted} {self.count:,} 行{self.rows_text()}{rest}"
        text = f"{column}{self.count:,} 行{self.rows_text()}：{self.message}"
        if self.forms > 1:
            shown = "、".join(f"“{s}”" for s in self.samples)
            more = "以上" if self.forms >= MAX_DISTINCT else ""
            text += f"同类写法共 {self.forms:,} 种{more}，如{shown}。"
        return text

    def as_dict(self) -> dict:
        return {"column": self.column, "value": self.value, "count": self.count, "rows": self.rows,
                "samples": self.samples, "message": self.message, "text": self.text()}


_DIGITS = re.compile(r"\d+")


def group_errors(errors) -> list[Problem]:
    """The distinct problems among ``errors`` (RowError), the most frequent first."""
    groups: dict[tuple, Problem] = {}
    for e in errors:
        if e.mappable:
            key = (e.column, "=", e.value)
        elif e.value:
            key = (e.column, "~", e.message.replace(e.value, "\0"))
        else:
            key = (e.column, "#", _DIGITS.sub("#", e.message))
        problem = groups.get(key)
        if problem is None:
            problem = groups[key] = Problem(e.column, e.message, e.value if e.mappable else None)
        problem.count += 1
        if len(problem.rows) < SAMPLE_ROWS and e.row not in problem.rows:
            problem.rows.append(e.row)
        if e.value and not e.mappable and len(problem.distinct) < MAX_DISTINCT and e.value not in problem.distinct:
            problem.distinct.add(e.value)
            if len(problem.samples) < SAMPLE_VALUES:
                problem.samples.append(e.value)
    return sorted(groups.values(), key=lambda p: (-p.count, p.rows[:1]))
