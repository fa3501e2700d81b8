"""Risk-based supervision figures: the backtest (N2), and the monthly draws done and overdue."""

from django.utils import timezone

from brigade.metrics.registry import Context, register
from brigade.risk.choices import DrawStatus
from brigade.risk.models import DrawItem


def _backtest(ctx: Context):
    from brigade.risk.backtest import backtest

    street_id = ctx.scope.pk if ctx.scope.kind == "street" else None
    brigade_ids = ctx.scope.brigade_ids if ctx.scope.filters_brigades else None
    return ctx.memo("risk.backtest", lambda: backtest(period=ctx.period, street_id=street_id, brigade_ids=brigade_ids))


@register("risk.high_hazards_per_inspection", "高风险单位每次检查发现隐患", "处",
          "期间内各月被检查单位按当月初风险等级分组，高风险单位每次检查发现的隐患数。")
def high_rate(ctx):
    return _backtest(ctx).rate("high")


@register("risk.low_hazards_per_inspection", "低风险单位每次检查发现隐患", "处",
          "同上，低风险单位每次检查发现的隐患数。")
def low_rate(ctx):
    return _backtest(ctx).rate("low")


@register("risk.random_hazards_per_inspection", "均匀随机抽取每次检查发现隐患", "处",
          "各月从全部检查中均匀随机抽取与高风险组同样多的检查（固定种子），每次检查发现的隐患数。")
def random_rate(ctx):
    return _backtest(ctx).rate("random")


@register("risk.backtest_lift", "风险分级命中倍数", "倍",
          "高风险单位每次检查发现隐患数 ÷ 均匀随机抽取每次检查发现隐患数；大于1说明按风险抽查发现更多隐患。")
def lift(ctx):
    return _backtest(ctx).lift


def _drawn(ctx: Context):
    rows = DrawItem.objects.filter(draw__status=DrawStatus.ACTIVE,
                                   draw__month__range=(ctx.period.start, ctx.period.end))
    return ctx.scoped(rows, street="street")


@register("risk.draw_checks", "双随机抽查户数", "户", "期间内各月有效双随机抽查名单的户数合计。")
def draw_checks(ctx):
    return _drawn(ctx).count()


@register("risk.draw_overdue", "双随机抽查逾期未检查", "户",
          "期间内抽中的单位，到当月最后一个工作日（或今天）仍没有监督检查记录的户数。")
def draw_overdue(ctx):
    from brigade.risk.selectors import checked_in_month

    today = timezone.localdate()
    return _drawn(ctx).filter(draw__due_on__lt=today).annotate(done=checked_in_month()).filter(done=False).count()


def _graded(ctx: Context, level: str) -> int:
    from brigade.risk.models import UnitRisk

    return ctx.scoped(UnitRisk.objects.filter(level=level), street="street").count()


# The grades as they stand now (the latest ``brigade risk grade``), whatever the period asked.
@register("risk.units_high", "高风险单位（当前）", "家", "最近一次风险评定为高风险（红）的社会单位数。", stock=True)
def units_high(ctx):
    return _graded(ctx, "high")


@register("risk.units_medium", "中风险单位（当前）", "家", "最近一次风险评定为中风险（黄）的社会单位数。", stock=True)
def units_medium(ctx):
    return _graded(ctx, "medium")


@register("risk.units_low", "低风险单位（当前）", "家", "最近一次风险评定为低风险（绿）的社会单位数。", stock=True)
def units_low(ctx):
    return _graded(ctx, "low")
