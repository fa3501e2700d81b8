"""The fast sheet reader gives exactly the values openpyxl's own reader gives, on the forms of cell
that Excel, WPS and openpyxl write."""

import datetime as dt
import zipfile

from openpyxl import Workbook, load_workbook

from brigade.io.workbook import SpreadsheetFile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# A workbook as Excel writes it (shared strings, a style table, the 1904 date system: serial 45000 is 2027-03-16), with the odd
# forms real files carry: a skipped row, cells without references, rich text, a phonetic guide, an
# error code, a boolean, a formula's cached text, a styled empty cell ending a row.
PARTS = {
    "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>""",
    "_rels/.rels": f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
    "xl/workbook.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="1"/>
<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>""",
    "xl/sharedStrings.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{MAIN}" count="3" uniqueCount="3"><si><t>编号</t></si><si><t xml:space="preserve"> 地下 </t></si>
<si><r><rPr><b/></rPr><t>九曲</t></r><r><t>街道</t></r></si></sst>""",
    "xl/styles.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="[h]:mm:ss"/></numFmts>
<fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>
<xf numFmtId="0" fillId="0"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>""",
    "xl/worksheets/sheet1.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="{MAIN}"><dimension ref="A1:F4"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="3"><c r="A3"><v>42</v></c><c r="B3"><v>3.5E2</v></c><c r="D3" s="1"><v>45000</v></c>
<c r="E3" s="2"><v>1.5</v></c><c r="F3" s="3"/></row>
<row><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="str"><v>缓存文本</v></c>
<c t="inlineStr"><is><t>消火栓</t><rPh sb="0" eb="1"><t>しょう</t></rPh></is></c><c><v></v></c></row>
</sheetData></worksheet>""",
}


def _openpyxl_rows(path) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    ws = book.worksheets[0]
    ws.reset_dimensions()
    rows = [tuple(row) for row in ws.iter_rows(values_only=True)]  # a skipped row comes as []
    book.close()
    return rows


def _fast_rows(path) -> list[tuple]:
    book = SpreadsheetFile(path)
    rows = [cells for _, cells in book.sheets()[0].all_rows()]
    book.close()
    return rows


def test_excel_style_workbook_reads_as_openpyxl_reads_it(tmp_path):
    path = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in PARTS.items():
            zf.writestr(name, text)
    rows = _fast_rows(path)
    assert rows == _openpyxl_rows(path)
    assert rows[0] == ("编号", " 地下 ", "九曲街道")
    assert rows[1] == ()  # the skipped row keeps the numbering
    assert rows[2] == (42, 350.0, None, dt.datetime(2027, 3, 16), dt.timedelta(hours=36), None)
    assert rows[3] == (True, "#N/A", "缓存文本", "消火栓", None)  # an empty <v> is no value


def test_openpyxl_written_workbook_reads_the_same(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("消火栓")
    ws.append(["编号", "检查时间", "日期", "时刻", "流量", "是否完好"])
    ws.append(["XHS-1", dt.datetime(2024, 10, 10, 8, 55, 4), dt.date(2024, 1, 2), dt.time(14, 30), 1300.5, True])
    ws.append([])
    ws.append([None, None, "第四行", None, -7])
    wb.create_sheet("空表")
    path = tmp_path / "openpyxl.xlsx"
    wb.save(path)
    rows = _fast_rows(path)
    assert rows == _openpyxl_rows(path)
    assert rows[1][:2] == ("XHS-1", dt.datetime(2024, 10, 10, 8, 55, 4))
    assert rows[3] == (None, None, "第四行", None, -7)
    assert [s.name for s in SpreadsheetFile(path).sheets()] == ["消火栓", "空表"]
