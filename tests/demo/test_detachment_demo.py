"""The demo detachment: three more brigades on real Linyi districts, each with its character,
deterministic from the seed, added beside the demo brigade by ``brigade demo --detachment``."""

import csv
import datetime as dt
import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from brigade.core.period import parse_period
from brigade.metrics.compare import compare_brigades
from tests.demo.conftest import UNTIL, YEAR

pytestmark = pytest.mark.django_db


def _streets_of(district_code: str) -> list[str]:
    path = Path(settings.BRIGADE_DATA_DIR) / "linyi_streets.csv"
    with path.open(encoding="utf-8-sig") as fh:
        return sorted(r["name"] for r in csv.DictReader(fh) if r["areaCode"] == district_code)


def test_demo_detachment_beside_the_demo_brigade(demo):
    from brigade.demo.detachment import PROFILES, brigade_name
    from brigade.demo.generator import DEMO_BRIGADE_NAME
    from brigade.org.models import Brigade

    out = StringIO()
    call_command("demo", "--detachment", "--year", str(YEAR), "--until", UNTIL.isoformat(), "--seed", "7",
                 "--detachment-scale", "0.05", stdout=out)
    assert "兰山区消防救援大队（演示）：城区大队" in out.getvalue()
    names = set(Brigade.objects.values_list("name", flat=True))
    assert names == {DEMO_BRIGADE_NAME, *(brigade_name(p.district) for p in PROFILES)}
    lanshan = Brigade.objects.get(name=brigade_name("兰山区"))
    assert sorted(lanshan.streets.values_list("name", flat=True)) == _streets_of("371302")
    # The characters show in the comparison.
    rows = {r.brigade: r for r in compare_brigades(parse_period(str(YEAR))).rows}
    urban, rural, overdue = (rows[brigade_name(d)] for d in ("兰山区", "沂水县", "罗庄区"))
    assert urban.values["p90_first_arrival_s"] < rural.values["p90_first_arrival_s"]
    assert urban.ranks["p90_first_arrival_s"] == 1
    assert overdue.values["hazards_overdue"] == max(r.values["hazards_overdue"] for r in rows.values())
    assert all(r.values["evaluation_avg"] is not None for r in (urban, rural, overdue))
    # Each brigade has its own draw and evaluation runs, of its own units and streets.
    from brigade.evaluation.models import EvaluationRun, EvaluationScore
    from brigade.risk.models import Draw, DrawItem

    for brigade in Brigade.objects.all():
        assert Draw.objects.filter(brigade=brigade, status="active").count() == 1
        assert EvaluationRun.objects.filter(brigade=brigade).exists()
    assert not DrawItem.objects.exclude(unit__street__brigade=F("draw__brigade")).exists()
    assert not EvaluationScore.objects.exclude(street__brigade=F("run__brigade")).exists()
    # Run again: nothing is added twice.
    call_command("demo", "--detachment", "--year", str(YEAR), "--until", UNTIL.isoformat(), stdout=StringIO())
    assert Brigade.objects.count() == 4


class Rollback(Exception):
    pass


def _digest() -> str:
    from brigade.response.models import Incident
    from brigade.supervision.models import Hazard

    rows = sorted(map(str, Incident.objects.values_list("number", "received_at", "street__name", "category")))
    rows += sorted(map(str, Hazard.objects.values_list("unit__name", "found_on", "deadline", "rectified_on")))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_same_seed_same_records(db):
    from brigade.demo.detachment import PROFILES, build_brigade

    def build():
        return build_brigade(PROFILES[2], seed=11, years=[2025], until=dt.date(2025, 12, 31), scale=0.03,
                             data_dir=Path(settings.BRIGADE_DATA_DIR))

    with pytest.raises(Rollback), transaction.atomic():
        first_counts, first = build(), _digest()
        raise Rollback
    assert build() == first_counts and _digest() == first
