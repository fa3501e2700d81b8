"""A brigade's own ledgers, as typed by different offices, onboarded in a few decisions.

Each test writes a messy register (openpyxl), asserts the grouped dry run (causes and counts), the
suggestions offered, the rows written once the user accepted the mapping, and that the next file
from the same office imports with no questions. Counts come from the rules that made the files.
"""

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from brigade.core.errors import UserError
from brigade.io.importer import import_file
from brigade.io.ledgers import get_ledger
from brigade.io.mapping import MappingFileError, ValueMap, read_mapping_file
from brigade.io.models import ValueMapping
from brigade.org.models import Community, Street
from brigade.resources.models import Hydrant
from brigade.supervision.models import Hazard, Inspection
from brigade.units.models import SocialUnit
from tests.conftest import make_credit_code
from tests.io.helpers import write_xlsx

pytestmark = pytest.mark.django_db


def accept_all(path) -> dict:
    """What a user does with the suggestion file: accept every entry that has a value to change to."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["对照"]:
        entry["接受"] = entry["改为"] is not None
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def run_cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    except (CommandError, UserError) as exc:  # one Chinese line (exit code 2 from the command line)
        return 2, out.getvalue(), str(exc)
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------------------------- hydrants

HYDRANT_HEADER = ["消火栓编号", "类型", "所在镇街", "状态", "最近检查日期", "坐标"]


def hydrant_rows(start: int, n: int):
    """Typed the way one street office types them: short types, street without 街道, 正常 for 完好."""
    rows = []
    for i in range(start, start + n):
        kind = ["地下", "地上", "地下式消火栓 "][i % 3]
        street = ["九曲", "九曲街道", "新城街道"][i % 3 if i % 4 else 1]
        status = ["正常", "完好", "坏"][i % 5 % 3]
        rows.append([f"ＸＨＳ－{i:04d}", kind, street, status, f"2024/10/{1 + i % 28} 上午 08:55:04",
                     f"118.{30 + i % 9},35.0{i % 7}"])
    return rows


def expected_counts(start, n):
    from collections import Counter

    counts = Counter()
    for row in hydrant_rows(start, n):
        kind, street, status = row[1].strip(), row[2], row[3]
        if kind in ("地下", "地上"):
            counts[("类型", kind)] += 1
        if street != "九曲街道":
            counts[("镇街", street)] += 1
        if status != "完好":
            counts[("状态", status)] += 1
    return counts


def test_hydrants_from_one_office(tmp_path, street):
    path = write_xlsx(tmp_path / "消火栓登记表.xlsx", HYDRANT_HEADER, hydrant_rows(0, 90),
                      titles=["九曲街道市政消火栓登记表"])
    report = import_file(path, ledger="hydrant", dry_run=True)
    # Grouped: one problem per column and value, counted as the file was made.
    assert {(p.column, p.value): p.count for p in report.problems} == dict(expected_counts(0, 90))
    assert len(report.problems) == 6  # 地下, 地上, 九曲, 新城街道, 正常, 坏 — 12-hour times and coordinates read fine
    # Suggestions: declared synonyms, containment, none for a street that does not exist.
    best = {(u.column, u.value): (u.suggestions[0].target, u.suggestions[0].reason) if u.suggestions else None
            for u in report.unmatched}
    assert best[("类型", "地下")] == ("地下式消火栓", "同义词")
    assert best[("类型", "地上")] == ("地上式消火栓", "同义词")
    assert best[("状态", "正常")] == ("完好", "同义词")
    assert best[("状态", "坏")] == ("损坏", "同义词")
    assert best[("镇街", "九曲")] == ("九曲街道", "名称包含")
    assert best[("镇街", "新城街道")] is None
    assert {u.value: u.creatable for u in report.unmatched if u.column == "镇街"} == {"九曲": "镇街", "新城街道": "镇街"}

    # CLI: suggestions written, none accepted; the file as written changes nothing.
    map_path = tmp_path / "map.yaml"
    code, out, _ = run_cli(path, "--ledger", "hydrant", "--suggest-mapping", map_path, "--source", "九曲街道办")
    assert code == 0 and "已把 6 个系统不认识的值" in out
    written = yaml.safe_load(map_path.read_text(encoding="utf-8"))
    assert written["来源"] == "九曲街道办" and {e["接受"] for e in written["对照"]} == {"否"}
    assert Hydrant.objects.count() == 0
    code, _, err = run_cli(path, "--ledger", "hydrant", "--mapping", map_path)
    assert code == 2 and "错误按原因归并为 6 类" in err  # a suggestion is never applied unaccepted
    assert Hydrant.objects.count() == 0 and ValueMapping.objects.count() == 0

    # Accepted, with the unknown street created on purpose: every row written, in one go.
    accept_all(map_path)
    code, out, err = run_cli(path, "--ledger", "hydrant", "--mapping", map_path, "--create", "streets")
    assert code == 0, err
    assert "已新建：镇街“新城街道”" in out and "导入完成，新增 90 条" in out
    assert Hydrant.objects.count() == 90
    assert Hydrant.objects.filter(kind="below").count() == sum(1 for r in hydrant_rows(0, 90) if "地下" in r[1])
    assert Hydrant.objects.filter(status="damaged").count() == expected_counts(0, 90)[("状态", "坏")]
    assert Hydrant.objects.filter(street__name="新城街道").count() == expected_counts(0, 90)[("镇街", "新城街道")]
    h = Hydrant.objects.get(code="XHS-0004")
    assert (h.lon, h.lat, h.last_checked_on.day) == (118.34, 35.04, 5)
    remembered = set(ValueMapping.objects.values_list("source", "column", "value", "target"))
    assert ("九曲街道办", "类型", "地下", "地下式消火栓") in remembered and len(remembered) == 5

    # The next file from the same office: no questions, no mapping file.
    nxt = write_xlsx(tmp_path / "第二批.xlsx", HYDRANT_HEADER, hydrant_rows(90, 30))
    report = import_file(nxt, ledger="hydrant", origin="九曲街道办")
    assert report.ok and report.created == 30 and not report.unmatched
    assert {m.value for m in report.mapped} == {"地下", "地上", "九曲", "正常", "坏"}
    # Another office's file is not translated by this office's choices.
    other = import_file(nxt, ledger="hydrant", origin="芝麻墩街道办", dry_run=True)
    assert not other.ok and {p.value for p in other.problems} >= {"地下", "正常"}
    # Re-importing adds nothing; a mapping never touched stored rows.
    again = import_file(path, ledger="hydrant", origin="九曲街道办")
    assert again.ok and (again.created, again.existing) == (0, 90)
    assert Hydrant.objects.count() == 120 and Street.objects.filter(name="新城街道").count() == 1


def test_mapping_file_errors_name_the_line(tmp_path, street):
    path = write_xlsx(tmp_path / "h.xlsx", HYDRANT_HEADER[:3], [["XHS-1", "地下", "九曲街道"]])
    ledger = get_ledger("hydrant")
    bad_value = tmp_path / "bad_value.yaml"
    bad_value.write_text("台账: hydrant\n对照:\n- 列: 类型\n  原值: 地下\n  改为: 地洞式\n  接受: 是\n", encoding="utf-8")
    with pytest.raises(MappingFileError, match=r"“bad_value.yaml”第5行：“地洞式”不是“类型”列可用的值"):
        import_file(path, ledger=ledger, dry_run=True, mapping=read_mapping_file(bad_value, ledger=ledger))
    bad_column = tmp_path / "bad_column.yaml"
    bad_column.write_text("台账: hydrant\n对照:\n- 列: 状态\n  原值: 正常\n  改为: 完好\n  接受: 是\n", encoding="utf-8")
    with pytest.raises(MappingFileError, match=r"第5行：文件中没有“状态”列"):
        import_file(path, ledger=ledger, dry_run=True, mapping=read_mapping_file(bad_column, ledger=ledger))
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("台账: hydrant\n对照:\n- 列: 口径\n  原值: 65\n  改为: 65mm\n", encoding="utf-8")
    with pytest.raises(MappingFileError, match=r"第3行：“市政消火栓”台账没有“口径”列"):
        read_mapping_file(unknown, ledger=ledger)
    other = tmp_path / "other.yaml"
    other.write_text("台账: hazard\n对照: []\n", encoding="utf-8")
    with pytest.raises(MappingFileError, match=r"第1行：这份对照表是“hazard”台账的"):
        read_mapping_file(other, ledger=ledger)
    code, _, err = run_cli(path, "--ledger", "hydrant", "--mapping", bad_value)
    assert code == 2 and err.strip().count("\n") == 0 and "第5行" in err
    assert Hydrant.objects.count() == 0


# --------------------------------------------------------------------------------------------- social units

UNIT_HEADER = ["单位名称", "统一社会信用代码", "场所类别", "是否重点单位", "所属镇街", "社区", "地址"]


def unit_rows(start, n):
    categories = ["仓库", "商场", "學校", "物流仓储"]
    return [[f"示例{i:03d}商贸有限公司 ", make_credit_code(500 + i), categories[i % 4], "√" if i % 2 else "×",
             "jqjd" if i % 3 == 0 else "九曲街道", "幸福小区" if i % 5 else "新建社区", f"九曲街道示例路{i}号"]
            for i in range(start, start + n)]


def test_social_units_from_one_office(tmp_path, street):
    Community.objects.create(street=street, name="幸福小区")
    path = write_xlsx(tmp_path / "单位.xlsx", UNIT_HEADER, unit_rows(0, 40))
    report = import_file(path, ledger="social_unit", dry_run=True)
    counts = {(p.column, p.value): p.count for p in report.problems}
    # 仓库 10, 商场 10, 學校 10; jqjd every third row (14); 新建社区 every fifth (8); √/× read fine.
    assert counts == {("场所类别", "仓库"): 10, ("场所类别", "商场"): 10, ("场所类别", "學校"): 10,
                      ("镇街", "jqjd"): 14, ("社区", "新建社区"): 8}
    best = {u.value: u.suggestions[0] for u in report.unmatched if u.suggestions}
    assert (best["仓库"].target, best["仓库"].reason) == ("物流仓储", "同义词")
    assert (best["學校"].target, best["學校"].reason) == ("学校", "繁简或全半角写法不同")
    assert (best["jqjd"].target, best["jqjd"].reason) == ("九曲街道", "拼音首字母相同")
    assert best["學校"].confidence > best["jqjd"].confidence

    map_path = tmp_path / "map.yaml"
    run_cli(path, "--ledger", "social_unit", "--suggest-mapping", map_path, "--source", "九曲街道办")
    data = accept_all(map_path)
    assert next(e for e in data["对照"] if e["原值"] == "商场")["改为"] == "商场市场"
    code, out, err = run_cli(path, "--ledger", "social_unit", "--mapping", map_path, "--create", "communities")
    assert code == 0, err
    assert SocialUnit.objects.count() == 40 and SocialUnit.objects.filter(is_key_unit=True).count() == 20
    assert SocialUnit.objects.filter(site_category="school").count() == 10
    assert SocialUnit.objects.filter(community__name="新建社区", community__street=street).count() == 8
    assert SocialUnit.objects.get(credit_code=make_credit_code(500)).name == "示例000商贸有限公司"

    nxt = write_xlsx(tmp_path / "单位2.xlsx", UNIT_HEADER, unit_rows(40, 20))
    code, out, err = run_cli(nxt, "--ledger", "social_unit", "--source", "九曲街道办")
    assert code == 0, err
    assert "按记住的对照转换：【场所类别】“仓库”→“物流仓储”" in out
    assert SocialUnit.objects.count() == 60 and Community.objects.count() == 2


# --------------------------------------------------------------------------------------------- hazards

HAZARD_HEADER = ["单位名称", "检查日期", "隐患类别", "隐患描述", "状态", "发现日期"]


def test_hazards_from_one_office(tmp_path, street):
    import datetime as dt

    units = [SocialUnit.objects.create(name=name, site_category="logistics", street=street)
             for name in ["临沂顺达物流有限公司", "九曲商贸城"]]
    for u in units:
        Inspection.objects.create(unit=u, inspected_on=dt.date(2024, 10, 10), kind="random")
    categories = ["灭火器过期", "电动车", "占堵消防车通道"]
    rows = [["临沂顺达物流" if i % 2 else "九曲商贸城", "2024年10月10日", categories[i % 3], f"第{i}处",
             "整改中" if i % 4 == 0 else "已发现", f"2024年10月10日 {8 + i % 10}时55分"] for i in range(24)]
    path = write_xlsx(tmp_path / "隐患.xlsx", HAZARD_HEADER, rows)
    report = import_file(path, ledger="hazard", dry_run=True)
    counts = {(p.column, p.value): p.count for p in report.problems}
    assert counts == {("单位名称", "临沂顺达物流"): 12, ("隐患类别", "灭火器过期"): 8, ("隐患类别", "电动车"): 8,
                      ("状态", "整改中"): 6}
    best = {u.value: (u.suggestions[0].target, u.suggestions[0].reason) for u in report.unmatched}
    assert best == {"临沂顺达物流": ("临沂顺达物流有限公司", "名称包含"), "灭火器过期": ("灭火器材缺失或失效", "同义词"),
                    "电动车": ("电动自行车违规停放充电", "同义词"), "整改中": ("责令整改", "同义词")}
    # The web page's way: the accepted rows as a mapping (no file, no source).
    vmap = ValueMap()
    from brigade.io.mapping import Entry

    for u in report.unmatched:
        vmap.add(Entry(u.column, u.value, u.suggestions[0].target))
    done = import_file(path, ledger="hazard", mapping=vmap)
    assert done.ok and done.created == 24 and Hazard.objects.count() == 24
    assert Hazard.objects.filter(unit=units[0]).count() == 12
    assert Hazard.objects.filter(category="extinguisher").count() == 8
    assert Hazard.objects.filter(status="ordered").count() == 6
    # Remembered for any source: the same file now needs no questions, and adds nothing twice.
    again = import_file(path, ledger="hazard", dry_run=True)
    assert again.ok and again.created == 0 and again.existing == 24 and len(again.mapped) == 4


def test_a_mapping_never_changes_stored_rows(tmp_path, street):
    stored = Hydrant.objects.create(code="XHS-0001", kind="above", street=street, status="in_service")
    path = write_xlsx(tmp_path / "h.xlsx", ["编号", "类型", "状态"],
                      [["XHS-0001", "地上", "坏"], ["XHS-0002", "地上", "坏"]])
    vmap = ValueMap()
    from brigade.io.mapping import Entry

    vmap.add(Entry("类型", "地上", "地下式消火栓"))  # a wrong choice, accepted: it applies to the file only
    vmap.add(Entry("状态", "坏", "损坏"))
    report = import_file(path, ledger="hydrant", mapping=vmap)
    assert report.ok and (report.created, report.existing) == (1, 1)
    stored.refresh_from_db()
    assert (stored.kind, stored.status) == ("above", "in_service")
    assert Hydrant.objects.get(code="XHS-0002").kind == "below"


def test_remembered_mappings_are_visible_and_editable_in_the_admin(admin_client, tmp_path, street):
    ValueMapping.objects.create(ledger="hydrant", source="九曲街道办", column="类型", value="地下", target="地上式消火栓")
    page = admin_client.get("/admin/brigade_io/valuemapping/").content.decode()
    assert "导入值对照" in page and "九曲街道办" in page and "地上式消火栓" in page
    m = ValueMapping.objects.get()
    form = {"ledger": "hydrant", "source": "九曲街道办", "column": "类型", "value": "地下", "target": "地下式消火栓",
            "uses": 0}
    assert admin_client.post(f"/admin/brigade_io/valuemapping/{m.pk}/change/", form).status_code == 302
    path = write_xlsx(tmp_path / "h.xlsx", ["编号", "类型"], [["XHS-7", "地下"]])
    assert import_file(path, ledger="hydrant", origin="九曲街道办").ok
    assert Hydrant.objects.get(code="XHS-7").kind == "below"  # the edited target, not the first one


def test_create_stations_only_when_asked_and_only_on_success(tmp_path, street):
    from brigade.io.create import parse_create
    from brigade.org.models import Station
    from brigade.resources.models import Vehicle

    kind = get_ledger("vehicle").column("kind").choices.labels[0]
    path = write_xlsx(tmp_path / "车辆.xlsx", ["车牌号", "车辆类型", "所属站", "入列日期"],
                      [["鲁Q0001应急", kind, "新建站", "2020-01-01"], ["鲁Q0002应急", kind, "新建站", "2020-01-01"]])
    refused = import_file(path, ledger="vehicle", dry_run=True)
    assert [(p.value, p.count) for p in refused.problems] == [("新建站", 2)]
    preview = import_file(path, ledger="vehicle", dry_run=True, create=parse_create("stations"))
    assert preview.ok and preview.to_create == [("消防救援站", "新建站")] and not Station.objects.exists()
    with pytest.raises(UserError, match="--create 不认识“车库”"):
        parse_create("stations,车库")
    bad = write_xlsx(tmp_path / "坏.xlsx", ["车牌号", "车辆类型", "所属站", "入列日期"],
                     [["鲁Q0003应急", kind, "另一新站", "2020-01-01"], ["鲁Q0004应急", "不存在的类型", "另一新站", "2020-01-01"]])
    failed = import_file(bad, ledger="vehicle", create=parse_create("消防站"))
    assert not failed.ok and not Station.objects.exists()  # all or nothing: the new station too
    done = import_file(path, ledger="vehicle", create=parse_create("stations"))
    assert done.ok and Vehicle.objects.filter(station__name="新建站").count() == 2 and Station.objects.count() == 1
