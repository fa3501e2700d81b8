"""Two brigades in one database: each draws its own 双随机 list from its own units and officers; the
command needs --brigade and lists the brigades; verification, redraws and notices keep to one brigade."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from brigade.core.errors import UserError
from brigade.core.roles import LEADER, SUPERVISION, assign_role
from brigade.risk.models import Draw
from brigade.risk.services.draw import draw_for, draw_month, draw_verify
from tests.conftest import D
from tests.risk.conftest import make_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(brigade):
    from brigade.org.models import Brigade
    from brigade.risk.services.grading import risk_grade

    other = Brigade.objects.create(name="西山县大队")
    a = make_district(brigade, tag="东", codes=100)
    b = make_district(other, tag="西", codes=300, officers=4)
    risk_grade(on=D(2025, 12, 31))
    return {"A": brigade, "B": other, "a": a, "b": b}


def _owned(draw, side) -> bool:
    units = {u.pk for u in side["units"]}
    officers = {p.pk for p in side["officers"]}
    rows = list(draw.items.values_list("unit_id", "inspector_a_id", "inspector_b_id"))
    return bool(rows) and all(u in units and {a, b} <= officers for u, a, b in rows)


def test_each_brigade_draws_from_its_own_units_and_officers(two):
    first = draw_month(month="2026-01", brigade=two["A"], seed=5)
    second = draw_month(month="2026-01", brigade="西山县大队", seed=5)
    assert first.brigade == two["A"] and second.brigade == two["B"]
    assert _owned(first, two["a"]) and _owned(second, two["b"])
    assert first.officers == 5 and second.officers == 4
    assert draw_verify(draw=first) and draw_verify(draw=second)
    assert draw_for("2026-01", two["B"]) == second
    # A redraw of one brigade's month leaves the other's list active.
    again = draw_month(month="2026-01", brigade=two["A"], seed=6, redraw=True, reason="人员调整")
    second.refresh_from_db()
    assert second.status == "active" and again.superseded_by is None
    assert set(Draw.objects.filter(status="active").values_list("pk", flat=True)) == {again.pk, second.pk}
    # Another brigade's month with a draw is refused, naming the brigade.
    with pytest.raises(UserError, match="西山县大队2026年1月已有双随机抽查名单"):
        draw_month(month="2026-01", brigade=two["B"], seed=9)


def test_the_recent_window_and_officer_shortage_are_the_brigades_own(two):
    from brigade.org.models import Person, Post

    draw_month(month="2026-01", brigade=two["A"], seed=1)
    # B has not drawn: its recent window is empty, so its draw is as if A had never drawn.
    alone = draw_month(month="2026-02", brigade=two["B"], seed=2)
    units = list(alone.items.values_list("unit_id", flat=True))
    Draw.objects.filter(brigade=two["A"]).delete()
    Draw.objects.filter(pk=alone.pk).delete()
    assert list(draw_month(month="2026-02", brigade=two["B"], seed=2).items.values_list("unit_id", flat=True)) == units
    Person.objects.filter(brigade=two["B"]).update(post=Post.FIREFIGHTER)
    with pytest.raises(UserError, match="西山县大队监督员不足.*现有 0 名"):
        draw_month(month="2026-03", brigade=two["B"], seed=3)


def test_the_command_needs_the_brigade_and_names_it_in_the_notice(two, tmp_path):
    from docx import Document

    with pytest.raises(UserError, match="系统中有多个大队（测试大队、西山县大队），请用 --brigade 大队名称"):
        call_command("draw", "--month", "2026-01")
    with pytest.raises(UserError, match="没有名为“北山大队”的大队。系统中的大队：测试大队、西山县大队"):
        call_command("draw", "--month", "2026-01", "--brigade", "北山大队")
    out = io.StringIO()
    call_command("draw", "--month", "2026-01", "--brigade", "西山县大队", "--seed", "8", "--docx", str(tmp_path),
                 stdout=out)
    assert out.getvalue().startswith("西山县大队2026年01月双随机抽查")
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["双随机抽查名单_西山县大队_2026-01.docx", "双随机抽查名单_西山县大队_2026-01_脱敏.docx"]
    text = "\n".join(p.text for p in Document(tmp_path / files[0]).paragraphs)
    assert "西山县大队于" in text and "--month 2026-01 --brigade 西山县大队 --verify" in text
    assert "东单位" not in text and "东监督员" not in text
    out = io.StringIO()
    call_command("draw", "--month", "2026-01", "--brigade", "西山县大队", "--verify", stdout=out)
    assert "西山县大队" in out.getvalue() and "一致" in out.getvalue()
    with pytest.raises(UserError, match="测试大队2026年1月还没有双随机抽查名单"):
        call_command("draw", "--month", "2026-01", "--brigade", "测试大队", "--verify")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_web_page_draws_for_the_users_brigade(two):
    leader = User.objects.create_user("leader-b")
    assign_role(leader, LEADER, brigade=two["B"])
    client = _client(leader)
    page = client.post("/risk/", {"month": "2026-01", "seed": "4"}, follow=True).content.decode()
    assert "已抽取" in page
    draw = Draw.objects.get()
    assert draw.brigade == two["B"] and _owned(draw, two["b"])
    # The other brigade's officer sees no list for the month; the leader's page has no brigade choice.
    officer = User.objects.create_user("officer-a")
    assign_role(officer, SUPERVISION, brigade=two["A"])
    assert "本月尚未抽取" in _client(officer).get("/risk/?month=2026-01").content.decode()
    assert 'name="brigade"' not in client.get("/risk/?month=2026-01").content.decode()


def test_the_administrator_chooses_the_brigade(two):
    admin = User.objects.create_superuser("admin", password=None)
    client = _client(admin)
    page = client.get("/risk/?month=2026-01").content.decode()
    assert '<select name="brigade">' in page and "西山县大队" in page
    client.post("/risk/", {"month": "2026-01", "seed": "4", "brigade": "西山县大队"})
    assert Draw.objects.get().brigade == two["B"]
    assert "随机种子 <strong>4</strong>" in client.get("/risk/?month=2026-01&brigade=西山县大队").content.decode()
    assert "本月尚未抽取" in client.get("/risk/?month=2026-01&brigade=测试大队").content.decode()
    page = client.get("/risk/?month=2026-01&brigade=北山大队").content.decode()
    assert "没有名为“北山大队”的大队" in page


def test_one_brigade_needs_no_name(graded):
    out = io.StringIO()
    call_command("draw", "--month", "2026-01", "--seed", "3", stdout=out)
    assert out.getvalue().startswith("2026年01月双随机抽查")  # no brigade name with one brigade


def test_a_leader_of_no_brigade_cannot_draw(two):
    leader = User.objects.create_user("leader-none")
    assign_role(leader, LEADER)
    page = _client(leader).post("/risk/", {"month": "2026-01"}, follow=True).content.decode()
    assert "您的账号尚未归属任何大队" in page and not Draw.objects.exists()
