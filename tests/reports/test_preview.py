"""Markdown and HTML previews: structure, escaping, redaction, run-in headings."""

import re

from brigade.reports.document import Block, Document
from brigade.reports.preview import split_lead, to_html, to_markdown


def test_split_lead():
    assert split_lead("（一）强化责任落实。召开会议3次。") == ("kai", "（一）强化责任落实。", "召开会议3次。")
    assert split_lead("1.压实责任。每月考评。") == ("bold", "1.压实责任。", "每月考评。")
    assert split_lead("1．压实责任！每月考评。")[0] == "bold"
    assert split_lead("**.压实责任。每月考评。")[0] == "bold"  # the redacted twin keeps its look
    # Not a lead: a number, a lone sentence, a sentence too long to be a heading.
    assert split_lead("1.2万余份资料已发放。")[0] is None
    assert split_lead("（一）强化责任落实。")[0] is None
    assert split_lead("（一）" + "很" * 70 + "。后文")[0] is None
    assert split_lead("全年检查。")[0] is None


def test_markdown_structure(sample_document):
    md = to_markdown(sample_document)
    lines = md.splitlines()
    assert lines[0] == "# 青石区消防救援大队2025年工作总结"
    assert "## 一、2025年工作开展情况" in lines
    assert "### （一）压实消防安全责任" in lines
    assert md.endswith("青石区消防救援大队\\\n2026年1月8日\n")
    # A paragraph starting "1." must not become an ordered list; HTML-like text is escaped.
    assert "1\\.深化六熟悉。开展熟悉演练312次。" in lines
    assert "\\<b\\>青石融媒体中心\\</b\\> \\& 宣传覆盖" in md


def test_markdown_redacted_stars_are_escaped(sample_document):
    md = to_markdown(sample_document, redact=True)
    assert not re.search(r"\d", md)
    assert "青石融媒体中心" not in md
    assert "召开专题会议\\*次" in md
    assert "\\*\\*无消防救援站" in md


def test_html_escapes_and_structure(sample_document):
    page = to_html(sample_document)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert "<h1>青石区消防救援大队2025年工作总结</h1>" in page
    assert "<h2>一、2025年工作开展情况</h2>" in page
    assert "<h3>（一）压实消防安全责任</h3>" in page
    assert "&lt;b&gt;青石融媒体中心&lt;/b&gt; &amp; 宣传" in page
    assert "<b>" not in page
    assert '<span class="lead-kai">（二）严格监督执法。</span>兰山镇' in page
    assert '<span class="lead-bold">1.深化六熟悉。</span>' in page
    assert '<p class="signature first">青石区消防救援大队</p>' in page
    # Offline: nothing loaded from anywhere.
    assert "http" not in page and "<script" not in page and "<link" not in page


def test_html_fragment_and_redaction(sample_document):
    fragment = to_html(sample_document, redact=True, standalone=False)
    assert fragment.startswith("<style>") and "<!DOCTYPE" not in fragment
    text = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    assert not re.search(r"\d", re.sub(r"<[^>]+>", "", text))
    assert "兰山" not in fragment


def test_names_containing_html_render_escaped():
    doc = Document('<script>alert("x")</script>', [Block("paragraph", "单位<img src=x onerror=1>")])
    page = to_html(doc)
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    md = to_markdown(doc, redact=True)
    assert "<" not in md.replace("\\<", "")
