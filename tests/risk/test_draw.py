"""The monthly draw: reproducible from the seed, weighted by grade, conflicts excluded, no silent redraw."""

import pytest
from django.core.management import CommandError, call_command

from brigade.risk.choices import DrawStatus
from brigade.risk.models import ConflictOfInterest, Draw, DrawItem, UnitRisk
from brigade.risk.selectors import active_rubric
from brigade.risk.services.draw import DrawError, draw_month, draw_verify, input_from_json, prepare

pytestmark = pytest.mark.django_db


def test_draw_fills_capacity_with_pairs_and_loads_within_limit(graded):
    draw = draw_month(month="2026-01", seed=42)
    per = active_rubric().checks_per_officer
    assert draw.checks == 5 * per // 2 == DrawItem.objects.filter(draw=draw).count()
    load = {}
    for a, b in draw.items.values_list("inspector_a_id", "inspector_b_id"):
        assert a and b and a != b
        load[a] = load.get(a, 0) + 1
        load[b] = load.get(b, 0) + 1
    assert max(load.values()) <= per
    assert draw.due_on.month == 1 and draw.due_on.isoweekday() <= 5


def test_same_seed_same_list_and_verify(graded):
    draw = draw_month(month="2026-01", seed=7)
    first = list(draw.items.values_list("unit_id", "inspector_a_id", "inspector_b_id"))
    assert draw_verify(draw=draw)
    redrawn = draw_month(month="2026-01", seed=7, redraw=True, reason="测试复核")
    assert list(redrawn.items.values_list("unit_id", "inspector_a_id", "inspector_b_id")) == first
    other = draw_month(month="2026-01", seed=8, redraw=True, reason="换一个种子")
    assert list(other.items.values_list("unit_id", flat=True)) != [u for u, _, _ in first]


def test_tampered_inputs_fail_verification(graded):
    draw = draw_month(month="2026-01", seed=3)
    draw.inputs["levels"] = "h" * len(draw.inputs["levels"])
    assert not draw_verify(draw=draw)


def test_month_with_a_draw_is_not_silently_redrawn(graded):
    first = draw_month(month="2026-01", seed=1)
    with pytest.raises(DrawError, match="已有双随机抽查名单.*种子 1.*注明理由"):
        draw_month(month="2026-01", seed=2)
    with pytest.raises(DrawError, match="重新抽取须注明理由"):
        draw_month(month="2026-01", seed=2, redraw=True)
    second = draw_month(month="2026-01", seed=2, redraw=True, reason="监督员调整")
    first.refresh_from_db()
    assert first.status == DrawStatus.SUPERSEDED and first.superseded_by == second
    assert first.items.count() > 0  # the old list is kept
    assert Draw.objects.filter(status=DrawStatus.ACTIVE).get() == second
    assert second.reason == "监督员调整"


def test_too_few_officers_says_how_many_are_missing(graded):
    per = active_rubric().checks_per_officer
    with pytest.raises(DrawError) as err:
        draw_month(month="2026-01", seed=1, checks=5 * per)  # needs 10 officers
    assert "现有 5 名，还缺 5 名" in str(err.value)
    assert not Draw.objects.exists()


def test_conflicts_are_never_paired(graded):
    officer = graded["officers"][0]
    ConflictOfInterest.objects.create(person=officer, street=graded["a"], reason="居住在甲街道")
    ConflictOfInterest.objects.create(person=graded["officers"][1], unit=graded["units"][0], reason="亲属经营")
    for seed in range(5):
        draw = draw_month(month="2026-01", seed=seed, redraw=seed > 0, reason="再抽")
        for item in draw.items.all():
            people = {item.inspector_a_id, item.inspector_b_id}
            if item.street_id == graded["a"].pk:
                assert officer.pk not in people
            if item.unit_id == graded["units"][0].pk:
                assert graded["officers"][1].pk not in people


def test_high_risk_units_are_drawn_more_often(graded, brigade):
    """Over many seeds of the pure draw, a high-risk unit's share beats a low-risk one's by the weights."""
    from brigade.analysis.draw import draw_sample

    prepared = prepare(month=__import__("brigade.risk.services.draw", fromlist=["parse_month"]).parse_month("2026-01"),
                       rubric=active_rubric(), brigade=brigade, checks=6)
    data = prepared.data
    data.must[:] = False
    levels = prepared.levels
    hits = {"high": 0, "low": 0}
    for seed in range(300):
        for u in draw_sample(data, seed).units:
            lv = levels[list(data.unit_ids).index(u)]
            if lv in hits:
                hits[lv] += 1
    n_high, n_low = levels.count("high"), levels.count("low")
    assert n_high and n_low
    assert hits["high"] / n_high > 2 * hits["low"] / n_low


def test_key_units_due_on_their_cycle_come_first(graded):
    draw = draw_month(month="2026-01", seed=5)
    due = set(draw.items.filter(reason="due").values_list("unit_id", flat=True))
    # Key units (every 5th) never inspected or last inspected 2025-06 (within 12 months): only the never-inspected.
    key_never = {u.pk for i, u in enumerate(graded["units"]) if i % 5 == 0 and i >= 20}
    assert due == key_never


def test_repeat_window_excludes_recent_units_unless_high(graded):
    first = draw_month(month="2026-01", seed=11)
    second = draw_month(month="2026-02", seed=12)
    level = dict(UnitRisk.objects.values_list("unit_id", "level"))
    again = set(first.items.values_list("unit_id", flat=True)) & set(second.items.values_list("unit_id", flat=True))
    assert all(level[u] == "high" for u in again)


def test_stored_inputs_rebuild_the_same_input(graded, brigade):
    from brigade.risk.services.draw import parse_month

    prepared = prepare(month=parse_month("2026-01"), rubric=active_rubric(), brigade=brigade)
    again = input_from_json(prepared.inputs)
    assert (again.unit_ids == prepared.data.unit_ids).all()
    assert (again.weights == prepared.data.weights).all()
    assert (again.must == prepared.data.must).all() and (again.eligible == prepared.data.eligible).all()


def test_draw_command_writes_notice_and_redacted_twin(graded, tmp_path):
    from docx import Document

    call_command("draw", "--month", "2026-01", "--seed", "99", "--docx", str(tmp_path))
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["双随机抽查名单_2026-01.docx", "双随机抽查名单_2026-01_脱敏.docx"]
    text = "\n".join(p.text for p in Document(tmp_path / files[0]).paragraphs)
    twin = "\n".join(p.text for p in Document(tmp_path / files[1]).paragraphs)
    first = DrawItem.objects.order_by("order").select_related("unit").first()
    assert "随机种子 99" in text and first.unit.name in text and "监督员" in text
    assert first.unit.name not in twin and "监督员0" not in twin and "**" in twin
    call_command("draw", "--month", "2026-01", "--verify")


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026"], "按月进行"),
    (["--month", "2026-13"], "2026-13"),
    (["--month", "2026-01", "--seed", "abc"], "随机种子应为"),
    (["--month", "2026-01", "--checks", "0"], "抽查户数应为正整数"),
])
def test_draw_command_bad_input(graded, args, message):
    with pytest.raises((DrawError, CommandError)) as err:
        call_command("draw", *args)
    assert message in str(err.value)
