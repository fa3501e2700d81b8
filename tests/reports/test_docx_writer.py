"""The Word file, opened back with python-docx: GB/T 9704 page, fonts, sizes, grid, page numbers."""

import os
import re
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from brigade.reports import docx_writer
from brigade.reports.docx_writer import (
    CHAR_SPACING,
    LINE_PITCH_TWIPS,
    docx_bytes,
    write_docx,
)
from brigade.reports.errors import ReportError

THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@pytest.fixture
def written(sample_document, tmp_path):
    path = write_docx(sample_document, tmp_path / "总结.docx")
    return docx.Document(str(path))


def _rfonts(style) -> dict[str, str]:
    rfonts = style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {key: rfonts.get(qn(f"w:{key}")) for key in ("ascii", "hAnsi", "eastAsia", "cs", *THEME_ATTRS)}


def test_page_setup(written):
    section = written.sections[0]
    mm = {
        "width": section.page_width.mm, "height": section.page_height.mm,
        "top": section.top_margin.mm, "bottom": section.bottom_margin.mm,
        "left": section.left_margin.mm, "right": section.right_margin.mm,
    }
    expected = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}
    for key, value in expected.items():
        assert abs(mm[key] - value) <= 0.5, (key, mm[key])
    # Text block 156 × 225 mm.
    assert abs(mm["width"] - mm["left"] - mm["right"] - 156) <= 0.5
    assert abs(mm["height"] - mm["top"] - mm["bottom"] - 225) <= 0.5


def test_22_lines_of_28_characters(written):
    section = written.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    pitch = int(grid.get(qn("w:linePitch")))
    assert pitch == LINE_PITCH_TWIPS
    text_h = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    text_w = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert 22 * pitch <= text_h < 23 * pitch
    assert abs(pitch / 20 - 28.95) < 0.1
    # Body characters: 16 pt plus the (negative) character spacing; 28 fit on a line, 29 do not.
    char_pt = 16 + CHAR_SPACING / 20
    assert 28 * char_pt <= text_w / 20 < 29 * char_pt
    normal = written.styles["Normal"]
    spacing = normal.element.find(qn("w:rPr")).find(qn("w:spacing"))
    assert int(spacing.get(qn("w:val"))) == CHAR_SPACING
    # Exact line spacing equal to the grid pitch, no space before or after.
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.twips == pitch
    assert fmt.space_before.twips == 0 and fmt.space_after.twips == 0


def test_styles_fonts_and_sizes(written):
    expected = {
        "Normal": ("仿宋_GB2312", 16),
        "Title": ("方正小标宋简体", 22),
        "Heading 1": ("黑体", 16),
        "Heading 2": ("楷体_GB2312", 16),
        "Footer": ("宋体", 14),
        "公文落款": ("仿宋_GB2312", 16),
    }
    for name, (face, size) in expected.items():
        style = written.styles[name]
        fonts = _rfonts(style)
        assert fonts["eastAsia"] == face, name
        assert fonts["ascii"] == fonts["hAnsi"] == face, name
        assert not any(fonts[attr] for attr in THEME_ATTRS), name
        assert style.font.size.pt == size, name
        assert not style.font.bold, name
    # Defaults for unstyled text: the body face, Chinese language.
    defaults = written.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    # Run-in lead sentences: 楷体 character style, and bold for "1." leads.
    assert written.styles["段首小标题"].element.find(qn("w:rPr")).find(qn("w:rFonts")).get(
        qn("w:eastAsia")) == "楷体_GB2312"
    assert written.styles["段首加粗"].font.bold is True


