"""Benchmark: all metrics and the whole work summary for a brigade with 1,000,000 ledger rows.

Rows are generated with numpy and inserted with raw executemany into a temporary SQLite file
(not timed): inspections, hazards, incidents, dispatches and activity rows over one year, plus a
year earlier for the 同比 figures. Timed: ``compute`` of every metric for the year and a year
earlier, then composing the summary and writing the .docx — what ``brigade report`` does. The
analyst's alternative is printed beside it: the same headline counts with pandas after
``read_sql`` of the tables (what a notebook would do), to show where the time would go.

    .venv/bin/python bench/bench_report.py [--rows 1000000]

Target (issue 3): under 10 s end to end on SQLite on the 2-core development machine.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def setup_django(folder: str, *, keep_database_url: bool = False) -> None:
    """Django on a temporary SQLite file in ``folder`` (or on DATABASE_URL when asked to keep it)."""
    os.environ["BRIGADE_VAR_DIR"] = folder
    if not keep_database_url:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def insert(model, columns: list[str], rows) -> None:
    """Raw executemany with created_at/updated_at filled: ten times faster than bulk_create."""
    from django.db import connection
    from django.utils import timezone

    from raw_defaults import omitted

    now = timezone.now().isoformat()
    extra, values = omitted(model, columns)
    cols = [*columns, *extra, "created_at", "updated_at"]
    names = ", ".join(f'"{c}"' for c in cols)
    sql = f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({", ".join(["%s"] * len(cols))})'
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row, *values, now, now) for row in rows])


def generate(total: int, seed: int = 11) -> dict[str, int]:
    from django.db import transaction

    from brigade.ledger.models import Activity, ActivityKind
    from brigade.org.models import Brigade, Station, Street
    from brigade.response.models import Dispatch, Incident
    from brigade.supervision.models import Hazard, Inspection
    from brigade.units.models import SocialUnit

    rng = np.random.default_rng(seed)
    shares = {"inspections": 0.25, "hazards": 0.25, "incidents": 0.12, "dispatches": 0.18, "activities": 0.20}
    n = {k: int(total * v) for k, v in shares.items()}
    days = np.datetime64("2024-01-01") + rng.integers(0, 731, total).astype("timedelta64[D]")
    cursor_day = iter(days.astype(str))
    with transaction.atomic():
        brigade = Brigade.objects.create(name="基准大队")
        streets = [Street.objects.create(brigade=brigade, name=f"街道{i}") for i in range(12)]
        stations = [Station.objects.create(brigade=brigade, name=f"站{i}", street=streets[i]) for i in range(6)]
        units = SocialUnit.objects.bulk_create(
            SocialUnit(name=f"单位{i}", site_category=rng.choice(["logistics", "high_rise", "mixed_use", "school"]),
                       street=streets[i % 12]) for i in range(5000))
        unit_ids = np.array([u.pk for u in units])
        kinds = list(ActivityKind.objects.all())

        insert(Inspection, ["unit_id", "inspected_on", "kind", "is_joint", "note", "brigade_id"],
               ((int(rng.choice(unit_ids)), next(cursor_day), "random", False, "", brigade.pk)
                for _ in range(n["inspections"])))
        first_inspection = Inspection.objects.order_by("pk").values_list("pk", flat=True).first()
        insp = Inspection.objects.values_list("pk", "unit_id", "inspected_on")
        by_pk = {pk: (u, d) for pk, u, d in insp}
        hazard_rows = []
        for _ in range(n["hazards"]):
            pk = first_inspection + int(rng.integers(0, n["inspections"]))
            unit, day = by_pk[pk]
            hazard_rows.append((pk, unit, "fire_lane", "", False, "closed", day.isoformat(), day.isoformat(),
                                day.isoformat(), 0, brigade.pk))
        insert(Hazard, ["inspection_id", "unit_id", "category", "description", "is_major", "status", "found_on",
                        "rectified_on", "closed_on", "version", "brigade_id"], hazard_rows)

        cats = ["fire", "rescue", "assistance", "duty", "false"]
        insert(Incident, ["number", "category", "received_at", "address", "street_id", "deaths", "injuries",
                          "direct_loss", "cause", "has_impact", "brigade_id"],
               ((f"B{i}", cats[i % 5], f"{next(cursor_day)} 08:00:00", "", streets[i % 12].pk, 0, 0, 0,
                 "", False, brigade.pk) for i in range(n["incidents"])))
        first_incident = Incident.objects.order_by("pk").values_list("pk", flat=True).first()
        insert(Dispatch, ["incident_id", "station_id", "crew_count"],
               ((first_incident + int(rng.integers(0, n["incidents"])), stations[i % 6].pk, 5)
                for i in range(n["dispatches"])))
        import json

        insert(Activity, ["occurred_on", "kind_id", "street_id", "values", "note", "brigade_id"],
               ((next(cursor_day), kinds[i % len(kinds)].pk, streets[i % 12].pk,
                 json.dumps({m["code"]: 1 for m in kinds[i % len(kinds)].metrics}), "", brigade.pk)
                for i in range(n["activities"])))
    # As after any bulk load (an import; autovacuum on a live server): the planner needs fresh
    # statistics, or PostgreSQL plans scoped queries for one-row tables and takes seconds.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        t0 = time.perf_counter()
        n = generate(args.rows)
        print(f"generated {sum(n.values()):,} rows in {time.perf_counter() - t0:.1f} s: {n}")

        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        from brigade.core.period import parse_period
        from brigade.core.scope import BRIGADE
        from brigade.reports.service import report_generate

        period = parse_period("2025")
        reset_queries()
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = report_generate(period=period, scope=BRIGADE, out=Path(folder) / "summary.docx")
        brigade_s = time.perf_counter() - t0
        figures = {b: s for block in result.document.blocks for b, s in block.sources.items()}

        import pandas as pd

        t0 = time.perf_counter()
        inspections = pd.read_sql("SELECT inspected_on FROM supervision_inspection", connection.connection)
        hazards = pd.read_sql("SELECT found_on, rectified_on FROM supervision_hazard", connection.connection)
        incidents = pd.read_sql("SELECT id, category, received_at FROM response_incident", connection.connection)
        dispatches = pd.read_sql("SELECT incident_id, crew_count FROM response_dispatch", connection.connection)
        in_year = inspections["inspected_on"].astype(str).str.startswith("2025").sum()
        found = hazards["found_on"].astype(str).str.startswith("2025").sum()
        cats = incidents[incidents["received_at"].astype(str).str.startswith("2025")].groupby("category").size()
        crews = dispatches.merge(incidents, left_on="incident_id", right_on="id")
        crew_total = crews[crews["received_at"].astype(str).str.startswith("2025")]["crew_count"].sum()
        pandas_s = time.perf_counter() - t0
        pandas_figures = {"supervision.units_inspected": in_year, "supervision.hazards_found": found,
                          "response.alarms": int(cats.sum()), "response.personnel_dispatched": crew_total}
        from brigade.metrics.registry import compute

        ours = compute(period, BRIGADE, list(pandas_figures), with_previous=False)
        for code, theirs in pandas_figures.items():
            agree = "agree" if ours.value(code) == theirs else "DIFFER"
            print(f"  {code:<34} Brigade {ours.value(code):>9}  pandas {theirs:>9}  {agree}")
        print(f"  figures printed in the summary: {len(figures)}")

        print()
        print(f"{'route':<52}{'seconds':>9}")
        print(f"{'Brigade: all metrics ×2 years + summary .docx':<52}{brigade_s:>9.2f}   ({len(queries)} queries)")
        print(f"{'pandas: read 4 tables + 4 headline counts only':<52}{pandas_s:>9.2f}")
        print(f"target: < 10 s end to end; {'met' if brigade_s < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
