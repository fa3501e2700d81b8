"""The draw as each officer's worklist; the rubric refused with the line named."""

import pytest
from django.core.exceptions import ValidationError

from brigade.risk.models import RiskRubric
from brigade.risk.rubric import RubricError, default_text, parse_rubric
from brigade.risk.services.draw import draw_month
from brigade.supervision.worklist import worklist
from tests.conftest import D

pytestmark = pytest.mark.django_db


def test_drawn_checks_are_the_officers_worklist_until_inspected(graded):
    from brigade.supervision.models import Inspection

    draw = draw_month(month="2026-01", seed=4)
    officer = graded["officers"][0]
    mine = [i for i in draw.items.select_related("unit") if officer.pk in (i.inspector_a_id, i.inspector_b_id)]
    items = worklist(on=D(2026, 1, 5), officer=officer.name).of_kind("random_check")
    assert sorted(i.unit for i in items) == sorted(i.unit.name for i in mine)
    assert all(i.due_on == draw.due_on and officer.name in i.officers for i in items)
    Inspection.objects.create(unit=mine[0].unit, inspected_on=D(2026, 1, 6), kind="random")
    after = worklist(on=D(2026, 1, 7), officer=officer.name).of_kind("random_check")
    assert len(after) == len(items) - 1
    late = worklist(on=D(2026, 2, 3), officer=officer.name).of_kind("random_check")
    assert late and all(i.is_late for i in late)


def _broken(old: str, new: str) -> str:
    text = default_text()
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  hazmat: 30", "  spaceship: 30", "场所类别“spaceship”不存在"),
    ("    per: 5\n    cap: 20", "    per: 五\n    cap: 20", "“factors.overdue.per”应为数字，收到“五”"),
    ("  high: 45 ", "  high: 10 ", "应高于中风险分数线"),
    ("    months: 12\n    source: 本地设定：销案后", "    months: 1.5\n    source: 本地设定：销案后", "应为正整数"),
    ("  overdue:", "  overdues:", "“factors”下没有“overdues”这一项"),
])
def test_bad_rubric_is_refused_with_the_line(old, new, message):
    text = _broken(old, new)
    with pytest.raises(RubricError) as err:
        parse_rubric(text)
    line = _line_of(text, new.splitlines()[0].strip().split(":")[0] + ":" if "per: 五" not in new else "per: 五")
    assert message in str(err.value)
    assert str(err.value).startswith(f"第{line}行")


def test_category_by_chinese_label_and_missing_source():
    rubric = parse_rubric(_broken("  hazmat: 30", "  易燃易爆危险品场所: 31"))
    assert rubric.weights.category_points["hazmat"] == 31
    with pytest.raises(RubricError, match="须注明依据"):
        parse_rubric(_broken("  source: 《消防法》（2021）第十七条", "  source: ''  #"))


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(RubricError, match=r"^第\d+行：细则不是有效的 YAML"):
        parse_rubric(default_text() + "\nfactors: [unclosed\n")


def test_admin_rubric_save_refuses_bad_text(graded):
    from brigade.risk.services.grading import risk_grade

    bad = RiskRubric(name="坏细则", text=_broken("  hazmat: 30", "  spaceship: 30"))
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert "spaceship" in err.value.message_dict["text"][0]
    RiskRubric.objects.create(name="从严细则", text=_broken("  high: 45 ", "  high: 40 "))
    summary = risk_grade(on=D(2025, 12, 31))
    assert summary.rubric == "默认风险分级细则"  # the name inside the text
    assert summary.by_level["high"] > 0
