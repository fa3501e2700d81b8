"""``brigade hazard``: the hazard workflow from the command line (the same services as the web and API)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.supervision import services
from brigade.supervision.choices import EnforcementKind, LegalBasis, StopOrderKind
from brigade.supervision.management.commands.calendar import parse_date
from brigade.supervision.models import Hazard
from brigade.supervision.recurrence import recurrence_scan
from brigade.supervision.selectors import display_status, notice_due_on, reinspection_due_on
from brigade.supervision.workflow import HAZARD_WORKFLOW

NO_HAZARD = "没有编号为 {pk} 的火灾隐患。"
NO_USER = "没有用户名为“{name}”的用户。"


class HazardNotFound(UserError, LookupError):
    pass


class Command(BrigadeCommand):
    help = "火灾隐患流程：查看、责令改正、整改、申请复查、复查、销案、转执法处理、复发隐患关联"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--user", help="操作人用户名（留空表示系统操作）")
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        show = sub.add_parser("show", help="查看隐患状态、法定期限和处理记录")
        show.add_argument("id", type=int, help="隐患编号")
        for step in HAZARD_WORKFLOW.steps:  # the steps as declared for the page and the API
            p = sub.add_parser(step.slug, help=step.title)
            p.add_argument("id", type=int, help="隐患编号")
            p.add_argument("--on", help=f"{step.day_label}，YYYY-MM-DD（默认今天）")
            for spec in step.inputs:
                if spec.kind == "passed":
                    p.add_argument("--failed", action="store_true", help="复查不合格")
                elif spec.kind == "date":
                    p.add_argument(f"--{spec.name}", help=f"{spec.label}，YYYY-MM-DD")
                else:
                    p.add_argument(f"--{spec.name}", default="", help=spec.label)
        escalate = sub.add_parser("escalate", help="转执法处理")
        escalate.add_argument("id", type=int, help="隐患编号")
        escalate.add_argument("--kind", required=True, choices=EnforcementKind.values,
                              help="处理类型：" + "、".join(f"{v}={label}" for v, label in EnforcementKind.choices))
        escalate.add_argument("--basis", default="", help="法律依据：" + "、".join(
            f"{v}={label}" for v, label in LegalBasis.choices))
        escalate.add_argument("--on", help="决定日期，YYYY-MM-DD（默认今天）")
        escalate.add_argument("--fine", default="0", help="罚款金额（元）")
        escalate.add_argument("--stop-kind", default="", help="三停类型：" + "、".join(
            f"{v}={label}" for v, label in StopOrderKind.choices))
        escalate.add_argument("--number", default="", help="决定书文号")
        scan = sub.add_parser("scan-recurrence", help="为尚未关联的隐患查找并关联复发来源（导入数据后使用）")
        scan.add_argument("--months", type=int, help="复发判定月数（默认取设置 BRIGADE_RECURRENCE_MONTHS）")

    def handle(self, *args, action, user=None, **o):
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise HazardNotFound(NO_USER.format(name=user))
        if action == "scan-recurrence":
            self.stdout.write(f"新关联复发隐患 {recurrence_scan(months=o.get('months'), by=by)} 处。")
            return
        hazard = Hazard.objects.select_related("inspection", "unit").filter(pk=o["id"]).first()
        if hazard is None:
            raise HazardNotFound(NO_HAZARD.format(pk=o["id"]))
        on = parse_date(o["on"]) if o.get("on") else timezone.localdate()
        step = HAZARD_WORKFLOW.step(action)
        if step is not None:
            inputs = {}
            for spec in step.inputs:
                if spec.kind == "passed":
                    inputs[spec.name] = not o["failed"]
                elif spec.kind == "date":
                    inputs[spec.name] = parse_date(o[spec.name]) if o.get(spec.name) else None
                else:
                    inputs[spec.name] = o.get(spec.name) or ""
            step.run(hazard, by=by, expected_version=None, **{step.day: on}, **inputs)
        if action == "escalate":
            act = services.hazard_escalate(hazard=hazard, kind=o["kind"], legal_basis=o["basis"], decided_on=on,
                                           fine_amount=o["fine"], stop_kind=o["stop_kind"],
                                           decision_number=o["number"], by=by)
            self.stdout.write(f"已登记执法处理 #{act.pk}：{act}")
        self._show(hazard)

    def _show(self, hazard: Hazard) -> None:
        hazard.refresh_from_db()
        today = timezone.localdate()
        self.stdout.write(f"隐患#{hazard.pk} {hazard.unit.name} · {hazard.get_category_display()}"
                          f"{'（重大）' if hazard.is_major else ''}：{display_status(hazard, today)}")
        dates = [(label, getattr(hazard, name)) for name, label in Hazard.LABELS.items()]
        self.stdout.write("  " + "；".join(f"{label}{day}" for label, day in dates if day))
        if hazard.status == "found":
            self.stdout.write(f"  整改通知书应于{notice_due_on(hazard)}前送达")
        if hazard.status in ("ordered", "rectified") and reinspection_due_on(hazard):
            self.stdout.write(f"  应于{reinspection_due_on(hazard)}前复查")
        if hazard.recurrence_of_id:
            self.stdout.write(f"  复发自隐患#{hazard.recurrence_of_id}")
        for e in hazard.events.select_related("by").order_by("at", "pk"):
            who = e.by.get_username() if e.by else "系统"
            self.stdout.write(f"  {e.on} {e.get_kind_display()}（{who}，{timezone.localtime(e.at):%Y-%m-%d %H:%M}）"
                              f"{'：' + e.note if e.note else ''}")
