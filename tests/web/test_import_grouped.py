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


def _form_rows(html: str) -> dict[str, int]:
    """The mapping table's rows: value → its index."""
    out = {}
    for part in html.split('name="value-')[1:]:
        index, rest = part.split('"', 1)
        out[rest.split('value="', 1)[1].split('"', 1)[0]] = int(index)
    return out


def test_mapping_rows_accept_change_reject_and_create(login, world, settings, tmp_path):
    from brigade.io.models import ValueMapping
    from brigade.org.models import Street
    from brigade.resources.models import Hydrant

    settings.VAR_DIR = tmp_path
    client = login("command")
    rows = [["编号", "类型", "镇街", "状态"]] + [
        [f"XHS-8{i:03d}", ["地下", "地上式消火栓"][i % 2], ["九曲", "新城街道"][i % 2], ["正常", "完好"][i % 3 == 0]]
        for i in range(12)]
    html = client.post("/import/", {"ledger": "hydrant", "file": upload(rows), "source": "九曲街道办"}).content.decode()
    assert "值对照：文件里有 4 个值系统不认识" in html and 'name="confirm"' not in html
    index = _form_rows(html)
    assert set(index) == {"地下", "九曲", "新城街道", "正常"}
    assert 'value="地下式消火栓" list=' in html  # the best suggestion filled in, not yet accepted
    token = html.split('name="remap" value="')[1].split('"')[0]
    form = {"remap": token, "rows": 4, "source": "九曲街道办"}
    for value, i in index.items():
        form[f"column-{i}"] = {"地下": "类型", "正常": "状态"}.get(value, "镇街")
        form[f"value-{i}"] = value
    # Accept 地下 as suggested, change 九曲 to the full name, create 新城街道, reject 正常.
    form.update({f"target-{index['地下']}": "地下式消火栓", f"accept-{index['地下']}": "1",
                 f"target-{index['九曲']}": "九曲街道", f"accept-{index['九曲']}": "1",
                 f"create-{index['新城街道']}": "镇街", f"target-{index['正常']}": "完好"})
    html = client.post("/import/", form).content.decode()
    assert "确认导入时将新建：镇街“新城街道”" in html and "“正常”" in html and 'name="confirm"' not in html
    assert not Street.objects.filter(name="新城街道").exists()  # listed, not written
    form.update({f"accept-{index['正常']}": "1"})
    html = client.post("/import/", form).content.decode()
    assert "预检通过" in html and "按对照转换：【类型】“地下”→“地下式消火栓”，6 处" in html
    done = client.post("/import/", {"confirm": token})
    assert done.status_code == 302
    assert Hydrant.objects.filter(code__startswith="XHS-8").count() == 12
    assert Hydrant.objects.filter(code__startswith="XHS-8", street__name="新城街道").count() == 6
    assert set(ValueMapping.objects.values_list("source", "value", "target")) == {
        ("九曲街道办", "地下", "地下式消火栓"), ("九曲街道办", "九曲", "九曲街道"), ("九曲街道办", "正常", "完好")}
    # The next file from that office: no questions.
    rows2 = [["编号", "类型", "镇街", "状态"], ["XHS-9901", "地下", "九曲", "正常"]]
    html = client.post("/import/", {"ledger": "hydrant", "file": upload(rows2), "source": "九曲街道办"}).content.decode()
    assert "预检通过" in html and "值对照：" not in html and "按记住的对照转换" in html
