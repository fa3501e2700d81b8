"""Known answers for the activity-ledger figures: every data-defined ``ledger.<kind>.<metric>``
and every named seed figure that sums one or more kinds (H, R1–R2, T, E, P).

One fixture gives every active kind of the shipped catalogue five rows with a different value
per metric and per row: in 2025 in one street, in 2025 at a station (no street), in 2025 in
another street, in 2024 (the year-earlier figure) and on 1 January 2026 (outside). Each row's
values are scaled differently (1, 20, 300, 4000, 50000 times the kind's number), so a wrongly
included row changes the answer. The expected figures are sums over these rows with pandas.
"""

import datetime as dt

import pandas as pd
import pytest

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, Scope
from brigade.metrics.registry import all_metrics, compute

pytestmark = pytest.mark.django_db
D = dt.date

# (row name, date, where, scale)
ROWS = [
    ("in_street", D(2025, 3, 1), "street", 1),
    ("at_station", D(2025, 12, 31), "station", 20),
    ("other_street", D(2025, 1, 1), "other", 300),
    ("year_before", D(2024, 6, 30), "street", 4000),
    ("after", D(2026, 1, 1), "street", 50000),
]

# Each named seed figure: the kinds it sums and the figure it sums, as SEED_METRICS.md defines them.
OUTREACH = ["outreach_enterprise", "outreach_village", "outreach_community", "outreach_school", "outreach_family"]
SEED = {
    "honours.individual": (["individual_honour"], "people"),
    "honours.collective": (["collective_honour"], "count"),
    "honours.security_tasks": (["security_task"], "count"),
    "responsibility.government_meetings": (["government_meeting"], "count"),
    "responsibility.committee_meetings": (["committee_meeting"], "count"),
    "team.education_seminars": (["education_seminar"], "count"),
    "team.integrity_letters": (["integrity_letter"], "count"),
    "team.party_days": (["party_day"], "count"),
    "team.honour_plaques": (["honour_plaque"], "count"),
    "team.safety_meetings": (["safety_meeting"], "count"),
    "team.alcohol_checks": (["alcohol_check"], "count"),
    "team.alcohol_checked_people": (["alcohol_check"], "people"),
    "training.fitness_tests": (["fitness_test"], "count"),
    "training.specialised_sessions": (["specialised_training"], "count"),
    "training.road_water_surveys": (["road_water_survey"], "count"),
    "training.familiarisation_visits": (["familiarisation"], "count"),
    "training.live_drills": (["live_drill"], "count"),
    "training.preplans_revised": (["preplan_revision"], "count"),
    "training.patrols": (["patrol"], "count"),
    "training.case_reviews": (["case_review"], "count"),
    "training.collective_studies": (["collective_study"], "count"),
    "training.shadowing_visits": (["shadowing"], "count"),
    "training.field_practice": (["field_practice"], "count"),
    "training.integrity_education": (["integrity_education"], "count"),
    "publicity.outreach_events": (OUTREACH, "count"),
    "publicity.online_trainings": (["online_training"], "count"),
    "publicity.volunteer_events": (["volunteer_event"], "count"),
    "publicity.materials": ([*OUTREACH, "volunteer_event", "materials"], "materials"),
    "publicity.people_trained": ([*OUTREACH, "online_training", "volunteer_event", "safety_training"], "people"),
    "publicity.schools": (["national_lesson"], "schools"),
    "publicity.banners": (["banner"], "places"),
    "publicity.broadcasts": (["broadcast"], "broadcasts"),
    "publicity.media_works": (["media_work"], "works"),
    "publicity.livestreams": (["livestream"], "count"),
    "publicity.livestream_audience": (["livestream"], "audience"),
}


@pytest.fixture
def ledger(brigade, street, station):
    """Five rows per active kind; returns the places and the rows as a long pandas table."""
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.org.models import Street

    other = Street.objects.create(brigade=brigade, name="城东街道")
    place = {"street": {"street": street}, "station": {"station": station}, "other": {"street": other}}
    activities, long = [], []
    for number, kind in enumerate(ActivityKind.objects.filter(is_active=True).order_by("code"), start=1):
        for name, day, where, scale in ROWS:
            # A quarter on the second figure of the in-street row: sums need not be whole numbers.
            values = {m: scale * number + j + (0.25 if (j, name) == (1, "in_street") else 0)
                      for j, m in enumerate(kind.metric_codes)}
            activities.append(Activity(occurred_on=day, kind=kind, values=values, **place[where]))
            long += [{"kind": kind.code, "metric": m, "row": name, "day": day, "where": where, "value": v}
                     for m, v in values.items()]
    Activity.objects.bulk_create(activities)
    return {"street": street, "station": station, "rows": pd.DataFrame(long)}


