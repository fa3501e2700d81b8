"""A Document as a Word file in the official format of GB/T 9704-2012 (党政机关公文格式).

Page: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the text block is
156 × 225 mm. Body: 仿宋_GB2312 三号 (16 pt), first line indented two characters, justified.
22 lines × 28 characters per page: the section's document grid is ``w:docGrid type=lines`` with the
line pitch of the text block (225 mm / 22 ≈ 28.95 pt) and every style has that exact line spacing;
the 28 characters come from a character spacing of −0.25 pt on the 16 pt styles (text block width
156 mm / 28 ≈ 15.79 pt per character). A ``linesAndChars`` grid with a negative ``charSpace`` is what
Word templates often use, but LibreOffice then gives each 16 pt character two grid cells (14 per
line); the character spacing gives 28 in both.
Title: 方正小标宋简体 二号 (22 pt) centred, one blank line under it. ``一、`` headings (heading1):
黑体 三号; ``（一）`` headings (heading2): 楷体_GB2312 三号; both indented like the body and kept
with the next paragraph. A body paragraph that opens with a ``（一）……。`` sentence (the run-in
heading common in summaries) has that sentence in 楷体_GB2312 and the rest in 仿宋_GB2312; one that
opens with ``1.……。`` has that sentence in bold (see :func:`brigade.reports.preview.split_lead`).
Signature lines (issuing organisation, date) are right-aligned two characters from the edge, the
shorter lines centred over the longest, one blank line under the text. Page numbers ``— N —`` in
宋体 四号 (14 pt) under the text block: odd pages right-aligned, even pages left-aligned, one
character in from the edge (a PAGE field, so Word and LibreOffice count the pages).

Chinese faces are set on every style through ``w:rFonts`` with ``w:eastAsia`` (python-docx itself
only sets ``ascii``/``hAnsi``), and theme fonts are removed so they cannot override the names. The
official faces are not free: they are named, and the PC that opens the file supplies them (see
docs/fonts.md).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from brigade.core.files import OutputError, atomic_output
from brigade.reports.document import Document
from brigade.reports.errors import ReportError
from brigade.reports.preview import LEAD_BOLD, LEAD_KAI, split_lead

# --- The format, in one place -----------------------------------------------------------------

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 37, 35
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 28, 26
HEADER_DISTANCE_MM = 15
# The page number's line (exactly 16 pt ≈ 5.6 mm high) starts 7 mm under the text block (GB/T 9704 7.5).
FOOTER_LINE_PT = 16
FOOTER_DISTANCE_MM = MARGIN_BOTTOM_MM - 7 - FOOTER_LINE_PT * 25.4 / 72
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING1 = "黑体"
FONT_HEADING2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"

SIZE_TITLE_PT = 22  # 二号
SIZE_BODY_PT = 16  # 三号
SIZE_PAGE_NUMBER_PT = 14  # 四号

STYLE_TITLE = "Title"
STYLE_BODY = "Normal"
STYLE_HEADING1 = "Heading 1"
STYLE_HEADING2 = "Heading 2"
STYLE_SIGNATURE = "公文落款"
STYLE_FOOTER = "Footer"
CHAR_STYLE_LEAD_KAI = "段首小标题"
CHAR_STYLE_LEAD_BOLD = "段首加粗"

TWIPS_PER_MM = 1440 / 25.4

# Characters XML 1.0 cannot hold (python-docx would refuse the whole document).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _twips(mm: float) -> int:
    return int(mm * TWIPS_PER_MM)


def grid_pitches() -> tuple[int, int]:
    """(line pitch in twips, character spacing in 1/20 pt) for 22 lines × 28 characters.

    Both are rounded down so that 22 lines and 28 body characters still fit the text block, and a
    29th character does not.
    """
    text_w = _twips(PAGE_WIDTH_MM) - _twips(MARGIN_LEFT_MM) - _twips(MARGIN_RIGHT_MM)
    text_h = _twips(PAGE_HEIGHT_MM) - _twips(MARGIN_TOP_MM) - _twips(MARGIN_BOTTOM_MM)
    line_pitch = text_h // LINES_PER_PAGE
    char_pitch_pt = text_w / 20 / CHARS_PER_LINE
    char_spacing = math.floor((char_pitch_pt - SIZE_BODY_PT) * 20)
    return line_pitch, char_spacing


LINE_PITCH_TWIPS, CHAR_SPACING = grid_pitches()


# --- XML helpers ------------------------------------------------------------------------------


def _el(tag: str, **attrs: str | int) -> OxmlElement:
    """A ``w:`` element with ``w:`` attributes (``_el("jc", val="center")``)."""
    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _rfonts(face: str) -> OxmlElement:
    """Every script in ``face`` (ascii, hAnsi, eastAsia, cs), no theme font that would override it."""
    return _el("rFonts", ascii=face, hAnsi=face, eastAsia=face, cs=face, hint="eastAsia")


def _rpr(face: str | None, size_pt: float | None, *, bold: bool | None = None,
         spacing: int | None = None) -> OxmlElement:
    """A ``w:rPr`` in schema order: rFonts, b, bCs, color, spacing (1/20 pt), sz, szCs, lang."""
    rpr = _el("rPr")
    if face:
        rpr.append(_rfonts(face))
    if bold is not None:
        rpr.append(_el("b", val=int(bold)))
        rpr.append(_el("bCs", val=int(bold)))
    rpr.append(_el("color", val="000000"))
    if spacing:
        rpr.append(_el("spacing", val=spacing))
    if size_pt:
        rpr.append(_el("sz", val=int(size_pt * 2)))
        rpr.append(_el("szCs", val=int(size_pt * 2)))
    rpr.append(_el("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    return rpr


def _ppr(*, jc: str = "both", first_line_chars: int = 200, size_pt: float = SIZE_BODY_PT,
         keep_next: bool = False, outline_level: int | None = None, grid: bool = True,
         line_twips: int | None = LINE_PITCH_TWIPS, after_twips: int = 0) -> OxmlElement:
    """A ``w:pPr`` in schema order (keepNext … snapToGrid, spacing, ind, jc, outlineLvl)."""
    ppr = _el("pPr")
    if keep_next:
        ppr.append(_el("keepNext"))
    ppr.append(_el("widowControl", val=0))  # widow control would move lines and break the 22-line grid
    # No automatic space between Chinese and Latin/digits: it would push characters off the grid.
    ppr.append(_el("autoSpaceDE", val=0))
    ppr.append(_el("autoSpaceDN", val=0))
    if not grid:
        ppr.append(_el("snapToGrid", val=0))
    if line_twips:
        ppr.append(_el("spacing", before=0, after=after_twips, line=line_twips, lineRule="exact"))
    else:
        ppr.append(_el("spacing", before=0, after=after_twips, line=240, lineRule="auto"))
    first_line = round(first_line_chars / 100 * size_pt * 20)
    ppr.append(_el("ind", left=0, leftChars=0, right=0, rightChars=0,
                   firstLineChars=first_line_chars, firstLine=first_line))
    ppr.append(_el("jc", val=jc))
    if outline_level is not None:
        ppr.append(_el("outlineLvl", val=outline_level))
    return ppr


def _restyle(style, ppr: OxmlElement | None, rpr: OxmlElement) -> None:
    """Replace a style's paragraph and run properties (theme fonts, colours and borders go too)."""
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    if ppr is not None:
        element.append(ppr)
    element.append(rpr)


