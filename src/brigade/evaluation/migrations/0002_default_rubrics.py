"""Seed two example rubrics (one for streets, one for departments) that a brigade edits to its own rules."""

from decimal import Decimal

from django.db import migrations

NOTE = "示例细则：分值、标准值和扣分办法请按本地考评办法在管理后台修改。"
STREET_ITEMS = [
    ("检查指导单位不少于10家次", 20, "metric", "supervision.units_inspected", "gte", 10, 2),
    ("逾期未改火灾隐患不多于0处", 20, "metric", "supervision.hazards_overdue", "lte", 0, 2),
    ("督促整改火灾隐患不少于5处", 10, "metric", "supervision.hazards_rectified", "gte", 5, 2),
    ("召开消防安全约谈会不少于1次", 10, "metric", "responsibility.interviews", "gte", 1, None),
    ("消防安全委员会履职、会议和部署", 20, "manual", "", "", None, None),
    ("消防宣传培训和“五进”工作", 20, "manual", "", "", None, None),
]
DEPARTMENT_ITEMS = [
    ("落实行业消防安全监管责任", 40, "manual", "", "", None, None),
    ("参加联合执法检查", 30, "manual", "", "", None, None),
    ("督办本行业火灾隐患整改", 30, "manual", "", "", None, None),
]


def seed(apps, schema_editor):
    Rubric = apps.get_model("evaluation", "Rubric")
    RubricItem = apps.get_model("evaluation", "RubricItem")
    for name, target, items in (("镇街消防工作月度考评细则（示例）", "street", STREET_ITEMS),
                                ("行业部门消防工作月度考评细则（示例）", "department", DEPARTMENT_ITEMS)):
        if Rubric.objects.filter(name=name).exists():
            continue
        rubric = Rubric.objects.create(name=name, target=target, total_points=Decimal(sum(i[1] for i in items)),
                                       note=NOTE)
        for order, (title, points, method, code, comparison, threshold, per_unit) in enumerate(items, start=1):
            RubricItem.objects.create(
                rubric=rubric, order=order, title=title, points=Decimal(points), method=method, metric_code=code,
                comparison=comparison, threshold=None if threshold is None else Decimal(threshold),
                per_unit=None if per_unit is None else Decimal(per_unit),
            )


def unseed(apps, schema_editor):
    apps.get_model("evaluation", "Rubric").objects.filter(note=NOTE, runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
