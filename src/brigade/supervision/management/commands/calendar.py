"""``brigade calendar``: Chinese working-day arithmetic (holidays and 调休 make-up days included)."""

import datetime as dt

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.core.workdays import (
    PROVISIONAL_NOTE,
    add_workdays,
    is_provisional,
    is_workday,
    supported_years,
    workdays_between,
)

BAD_DATE = "日期“{value}”无法识别，应为 YYYY-MM-DD 格式，例如 2025-01-24。"
BAD_NUMBER = "工作日数“{value}”应为非负整数。"


class InputError(UserError, ValueError):
    pass


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(BAD_DATE.format(value=value)) from None


class Command(BrigadeCommand):
    help = "工作日计算（按国务院公布的节假日和调休安排）：add-workdays 日期 天数、is-workday 日期、between 日期 日期"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        add = sub.add_parser("add-workdays", help="输出某日之后第 N 个工作日的日期")
        add.add_argument("date", help="起算日期（不计入），YYYY-MM-DD")
        add.add_argument("n", help="工作日数")
        check = sub.add_parser("is-workday", help="判断某日是否为工作日")
        check.add_argument("date", help="日期，YYYY-MM-DD")
        between = sub.add_parser("between", help="两个日期之间的工作日数（不含起始日，含结束日）")
        between.add_argument("start", help="起始日期，YYYY-MM-DD")
        between.add_argument("end", help="结束日期，YYYY-MM-DD")
        sub.add_parser("range", help="显示节假日数据覆盖的年份")

    def handle(self, *args, action, **options):
        if action == "add-workdays":
            try:
                n = int(options["n"])
            except ValueError:
                raise InputError(BAD_NUMBER.format(value=options["n"])) from None
            if n < 0:
                raise InputError(BAD_NUMBER.format(value=options["n"]))
            due = add_workdays(parse_date(options["date"]), n)
            self.stdout.write(due.isoformat())
            self._provisional(due)
        elif action == "is-workday":
            day = parse_date(options["date"])
            self.stdout.write("工作日" if is_workday(day) else "休息日")
            self._provisional(day)
        elif action == "between":
            start, end = parse_date(options["start"]), parse_date(options["end"])
            self.stdout.write(str(workdays_between(start, end)))
            self._provisional(max(start, end))
        else:
            first, last = supported_years()
            self.stdout.write(f"{first}–{last}（之后的年份暂按周一至周五推算）")

    def _provisional(self, day: dt.date) -> None:
        """The answer stands on stdout; a year without its holiday notice is said on stderr."""
        if is_provisional(day):
            self.stderr.write(PROVISIONAL_NOTE.format(year=day.year))
