"""The demo year's monthly evaluation of streets: the shipped rubrics scored from the demo's own records."""

from brigade.evaluation.models import Rubric, RubricTarget
from brigade.evaluation.services import evaluation_run


def build_evaluations(b) -> None:
    """Run every active street rubric for each month of the year (departments are scored by hand)."""
    for rubric in Rubric.objects.filter(target=RubricTarget.STREET, is_active=True):
        for month in range(1, 13):
            evaluation_run(rubric=rubric, month=f"{b.year}-{month:02d}")
