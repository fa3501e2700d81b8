"""Redaction: digits → *, keeping the count; sensitive names → **, longest first."""

import re

from brigade.reports.document import Block, Document
from brigade.reports.redact import redact_document, redact_text


def test_each_digit_becomes_a_star_keeping_the_count():
    assert redact_text("检查单位2731家，发放资料1.2万余份") == "检查单位****家，发放资料*.*万余份"
    assert redact_text("全角数字３８份") == "全角数字**份"


def test_chinese_numerals_stay():
    assert redact_text("（一）二十大安保，三等功1人") == "（一）二十大安保，三等功*人"


def test_years_are_masked_unless_kept():
    assert redact_text("2025年检查1200家") == "****年检查****家"
    assert redact_text("2025年检查1200家，12025年", keep_years=True) == "2025年检查****家，*****年"


def test_names_longest_first():
    names = {"兰山", "兰山街道", "河东路"}
    assert redact_text("兰山街道和兰山镇，河东路", names) == "**和**镇，**"


def test_names_are_literal_and_blank_names_ignored():
    names = {"a.b(1)", "", "   "}
    assert redact_text("单位a.b(1)与axb(1)", names) == "单位**与axb(*)"


def test_names_with_digits_are_replaced_before_digits():
    assert redact_text("第1中学检查3次", {"第1中学"}) == "**检查*次"


def test_document_redaction(sample_document):
    original_title = sample_document.title
    twin = redact_document(sample_document)
    texts = [twin.title, *(b.text for b in twin.blocks), *twin.signature]
    joined = "\n".join(texts)
    assert not re.search(r"\d", joined)
    for name in sample_document.sensitive_names:
        assert name not in joined
    assert twin.title == "青石区消防救援大队****年工作总结"
    assert twin.signature == ["青石区消防救援大队", "****年*月*日"]
    # Sources: values redacted, names gone from keys, metric codes kept.
    sources = twin.blocks[3].sources
    assert sources == {"responsibility.committee_meetings": "*", "campaign:**行动:units": "**"}
    # The original is unchanged; the twin holds no names and redacting again changes nothing.
    assert sample_document.title == original_title
    assert "2731" in sample_document.blocks[0].text
    assert twin.sensitive_names == set()
    again = redact_document(twin)
    assert [b.text for b in again.blocks] == [b.text for b in twin.blocks]


def test_empty_document():
    twin = redact_document(Document(title=""))
    assert twin.title == "" and twin.blocks == [] and twin.signature == []


def test_kinds_are_kept():
    doc = Document("标题1", [Block("heading1", "一、1"), Block("heading2", "（一）2")])
    assert [(b.kind, b.text) for b in redact_document(doc).blocks] == [("heading1", "一、*"), ("heading2", "（一）*")]
