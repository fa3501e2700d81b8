"""The month's draw published as a notice (通知): the list, the seed and how to re-draw it."""

import datetime as dt
from collections import Counter
from pathlib import Path

from brigade.core.tenancy import several_brigades
from brigade.reports.document import Block, Document
from brigade.risk.choices import DrawReason, RiskLevel
from brigade.risk.models import Draw

METHOD = ("本次抽取以随机种子 {seed} 为起点：重点单位按检查周期（{cycle} 个月）到期的先行列入，其余名额按风险等级"
          "加权随机抽取（高、中、低风险权重 {weights}），{window} 个月内已抽中的单位不再抽取（高风险单位除外）；"
          "每户随机选派两名防火监督员，回避本人申报的镇街和单位。抽取所用数据的摘要为 {digest}，"
          "任何人可用 brigade draw --month {month}{brigade_option} --verify 按同一种子复核名单。")
REQUIREMENTS = ("各检查组要在 {due} 前完成检查并录入系统，检查中发现的火灾隐患依法责令改正、跟踪复查；"
                "检查结果依法向社会公开。")


def draw_notice(*, draw: Draw, issued_on: dt.date | None = None) -> Document:
    """The notice of the draw's own brigade (its name signs it; with several brigades in the database
    the command to re-check names the brigade too)."""
    month = f"{draw.month.year}年{draw.month.month}月"
    items = list(draw.items.select_related("unit", "street", "inspector_a", "inspector_b").order_by("order"))
    issuer = draw.brigade.name
    doc = Document(title=f"关于公布{month}“双随机、一公开”消防监督抽查名单的通知")
    doc.sensitive_names.update(i.unit.name for i in items)
    doc.sensitive_names.update(i.street.name for i in items)
    doc.sensitive_names.update(p.name for i in items for p in (i.inspector_a, i.inspector_b) if p)
    levels = Counter(i.level for i in items)
    due = sum(1 for i in items if i.reason == DrawReason.DUE)
    by_level = "、".join(f"{lv.label}风险 {levels.get(lv.value, 0)} 户" for lv in RiskLevel)
    doc.blocks.append(Block("paragraph", f"根据“双随机、一公开”监管工作要求，{issuer}于{draw.created_at:%Y年%m月%d日}"
                                         f"抽取{month}消防监督抽查对象 {len(items)} 户（{by_level}；其中重点单位周期到期 "
                                         f"{due} 户），由 {draw.officers} 名防火监督员两人一组实施检查。现将名单公布如下。",
                            sources={"checks": len(items), "seed": draw.seed}))
    if draw.reason:
        doc.blocks.append(Block("paragraph", f"本名单为重新抽取结果，理由：{draw.reason}。原名单作废并存档备查。"))
    doc.blocks.append(Block("heading1", "一、抽查名单"))
    for i in items:
        people = "、".join(p.name for p in (i.inspector_a, i.inspector_b) if p) or "待指派"
        doc.blocks.append(Block("paragraph", f"{i.order}. {i.unit.name}（{i.street.name}，{i.get_level_display()}风险，"
                                             f"{i.get_reason_display()}）：检查人员 {people}。"))
    doc.blocks.append(Block("heading1", "二、抽取方法"))
    inputs = draw.inputs or {}
    weights = "、".join(f"{inputs.get('weights', {}).get(lv.value, 0):g}" for lv in RiskLevel)
    doc.blocks.append(Block("paragraph", METHOD.format(
        seed=draw.seed, cycle=inputs.get("cycle_months", "—"), weights=weights, window=inputs.get("window_months", "—"),
        digest=draw.digest[:16], month=f"{draw.month:%Y-%m}",
        brigade_option=f" --brigade {issuer}" if several_brigades() else "")))
    doc.blocks.append(Block("heading1", "三、工作要求"))
    doc.blocks.append(Block("paragraph", REQUIREMENTS.format(due=f"{draw.due_on.year}年{draw.due_on.month}月"
                                                                 f"{draw.due_on.day}日")))
    day = issued_on or draw.created_at.date()
    doc.signature = [issuer, f"{day.year}年{day.month}月{day.day}日"]
    return doc


def draw_write_notice(*, draw: Draw, path: str | Path, redact: bool = False) -> Path:
    """The notice as .docx (GB/T 9704 format); ``redact`` writes the redacted twin."""
    from brigade.reports.docx_writer import write_docx

    return write_docx(draw_notice(draw=draw), path, redact=redact)
