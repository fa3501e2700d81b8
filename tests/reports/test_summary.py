"""The work summary written from the hand-built brigade: sentences, traceability, files, redaction."""

import re

import pytest
from docx import Document as open_docx

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE
from brigade.reports.compose import compose_summary
from brigade.reports.facts import gather_facts
from brigade.reports.service import NoDataError, explain_lines, report_document, report_generate

pytestmark = pytest.mark.django_db
YEAR = parse_period("2025")


def _text(document) -> str:
    return "\n".join([document.title, *(b.text for b in document.blocks), *document.signature])


def test_structure_follows_the_official_summary(town):
    document, _ = report_document(period=YEAR, scope=BRIGADE)
    assert document.title == "测试大队2025年工作总结"
    heads = [b.text for b in document.blocks if b.kind == "heading1"]
    assert heads == ["一、2025年工作开展情况", "二、存在的问题和不足", "三、2026年工作计划"]
    subheads = [b.text for b in document.blocks if b.kind == "heading2"]
    assert subheads[0].startswith("（一）")


def test_sentences_carry_the_figures(town):
    document, _ = report_document(period=YEAR, scope=BRIGADE)
    text = _text(document)
    assert "全年共检查单位3家次，同比上升200%，督促整改火灾隐患和违法行为3处" in text
    assert "共接处警3起，同比上升200%，其中火灾扑救2起、抢险救援1起，出动车辆4辆次" in text
    assert "通过饮酒管控系统抽查3次、42人次" in text
    assert "组织开展“春季攻坚”，检查单位1家，整改隐患1处，处罚单位1家。" in text
    # No data, no sentence: the brigade recorded no drills in 2025.
    assert "实战演练" not in text


def test_every_number_printed_is_traced_to_a_source(town):
    document, _ = report_document(period=YEAR, scope=BRIGADE)
    # The period itself is a source: its years and its last day.
    period_numbers = {2025.0, 2026.0, 12.0, 31.0, 1.0}
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        sources = [float(v) for v in block.sources.values() if _is_number(v)]
        text = block.text
        for minutes, seconds in re.findall(r"(\d+)分(\d+)秒", text):  # durations trace as whole seconds
            assert any(abs(int(minutes) * 60 + int(seconds) - round(v)) < 1 for v in sources), text
        text = re.sub(r"\d+分\d+秒", "", text)
        for number, scale, pct in re.findall(r"(\d+(?:\.\d+)?)(万|亿)?(%)?", text):
            printed = float(number)
            if pct:  # a percentage is computed from a traced value and its traced year-earlier value
                assert any(k.endswith("@去年同期") for k in block.sources) or sources, block.text
                continue
            factor = {"万": 1e4, "亿": 1e8}.get(scale, 1)
            places = len(number.partition(".")[2])
            ok = printed in period_numbers or any(
                abs(printed - int(s / factor * 10**places) / 10**places) < 1e-9
                or abs(printed - round(s / factor, places)) < 1e-9 for s in sources)
            assert ok, f"{number}{scale} in “{block.text}” has no source among {block.sources}"


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def test_explain_lists_codes_and_values(town):
    document, _ = report_document(period=YEAR, scope=BRIGADE)
    lines = explain_lines(document)
    assert "    └ supervision.units_inspected = 3" in lines
    assert "    └ supervision.units_inspected@去年同期 = 1" in lines


def test_docx_and_its_redacted_twin(town, tmp_path):
    out = report_generate(period=YEAR, scope=BRIGADE, out=tmp_path / "summary.docx").path
    body = "\n".join(p.text for p in open_docx(out).paragraphs)
    assert "测试大队2025年工作总结" in body
    twin = report_generate(period=YEAR, scope=BRIGADE, out=tmp_path / "twin.docx", redact=True).path
    redacted = "\n".join(p.text for p in open_docx(twin).paragraphs)
    assert not re.search(r"\d", redacted)
    for name in ("甲街道", "乙镇", "测试单位1号", "甲站", "幸福小区"):
        assert name not in redacted
    assert "检查单位*家次" in redacted


def test_markdown_html_and_appendix(town, tmp_path):
    from openpyxl import load_workbook

    md = report_generate(period=YEAR, scope=BRIGADE, out=tmp_path / "s.md").path.read_text(encoding="utf-8")
    assert md.startswith("# 测试大队2025年工作总结")
    html = report_generate(period=YEAR, scope=BRIGADE, out=tmp_path / "s.html").path.read_text(encoding="utf-8")
    assert "<h1" in html and "测试大队" in html
    xlsx = report_generate(period=YEAR, scope=BRIGADE, out=tmp_path / "s.xlsx").path
    rows = {r[0].value: r for r in load_workbook(xlsx).active.iter_rows(min_row=3)}
    assert rows["response.alarms"][5].value == 3 and rows["response.alarms"][6].value == 1


def test_empty_period_is_refused(town, tmp_path):
    with pytest.raises(NoDataError) as err:
        report_generate(period=parse_period("2019"), scope=BRIGADE, out=tmp_path / "x.docx")
    assert "没有任何业务数据" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_a_brigade_template_overrides_the_shipped_one(town, tmp_path):
    (tmp_path / "summary.md.j2").write_text("# {{ title }}\n\n## 概况\n\n检查{{ n('supervision.units_inspected') }}。\n",
                                            encoding="utf-8")
    document = compose_summary(gather_facts(YEAR, BRIGADE), override_dir=tmp_path)
    assert [b.text for b in document.blocks] == ["一、概况", "检查3家次。"]


def test_a_broken_template_names_its_line(town, tmp_path):
    from brigade.reports.errors import TemplateError

    (tmp_path / "summary.md.j2").write_text("# {{ title }}\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        compose_summary(gather_facts(YEAR, BRIGADE), override_dir=tmp_path)
    assert "summary.md.j2" in str(err.value) and "第3行" in str(err.value)
