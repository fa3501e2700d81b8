"""Benchmark: risk grades for 100,000 units with 1,000,000 hazards, and one monthly draw, on SQLite.

Brigade's route (``brigade.risk.services.grading.risk_grade``: one grouped query per evidence
source, numpy scoring over all units, the changed grades written) against the analyst's notebook
(``pd.read_sql`` of the raw rows, pandas groupby counts, the same rubric's arithmetic in pandas)
over the same rows. The two routes' scores are compared unit by unit as a check.

Also timed: a regrade when nothing changed (the nightly run on a quiet day) and one 双随机 draw of
the month over all 100,000 graded units (``draw_month``: inputs, the pure draw, the stored list),
plus the pure draw alone.

    .venv/bin/python bench/bench_risk.py [--units N] [--hazards M]

Targets (issue 22): grades in under 10 s on SQLite; one draw in under 1 s. Data are generated with
numpy and inserted with raw executemany (not timed). The machine may be shared: the best of
``--repeat`` runs is printed, with the CPU time of this process.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ON = dt.date(2025, 12, 31)
N_STREETS, N_STATIONS, N_OFFICERS = 20, 12, 150  # a district of 100,000 units: a detachment's supervisors
KEY_SHARE = 0.01
CATEGORIES = ["logistics", "high_rise", "property", "mixed_use", "elderly_care", "retail", "factory", "workshop",
              "hazmat", "residential", "gathering", "other"]


def _insert(raw, table: str, cols: list[str], rows) -> None:
    marks = ", ".join("?" * len(cols))
    raw.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)


def load(n_units: int, n_hazards: int, seed: int = 5) -> None:
    from django.db import connection

    from brigade.org.models import Brigade, Person, Post, Station, Street

    rng = np.random.default_rng(seed)
    brigade = Brigade.objects.create(name="基准大队")
    streets = [Street.objects.create(brigade=brigade, name=f"街道{i:02d}").pk for i in range(N_STREETS)]
    stations = [Station.objects.create(brigade=brigade, name=f"站{i:02d}", street_id=streets[i],
                                       lon=118.2 + rng.random() * 0.5, lat=34.9 + rng.random() * 0.4)
                for i in range(N_STATIONS)]
    for i in range(N_OFFICERS):
        Person.objects.create(brigade=brigade, name=f"监督员{i:02d}", post=Post.SUPERVISOR, station=stations[i % 12])
    now = "2025-01-01 00:00:00"
    raw = connection.connection
    raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("PRAGMA synchronous=OFF")
    # A bulk load: indexes rebuilt once at the end.
    indexes = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name "
                          "IN ('units_socialunit', 'supervision_inspection', 'supervision_hazard')").fetchall()
    for name, _ in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    unit_street = rng.integers(0, N_STREETS, n_units)
    _insert(raw, "units_socialunit",
            ["id", "created_at", "updated_at", "lon", "lat", "name", "site_category", "is_key_unit", "street_id",
             "address", "responsible_person", "manager", "phone"],
            zip(range(1, n_units + 1), [now] * n_units, [now] * n_units,
                (118.2 + rng.random(n_units) * 0.5).tolist(), (34.9 + rng.random(n_units) * 0.4).tolist(),
                [f"单位{i:06d}" for i in range(n_units)], [CATEGORIES[c] for c in rng.integers(0, 12, n_units)],
                (rng.random(n_units) < KEY_SHARE).tolist(), [streets[s] for s in unit_street],
                [""] * n_units, [""] * n_units, [""] * n_units, [""] * n_units, strict=True))
    # Inspections: 3 per 10 hazards; each hazard belongs to one inspection of its unit.
    n_insp = max(n_units, n_hazards * 3 // 10)
    insp_unit = np.concatenate([np.arange(n_units), rng.integers(0, n_units, n_insp - n_units)]) + 1
    insp_day = rng.integers(0, 3 * 365, n_insp)
    day0 = np.datetime64("2023-01-01")
    days = (day0 + insp_day).astype(str)
    kinds = np.where(rng.random(n_insp) < 0.15, "self_day", "random")
    _insert(raw, "supervision_inspection",
            ["id", "created_at", "updated_at", "unit_id", "inspected_on", "kind", "is_joint", "note", "brigade_id"],
            zip(range(1, n_insp + 1), [now] * n_insp, [now] * n_insp, insp_unit.tolist(), days.tolist(),
                kinds.tolist(), [False] * n_insp, [""] * n_insp, [brigade.pk] * n_insp, strict=True))
    h_insp = rng.integers(0, n_insp, n_hazards)
    found = insp_day[h_insp]
    deadline = found + rng.integers(3, 30, n_hazards)
    fixed = rng.random(n_hazards) < 0.8
    rect = np.where(fixed, deadline + rng.integers(-3, 10, n_hazards), -1)
    rect = np.where(rect >= 0, np.maximum(rect, found), -1)
    closed = np.where(fixed & (rng.random(n_hazards) < 0.7), rect + 5, -1)
    status = np.where(closed >= 0, "closed", np.where(rect >= 0, "rectified", "ordered"))
    recurrence = np.where(rng.random(n_hazards) < 0.05, rng.integers(1, n_hazards, n_hazards), -1)

    def day(values):
        return [None if v < 0 else str(day0 + int(v)) for v in values.tolist()]

    _insert(raw, "supervision_hazard",
            ["id", "created_at", "updated_at", "inspection_id", "unit_id", "category", "description", "is_major",
             "status", "found_on", "deadline", "rectified_on", "closed_on", "recurrence_of_id", "version", "brigade_id"],
            zip(range(1, n_hazards + 1), [now] * n_hazards, [now] * n_hazards, (h_insp + 1).tolist(),
                insp_unit[h_insp].tolist(), ["other"] * n_hazards, [""] * n_hazards,
                (rng.random(n_hazards) < 0.01).tolist(), status.tolist(), day(found), day(deadline), day(rect),
                day(closed), [None if r < 0 else int(r) for r in recurrence.tolist()], [0] * n_hazards,
                [brigade.pk] * n_hazards, strict=True))
    n_enf = n_units // 5
    _insert(raw, "supervision_enforcementaction",
            ["id", "created_at", "updated_at", "unit_id", "person_name", "kind", "legal_basis", "stop_kind",
             "fine_amount", "decision_number", "decided_on", "brigade_id"],
            zip(range(1, n_enf + 1), [now] * n_enf, [now] * n_enf, rng.integers(1, n_units + 1, n_enf).tolist(),
                [""] * n_enf, ["penalty"] * n_enf, ["art60"] * n_enf, [""] * n_enf, [5000] * n_enf, [""] * n_enf,
                day(rng.integers(0, 3 * 365, n_enf)), [brigade.pk] * n_enf, strict=True))
    n_inc = n_units // 4
    _insert(raw, "response_incident",
            ["id", "created_at", "updated_at", "number", "category", "received_at", "address", "unit_id", "deaths",
             "injuries", "direct_loss", "cause", "has_impact", "alarm_type", "brigade_id"],
            zip(range(1, n_inc + 1), [now] * n_inc, [now] * n_inc, [f"B{i:07d}" for i in range(n_inc)],
                ["fire"] * n_inc, [f"{d} 02:00:00" for d in day(rng.integers(0, 3 * 365, n_inc))],
                [""] * n_inc, rng.integers(1, n_units + 1, n_inc).tolist(), [0] * n_inc, [0] * n_inc, [0] * n_inc,
                [""] * n_inc, [False] * n_inc, [""] * n_inc, [brigade.pk] * n_inc, strict=True))
    for _, sql in indexes:
        raw.execute(sql)
    raw.commit()
    raw.execute("PRAGMA foreign_keys=ON")
    raw.execute("ANALYZE")


def pandas_scores(rubric) -> "object":
    """The same grades from plain rows with pandas groupby: what an analyst would write."""
    import pandas as pd
    from django.db import connection

    on = pd.Timestamp(ON)
    w = rubric.weights

    def since(months):
        return on - pd.DateOffset(months=months)

    con = connection.connection
    units = pd.read_sql("SELECT id, site_category, is_key_unit, lon, lat FROM units_socialunit ORDER BY id", con,
                        index_col="id")
    hz = pd.read_sql("SELECT unit_id, is_major, status, found_on, deadline, ordered_on, rectified_on, closed_on, "
                     "recurrence_of_id FROM supervision_hazard", con,
                     parse_dates=["found_on", "deadline", "ordered_on", "rectified_on", "closed_on"])
    hz = hz[hz.found_on <= on]
    still = (hz.rectified_on.isna() | (hz.rectified_on > on)) & (hz.closed_on.isna() | (hz.closed_on > on))
    due = hz.deadline.where(hz.deadline.notna(), hz.ordered_on)
    overdue = still & ~hz.status.isin(["found", "escalated"]) & (due < on)
    recurring = hz.recurrence_of_id.notna() & (hz.found_on > since(w.counts["recurring"].months))
    counts = pd.DataFrame({"open": still, "overdue": overdue, "major": still & hz.is_major.astype(bool),
                           "recurring": recurring, "unit_id": hz.unit_id}).groupby("unit_id").sum()
    en = pd.read_sql("SELECT unit_id, decided_on FROM supervision_enforcementaction WHERE unit_id IS NOT NULL", con,
                     parse_dates=["decided_on"])
    en = en[(en.decided_on <= on) & (en.decided_on > since(w.counts["enforcement"].months))]
    ins = pd.read_sql("SELECT unit_id, inspected_on, kind FROM supervision_inspection", con,
                      parse_dates=["inspected_on"])
    ins = ins[ins.inspected_on <= on]
    selfs = ins[(ins.kind == "self_day") & (ins.inspected_on > since(w.counts["self_inspections"].months))]
    last = ins[ins.kind != "self_day"].groupby("unit_id").inspected_on.max()
    inc = pd.read_sql("SELECT unit_id, received_at FROM response_incident WHERE unit_id IS NOT NULL", con)
    inc["received_at"] = pd.to_datetime(inc.received_at, utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    inc = inc[(inc.received_at < on + pd.Timedelta(days=1))
              & (inc.received_at >= since(w.counts["incidents"].months) + pd.Timedelta(days=1))]
    df = units.join(counts).fillna({"open": 0, "overdue": 0, "major": 0, "recurring": 0})
    df["enforcement"] = en.groupby("unit_id").size().reindex(df.index, fill_value=0)
    df["self_inspections"] = selfs.groupby("unit_id").size().reindex(df.index, fill_value=0)
    df["incidents"] = inc.groupby("unit_id").size().reindex(df.index, fill_value=0)
    score = df.site_category.map(w.category_points).fillna(0.0) + df.is_key_unit.astype(bool) * w.key_unit_points
    for name, cw in w.counts.items():
        score += (df[name] * cw.per).clip(-abs(cw.cap), abs(cw.cap))
    st = pd.read_sql("SELECT lon, lat FROM org_station WHERE lon IS NOT NULL", con)
    lon1, lat1 = np.radians(df.lon.to_numpy())[:, None], np.radians(df.lat.to_numpy())[:, None]
    lon2, lat2 = np.radians(st.lon.to_numpy())[None, :], np.radians(st.lat.to_numpy())[None, :]
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    metres = (2 * 6_371_008.8 * np.arcsin(np.sqrt(np.minimum(a, 1)))).min(axis=1)
    from brigade.risk.evidence import detour_factor, travel_speed_kph

    minutes = metres * detour_factor() / (travel_speed_kph() * 1000 / 60)
    score += np.minimum(np.maximum(minutes - w.travel_free_minutes, 0) * w.travel_per_minute, w.travel_cap)
    months = (on - last.reindex(df.index)).dt.days / 30.4375
    score += np.where(months.isna(), w.never_inspected_points,
                      np.minimum(np.maximum(months.fillna(0) - w.since_free_months, 0) * w.since_per_month, w.since_cap))
    return score.clip(lower=0).round(1)


def main() -> None:
    parser = argparse.ArgumentParser(description="风险分级与双随机抽取基准：Brigade 与 pandas 对比（SQLite）")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", help="keep the database in this directory and reuse it on the next run")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="bench-risk-")
    where = Path(args.keep) if args.keep else Path(tmp.name)
    where.mkdir(parents=True, exist_ok=True)
    loaded = (where / "bench.sqlite3").exists()
    os.environ.update(BRIGADE_VAR_DIR=tmp.name, DATABASE_URL=f"sqlite:///{where}/bench.sqlite3",
                      DJANGO_SETTINGS_MODULE="brigade.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from brigade.analysis.draw import draw_sample
    from brigade.risk.models import UnitRisk
    from brigade.risk.selectors import active_rubric
    from brigade.risk.services.draw import draw_month, parse_month, prepare
    from brigade.risk.services.grading import risk_grade

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    if not loaded:
        load(args.units, args.hazards)
    else:  # start again from no grades and no draws
        from brigade.risk.models import Draw, RiskGradeHistory

        Draw.objects.all().delete()
        RiskGradeHistory.objects.all().delete()
        UnitRisk.objects.all().delete()
    print(f"风险分级基准：{args.units:,} 家单位，{args.hazards:,} 处隐患（SQLite，载入 {time.perf_counter() - t:.1f} s，"
          f"机器 {os.cpu_count()} 核，负载 {os.getloadavg()[0]:.1f}）")
    rubric = active_rubric()

    def timed(func):
        best, cpu = float("inf"), float("inf")
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            out = func()
            best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
        return out, best, cpu

    t, c = time.perf_counter(), time.process_time()
    summary = risk_grade(on=ON, rubric=rubric)
    first_s, first_cpu = time.perf_counter() - t, time.process_time() - c
    _, quiet_s, quiet_cpu = timed(lambda: risk_grade(on=ON, rubric=rubric))
    ref, pandas_s, pandas_cpu = timed(lambda: pandas_scores(rubric))
    got = dict(UnitRisk.objects.values_list("unit_id", "score"))
    diff = max(abs(got[u] - s) for u, s in ref.items())
    print(f"  等级分布：{summary.by_level}；Brigade 与 pandas 逐单位得分最大差 {diff:.2f}")
    print(f"{'环节':<28}{'墙钟(s)':>10}{'CPU(s)':>10}")
    print(f"{'Brigade 首次评定（写入全部）':<24}{first_s:>10.2f}{first_cpu:>10.2f}")
    print(f"{'Brigade 重新评定（无变化）':<24}{quiet_s:>10.2f}{quiet_cpu:>10.2f}")
    print(f"{'pandas 计算（不写入）':<25}{pandas_s:>10.2f}{pandas_cpu:>10.2f}")
    print(f"  pandas/Brigade（无变化的重新评定）：墙钟 {pandas_s / quiet_s:.2f}，CPU {pandas_cpu / quiet_cpu:.2f}；"
          f"pandas/Brigade（首次评定，含写入）：CPU {pandas_cpu / first_cpu:.2f}")
    print("  （墙钟受同机负载影响；CPU 时间为本进程所用（含 SQLite），约等于空闲机器上的墙钟时间）目标：评定 < 10 s")
    month = parse_month("2026-01")
    prepared = prepare(month=month, rubric=rubric)
    _, pure_s, pure_cpu = timed(lambda: draw_sample(prepared.data, 1))
    seeds = iter(range(100))
    draw, draw_s, draw_cpu = timed(lambda: draw_month(month=month, seed=next(seeds), redraw=True, reason="基准"))
    print(f"{'一次双随机抽取（含写入）':<25}{draw_s:>10.2f}{draw_cpu:>10.2f}   {draw.checks} 户，{draw.officers} 名监督员")
    print(f"{'其中纯抽取（numpy）':<26}{pure_s:>10.3f}{pure_cpu:>10.3f}")
    print("  目标：一次抽取 < 1 s")
    tmp.cleanup()


if __name__ == "__main__":
    main()
