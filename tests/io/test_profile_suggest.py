"""`brigade profile suggest FILE --out draft.yaml`, then `brigade import FILE --profile draft.yaml --dry-run`."""

import io

import pytest
import yaml
from django.core.management import call_command

from brigade.core.errors import UserError
from brigade.io.profiles.run import import_with_profile
from tests.io.test_cn_daily_alarms import ALARMS, org, write_gb18030_csv, write_xlsx  # noqa: F401 (org: fixture)

pytestmark = pytest.mark.django_db


def _draft(path, tmp_path) -> tuple:
    out = tmp_path / "draft.yaml"
    stdout = io.StringIO()
    call_command("profile", "suggest", str(path), "--out", str(out), stdout=stdout)
    assert "已写入映射配置草稿" in stdout.getvalue()
    return out, out.read_text(encoding="utf-8")


@pytest.mark.parametrize("shape", ["xlsx", "csv"])
def test_draft_of_a_wide_chinese_export_groups_the_units_and_previews(tmp_path, org, shape):  # noqa: F811
    from brigade.response.models import Incident

    path = write_xlsx(tmp_path / "火警.xlsx") if shape == "xlsx" else write_gb18030_csv(tmp_path / "火警.csv")
    out, text = _draft(path, tmp_path)
    draft = yaml.safe_load(text)
    assert draft["incident"]["received_at"] == "立案时间" and draft["brigade"]["column"] == "所属大队"
    assert draft["first_due"]["column"] == "所属队站" and draft["incident"]["key"] == ["立案时间", "火警地址"]
    station, micro = draft["units"]
    assert station["station"] == "first_due" and micro["kind"] == "micro"
    assert micro["durations"]["departed_at"]["unit"] == "seconds"
    assert set(micro) >= {"dispatched_at", "departed_at", "arrived_at"}
    assert "待确认" in text  # undecided points are marked in Chinese

    stdout = io.StringIO()
    call_command("import", str(path), "--profile", str(out), "--dry-run", stdout=stdout)
    shown = stdout.getvalue()
    assert "预览" in shown and "微型消防站（微型消防站）" in shown and "接警→到场 2分30秒" in shown
    assert Incident.objects.count() == 0
    # The draft, confirmed, imports what the shipped profile imports.
    report = import_with_profile(path, profile=str(out))
    assert report.ok and report.created == len(ALARMS)


def test_draft_of_the_sf_export_reads_its_english_columns(tmp_path):

    from tests.sample_data import sf_calls_csv

    sf = sf_calls_csv()
    head = tmp_path / "sf.csv"
    head.write_text("".join(sf.read_text(encoding="utf-8").splitlines(keepends=True)[:200]), encoding="utf-8")
    out, text = _draft(head, tmp_path)
    draft = yaml.safe_load(text)
    assert draft["incident"]["group_by"] == "Call Number" and draft["incident"]["received_at"] == "Received DtTm"
    assert draft["datetime_formats"] == ["%m/%d/%Y %I:%M:%S %p"] and draft["first_due"]["name"] == "{value}号站"
    unit = draft["units"][0]
    assert unit["vehicle"]["column"] == "Unit ID" and unit["arrived_at"] == "On Scene DtTm"
    # Unknown brigade and stations: the dry run names them; allowed to create, it reads every row.
    report = import_with_profile(head, profile=str(out), dry_run=True)
    assert not report.ok and any("请填写大队名称" in e.message for e in report.errors)
    out.write_text(text.replace("create: false", "create: true"), encoding="utf-8")
    report = import_with_profile(head, profile=str(out), dry_run=True)
    shipped = import_with_profile(head, profile="sf_fire_calls", dry_run=True)
    assert report.ok and report.created == shipped.created and report.preview


def test_a_file_without_recognisable_columns_is_refused_in_chinese(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(UserError, match="无法起草映射配置"):
        call_command("profile", "suggest", str(path), stdout=io.StringIO())
