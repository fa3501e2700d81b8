"""Findings of risk-based supervision: what the backtest says about targeting (Part 3 N2)."""

from brigade.core.findings import Finding, finding_provider, partial
from brigade.risk.backtest import backtest

# Fewer inspections of high-risk units than this in the period say nothing either way.
MIN_INSPECTIONS = 10


@finding_provider("risk.backtest")
def backtest_finding(period, scope) -> list[Finding]:
    street_id = scope.pk if scope is not None and scope.kind == "street" else None
    result = backtest(period=period, street_id=street_id,
                      brigade_ids=scope.brigade_ids if partial(scope) else None)
    n_high, _ = result.total("high")
    high, low, rand, lift = result.rate("high"), result.rate("low"), result.rate("random"), result.lift
    if n_high < MIN_INSPECTIONS or high is None or rand is None:
        return []
    figures = (f"{period.label}各月按月初风险等级回测，高风险单位每次检查发现隐患{high}处，"
               f"低风险单位{low if low is not None else '—'}处，同样数量的均匀随机抽查{rand}处")
    metrics = {"high": high, "random": rand, "lift": lift or 0.0, "high_inspections": n_high}
    if low is not None:
        metrics["low"] = low
    evidence = [{"月份": m.month, **{f"{label}检查": m.inspections[g] for g, label in
                                   (("high", "高风险"), ("low", "低风险"), ("random", "均匀随机"))},
                 **{f"{label}隐患": m.hazards[g] for g, label in
                    (("high", "高风险"), ("low", "低风险"), ("random", "均匀随机"))}} for m in result.months]
    if lift is not None and lift > 1:
        statement = (f"{figures}，是随机抽查的{lift}倍。下一步双随机抽查继续按风险等级加权抽取，"
                     "重点单位按周期检查，把有限的监督力量用在风险最高的单位。")
        return [Finding(code="risk.backtest", severity="low", statement=statement, part="N2", metrics=metrics,
                        evidence=evidence)]
    statement = f"{figures}，风险分级未能比随机抽查发现更多隐患，需调整风险分级细则的权重后再用于双随机抽取。"
    return [Finding(code="risk.backtest", severity="medium", statement=statement, part="N2", metrics=metrics,
                    evidence=evidence)]
