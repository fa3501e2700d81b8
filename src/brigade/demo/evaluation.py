"""The demo year's monthly evaluation of streets: the shipped rubrics scored from the demo's own records."""

import datetime as dt

from brigade.evaluation.models import Rubric, RubricTarget
from brigade.evaluation.services import evaluation_run


def build_evaluations(b) -> None:
    """Run every active street rubric for each complete month from the year before the demo year to
    the current year to date (departments are scored by hand), so the demo year's scores have a base
    for 同比. The oldest year is left unscored: each month's run computes every metric per street,
    the slowest part of the build."""
    months = []
    for year in range(b.demo_year - 1, b.until.year + 1):
        for month in range(1, 13):
            last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
            if last <= b.until:
                months.append(f"{year}-{month:02d}")
    for rubric in Rubric.objects.filter(target=RubricTarget.STREET, is_active=True):
        for month in months:
            evaluation_run(rubric=rubric, month=month, brigade=b.objects["brigade"])