def _style(doc, name: str, kind: WD_STYLE_TYPE):
    """The style named ``name``, created (based on Normal for paragraph styles) if missing."""
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        style.hidden = False
        style.quick_style = True
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles[STYLE_BODY]
        return style


# --- Document setup ---------------------------------------------------------------------------


def _setup_styles(doc) -> None:
    # Defaults for anything unstyled: body face and size, Chinese language, no theme fonts.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    for old in rpr_default.findall(qn("w:rPr")):
        rpr_default.remove(old)
    rpr_default.append(_rpr(FONT_BODY, SIZE_BODY_PT))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)

    body = {"spacing": CHAR_SPACING}
    _restyle(doc.styles[STYLE_BODY], _ppr(), _rpr(FONT_BODY, SIZE_BODY_PT, bold=False, **body))
    # The title does not snap to the grid (LibreOffice would give a 22 pt line two grid lines).
    _restyle(doc.styles[STYLE_TITLE], _ppr(jc="center", first_line_chars=0, size_pt=SIZE_TITLE_PT, grid=False,
                                            keep_next=True, outline_level=None, after_twips=LINE_PITCH_TWIPS),
             _rpr(FONT_TITLE, SIZE_TITLE_PT, bold=False))
    for name, face, level in ((STYLE_HEADING1, FONT_HEADING1, 0), (STYLE_HEADING2, FONT_HEADING2, 1)):
        style = doc.styles[name]
        style.base_style = doc.styles[STYLE_BODY]
        _restyle(style, _ppr(keep_next=True, outline_level=level), _rpr(face, SIZE_BODY_PT, bold=False, **body))
    signature = _style(doc, STYLE_SIGNATURE, WD_STYLE_TYPE.PARAGRAPH)
    _restyle(signature, _ppr(jc="right", first_line_chars=0), _rpr(FONT_BODY, SIZE_BODY_PT, **body))
    footer = doc.styles[STYLE_FOOTER]
    _restyle(footer, _ppr(jc="right", first_line_chars=0, size_pt=SIZE_PAGE_NUMBER_PT, grid=False,
                          line_twips=FOOTER_LINE_PT * 20),
             _rpr(FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER_PT, bold=False))
    _restyle(_style(doc, CHAR_STYLE_LEAD_KAI, WD_STYLE_TYPE.CHARACTER), None, _rpr(FONT_HEADING2, None))
    _restyle(_style(doc, CHAR_STYLE_LEAD_BOLD, WD_STYLE_TYPE.CHARACTER), None, _rpr(None, None, bold=True))

    # The theme's East Asian language: Chinese, not the template's Japanese.
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(HEADER_DISTANCE_MM), Mm(FOOTER_DISTANCE_MM)
    section.gutter = 0
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = _el("docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    # Page numbers: odd pages right, even pages left, one character in from the edge.
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    _page_number(section.footer, "right")
    _page_number(section.even_page_footer, "left")


def _page_number(footer, side: str) -> None:
    """``— N —`` with N a PAGE field, on the given side of the footer."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.style = STYLE_FOOTER
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(_el("jc", val=side))
    one_char = SIZE_PAGE_NUMBER_PT * 20
    ind = _el("ind", firstLine=0, firstLineChars=0)
    ind.set(qn(f"w:{side}"), str(one_char))
    ind.set(qn(f"w:{side}Chars"), "100")
    # Schema order inside pPr: ind before jc.
    ppr.insert(list(ppr).index(ppr.find(qn("w:jc"))), ind)

    paragraph.add_run("— ")
    run = paragraph.add_run()
    run._r.append(_el("fldChar", fldCharType="begin"))
    run = paragraph.add_run()
    instr = _el("instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(_el("fldChar", fldCharType="separate"))
    # No cached result: Word and LibreOffice compute the page number, and the file holds no digit.
    run = paragraph.add_run()
    run._r.append(_el("fldChar", fldCharType="end"))
    paragraph.add_run(" —")


def _text_width_chars(text: str) -> float:
    """Width in body characters: full-width characters 1, ASCII 0.5."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _add_paragraph(doc, text: str) -> None:
    kind, lead, rest = split_lead(text)
    paragraph = doc.add_paragraph(style=STYLE_BODY)
    if kind is None:
        paragraph.add_run(text)
        return
    paragraph.add_run(lead, style={LEAD_KAI: CHAR_STYLE_LEAD_KAI, LEAD_BOLD: CHAR_STYLE_LEAD_BOLD}[kind])
    paragraph.add_run(rest)


def _add_signature(doc, lines: list[str]) -> None:
    """Right-aligned two characters from the edge; shorter lines centred over the longest one."""
    widths = [_text_width_chars(line) for line in lines]
    widest = max(widths)
    for i, (line, width) in enumerate(zip(lines, widths, strict=True)):
        paragraph = doc.add_paragraph(line, style=STYLE_SIGNATURE)
        right_chars = round(200 + (widest - width) / 2 * 100)
        ppr = paragraph._p.get_or_add_pPr()
        ind = _el("ind", rightChars=right_chars, right=round(right_chars / 100 * SIZE_BODY_PT * 20),
                  firstLine=0, firstLineChars=0)
        ppr.append(ind)
        if i == 0:  # one blank line between the text and the signature
            ppr.insert(list(ppr).index(ind), _el("spacing", before=LINE_PITCH_TWIPS, line=LINE_PITCH_TWIPS,
                                                 lineRule="exact"))


SIZE_TABLE_PT = 12  # 小四: a table of many columns does not fit in 三号


def _add_table(doc, rows: list[list[str]]) -> None:
    """A bordered table in 仿宋 小四, the header row in 黑体, centred cells, single line spacing."""
    if not rows:
        return
    table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    tbl_pr = table._tbl.tblPr
    borders = _el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(side, val="single", sz=4, space=0, color="000000"))
    tbl_pr.append(borders)
    tbl_pr.append(_el("jc", val="center"))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            paragraph = table.cell(i, j).paragraphs[0]
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(_el("snapToGrid", val=0))
            ppr.append(_el("spacing", before=0, after=0, line=240, lineRule="auto"))
            ppr.append(_el("ind", firstLine=0, firstLineChars=0))
            ppr.append(_el("jc", val="center"))
            run = paragraph.add_run(text)
            run._r.insert(0, _rpr(FONT_HEADING1 if i == 0 else FONT_BODY, SIZE_TABLE_PT))


