"""Scopes over brigades: one brigade of many reads exactly what it would read alone, the detachment
recomputes percentiles from the union of records, and bad scope names are refused in Chinese."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, DETACHMENT, ScopeError, parse_scope
from brigade.metrics.registry import all_metrics, compute

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = parse_period("2025")


def _light(district: str, scale: float = 0.05):
    from brigade.demo.detachment import PROFILES, brigade_name, build_brigade
    from brigade.org.models import Brigade

    profile = next(p for p in PROFILES if p.district == district)
    build_brigade(profile, seed=7, years=[2024, 2025], until=D(2025, 12, 31), scale=scale,
                  data_dir=Path(settings.BRIGADE_DATA_DIR))
    return Brigade.objects.get(name=brigade_name(district))


def _other_brigade(name: str = "乙大队"):
    """A second brigade with a light year of records and one row of every kind that reaches a
    brigade by another path (letters to a department, activities of a department, a call with no
    street, people without a station, sheds, hydrants, evaluation scores)."""
    from brigade.evaluation.models import EvaluationRun, EvaluationScore, Rubric
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.org.models import Community, Department, Person
    from brigade.resources.models import ChargingShed, ElevatorBlocker, Hydrant, WaterSource
    from brigade.response.models import Incident
    from brigade.supervision.models import Interview, SupervisionLetter

    other = _light("罗庄区")
    street = other.streets.order_by("code").first()
    station = other.stations.order_by("name").first()
    dept = Department.objects.filter(brigade=other).first()
    Interview.objects.create(held_on=D(2025, 2, 2), site_category="logistics", street=street, people_count=7)
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 5), street=street, subject="乙督促")
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 6), department=dept, subject="乙督促部门")
    alcohol = ActivityKind.objects.get(code="alcohol_check")
    for where in ({"street": street}, {"station": station}, {"department": dept}):
        Activity.objects.create(occurred_on=D(2025, 4, 1), kind=alcohol, values={"count": 3, "people": 9}, **where)
    Incident.objects.create(number="乙无镇街", category="fire", received_at=dt.datetime(2025, 5, 5, 10, tzinfo=dt.UTC),
                            first_due_station=station)
    Person.objects.create(brigade=other, name="乙文员", is_on_duty=True)
    comm = Community.objects.create(street=street, name="乙小区")
    ChargingShed.objects.create(community=comm, ports=8, built_on=D(2025, 1, 1))
    ElevatorBlocker.objects.create(community=comm, elevators=2, installed_on=D(2025, 1, 1))
    Hydrant.objects.create(code="乙H1", street=street, status="damaged")
    WaterSource.objects.create(name="乙取水点", kind="intake", street=street)
    rubric = Rubric.objects.filter(target="street").first()
    run, _ = EvaluationRun.objects.get_or_create(rubric=rubric, month=D(2025, 3, 1), brigade=other)  # its own run
    EvaluationScore.objects.create(run=run, street=street, score=Decimal("55"), deducted=Decimal("45"), rank=1)
    return other


def _values(scope):
    return {code: mv.value for code, mv in compute(YEAR, scope, with_previous=False).values.items()}


def test_one_brigade_of_two_reads_what_it_reads_alone(town, brigade):
    from brigade.evaluation.models import EvaluationRun, EvaluationScore, Rubric

    # Give the first brigade a street score too, so the evaluation average has something to filter.
    run = EvaluationRun.objects.create(rubric=Rubric.objects.filter(target="street").first(), month=D(2025, 3, 1))
    EvaluationScore.objects.create(run=run, street=town["a"], score=Decimal("90"), deducted=Decimal("10"), rank=1)
    alone = _values(BRIGADE)
    assert parse_scope(f"brigade:{brigade.name}").whole  # the only brigade: everything
    _other_brigade()
    mine = parse_scope(f"brigade:{brigade.name}")
    assert not mine.whole and mine.filters_brigades
    shared = _values(mine)
    supported = [m for m in all_metrics().values() if m.supports(mine)]
    assert len(supported) > 100  # nearly every metric has a path to a brigade
    differ = {m.code: (alone[m.code], shared[m.code]) for m in supported if alone[m.code] != shared[m.code]}
    # Every figure, warnings and detentions of a person (no unit, no street) included: the scope reads
    # each model's own brigade as the pages do.
    assert differ == {}
    # Metrics with no path to a brigade (notices, campaigns) say nothing for a part of the database.
    assert shared["responsibility.notices"] is None and alone["responsibility.notices"] == 2
    # The whole database, the detachment and the set of all brigades read the same.
    everything = _values(BRIGADE)
    assert _values(DETACHMENT) == everything
    both = parse_scope(f"brigade:{brigade.name},乙大队".replace("乙大队", "罗庄区消防救援大队（演示）"))
    assert both.whole and _values(both) == everything
    assert everything["response.alarms"] > alone["response.alarms"]


def test_counts_sum_and_the_detachment_percentile_is_of_the_union_not_the_mean(db):
    from brigade.response.models import Dispatch, Incident

    a, b = _light("兰山区"), _light("沂水县")
    codes = ["response.alarms", "response.p90_total_response_s", "response.within_standard_pct",
             "supervision.hazards_found", "supervision.hazards_overdue"]
    tables = {s: compute(YEAR, s, codes, with_previous=False)
              for s in (parse_scope(f"brigade:{a.name}"), parse_scope(f"brigade:{b.name}"), DETACHMENT)}
    ta, tb, td = tables.values()
    for code in ("response.alarms", "supervision.hazards_found", "supervision.hazards_overdue"):
        assert td.value(code) == ta.value(code) + tb.value(code)
    # The union's 90th percentile of received → first arrival, computed here from the rows.
    first = {}
    for incident_id, arrived in Dispatch.objects.filter(incident__received_at__year=2025).values_list(
            "incident_id", "arrived_at"):
        first[incident_id] = min(arrived, first.get(incident_id, arrived))
    received = dict(Incident.objects.filter(pk__in=first).values_list("pk", "received_at"))
    seconds = np.array([(first[k] - received[k]).total_seconds() for k in first])
    seconds = seconds[(seconds >= 0) & (seconds <= 5400)]  # the plausible range of rules.json
    union_p90 = round(float(np.percentile(seconds, 90)), 1)
    assert td.value("response.p90_total_response_s") == pytest.approx(union_p90, abs=0.1)
    mean_p90 = (ta.value("response.p90_total_response_s") + tb.value("response.p90_total_response_s")) / 2
    assert abs(td.value("response.p90_total_response_s") - mean_p90) > 30  # not the mean of the brigades
    # The urban brigade arrives faster than the rural one (the demo's characters).
    assert ta.value("response.p90_total_response_s") < tb.value("response.p90_total_response_s")


def test_scope_strings(db, brigade):
    from brigade.org.models import Brigade, Street

    assert parse_scope("detachment").label == "全支队" and parse_scope("全支队") == DETACHMENT
    one = parse_scope(f"brigade:{brigade.name}")
    assert one.kind == "brigades" and one.key == f"brigade:{brigade.name}" and one.label == brigade.name
    with pytest.raises(ScopeError, match="没有名为“不存在大队”的大队"):
        parse_scope("brigade:不存在大队")
    # A street name two brigades share cannot stand alone.
    other = Brigade.objects.create(name="丙大队")
    Street.objects.create(brigade=brigade, name="同名街道")
    Street.objects.create(brigade=other, name="同名街道")
    with pytest.raises(ScopeError, match="不止一个"):
        parse_scope("street:同名街道")
    both = parse_scope(f"brigade:丙大队，{brigade.name}")
    assert both.brigade_ids == tuple(sorted((brigade.pk, other.pk))) and both.whole


def test_a_brigades_calls_come_from_its_own_cache_and_follow_writes(db):
    from brigade.response.models import Incident
    from brigade.response.stats import load_arrays

    a, b = _light("兰山区", 0.02), _light("沂水县", 0.02)
    scope = parse_scope(f"brigade:{a.name}")
    first = load_arrays(YEAR, scope)
    assert first.n_calls == Incident.objects.filter(brigade=a, received_at__year=2025).count()
    assert load_arrays(YEAR, scope).n_calls == first.n_calls  # from the cache now
    street = a.streets.order_by("code").first()
    Incident.objects.create(number="新增1", category="fire", street=street,
                            received_at=dt.datetime(2025, 7, 1, 8, tzinfo=dt.UTC))
    assert load_arrays(YEAR, scope).n_calls == first.n_calls + 1  # a write moves the month on
    street.brigade = b
    street.save()  # the calls keep the brigade they were recorded for: a brigade's figures count what its pages list
    assert load_arrays(YEAR, scope).n_calls == first.n_calls + 1
    call = Incident.objects.get(number="新增1")
    call.brigade = b
    call.save()  # handed to the street's new brigade: the month moves on and the call leaves A's figures
    assert load_arrays(YEAR, scope).n_calls == first.n_calls
    both = parse_scope(f"brigade:{a.name},{b.name}")
    assert load_arrays(YEAR, both).n_calls == load_arrays(YEAR, DETACHMENT).n_calls
