"""The downloadable import template of a ledger: Chinese headers, required columns marked, drop-downs."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from brigade.core.files import atomic_output
from brigade.io.ledgers import Column, Ledger

REQUIRED_FONT = Font(bold=True, color="FFC00000")  # red: must be filled
OPTIONAL_FONT = Font(bold=True, color="FF000000")
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
EXAMPLE_FONT = Font(italic=True, color="FF808080")
DATA_SHEET, HELP_SHEET, LISTS_SHEET = "数据", "填写说明", "选项"
VALIDATION_ROWS = 5000

KIND_HELP = {
    "text": "文字", "int": "整数", "decimal": "数字", "float": "数字", "bool": "填“是”或“否”",
    "date": "日期，如 2025-03-05、2025/3/5、2025年3月5日", "datetime": "日期时间，如 2025-03-05 14:20",
    "choice": "从下拉列表中选择", "ref": "填写名称，须与系统中已有的一致", "unit_name": "单位全称，须与系统中一致",
    "unit_code": "18位统一社会信用代码（填写后优先按代码匹配单位）", "inspection_date": "该隐患所属检查记录的检查日期",
    "metric": "非负数字",
}


def column_help(col: Column) -> str:
    text = KIND_HELP.get(col.kind, "")
    if col.choices:
        text += "：" + "、".join(col.choices.labels)
    if col.synonyms:
        text += f"（表头也可写作：{'、'.join(col.synonyms)}）"
    return text


def build_template(ledger: Ledger) -> Workbook:
    """A workbook with the data sheet (header + example row), an instruction sheet and hidden option lists."""
    book = Workbook()
    ws = book.active
    ws.title = DATA_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_col = 0
    for i, col in enumerate(ledger.columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.marked_header)
        cell.font = REQUIRED_FONT if col.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = Comment(("必填。" if col.required else "选填。") + column_help(col), "Brigade")
        example = ws.cell(row=2, column=i, value=col.example if col.example != "" else None)
        example.font = EXAMPLE_FONT
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(40, 2.2 * len(col.marked_header) + 4))
        if col.kind in ("unit_code", "text"):
            for row in range(2, 300):  # text cells: 18-digit codes and phone numbers stay as typed
                ws.cell(row=row, column=i).number_format = "@"
        if col.choices or col.kind == "bool":
            labels = col.choices.labels if col.choices else ["是", "否"]
            list_col += 1
            list_letter = get_column_letter(list_col)
            for r, label in enumerate(labels, start=1):
                lists.cell(row=r, column=list_col, value=label)
            ref = f"'{LISTS_SHEET}'!${list_letter}$1:${list_letter}${len(labels)}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=not col.required, showDropDown=False)
            dv.error = f"请从下拉列表中选择“{col.header}”。"
            dv.errorTitle = "填写有误"
            dv.showErrorMessage = True
            dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    help_ws = book.create_sheet(HELP_SHEET, 1)
    help_ws.append([f"“{ledger.title}”台账导入模板（台账代码：{ledger.name}）"])
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append(["表头带 * 并以红色标出的列为必填；第2行（灰色斜体）是示例，导入时自动忽略，可直接覆盖或删除。"])
    help_ws.append(["可以在表头上方保留标题行；表格末尾的空行会被忽略；全角数字、字母和空格会自动转换。"])
    help_ws.append([])
    help_ws.append(["列名", "是否必填", "填写说明"])
    for cell in help_ws[5]:
        cell.font = Font(bold=True)
    for col in ledger.columns:
        help_ws.append([col.header, "必填" if col.required else "选填", column_help(col)])
    help_ws.column_dimensions["A"].width = 28
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 90
    return book


def write_template(ledger: Ledger, out: str | Path) -> Path:
    with atomic_output(out) as tmp:
        build_template(ledger).save(tmp)
    return Path(out)
