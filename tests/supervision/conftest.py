"""Fixtures for the supervision workflows: an officer, a user, inspections on chosen days."""

import datetime as dt

import pytest

from tests.conftest import make_credit_code


@pytest.fixture
def officer(brigade, station):
    from brigade.org.models import Person

    return Person.objects.create(brigade=brigade, name="王监督", station=station, post="supervisor")


@pytest.fixture
def user(db, django_user_model):
    return django_user_model.objects.create_user(username="wang")  # no password: skips the slow Argon2 hash


@pytest.fixture
def inspect(unit, officer):
    """Make an inspection of ``unit`` (or another unit) on a day, by the officer."""
    from brigade.supervision.models import Inspection

    def make(day: dt.date, *, of=None, kind="random"):
        inspection = Inspection.objects.create(unit=of or unit, inspected_on=day, kind=kind)
        inspection.inspectors.add(officer)
        return inspection

    return make


@pytest.fixture
def other_unit(brigade):
    from brigade.org.models import Street
    from brigade.units.models import SocialUnit

    street = Street.objects.create(brigade=brigade, name="凤凰街道", code="371312002")
    return SocialUnit.objects.create(name="凤凰商场", credit_code=make_credit_code(2), site_category="retail",
                                     street=street)
