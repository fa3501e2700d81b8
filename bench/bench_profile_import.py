"""Import 200,000 wide alarm rows (a station and a micro fire station side by side) through a profile.

The same alarms are written twice: as a "每日火警详情"-style wide CSV (one row per alarm, two unit
groups, duration texts; the shipped ``cn_daily_alarms`` profile) and as a San Francisco-style long
CSV (one row per unit, 400,000 rows; the shipped ``sf_fire_calls`` profile). Printed: rows per
second of each import (read, parse, check, write into a fresh SQLite database), and of a pandas
read of the same wide file (``read_csv`` plus ``to_datetime`` of its time columns, what an analyst
would run first), with the ratios. Each import runs in its own child process and database.

    .venv/bin/python bench/bench_profile_import.py [--rows 200000]
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

WIDE_HEADER = ["序号", "立案时间", "所属大队", "所属队站", "所属街道", "火警地址", "火警类型", "警情性质",
               "中队出动时间", "中队到场时间", "中队到场用时", "微站调派时间", "微站出动时间", "微站到场时间", "微站出动用时"]
LONG_HEADER = ["Call Number", "Unit ID", "Call Type", "Received DtTm", "Dispatch DtTm", "Response DtTm",
               "On Scene DtTm", "Available DtTm", "Address", "Station Area", "Call Type Group", "Unit Type",
               "Location"]
STATIONS, STREETS = 12, 20
TYPES = ["居民", "杂物", "车辆", "单位", "电线"]


def write_files(work: Path, rows: int, seed: int = 11) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00")
    received = start + np.sort(rng.integers(0, 365 * 86400, rows)).astype("timedelta64[s]")
    st_disp = rng.integers(20, 120, rows)
    st_arr = st_disp + rng.integers(180, 900, rows)
    mi_disp = rng.integers(10, 60, rows)
    mi_turn = rng.integers(10, 60, rows)
    mi_arr = mi_disp + mi_turn + rng.integers(60, 300, rows)
    station = rng.integers(1, STATIONS + 1, rows)
    street = rng.integers(1, STREETS + 1, rows)
    kind = rng.integers(0, len(TYPES), rows)
    false = rng.random(rows) < 0.1

    def ts(offset):
        return np.char.replace(np.datetime_as_string(received + offset.astype("timedelta64[s]"), unit="s"), "T", " ")

    def us(offset):  # the SF export's 12-hour American form
        moments = (received + offset.astype("timedelta64[s]")).astype("datetime64[s]").astype(object)
        return [m.strftime("%m/%d/%Y %I:%M:%S %p") for m in moments]

    rec, sd, sa, md, mdep, ma = ts(np.zeros(rows, int)), ts(st_disp), ts(st_arr), ts(mi_disp), ts(mi_disp + mi_turn), \
        ts(mi_arr)
    wide = work / "wide.csv"
    with wide.open("w", encoding="utf-8") as fh:
        fh.write(",".join(WIDE_HEADER) + "\n")
        for i in range(rows):
            dur = int(st_arr[i] - st_disp[i])
            fh.write(f"{i + 1},{rec[i]},基准大队,站{station[i]:02d},街道{street[i]:02d},街道{street[i]:02d}{i}号,"
                     f"{TYPES[kind[i]]},{'虚警' if false[i] else '实警'},{sd[i]},{sa[i]},{dur // 60} 分 {dur % 60} 秒,"
                     f"{md[i]},{mdep[i]},{ma[i]},{int(mi_turn[i])}\n")
    lrec, lsd, lsa, lmd, lmdep, lma = us(np.zeros(rows, int)), us(st_disp), us(st_arr), us(mi_disp), \
        us(mi_disp + mi_turn), us(mi_arr)
    long = work / "long.csv"
    with long.open("w", encoding="utf-8") as fh:
        fh.write(",".join(LONG_HEADER) + "\n")
        for i in range(rows):
            area = f"{station[i]:02d}"
            ret = lsa[i]
            fh.write(f"{i + 1},E{station[i]},Structure Fire,{lrec[i]},{lsd[i]},{lsd[i]},{lsa[i]},{ret},"
                     f"Block {i},{area},Fire,ENGINE,\"(37.7, -122.4)\"\n")
            fh.write(f"{i + 1},M{street[i]},Structure Fire,{lrec[i]},{lmd[i]},{lmdep[i]},{lma[i]},{lma[i]},"
                     f"Block {i},{area},Fire,MICRO,\"(37.7, -122.4)\"\n")
    return wide, long


def child(profile: str, path: str, work: str) -> None:
    os.environ["BRIGADE_VAR_DIR"] = work
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/{profile}.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from brigade.io.profiles.run import import_with_profile
    from brigade.org.models import Brigade, Station

    call_command("migrate", verbosity=0)
    if profile == "cn_daily_alarms":  # this profile creates no brigade or station: they exist beforehand
        brigade = Brigade.objects.create(name="基准大队")
        Station.objects.bulk_create([Station(brigade=brigade, name=f"站{i:02d}") for i in range(1, STATIONS + 1)])
    started = time.perf_counter()
    report = import_with_profile(path, profile=profile, max_bytes=2**34)
    elapsed = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    print(json.dumps({"seconds": elapsed, "rows": report.rows, "created": report.created,
                      "details": report.details}, ensure_ascii=False))


def pandas_read(path: Path) -> float:
    import pandas as pd

    started = time.perf_counter()
    df = pd.read_csv(path)
    for col in ("立案时间", "中队出动时间", "中队到场时间", "微站调派时间", "微站出动时间", "微站到场时间"):
        df[col] = pd.to_datetime(df[col], format="%Y-%m-%d %H:%M:%S")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--child", nargs=3, metavar=("PROFILE", "FILE", "WORK"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wide, long = write_files(work, args.rows)
        results = {}
        for profile, path in (("cn_daily_alarms", wide), ("sf_fire_calls", long)):
            out = subprocess.run([sys.executable, __file__, "--child", profile, str(path), str(work)],
                                 check=True, capture_output=True, text=True).stdout
            results[profile] = json.loads(out.strip().splitlines()[-1])
        pandas_s = pandas_read(wide)
    w, lg = results["cn_daily_alarms"], results["sf_fire_calls"]
    w_rate, l_rate, p_rate = w["rows"] / w["seconds"], lg["rows"] / lg["seconds"], args.rows / pandas_s
    units = w["details"]["新增出动记录"]
    print(f"宽表导入（cn_daily_alarms）：{w['rows']:,} 行（{units:,} 个出动单位）{w['seconds']:.1f} 秒，"
          f"{w_rate:,.0f} 行/秒，{units / w['seconds']:,.0f} 出动记录/秒")
    print(f"长表导入（sf_fire_calls）：  {lg['rows']:,} 行（同样的 {lg['details']['新增出动记录']:,} 个出动单位）"
          f"{lg['seconds']:.1f} 秒，{l_rate:,.0f} 行/秒，{lg['details']['新增出动记录'] / lg['seconds']:,.0f} 出动记录/秒")
    print(f"pandas 读取同一宽表（read_csv + to_datetime，不做校验、不写库）：{pandas_s:.2f} 秒，{p_rate:,.0f} 行/秒")
    print(f"比值：宽表 / 长表（按出动记录）= {(units / w['seconds']) / (lg['details']['新增出动记录'] / lg['seconds']):.2f}；"
          f"pandas / 宽表（按行）= {p_rate / w_rate:.1f} 倍")


if __name__ == "__main__":
    main()
