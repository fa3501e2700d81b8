"""Writing rows into workbooks people open in Excel: text is always written as text.

openpyxl stores any string that starts with "=" as a formula, so a street or unit named
``=cmd|' /c calc'!A1`` would become a live formula in a downloaded table. Rows written here keep
such text as a plain string cell, shown exactly as recorded.
"""


def append_row(ws, values) -> None:
    """``ws.append(values)``, with text that looks like a formula kept as text."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
