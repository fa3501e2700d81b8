"""``brigade evaluate --month 2025-03 [--brigade 名称]``: score one brigade's streets and departments,
rank, trend, write the bulletin. ``--brigade`` is needed when the database holds several brigades."""

from pathlib import Path

from brigade.core.commands import BrigadeCommand
from brigade.core.tenancy import several_brigades
from brigade.evaluation.models import Rubric, RubricTarget
from brigade.evaluation.notice import evaluation_write_notice
from brigade.evaluation.services import (
    EvaluationError,
    evaluation_run,
    evaluation_trend,
    fmt,
    has_targets,
    parse_month,
    run_brigade,
)

NO_RUBRIC = "没有启用的考评细则，请先在管理后台建立考评细则。"
UNKNOWN_RUBRIC = "没有名为“{name}”的考评细则。"


class Command(BrigadeCommand):
    help = "月度考评：按考评细则为镇街、行业部门评分排名，与上月比较，可生成考评通报（.docx）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--month", required=True, help="考评月份，例如 2025-03")
        parser.add_argument("--brigade", help="大队名称（系统中有多个大队时必填；只有一个大队时可省略）")
        parser.add_argument("--rubric", help="考评细则名称（默认全部启用的细则）")
        parser.add_argument("--docx", help="考评通报输出目录或文件（.docx）")
        parser.add_argument("--redact", action="store_true", help="通报脱敏（名称替换为**）")

    def handle(self, *args, month, brigade=None, rubric=None, docx=None, redact=False, **options):
        period = parse_month(month)
        brigade = run_brigade(brigade)
        who = brigade.name if several_brigades() else ""  # named only where there is more than one
        rubrics = Rubric.objects.filter(is_active=True)
        if rubric:
            rubrics = Rubric.objects.filter(name=rubric)
            if not rubrics.exists():
                raise EvaluationError(UNKNOWN_RUBRIC.format(name=rubric))
        if not rubrics.exists():
            raise EvaluationError(NO_RUBRIC)
        for r in rubrics:
            if not has_targets(r, brigade):
                self.stdout.write(f"提示：{who}没有可考评的{RubricTarget(r.target).label}，跳过《{r.name}》。")
                continue
            run = evaluation_run(rubric=r, month=period, brigade=brigade)
            self.stdout.write(f"{who}{period.label} {r.name}（{RubricTarget(r.target).label}，满分{fmt(r.total_points)}分）")
            for row in evaluation_trend(run=run):
                self.stdout.write(f"  {row.rank:>2}. {row.name}  {fmt(row.score)}分  {row.trend}")
                for d in row.deductions:
                    self.stdout.write(f"      扣{fmt(d.points)}分：{d.reason}")
            for warning in run.warnings:
                self.stdout.write(f"  提示：{warning}")
            if docx:
                target = Path(docx)
                if target.suffix.lower() != ".docx":
                    target = target / f"考评通报_{who + '_' if who else ''}{period.key}_{r.name}{'_脱敏' if redact else ''}.docx"
                target.parent.mkdir(parents=True, exist_ok=True)
                written = evaluation_write_notice(run=run, path=target, redact=redact)
                self.stdout.write(f"  考评通报：{written}")
