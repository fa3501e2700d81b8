"""Each active activity kind as an Excel ledger of activities: the date, a column per figure of the kind,
then where and what (declared on the activities' record type, ``brigade.ledger.records``)."""

from brigade.io.ledgers import Column, Ledger
from brigade.ledger.models import Activity, ActivityKind
from brigade.org.models import Department, Station, Street


def kind_ledger(kind: ActivityKind) -> Ledger:
    columns = [
        Column("occurred_on", "日期", "date", True, ("活动日期", "时间", "开展日期"), example="2025-03-05"),
    ]
    for metric in kind.metrics:
        columns.append(Column(f"metric:{metric['code']}", f"{metric['label']}（{metric['unit']}）", "metric", True,
                              (metric["label"],), example=1))
    columns += [
        Column("street", "镇街", "ref", False, ("街道", "乡镇"), model=Street, example="九曲街道"),
        Column("station", "消防站", "ref", False, ("站", "所属站"), model=Station, example=""),
        Column("department", "部门", "ref", False, ("行业部门",), model=Department, example=""),
        Column("note", "说明", "text", False, ("备注", "内容"), example=kind.description or ""),
    ]
    return Ledger(
        kind.code, kind.name, Activity, columns,
        natural_keys=[("kind_id", "occurred_on", "street_id", "station_id", "department_id", "values", "note")],
        date_field="occurred_on", fixed={"kind": kind}, figures_field="values",
    )


def active_kind_ledgers() -> list[Ledger]:
    return [kind_ledger(kind) for kind in ActivityKind.objects.filter(is_active=True)]
