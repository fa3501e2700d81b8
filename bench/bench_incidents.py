"""Benchmark: the full incident statistics for 1,000,000 incidents and 3,000,000 dispatches.

Brigade's route (``brigade.response.stats.incident_stats``: the calls and dispatches as numpy
columns from the per-month cache ``brigade.response.columns``, then numpy) against the analyst's
notebook (``pd.read_sql`` of the two tables, merge, groupby quantiles) over the same rows, on
SQLite and — with ``--postgres [URL]`` or ``DATABASE_URL=postgres://…`` — PostgreSQL. Prints
seconds and the ratio; the two routes' per-station 90th percentiles are compared as a check.

Two Brigade figures: the first read after the bulk load, which builds the cache from the rows
(two ``values_list`` queries with the timestamps as epoch seconds computed by the database), and
the reads after it, from the cache — what every later report, dashboard and API call costs until
a write forgets a month.

Each engine runs in a child process (Django is configured once per process), on a temporary
SQLite file or a temporary PostgreSQL database that is dropped afterwards. Data are generated with
numpy and inserted with raw executemany / COPY (not timed).

    .venv/bin/python bench/bench_incidents.py [--incidents N] [--dispatches M] [--postgres [URL]]

Target (issue 5): ≤ 5 s on SQLite on the 2-core development machine, and no slower than pandas
(judged on the cached read; the first read is printed beside it and compared with pandas too).
Other benchmarks may share the machine: timings are the best of ``--repeat`` runs.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
YEAR_START = np.datetime64("2025-01-01T00:00:00", "s") - np.timedelta64(8, "h")  # local midnight, UTC+8
N_STREETS, N_STATIONS, VEHICLES_PER_STATION = 20, 12, 5
CATEGORIES = ["fire", "rescue", "assistance", "duty", "false"]


# ------------------------------------------------------------------------------------------
# Data


def generate(n_inc: int, n_disp: int, seed: int = 7) -> dict:
    """Plausible calls over 2025: timelines with gaps, some missing times, 1–N vehicles per call."""
    rng = np.random.default_rng(seed)
    received = np.sort(rng.integers(0, 365 * 86400 - 7200, n_inc)).astype(np.int64)
    handling = rng.gamma(2.0, 40.0, n_inc).astype(np.int64)
    dispatched = received + handling
    # Every call gets one vehicle; the rest go to random calls.
    call = np.sort(np.concatenate([np.arange(n_inc), rng.integers(0, n_inc, max(n_disp - n_inc, 0))]))[:n_disp]
    later = np.where(rng.random(n_disp) < 0.2, rng.integers(0, 600, n_disp), 0)
    d_disp = dispatched[call] + later
    d_dep = d_disp + rng.gamma(3.0, 20.0, n_disp).astype(np.int64)
    d_arr = d_dep + rng.gamma(4.0, 75.0, n_disp).astype(np.int64)
    d_ret = d_arr + rng.gamma(3.0, 900.0, n_disp).astype(np.int64)
    no_dep, no_arr = rng.random(n_disp) < 0.02, rng.random(n_disp) < 0.04
    first_arr = np.full(n_inc, np.iinfo(np.int64).max)
    np.minimum.at(first_arr, call, np.where(no_arr, np.iinfo(np.int64).max, d_arr))
    cleared = np.where(first_arr < np.iinfo(np.int64).max, first_arr + rng.gamma(2.0, 1200.0, n_inc).astype(np.int64),
                       -1)
    has_point = rng.random(n_inc) < 0.97
    category = rng.choice(5, n_inc, p=[0.2, 0.35, 0.3, 0.05, 0.1])
    return {
        "received": received, "dispatched": dispatched, "cleared": cleared, "category": category,
        "street": rng.integers(0, N_STREETS, n_inc), "has_point": has_point,
        "lon": 118.2 + rng.random(n_inc) * 0.5, "lat": 34.9 + rng.random(n_inc) * 0.4,
        "deaths": (rng.random(n_inc) < 0.002).astype(np.int64),
        "loss": np.round(rng.gamma(1.0, 20000.0, n_inc), 2),
        "call": call, "d_disp": d_disp, "d_dep": np.where(no_dep, -1, d_dep), "d_arr": np.where(no_arr, -1, d_arr),
        "d_ret": d_ret, "d_station": rng.integers(0, N_STATIONS, n_disp), "crew": rng.integers(2, 8, n_disp),
        "vehicle": rng.integers(0, VEHICLES_PER_STATION, n_disp),
    }


def _times(offset_s: np.ndarray, suffix: str) -> list:
    """Seconds after YEAR_START (-1: NULL) as the text the database stores for a UTC datetime."""
    text = np.char.replace(np.datetime_as_string(YEAR_START + offset_s.astype("timedelta64[s]"), unit="s"), "T", " ")
    out = np.char.add(text, suffix).astype(object)
    out[offset_s < 0] = None
    return out.tolist()


def _nullable(values: np.ndarray, known: np.ndarray) -> list:
    out = values.astype(object)
    out[~known] = None
    return out.tolist()


def insert(g: dict, postgres: bool) -> None:
    """Streets, stations and vehicles through the ORM; incidents and dispatches in bulk, raw."""
    import datetime as dt

    from django.db import connection

    from brigade.org.models import Brigade, Station, Street
    from brigade.resources.models import Vehicle

    brigade = Brigade.objects.create(name="基准大队")
    streets = [Street.objects.create(brigade=brigade, name=f"街道{i:02d}") for i in range(N_STREETS)]
    rng = np.random.default_rng(3)
    stations = [Station.objects.create(brigade=brigade, name=f"站{i:02d}", street=streets[i],
                                       lon=118.2 + rng.random() * 0.5, lat=34.9 + rng.random() * 0.4)
                for i in range(N_STATIONS)]
    vehicles = [[Vehicle.objects.create(plate=f"鲁Q{s:02d}{v}", kind="water_tanker", station=station,
                                        commissioned_on=dt.date(2020, 1, 1)).pk
                 for v in range(VEHICLES_PER_STATION)] for s, station in enumerate(stations)]
    suffix = "+00" if postgres else ""
    n_inc, n_disp = g["received"].size, g["call"].size
    now = "2025-12-31 00:00:00" + suffix
    inc_cols = ["id", "created_at", "updated_at", "lon", "lat", "number", "category", "received_at",
                "dispatched_at", "controlled_at", "cleared_at", "returned_at", "address", "deaths", "injuries",
                "direct_loss", "cause", "has_impact", "street_id", "brigade_id"]
    point = g["has_point"]
    inc_rows = zip(
        range(1, n_inc + 1), [now] * n_inc, [now] * n_inc,
        _nullable(g["lon"], point), _nullable(g["lat"], point),
        [f"B{i:08d}" for i in range(n_inc)], [CATEGORIES[c] for c in g["category"]],
        _times(g["received"], suffix), _times(g["dispatched"], suffix), [None] * n_inc,
        _times(g["cleared"], suffix), [None] * n_inc, [""] * n_inc, g["deaths"].tolist(), [0] * n_inc,
        g["loss"].tolist(), [""] * n_inc, [False] * n_inc, [streets[s].pk for s in g["street"]], [brigade.pk] * n_inc,
        strict=True)
    vehicle_ids = np.array(vehicles)[g["d_station"], g["vehicle"]]
    station_ids = np.array([s.pk for s in stations])[g["d_station"]]
    disp_cols = ["id", "created_at", "updated_at", "crew_count", "dispatched_at", "departed_at", "arrived_at",
                 "returned_at", "station_id", "vehicle_id", "incident_id"]
    disp_rows = zip(
        range(1, n_disp + 1), [now] * n_disp, [now] * n_disp, g["crew"].tolist(), _times(g["d_disp"], suffix),
        _times(g["d_dep"], suffix), _times(g["d_arr"], suffix), _times(g["d_ret"], suffix),
        station_ids.tolist(), vehicle_ids.tolist(), (g["call"] + 1).tolist(), strict=True)
    from brigade.response.models import Dispatch, Incident
    from raw_defaults import omitted

    inc_extra, inc_values = omitted(Incident, inc_cols)
    disp_extra, disp_values = omitted(Dispatch, disp_cols)
    inc_cols, disp_cols = inc_cols + inc_extra, disp_cols + disp_extra
    inc_rows = (row + inc_values for row in inc_rows)
    disp_rows = (row + disp_values for row in disp_rows)
    raw = connection.connection
    if postgres:
        with raw.cursor() as cur:
            for table, cols, rows in (("response_incident", inc_cols, inc_rows),
                                      ("response_dispatch", disp_cols, disp_rows)):
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            cur.execute("SELECT setval(pg_get_serial_sequence('response_incident', 'id'), %s)", [n_inc])
            cur.execute("SELECT setval(pg_get_serial_sequence('response_dispatch', 'id'), %s)", [n_disp])
        raw.commit()
        with raw.cursor() as cur:
            raw.autocommit = True
            cur.execute("VACUUM ANALYZE response_incident")
            cur.execute("VACUUM ANALYZE response_dispatch")  # Django's connection stays in autocommit
    else:
        # A bulk load: no per-row foreign-key lookups, indexes rebuilt once at the end.
        raw.commit()
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-1000000")
        indexes = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                              "AND tbl_name IN ('response_incident', 'response_dispatch')").fetchall()
        for name, _ in indexes:
            raw.execute(f'DROP INDEX "{name}"')
        for table, cols, rows in (("response_incident", inc_cols, inc_rows),
                                  ("response_dispatch", disp_cols, disp_rows)):
            marks = ", ".join("?" * len(cols))
            raw.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)
        for _, sql in indexes:
            raw.execute(sql)
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")
        raw.execute("ANALYZE")


# ------------------------------------------------------------------------------------------
# The pandas route: what an analyst would write in a notebook for the same figures.


def pandas_route(postgres: bool) -> dict:
    import pandas as pd
    from django.db import connection

    from brigade.analysis.response_stats import nearest_by_straight_line

    start, end = "2024-12-31 16:00:00", "2025-12-31 16:00:00"  # 2025 in Beijing time, as UTC
    mark = "%s" if postgres else "?"
    raw = connection.connection
    inc = pd.read_sql(
        "SELECT id, category, street_id, lon, lat, received_at, dispatched_at, cleared_at, deaths, injuries, "
        f"direct_loss FROM response_incident WHERE received_at >= {mark} AND received_at < {mark}", raw,
        params=[start, end])
    dis = pd.read_sql(
        "SELECT d.id, d.incident_id, d.station_id, d.vehicle_id, d.crew_count, d.dispatched_at, d.departed_at, "
        "d.arrived_at, d.returned_at FROM response_dispatch d JOIN response_incident i ON i.id = d.incident_id "
        f"WHERE i.received_at >= {mark} AND i.received_at < {mark}", raw, params=[start, end])
    for frame, cols in ((inc, ["received_at", "dispatched_at", "cleared_at"]),
                        (dis, ["dispatched_at", "departed_at", "arrived_at", "returned_at"])):
        for col in cols:
            frame[col] = pd.to_datetime(frame[col], format="ISO8601", utc=True)
    # First-arriving vehicle per call, its intervals.
    dis["dispatched_at"] = dis["dispatched_at"].fillna(dis["incident_id"].map(inc.set_index("id")["dispatched_at"]))
    first = (dis[dis["arrived_at"].notna()]
             .sort_values(["incident_id", "arrived_at", "departed_at", "dispatched_at"], na_position="last")
             .drop_duplicates("incident_id"))
    calls = inc.merge(first, left_on="id", right_on="incident_id", how="left", suffixes=("", "_v"))

    def sec(a, b):
        return (calls[b] - calls[a]).dt.total_seconds()

    iv = pd.DataFrame({
        "alarm_handling": sec("received_at", "dispatched_at"), "turnout": sec("dispatched_at_v", "departed_at"),
        "travel": sec("departed_at", "arrived_at"), "total_response": sec("received_at", "arrived_at"),
        "on_scene": sec("arrived_at", "cleared_at")})
    from brigade.response.rules import load_rules

    rules = load_rules()
    for name, lim in rules["implausible"].items():
        iv.loc[(iv[name] < lim["min_s"]) | (iv[name] > lim["max_s"]), name] = np.nan
    after = sec("dispatched_at", "arrived_at")
    iv["within"] = np.where(after.notna() & (after >= 0), (after <= 300).astype(float), np.nan)
    # First-due station: nearest by straight line (numpy, as Brigade).
    st = pd.read_sql("SELECT id, lon, lat FROM org_station ORDER BY id", raw)
    due = nearest_by_straight_line(calls["lon"].to_numpy(float), calls["lat"].to_numpy(float), st["lon"].to_numpy(),
                                   st["lat"].to_numpy())
    iv["station"] = np.where(due >= 0, st["id"].to_numpy()[np.maximum(due, 0)], -1)
    iv["street"], iv["category"] = calls["street_id"], calls["category"]
    out = {}
    cols = ["alarm_handling", "turnout", "travel", "total_response", "on_scene"]
    for key in ("station", "street", "category"):
        grouped = iv.groupby(key)
        out[key] = pd.concat([grouped.size().rename("calls"), grouped[cols].quantile(0.5).add_prefix("p50_"),
                              grouped[cols].quantile(0.9).add_prefix("p90_"), grouped["within"].mean()], axis=1)
    local = calls["received_at"].dt.tz_convert("Asia/Shanghai")
    out["month"] = local.dt.month.value_counts()
    out["hour"] = local.dt.hour.value_counts()
    out["weekday"] = local.dt.weekday.value_counts()
    out["station_units"] = dis.groupby("station_id").agg(vehicles=("id", "size"), personnel=("crew_count", "sum"))
    dis["busy"] = (dis["returned_at"] - dis["dispatched_at"]).dt.total_seconds()
    out["vehicle_busy"] = dis.groupby("vehicle_id")["busy"].sum()
    return out


# ------------------------------------------------------------------------------------------


def run_engine(args) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
    django.setup()
    from django.core.management import call_command

    postgres = args.engine == "postgres"
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    insert(generate(args.incidents, args.dispatches), postgres)
    load_s = time.perf_counter() - t

    from brigade.core.period import parse_period
    from brigade.response.stats import incident_stats

    period = parse_period("2025")
    t = time.perf_counter()
    first = incident_stats(period, "brigade")  # builds the column cache from the rows
    first_s = time.perf_counter() - t
    brigade_s, pandas_s, brigade_cpu, pandas_cpu = [], [], [], []
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        result = incident_stats(period, "brigade")
        assert result == first, "the cached read must give the figures of the first read"
        brigade_s.append(time.perf_counter() - t)
        brigade_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        ref = pandas_route(postgres)
        pandas_s.append(time.perf_counter() - t)
        pandas_cpu.append(time.process_time() - c)
    # One dispatch edited through the ORM: only its month is forgotten, and rebuilt on the next read.
    from brigade.response.models import Dispatch

    edited = Dispatch.objects.order_by("pk").first()
    edited.crew_count += 1
    edited.save()
    t = time.perf_counter()
    after_edit = incident_stats(period, "brigade")
    edit_s = time.perf_counter() - t
    assert after_edit["summary"]["personnel"] == result["summary"]["personnel"] + 1
    # The two routes must agree: per first-due station, the 90th-percentile travel.
    names = {r["station_id"]: r for r in result["stations"] if r["station_id"]}
    diffs = [abs(names[int(sid)]["p90"]["travel"] - row["p90_travel"]) for sid, row in ref["station"].iterrows()
             if sid >= 0]
    return {"engine": args.engine, "incidents": result["summary"]["calls"], "dispatches": result["summary"]["vehicles"],
            "load_s": load_s, "first_s": first_s, "edit_s": edit_s, "brigade_s": min(brigade_s), "pandas_s": min(pandas_s),
            "brigade_cpu_s": min(brigade_cpu), "pandas_cpu_s": min(pandas_cpu), "load_avg": os.getloadavg()[0],
            "max_p90_diff_s": max(diffs) if diffs else None}


def child(engine: str, args, url: str | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory(prefix="bench-incidents-") as tmp:
        env["BRIGADE_VAR_DIR"] = tmp
        dbname = None
        if engine == "postgres":
            import psycopg

            dbname = f"brigade_bench_{os.getpid()}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {dbname}")
                conn.execute(f"CREATE DATABASE {dbname}")
            env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + dbname
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        try:
            cmd = [sys.executable, __file__, "--engine", engine, "--incidents", str(args.incidents),
                   "--dispatches", str(args.dispatches), "--repeat", str(args.repeat)]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if done.returncode:
                sys.stderr.write(done.stderr)
                raise SystemExit(f"{engine} run failed")
            return json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            if dbname:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {dbname}")


def main() -> None:
    parser = argparse.ArgumentParser(description="接处警统计基准：Brigade 与 pandas 对比")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--dispatches", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--postgres", nargs="?", const=os.environ.get("DATABASE_URL") or
                        "postgres://postgres@127.0.0.1:5432/postgres", default=None, help="PostgreSQL URL")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(run_engine(args)))
        return
    url = args.postgres or (os.environ.get("DATABASE_URL") if (os.environ.get("DATABASE_URL") or "").startswith(
        "postgres") else None)
    engines = ["sqlite"] + (["postgres"] if url else [])
    print(f"接处警统计基准：{args.incidents:,} 起警情，{args.dispatches:,} 辆次（最好的 {args.repeat} 次；"
          f"机器 {os.cpu_count()} 核，可能与其他基准同时运行）")
    print("（墙钟时间受同机负载影响；CPU 时间为本进程所用，约等于空闲机器上的墙钟时间）")
    print("（首次读取：导入后第一次统计，由记录生成按月列缓存；Brigade：此后各次读取，读缓存；"
          "改一条后：改动一条出动记录后的下一次统计，重建该月）")
    print(f"{'数据库':<10}{'载入(s)':>9}{'首次读取(s)':>12}{'改一条后(s)':>12}{'Brigade(s)':>12}{'pandas(s)':>11}{'pandas/Brigade':>16}"
          f"{'Brigade CPU(s)':>16}{'pandas CPU(s)':>15}{'CPU比':>8}{'P90差(s)':>10}{'负载':>7}")
    for engine in engines:
        r = child(engine, args, url)
        print(f"{r['engine']:<10}{r['load_s']:>9.1f}{r['first_s']:>12.2f}{r['edit_s']:>12.2f}{r['brigade_s']:>12.2f}{r['pandas_s']:>11.2f}"
              f"{r['pandas_s'] / r['brigade_s']:>15.2f}x{r['brigade_cpu_s']:>16.2f}{r['pandas_cpu_s']:>15.2f}"
              f"{r['pandas_cpu_s'] / r['brigade_cpu_s']:>7.2f}x{r['max_p90_diff_s']:>10.3f}{r['load_avg']:>7.1f}")
        target = "达标" if r["brigade_s"] <= 5 and r["brigade_s"] <= r["pandas_s"] else "未达标"
        print(f"  目标（SQLite ≤ 5 s 且不慢于 pandas）：{target}" if engine == "sqlite" else
              f"  目标（不慢于 pandas）：{'达标' if r['brigade_s'] <= r['pandas_s'] else '未达标'}")
        print(f"  首次读取（建缓存）与 pandas 之比：{r['pandas_s'] / r['first_s']:.2f}x")


if __name__ == "__main__":
    main()
