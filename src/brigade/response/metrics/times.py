"""Response-time figures (E6 and the dashboard): percentiles of each interval, the 5-minute standard,
first-due performance, simultaneous incidents, vehicle workload, fire grades and data quality.

Every figure comes from one ``incident_stats`` run per period and scope (memoised on the context),
so the CLI, the report and the dashboard print the same numbers.
"""

from django.core.signals import setting_changed

from brigade.analysis.response_stats import percentile_key
from brigade.metrics.registry import Context, Metric, forget_dynamic, register, register_dynamic
from brigade.response.quality import CHECKS
from brigade.response.rules import percentiles
from brigade.response.stats import INTERVAL_LABELS, incident_stats

ALL_SCOPES = ("brigade", "street", "station")


def stats(ctx: Context) -> dict:
    return ctx.memo("incident_stats", lambda: incident_stats(ctx.period, ctx.scope, record_limit=0))


def _pct(share):
    return None if share is None else round(100 * share, 1)


def percentile_code(q: float, interval: str) -> str:
    return f"response.{percentile_key(q)}_{interval}_s"


def _interval_metric(name: str, label: str, q: float) -> Metric:
    short, key = label.split("（")[0], percentile_key(q)
    return Metric(percentile_code(q, name), f"{short}时间第{q:g}百分位", "秒",
                  f"期间内警情“{label}”时段的第{q:g}百分位数（单起警情取首车；线性插值）；无数据时为空。",
                  lambda ctx: stats(ctx)["summary"][key][name], "E6", frozenset(ALL_SCOPES))


def _percentile_metrics():
    """One metric per interval and configured percentile (``rules.json``: ``percentiles``, 50 and 90 as shipped)."""
    return [_interval_metric(name, label, q) for q in percentiles() for name, label in INTERVAL_LABELS.items()]


register_dynamic(_percentile_metrics)
# The percentiles are configuration: a changed setting (tests, a reloaded server) is seen at once.
setting_changed.connect(forget_dynamic, dispatch_uid="metrics-forget-percentiles-on-settings")


@register("response.within_standard_pct", "5分钟到场率", "%",
          "首车到场时间减出动指令时间不超过5分钟（建标152-2017，可配置）的警情占有到场时间警情的比例。",
          seed_ref="E6", scopes=ALL_SCOPES)
def within_standard_pct(ctx):
    return _pct(stats(ctx)["summary"]["within_standard_share"])


@register("response.travel_within_pct", "行车4分钟到场率", "%",
          "首车行车时间（出车→到场）不超过4分钟（可配置）的警情占比。", seed_ref="E6", scopes=ALL_SCOPES)
def travel_within_pct(ctx):
    return _pct(stats(ctx)["summary"]["travel_within_share"])


@register("response.first_due_first_pct", "辖区站首先到场率", "%",
          "辖区站（当前按直线距离最近判定）的车辆最先到场的警情占可判定警情的比例。", seed_ref="E6", scopes=ALL_SCOPES)
def first_due_first_pct(ctx):
    return _pct(stats(ctx)["first_due"]["share"])


@register("response.simultaneous_calls", "同时段警情", "起",
          "接警时已有其他警情尚未结束（归队）的警情起数。", seed_ref="E6", scopes=ALL_SCOPES)
def simultaneous_calls(ctx):
    return stats(ctx)["simultaneous"]["simultaneous_calls"]


@register("response.peak_concurrent", "最多同时处置警情", "起", "期间内同一时刻正在处置的警情数的最大值。",
          seed_ref="E6", scopes=ALL_SCOPES)
def peak_concurrent(ctx):
    return stats(ctx)["simultaneous"]["peak"]


@register("response.vehicle_busy_hours", "车辆出动时长", "小时",
          "期间内各车辆从出动指令到归队的时长合计（消防站范围只计本站车辆）。", seed_ref="E6", scopes=ALL_SCOPES)
def vehicle_busy_hours(ctx):
    rows = stats(ctx)["vehicles"]
    if ctx.scope.kind == "station":
        rows = [v for v in rows if v["station"] == ctx.scope.name]
    return round(sum(v["busy_hours"] for v in rows), 1)


def _grade_metric(code: str):
    from brigade.analysis.fire_grade import GRADE_LABELS

    label = GRADE_LABELS[code]
    register(f"response.fires_{code}", label, "起", f"期间内按起火日期适用的火灾等级标准认定为{label}的起数。",
             seed_ref="E6")(lambda ctx: stats(ctx)["fire_grades"]["counts"][code])


for _grade in ("especially_serious", "serious", "major", "ordinary", "minor"):
    _grade_metric(_grade)


def _quality_metric(code: str, label: str):
    register(f"response.quality_{code}", label, "起", f"数据质量检查：{label}的起数（记录见 brigade incidents stats）。",
             scopes=ALL_SCOPES)(lambda ctx: next(q["count"] for q in stats(ctx)["quality"] if q["code"] == code))


for _code, (_, _qlabel) in CHECKS.items():
    _quality_metric(_code, _qlabel)