def _expected(rows: pd.DataFrame, year: int, where: tuple[str, ...]) -> dict[tuple[str, str], float]:
    """Sum per (kind, metric) of the rows of a year at the given places (pandas, not the metric code)."""
    chosen = rows[rows["day"].map(lambda d: d.year == year) & rows["where"].isin(where)]
    return chosen.groupby(["kind", "metric"])["value"].sum().to_dict()


def _seed_expected(sums: dict, code: str) -> float:
    kinds, metric = SEED[code]
    return round(sum(sums.get((k, metric), 0) for k in kinds), 2)


BRIGADE_PLACES = ("street", "station", "other")


def test_every_activity_kind_metric_has_its_known_answer(ledger):
    """Every data-defined ledger metric, read from the registry at run time, in three scopes."""
    from brigade.metrics import registry

    rows = ledger["rows"]
    codes = sorted(c for c in all_metrics() if c.startswith("ledger.") and c not in registry._REGISTRY)
    assert {tuple(c.split(".")[1:]) for c in codes} == set(zip(rows["kind"], rows["metric"], strict=True))
    assert len(codes) == 53  # the shipped catalogue: 37 kinds, 53 figures

    street = Scope("street", ledger["street"].name, ledger["street"].pk)
    station = Scope("station", ledger["station"].name, ledger["station"].pk)
    cases = [(BRIGADE, BRIGADE_PLACES), (street, ("street",)), (station, ("station",))]
    for scope, places in cases:
        table = compute(parse_period("2025"), scope, codes=codes)
        now, before = _expected(rows, 2025, places), _expected(rows, 2024, places)
        got = {c: (table[c].value, table[c].previous) for c in codes}
        want = {c: (round(now.get(tuple(c.split(".")[1:]), 0), 2), round(before.get(tuple(c.split(".")[1:]), 0), 2))
                for c in codes}
        assert got == want, scope.key
    # By hand for one kind (alcohol_check, number 1 in code order) over the brigade's year.
    table = compute(parse_period("2025"), BRIGADE, codes=["ledger.alcohol_check.count", "ledger.alcohol_check.people"])
    assert table.value("ledger.alcohol_check.count") == 1 + 20 + 300
    assert table.value("ledger.alcohol_check.people") == (1 + 1.25) + (20 + 1) + (300 + 1)
    assert table["ledger.alcohol_check.count"].previous == 4000


def test_a_deactivated_kind_is_no_longer_a_metric(ledger):
    from brigade.ledger.models import ActivityKind

    assert "ledger.patrol.count" in all_metrics()
    kind = ActivityKind.objects.get(code="patrol")
    kind.is_active = False
    kind.save()  # the registry forgets its data-defined metrics on save
    assert "ledger.patrol.count" not in all_metrics()
    assert "training.patrols" in all_metrics()  # the named seed figure stays, summing the kind's rows


def test_every_named_seed_figure_sums_its_kinds(ledger):
    rows = ledger["rows"]
    street = Scope("street", ledger["street"].name, ledger["street"].pk)
    station = Scope("station", ledger["station"].name, ledger["station"].pk)
    for scope, places in [(BRIGADE, BRIGADE_PLACES), (street, ("street",)), (station, ("station",))]:
        table = compute(parse_period("2025"), scope, codes=list(SEED))
        now, before = _expected(rows, 2025, places), _expected(rows, 2024, places)
        got = {c: (table[c].value, table[c].previous) for c in SEED}
        assert got == {c: (_seed_expected(now, c), _seed_expected(before, c)) for c in SEED}, scope.key


def test_composite_seed_figures_by_hand(ledger):
    """Figures over several kinds, from the kinds' numbers by hand (the in-street row only)."""
    from brigade.ledger.models import ActivityKind

    number = {k: i for i, k in enumerate(
        ActivityKind.objects.filter(is_active=True).order_by("code").values_list("code", flat=True), start=1)}
    outreach = sum(number[k] for k in OUTREACH)
    street = Scope("street", ledger["street"].name, ledger["street"].pk)
    table = compute(parse_period("2025"), street, codes=["publicity.outreach_events", "publicity.materials"])
    # count is each kind's first figure (scale × number + 0); materials is the second for outreach
    # and volunteer events (+1, +0.25 in the in-street row) and the first for the materials kind.
    assert table.value("publicity.outreach_events") == outreach
    materials = (outreach + 5 * 1.25) + (number["volunteer_event"] + 1.25) + number["materials"]
    assert table.value("publicity.materials") == materials
