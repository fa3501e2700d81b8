"""The demo's risk grades (as of the year's last day) and the next January's 双随机 draw, from a fixed seed."""

from brigade.org.models import Person, Post
from brigade.risk.selectors import active_rubric
from brigade.risk.services.draw import draw_month
from brigade.risk.services.grading import risk_grade


def build_risk(b) -> None:
    risk_grade(on=b.end)
    draw_for_brigade(b.objects["brigade"], month=f"{b.year + 1}-01", seed=b.rng.randrange(10**9))


def draw_for_brigade(brigade, *, month: str, seed: int) -> None:
    """The brigade's draw of the month, as many checks as its officers can make (key units due beyond
    that move to the next month); none for a brigade of fewer than two officers."""
    officers = Person.objects.filter(brigade=brigade, post=Post.SUPERVISOR).count()
    if officers < 2:
        return
    checks = officers * active_rubric().checks_per_officer // 2
    draw_month(month=month, brigade=brigade, seed=seed, checks=checks)