def build_docx(document: Document, *, redact: bool = False):
    """The python-docx document for ``document`` (redacted first when ``redact``)."""
    if redact:
        from brigade.reports.redact import redact_document

        document = redact_document(document)
    doc = docx.Document()
    _setup_styles(doc)
    _setup_page(doc)
    body = doc.element.body
    for p in body.findall(qn("w:p")):  # the template's empty first paragraph, if any
        body.remove(p)

    if document.title:
        doc.add_paragraph(_clean(document.title), style=STYLE_TITLE)
    styles = {"heading1": STYLE_HEADING1, "heading2": STYLE_HEADING2}
    for block in document.blocks:
        text = _clean(block.text)
        if block.kind in styles:
            doc.add_paragraph(text, style=styles[block.kind])
        elif block.kind == "paragraph":
            _add_paragraph(doc, text)
        elif block.kind == "table":
            _add_table(doc, [[_clean(c) for c in row] for row in block.rows])
        else:
            raise ReportError(f"无法写入文档：未知的段落类型“{block.kind}”。")
    if document.signature:
        _add_signature(doc, [_clean(line) for line in document.signature])

    # File properties: the title only; no author, no template history.
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title = _clean(document.title)
    props.author = props.last_modified_by = props.comments = props.keywords = props.subject = ""
    props.language = "zh-CN"
    props.created = props.modified = now
    props.last_printed = now
    props.revision = 1
    return doc


def write_docx(document: Document, path: str | Path, *, redact: bool = False) -> Path:
    """Write ``document`` as a GB/T 9704 Word file at ``path``; return the path.

    The file is written to a temporary file in the same folder and renamed into place, so a failure
    leaves no partial file (and an existing file at ``path`` stays as it was).

    Raises
    ------
    ReportError : the folder does not exist or cannot be written (a Chinese message naming the path).
    """
    path = Path(path)
    doc = build_docx(document, redact=redact)
    try:
        with atomic_output(path) as tmp:
            doc.save(str(tmp))
    except OutputError as exc:
        raise ReportError(str(exc)) from exc
    return path


def docx_bytes(document: Document, *, redact: bool = False) -> bytes:
    """The Word file as bytes (for a download response)."""
    buffer = io.BytesIO()
    build_docx(document, redact=redact).save(buffer)
    return buffer.getvalue()
