"""Ledger import from real .xlsx files: tolerance, row errors, all-or-nothing, re-import."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from brigade.io.importer import import_file
from brigade.io.ledgers import get_ledger
from brigade.io.templates import write_template
from brigade.supervision.models import Hazard, Inspection
from brigade.units.models import SocialUnit
from tests.conftest import make_credit_code
from tests.io.helpers import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["单位名称", "统一社会信用代码", "检查日期", "检查类型", "联合执法检查", "备注"]


@pytest.fixture
def units(street):
    return [
        SocialUnit.objects.create(name=name, credit_code=make_credit_code(i), site_category="logistics", street=street)
        for i, name in enumerate(["临沂顺达物流有限公司", "九曲商贸城", "兰山第一小学"], start=1)
    ]


def test_tolerant_workbook_imports_every_row(tmp_path, units):
    path = write_xlsx(
        tmp_path / "检查台账.xlsx",
        ["名称", "检查时间", "检查类型", "联合执法检查", "备注"],  # header synonyms
        [
            ["临沂顺达物流有限公司", 44625, "双随机抽查", "否", "Excel 序列号日期"],
            ["九曲商贸城", "2022年3月6日", "专项检查", "是", ""],
            ["兰山第一小学", "2022.3.7", "复查", "", None],
            ["临沂顺达物流有限公司", "2022/03/08", "双随机抽查", "否", ""],
            ["九曲商贸城", "2022-3-9 14:20", "专项检查", "否", "带时间"],
            ["兰山第一小学", "２０２２－０３－１０", "　双随机抽查　", "ｙｅｓ", "全角数字、字母和空格"],
        ],
        titles=["2022年监督检查台账", "填报单位：九曲街道"],  # merged title rows
        trailing_blank=5,
    )
    report = import_file(path, ledger="inspection")
    assert report.ok, report.errors
    assert (report.rows, report.created, report.existing) == (6, 6, 0)
    days = sorted(Inspection.objects.values_list("inspected_on", flat=True))
    assert days == [dt.date(2022, 3, d) for d in range(5, 11)]
    assert Inspection.objects.get(inspected_on=dt.date(2022, 3, 10)).is_joint is True
    assert "导入完成，新增 6 条" in report.summary()

    again = import_file(path, ledger="inspection")  # the same file twice adds nothing and says so
    assert (again.created, again.existing) == (0, 6)
    assert "本次没有新增任何数据" in again.summary()
    assert Inspection.objects.count() == 6


def test_units_matched_by_credit_code_or_name_with_suggestions(tmp_path, units):
    path = write_xlsx(tmp_path / "a.xlsx", HEADER, [
        ["名字写错也行", units[0].credit_code.lower(), "2025-03-01", "双随机抽查", "否", ""],  # code wins
        ["九曲商贸", "", "2025-03-02", "双随机抽查", "否", ""],  # near miss → did you mean
        ["", make_credit_code(99), "2025-03-03", "双随机抽查", "否", ""],  # unknown code
    ])
    report = import_file(path, ledger="inspection", dry_run=True)
    assert not report.ok
    by_row = {e.row: e for e in report.errors}
    assert set(by_row) == {3, 4}
    assert by_row[3].column == "单位名称" and "您是不是要找：“九曲商贸城”" in by_row[3].message
    assert by_row[4].column == "统一社会信用代码" and "未找到统一社会信用代码" in by_row[4].message
    assert Inspection.objects.count() == 0


def test_any_bad_row_imports_nothing_and_lists_every_bad_row(tmp_path, units):
    path = write_xlsx(tmp_path / "bad.xlsx", HEADER, [
        ["临沂顺达物流有限公司", "", "2025-03-01", "双随机抽查", "否", ""],
        ["九曲商贸城", "", "2025-02-30", "双随机抽查", "否", ""],  # no such day
        ["兰山第一小学", "", "", "随便查查", "也许", ""],  # three problems in one row
        ["临沂顺达物流有限公司", "", "2025-03-01", "双随机抽查", "否", "重复"],  # same natural key as row 2
    ])
    report = import_file(path, ledger="inspection")
    assert not report.ok and report.created == 0
    assert Inspection.objects.count() == 0
    cells = {(e.row, e.column) for e in report.errors}
    assert (3, "检查日期") in cells
    assert {(4, "检查日期"), (4, "检查类型"), (4, "联合执法检查")} <= cells
    dup = next(e for e in report.errors if e.row == 5)
    assert "与第2行重复" in dup.message
    assert "未导入任何数据" in report.summary()
    assert str(report.errors[0]).startswith("第3行【检查日期】：")
    data = report.as_dict()  # what a web preview renders (JSON-ready)
    assert data["ok"] is False and data["errors"][0]["row"] == 3 and data["errors"][0]["column"] == "检查日期"


def test_model_rules_apply_with_chinese_messages(tmp_path, units):
    from brigade.supervision.models import Campaign

    Campaign.objects.create(name="春季攻坚", starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2025, 4, 30))
    path = write_xlsx(tmp_path / "c.xlsx", [*HEADER, "专项行动"], [
        ["临沂顺达物流有限公司", "", "2025-05-01", "专项检查", "否", "", "春季攻坚"],
    ])
    report = import_file(path, ledger="inspection")
    assert [(e.row, e.column) for e in report.errors] == [(2, "专项行动")]
    assert "不在专项行动" in report.errors[0].message


def test_hazards_find_their_inspection(tmp_path, units):
    Inspection.objects.create(unit=units[0], inspected_on=dt.date(2025, 3, 1), kind="random")
    header = ["单位名称", "检查日期", "隐患类别", "发现日期", "整改期限", "状态"]
    path = write_xlsx(tmp_path / "h.xlsx", header, [
        ["临沂顺达物流有限公司", "2025-03-01", "占堵消防车通道", "2025-03-01", "2025-03-05", "责令整改"],
        ["临沂顺达物流有限公司", "2025-03-01", "飞线充电", "2025-03-01", "2025-02-01", "已发现"],
        ["九曲商贸城", "2025-03-01", "飞线充电", "2025-03-01", "", "已发现"],
    ])
    report = import_file(path, ledger="hazard")
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert errors[(3, "整改期限")] == "整改期限不能早于发现日期。"
    assert "请先导入监督检查台账" in errors[(4, "检查日期")]
    assert Hazard.objects.count() == 0


def test_activity_kind_is_a_ledger_with_metric_columns(tmp_path, station):
    ledger = get_ledger("饮酒管控系统抽查")
    headers = [c.marked_header for c in ledger.columns]
    assert headers[:3] == ["日期*", "抽查次数（次）*", "抽查人次（人次）*"]
    path = write_xlsx(tmp_path / "alc.xlsx", ["日期", "抽查次数", "抽查人次（人次）", "消防站", "说明"], [
        ["2025-01-05", 2, "３０", "九曲站", ""],
        ["2025-01-06", -1, 5, "九曲站", ""],
    ])
    report = import_file(path, ledger="alcohol_check")
    assert [(e.row, e.column) for e in report.errors] == [(3, "抽查次数（次）")]
    path = write_xlsx(tmp_path / "alc2.xlsx", ["日期", "抽查次数", "抽查人次"], [["2025-01-05", 2, 30]])
    report = import_file(path, ledger="alcohol_check")
    assert report.ok and report.created == 1
    from brigade.ledger.models import Activity

    assert Activity.objects.get().values == {"count": 2, "people": 30}


def test_template_round_trip(tmp_path, units):
    ledger = get_ledger("inspection")
    path = write_template(ledger, tmp_path / "tpl.xlsx")
    book = load_workbook(path)
    ws = book["数据"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["单位名称*", "统一社会信用代码", "检查日期*", "检查类型*"]
    assert ws["A1"].font.color.rgb == "FFC00000" and ws["B1"].font.color.rgb != "FFC00000"
    lists = {str(dv.sqref)[0] for dv in ws.data_validations.dataValidation}
    assert lists == {"D", "F"}  # drop-downs on 检查类型 and 联合执法检查
    assert book["选项"].sheet_state == "hidden" and "双随机抽查" in [c.value for c in book["选项"]["A"]]
    # The example row is ignored; a filled row below it is imported.
    ws.append(["九曲商贸城", None, "2025-06-01", "双随机抽查", None, "否"])
    book.save(path)
    report = import_file(path, ledger="inspection")
    assert report.ok and report.created == 1
    assert any("示例行" in w for w in report.warnings)


def test_social_units_ledger_and_community_check(tmp_path, street, brigade):
    from brigade.org.models import Community, Street

    other = Street.objects.create(brigade=brigade, name="柳青街道")
    Community.objects.create(street=other, name="柳青小区")
    good = make_credit_code(8)
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    path = write_xlsx(tmp_path / "u.xlsx", ["单位名称", "统一社会信用代码", "场所类别", "镇街", "社区", "重点单位"], [
        ["新单位甲", make_credit_code(7), "物流仓储", "九曲街道", "", "是"],
        ["新单位乙", bad_check, "学校", "九曲街道", "", "否"],
        ["新单位丙", "", "养老机构", "九曲街道", "柳青小区", "否"],
        ["新单位丁", "", "养老院", "九区街道", "", "否"],
    ])
    report = import_file(path, ledger="social_unit")
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert "校验位不正确" in errors[(3, "统一社会信用代码")]
    assert errors[(4, "社区")] == "所选社区不属于该单位所在镇街。"
    assert "可选：" in errors[(5, "场所类别")] and "您是不是要找：“九曲街道”" in errors[(5, "镇街")]
    assert SocialUnit.objects.count() == 0
