"""The detachment's summary: the detachment template, a per-brigade table, problems from the
comparison, the GB/T 9704 Word file and its redacted twin."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document as open_docx

from brigade.core.period import parse_period
from brigade.core.scope import DETACHMENT, parse_scope
from brigade.reports.service import report_document, report_generate

pytestmark = pytest.mark.django_db
YEAR = parse_period("2025")


@pytest.fixture
def detachment(db):
    from brigade.demo.detachment import PROFILES, build_brigade
    from brigade.org.models import Brigade, Street

    for profile in PROFILES:
        build_brigade(profile, seed=5, years=[2024, 2025], until=dt.date(2025, 12, 31), scale=0.06,
                      data_dir=Path(settings.BRIGADE_DATA_DIR))
    quiet = Brigade.objects.create(name="新建大队", detachment="临沂市消防救援支队")
    Street.objects.create(brigade=quiet, name="新建街道")


def test_detachment_summary_has_the_table_and_the_problems(detachment):
    document, _ = report_document(period=YEAR, scope=DETACHMENT)
    assert document.title == "临沂市消防救援支队2025年工作总结"
    heads = [b.text for b in document.blocks if b.kind == "heading1"]
    assert heads == ["一、2025年工作开展情况", "二、存在的问题和不足", "三、2026年工作计划"]
    (table,) = [b for b in document.blocks if b.kind == "table"]
    assert table.rows[0][0] == "大队" and table.rows[-1][0] == "全支队中位数"
    by_name = {row[0]: row for row in table.rows[1:-1]}
    assert set(by_name) == {"兰山区消防救援大队（演示）", "沂水县消防救援大队（演示）", "罗庄区消防救援大队（演示）", "新建大队"}
    assert set(by_name["新建大队"][1:]) == {"无数据"}
    text = "\n".join(b.text for b in document.blocks)
    assert "所属4个大队" in text and "全支队共接处警" in text
    # The detachment's figures are the union of the brigades' records.
    from brigade.metrics.registry import compute

    alarms = sum(compute(YEAR, parse_scope(f"brigade:{n}"), ["response.alarms"], with_previous=False)
                 .value("response.alarms") for n in by_name)
    assert f"全支队共接处警{alarms}起" in text
    # Every table figure is traced to the comparison.
    assert any(k.startswith("compare:罗庄区消防救援大队（演示）:hazards_overdue") for k in table.sources)


def test_word_file_and_redacted_twin(detachment, tmp_path):
    out = report_generate(period=YEAR, scope=DETACHMENT, out=tmp_path / "支队.docx").path
    doc = open_docx(out)
    assert doc.paragraphs[0].text == "临沂市消防救援支队2025年工作总结"
    (table,) = doc.tables
    assert table.rows[0].cells[0].text == "大队" and len(table.rows) == 6
    twin = open_docx(report_generate(period=YEAR, scope=DETACHMENT, out=tmp_path / "twin.docx", redact=True).path)
    cells = [c.text for t in twin.tables for row in t.rows for c in row.cells]
    body = "\n".join([p.text for p in twin.paragraphs] + cells)
    assert not re.search(r"\d", body)
    from brigade.org.models import Street

    for name in Street.objects.values_list("name", flat=True)[:20]:
        assert name not in body
    # Brigades stay named (a district that shares its name with a street, 兰山, is masked with it).
    assert "沂水县消防救援大队（演示）" in body and "**区消防救援大队（演示）" in body
    md = report_generate(period=YEAR, scope=DETACHMENT, out=tmp_path / "s.md").path.read_text(encoding="utf-8")
    assert "| 大队 |" in md and "|---|" in md
