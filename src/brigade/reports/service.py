"""report_generate: the one entry point the CLI, the web and the API call to write a summary."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from brigade.core.errors import UserError
from brigade.core.files import atomic_output
from brigade.core.period import Period
from brigade.core.scope import Scope
from brigade.metrics.rows import metric_rows
from brigade.reports.compose import compose_summary
from brigade.reports.document import Document
from brigade.reports.facts import gather_facts
from brigade.reports.workbook import write_metrics_xlsx

FORMATS = {".docx": "docx", ".md": "md", ".html": "html", ".xlsx": "xlsx"}


class NoDataError(UserError):
    pass


@dataclass
class ReportResult:
    path: Path
    document: Document


def override_dir() -> Path:
    """Where a brigade puts its own templates (var/templates/), searched before the shipped ones."""
    return settings.VAR_DIR / "templates"


def report_document(*, period: Period, scope: Scope, redact: bool = False) -> tuple[Document, list[dict]]:
    facts = gather_facts(period, scope)
    if not facts.metrics.has_data:
        raise NoDataError(f"{scope.label}{period.label}没有任何业务数据，无法生成工作总结。")
    if scope.kind == "detachment":
        from brigade.reports.detachment import compose_detachment

        document = compose_detachment(facts, override_dir=override_dir())
    else:
        document = compose_summary(facts, override_dir=override_dir())
    if redact:
        from brigade.reports.redact import redact_document

        document = redact_document(document)
    return document, metric_rows(facts.metrics)


def report_generate(*, period: Period, scope: Scope, out: str | Path, redact: bool = False,
                    fmt: str | None = None) -> ReportResult:
    """Write the summary (or its metrics appendix) to ``out``; nothing is left behind on failure."""
    out = Path(out)
    fmt = fmt or FORMATS.get(out.suffix.lower())
    if fmt not in FORMATS.values():
        raise UserError(f"无法识别输出格式“{out.suffix or out.name}”，请使用 .docx、.md、.html 或 .xlsx。")
    if not out.parent.is_dir():
        raise UserError(f"无法写入“{out}”：文件夹“{out.parent}”不存在。")
    document, rows = report_document(period=period, scope=scope, redact=redact)
    if fmt == "docx":
        from brigade.reports.docx_writer import write_docx

        write_docx(document, out)
    elif fmt == "xlsx":
        title = f"{document.title}（指标附表）"
        if redact:
            from brigade.reports.redact import redact_text

            title = redact_text(title, document.sensitive_names)
        write_metrics_xlsx(rows, out, title=title)
    else:
        from brigade.reports.preview import to_html, to_markdown

        text = to_markdown(document) if fmt == "md" else to_html(document)
        with atomic_output(out) as tmp:
            tmp.write_text(text, encoding="utf-8")
    return ReportResult(out, document)


def explain_lines(document: Document) -> list[str]:
    """Per block: its text and the metric codes and values it used."""
    lines = []
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        lines.append(block.text)
        for code, value in block.sources.items():
            lines.append(f"    └ {code} = {value}")
    return lines
