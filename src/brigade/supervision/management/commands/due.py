"""``brigade due``: the supervision worklist — due soon, overdue, re-inspections, seal-ups expiring."""

from django.utils import timezone

from brigade.core.commands import BrigadeCommand
from brigade.supervision.management.commands.calendar import parse_date
from brigade.supervision.worklist import DEFAULT_HORIZON_WORKDAYS, KIND_LABELS, worklist


class Command(BrigadeCommand):
    help = "待办清单：3个工作日内到期、逾期未改、待复查、临时查封到期等（可按监督员、镇街筛选）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--officer", help="监督员姓名（检查人员）")
        parser.add_argument("--street", help="镇街名称")
        parser.add_argument("--date", help="以哪一天为准，YYYY-MM-DD（默认今天）")
        parser.add_argument("--days", type=int, default=DEFAULT_HORIZON_WORKDAYS,
                            help=f"提前提醒的工作日数（默认{DEFAULT_HORIZON_WORKDAYS}）")

    def handle(self, *args, officer=None, street=None, date=None, days=DEFAULT_HORIZON_WORKDAYS, **options):
        on = parse_date(date) if date else timezone.localdate()
        work = worklist(on=on, officer=officer, street=street, horizon_workdays=days)
        who = "、".join(x for x in (officer, street) if x) or "全大队"
        self.stdout.write(f"{who}待办清单（{on.isoformat()}，提前{days}个工作日，至{work.horizon_end.isoformat()}）")
        if not work.items:
            self.stdout.write("无待办事项。")
            return
        for kind, label in KIND_LABELS.items():
            items = work.of_kind(kind)
            if not items:
                continue
            self.stdout.write(f"\n【{label}】{len(items)}项")
            for i in items:
                when = f"逾期{-i.workdays_left}个工作日" if i.is_late else f"剩{i.workdays_left}个工作日"
                ref = f"隐患#{i.hazard_id}，" if i.hazard_id else f"执法#{i.action_id}，" if i.action_id else ""
                officers = "、".join(i.officers) or "—"
                self.stdout.write(f"  {i.due_on.isoformat()}（{when}）{i.street} {i.unit} {i.subject} "
                                  f"[{ref}监督员：{officers}]")
