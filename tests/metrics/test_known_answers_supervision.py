"""Known answers for the enforcement figures counted per unit: stop orders and government listings (S6).

A unit with two decisions of a kind in the period counts once; a decision of another kind, a
decision outside the period and (for a street) a unit of another street do not count.
"""

import datetime as dt

import pytest

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, Scope
from brigade.metrics.registry import compute
from tests.conftest import make_credit_code

pytestmark = pytest.mark.django_db
D = dt.date
CODES = ["supervision.stop_orders", "supervision.government_listings", "supervision.seal_ups"]


@pytest.fixture
def actions(brigade, street):
    from brigade.org.models import Street
    from brigade.supervision.models import EnforcementAction
    from brigade.units.models import SocialUnit

    east = Street.objects.create(brigade=brigade, name="城东街道")
    u1, u2, u3 = (SocialUnit.objects.create(name=f"单位{i}", credit_code=make_credit_code(100 + i),
                                            site_category="logistics", street=st)
                  for i, st in enumerate([street, street, east], start=1))
    rows = [  # (kind, decided on, unit)
        ("stop_order", D(2025, 2, 1), u1),
        ("stop_order", D(2025, 9, 1), u1),  # the same unit again: one unit
        ("stop_order", D(2025, 3, 1), u3),
        ("stop_order", D(2024, 5, 1), u2),
        ("stop_order", D(2026, 1, 1), u2),  # after the period
        ("gov_listing", D(2025, 4, 1), u2),
        ("gov_listing", D(2025, 12, 31), u3),
        ("gov_listing", D(2024, 4, 1), u2),
        ("gov_listing", D(2024, 6, 1), u3),
        ("seal_up", D(2025, 4, 1), u1),  # another kind
    ]
    basis = {"stop_order": "art58", "gov_listing": "major", "seal_up": "art54"}
    for kind, day, unit in rows:
        EnforcementAction.objects.create(kind=kind, decided_on=day, unit=unit, legal_basis=basis[kind],
                                         stop_kind="business" if kind == "stop_order" else "")
    return {"street": street, "east": east, "rows": rows}


def _units(rows, kind, year, street=None):
    return len({u.pk for k, day, u in rows if k == kind and day.year == year and (street is None or u.street == street)})


def test_units_per_kind_for_the_brigade_and_a_street(actions):
    rows = actions["rows"]
    table = compute(parse_period("2025"), BRIGADE, codes=CODES)
    got = {c: (table[c].value, table[c].previous) for c in CODES}
    assert got == {
        "supervision.stop_orders": (_units(rows, "stop_order", 2025), _units(rows, "stop_order", 2024)),
        "supervision.government_listings": (_units(rows, "gov_listing", 2025), _units(rows, "gov_listing", 2024)),
        "supervision.seal_ups": (1, 0),
    }
    assert got["supervision.stop_orders"] == (2, 1) and got["supervision.government_listings"] == (2, 2)

    street = Scope("street", actions["street"].name, actions["street"].pk)
    table = compute(parse_period("2025"), street, codes=CODES)
    assert {c: (table[c].value, table[c].previous) for c in CODES} == {
        "supervision.stop_orders": (1, 1), "supervision.government_listings": (1, 1), "supervision.seal_ups": (1, 0),
    }
    assert _units(rows, "stop_order", 2025, actions["street"]) == 1


def test_a_quarter_counts_only_its_decisions(actions):
    table = compute(parse_period("2025-Q1"), BRIGADE, codes=CODES)
    assert {c: table.value(c) for c in CODES} == {
        "supervision.stop_orders": 2, "supervision.government_listings": 0, "supervision.seal_ups": 0,
    }