def test_paragraph_layout(written):
    styles = written.styles
    title = styles["Title"].paragraph_format
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.first_line_indent in (None, 0)
    assert title.space_after.twips == LINE_PITCH_TWIPS  # one blank line under the title
    for name in ("Normal", "Heading 1", "Heading 2"):
        ind = styles[name].element.find(qn("w:pPr")).find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200", name  # two characters
        assert styles[name].paragraph_format.first_line_indent.pt == 32, name
    assert styles["Normal"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, level in (("Heading 1", "0"), ("Heading 2", "1")):
        ppr = styles[name].element.find(qn("w:pPr"))
        assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == level
        assert styles[name].paragraph_format.keep_with_next


def test_content_and_styles_in_order(written, sample_document):
    paragraphs = written.paragraphs
    got = [(p.style.name, p.text) for p in paragraphs]
    assert got[0] == ("Title", sample_document.title)
    assert got[1] == ("Normal", sample_document.blocks[0].text)
    assert got[2] == ("Heading 1", "一、2025年工作开展情况")
    assert got[3] == ("Heading 2", "（一）压实消防安全责任")
    assert got[-2:] == [("公文落款", "青石区消防救援大队"), ("公文落款", "2026年1月8日")]
    run_in = paragraphs[5]
    assert run_in.runs[0].text == "（二）严格监督执法。"
    assert run_in.runs[0].style.name == "段首小标题"
    assert run_in.runs[1].text.startswith("兰山镇")
    assert paragraphs[6].runs[0].style.name == "段首加粗"
    # The signature: right-aligned, two characters in, the shorter line centred over the longer;
    # one blank line above it.
    first, second = paragraphs[-2:]
    assert first.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    ind1 = first._p.pPr.find(qn("w:ind"))
    ind2 = second._p.pPr.find(qn("w:ind"))
    assert ind1.get(qn("w:rightChars")) == "200"
    assert int(ind2.get(qn("w:rightChars"))) > 200
    assert first.paragraph_format.space_before.twips == LINE_PITCH_TWIPS
    assert written.core_properties.title == sample_document.title
    assert written.core_properties.author == ""


def _footer_xml(footer) -> str:
    return footer._element.xml


def test_page_numbers_in_the_footer(written):
    section = written.sections[0]
    assert written.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "—  —"  # the PAGE field's number is computed when shown
        assert paragraph.style.name == "Footer"
        xml = _footer_xml(footer)
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        ppr = paragraph._p.pPr
        assert ppr.find(qn("w:jc")).get(qn("w:val")) == side
        assert ppr.find(qn("w:ind")).get(qn(f"w:{side}Chars")) == "100"  # one character in


def test_redacted_file_holds_no_digit_and_no_name(sample_document, tmp_path):
    path = write_docx(sample_document, tmp_path / "脱敏.docx", redact=True)
    doc = docx.Document(str(path))
    section = doc.sections[0]
    texts = [p.text for p in doc.paragraphs]
    texts += [p.text for f in (section.footer, section.even_page_footer) for p in f.paragraphs]
    texts.append(doc.core_properties.title)
    joined = "\n".join(texts)
    assert not re.search(r"\d", joined), joined
    for name in sample_document.sensitive_names:
        assert name not in joined
    # The same in the raw XML text of the body and footers.
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if re.match(r"word/(document|footer\d*)\.xml$", member):
                xml_text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", archive.read(member).decode()))
                assert not re.search(r"\d", xml_text), member
                assert not any(name in xml_text for name in sample_document.sensitive_names)
    assert texts[0] == "青石区消防救援大队****年工作总结"


def test_missing_folder_raises_and_leaves_nothing(sample_document, tmp_path):
    target = tmp_path / "没有这个文件夹" / "总结.docx"
    with pytest.raises(ReportError, match="无法写入.*文件夹.*不存在"):
        write_docx(sample_document, target)
    assert not target.parent.exists()


def test_path_that_is_a_folder_raises_and_leaves_nothing(sample_document, tmp_path):
    folder = tmp_path / "out.docx"
    folder.mkdir()
    with pytest.raises(ReportError, match="无法写入"):
        write_docx(sample_document, folder)
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert os.listdir(tmp_path) == ["out.docx"]


def test_failure_while_saving_keeps_the_old_file(sample_document, tmp_path, monkeypatch):
    target = tmp_path / "总结.docx"
    target.write_bytes(b"old")

    def broken_save(self, path):
        with open(path, "wb") as fh:
            fh.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(ReportError, match="无法写入"):
        write_docx(sample_document, target)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["总结.docx"]


def test_unknown_block_kind(sample_document, tmp_path):
    sample_document.blocks[0].kind = "figure"
    with pytest.raises(ReportError, match="未知的段落类型“figure”"):
        write_docx(sample_document, tmp_path / "x.docx")
    assert list(tmp_path.iterdir()) == []


def test_bytes_and_control_characters(sample_document):
    sample_document.blocks[0].text = "含控制字符\x07的句子"
    data = docx_bytes(sample_document)
    assert data[:2] == b"PK"
    assert "含控制字符的句子" in zipfile.ZipFile(__import__("io").BytesIO(data)).read("word/document.xml").decode()


def test_grid_pitches_follow_the_format():
    line_pitch, spacing = docx_writer.grid_pitches()
    assert (line_pitch, spacing) == (579, -5)
