"""``brigade draw --month 2026-01 [--brigade 名称]``: a brigade's 双随机 list for the month, its notice,
and re-drawing from the seed. ``--brigade`` is needed when the database holds several brigades."""

from pathlib import Path

from brigade.core.commands import BrigadeCommand
from brigade.core.tenancy import several_brigades
from brigade.risk.notice import draw_write_notice
from brigade.risk.services.draw import DrawError, draw_for, draw_month, draw_verify


class Command(BrigadeCommand):
    help = "双随机抽查：按风险等级抽取当月检查对象并随机配对检查人员，生成公布通知（.docx 及脱敏版）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--month", required=True, help="抽查月份，例如 2026-01")
        parser.add_argument("--brigade", help="大队名称（系统中有多个大队时必填；只有一个大队时可省略）")
        parser.add_argument("--seed", help="随机种子（默认随机生成并公布）")
        parser.add_argument("--checks", type=int, help="抽查户数（默认：监督员人数 × 每人每月户数 ÷ 2）")
        parser.add_argument("--redraw", action="store_true", help="该月已有名单时重新抽取（原名单保留在历史中）")
        parser.add_argument("--reason", default="", help="重新抽取的理由（--redraw 时必填）")
        parser.add_argument("--verify", action="store_true", help="按公布的种子重新抽取，核对已公布的名单")
        parser.add_argument("--docx", help="公布通知输出目录或文件（.docx），同时生成脱敏版")

    def handle(self, *args, month, brigade=None, seed=None, checks=None, redraw=False, reason="", verify=False,
               docx=None, **options):
        several = several_brigades()  # name the brigade only where there is more than one
        if verify:
            draw = draw_for(month, brigade)
            who = draw.brigade.name if several else ""
            if not draw_verify(draw=draw):
                raise DrawError(f"{who}{draw}：按种子 {draw.seed} 重新抽取的名单与公布名单不一致（数据或程序已被改动）。")
            self.stdout.write(f"{who}{draw}：按种子 {draw.seed} 重新抽取的名单与公布名单一致。")
            return
        draw = draw_month(month=month, brigade=brigade, seed=seed, checks=checks, redraw=redraw, reason=reason)
        who = draw.brigade.name if several else ""
        self.stdout.write(f"{who}{draw}：抽取 {draw.checks} 户，{draw.officers} 名监督员，完成期限 {draw.due_on}。")
        for item in draw.items.select_related("unit", "street", "inspector_a", "inspector_b").order_by("order"):
            people = "、".join(p.name for p in (item.inspector_a, item.inspector_b) if p) or "待指派"
            self.stdout.write(f"  {item.order:>3}. [{item.get_level_display()}] {item.unit.name}（{item.street.name}）"
                              f"  {people}")
        for warning in draw.warnings:
            self.stdout.write(f"提示：{warning}")
        if docx:
            target = Path(docx)
            if target.suffix.lower() != ".docx":
                target = target / f"双随机抽查名单_{who + '_' if who else ''}{draw.month:%Y-%m}.docx"
            target.parent.mkdir(parents=True, exist_ok=True)
            written = draw_write_notice(draw=draw, path=target)
            twin = draw_write_notice(draw=draw, path=target.with_name(f"{target.stem}_脱敏.docx"), redact=True)
            self.stdout.write(f"公布通知：{written}\n脱敏版：{twin}")
