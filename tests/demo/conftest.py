"""One small demo brigade (scale 0.1) shared by the demo tests of a module, wiped afterwards."""

import datetime as dt

import pytest

SEED = 7
YEAR = 2025
# The current year's data run to the end of March: history is 2023-2025 in full and 2026 to date.
UNTIL = dt.date(YEAR + 1, 3, 31)
SCALE = 0.1


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from brigade.demo.generator import build_demo, wipe_demo
    from tests.conftest import ensure_reference_data

    with django_db_blocker.unblock():
        ensure_reference_data()
        build = build_demo(seed=SEED, year=YEAR, until=UNTIL, scale=SCALE)
        yield build
        wipe_demo()
