"""Write real .xlsx files the way people make them (titles, merged cells, blank rows)."""

from openpyxl import Workbook


def write_xlsx(path, header, rows, *, titles=(), trailing_blank=0, sheet="Sheet1"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for title in titles:  # merged title rows above the header
        ws.append([title])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(1, len(header)))
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for _ in range(trailing_blank):  # rows Excel keeps: formatted but empty, or holding a stray space
        r = ws.max_row + 1
        ws.cell(row=r, column=1).number_format = "yyyy-mm-dd"
        ws.cell(row=r, column=2, value=" ")
    book.save(path)
    return path
