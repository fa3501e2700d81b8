"""The web import page groups errors by cause and offers every bad row as an .xlsx to fix."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook


def upload(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("消火栓台账.xlsx", out.getvalue())


def test_preview_groups_errors_and_downloads_bad_rows(login, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = login("command")
    rows = [["编号", "类型", "镇街"]] + [[f"XHS-9{i:03d}", "地下" if i % 2 else "地上式消火栓", "九曲街道"]
                                         for i in range(40)]
    html = client.post("/import/", {"ledger": "hydrant", "file": upload(rows)}).content.decode()
    assert "错误按原因归并（1 类，共 20 处）" in html
    assert "“地下”" in html and "<td>20</td>" in html and "3、5、7、9、11…" in html
    link = "/import/" + html.split("/bad-rows.xlsx")[0].rsplit("/import/", 1)[1] + "/bad-rows.xlsx"
    got = client.get(link)
    assert got.status_code == 200
    sheet = list(load_workbook(io.BytesIO(got.content)).active.iter_rows(values_only=True))
    assert sheet[0] == ("编号", "类型", "镇街", "错误原因")
    assert len(sheet) == 21 and all("“地下”不是可选的值" in r[3] for r in sheet[1:])
    # Another session cannot fetch it.
    client.logout()
    other = login("admin")
    assert other.get(link).status_code == 404
