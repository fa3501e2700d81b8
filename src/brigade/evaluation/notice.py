"""The month's evaluation bulletin (考评通报) as a Document, written to Word in the official format."""

import datetime as dt
from pathlib import Path

from brigade.evaluation.models import EvaluationRun, RubricTarget
from brigade.evaluation.services import evaluation_trend, fmt
from brigade.reports.document import Block, Document

CLOSING = (
    "各{target}要对照扣分项目逐项分析原因、限期整改，举一反三堵塞漏洞；排名靠后的{target}要主动查找差距，"
    "主要负责同志要亲自研究部署，确保下月考评有明显提升。大队将持续跟踪通报整改情况。"
)


def _points(value) -> str:
    return fmt(value)


def evaluation_notice(*, run: EvaluationRun, issued_on: dt.date | None = None) -> Document:
    """The bulletin: results with month-on-month trend, every deduction with its reason, requirements."""
    target = RubricTarget(run.rubric.target).label
    month = f"{run.month.year}年{run.month.month}月"
    rows = evaluation_trend(run=run)
    issuer = run.brigade.name  # the run's own brigade issues its bulletin
    doc = Document(title=f"关于{month}{target}消防工作考评情况的通报")
    doc.sensitive_names.update(r.name for r in rows)
    doc.blocks.append(Block("paragraph", f"根据《{run.rubric.name}》，{issuer}对{len(rows)}个{target}{month}"
                                         f"消防工作进行了考评（满分{_points(run.rubric.total_points)}分），"
                                         "现将有关情况通报如下。"))
    doc.blocks.append(Block("heading1", "一、考评结果"))
    for r in rows:
        change = "" if r.change is None else f"，较上月{'增加' if r.change >= 0 else '减少'}{_points(abs(r.change))}分"
        doc.blocks.append(Block("paragraph", f"第{r.rank}名：{r.name}，{_points(r.score)}分{change}，{r.trend}。",
                                sources={"score": float(r.score), "rank": r.rank}))
    doc.blocks.append(Block("heading1", "二、扣分情况"))
    deducted = [r for r in rows if r.deductions]
    if not deducted:
        doc.blocks.append(Block("paragraph", f"本月各{target}均未扣分。"))
    for n, r in enumerate(deducted, start=1):
        total = sum(d.points for d in r.deductions)
        parts = "；".join(f"{d.reason}，扣{_points(d.points)}分" for d in r.deductions)
        doc.blocks.append(Block("paragraph", f"（{n}）{r.name}共扣{_points(total)}分。{parts}。"))
    doc.blocks.append(Block("heading1", "三、工作要求"))
    doc.blocks.append(Block("paragraph", CLOSING.format(target=target)))
    day = issued_on or dt.date.today()
    doc.signature = [issuer, f"{day.year}年{day.month}月{day.day}日"]
    return doc


def evaluation_write_notice(*, run: EvaluationRun, path: str | Path, redact: bool = False,
                            issued_on: dt.date | None = None) -> Path:
    """Write the bulletin as .docx (GB/T 9704 format, via brigade.reports.docx_writer)."""
    from brigade.reports.docx_writer import write_docx

    return write_docx(evaluation_notice(run=run, issued_on=issued_on), path, redact=redact)
