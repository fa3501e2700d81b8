"""Dry run of a messy 100,000-row hydrant register: errors grouped by cause and values suggested.

The register is typed the way a street office types it, in five messy columns: the type written
"地下"/"地上", the street without "街道", "正常" for 完好, check times as "2024/10/10 上午 08:55:04",
and both coordinates in one cell. Three runs, each in its own child process (its own peak memory)
on a fresh copy of the same SQLite database (20 streets):

- plain: the same rows written as Brigade's template asks (the dry run a user ran before this
  work: nothing to group, nothing to suggest) — the reference;
- messy: the messy file, every bad row grouped by cause, a suggestion for every unknown value;
- mapped: the messy file with the suggestions accepted (the dry run before the real import).

    .venv/bin/python bench/bench_import_mapping.py [--rows 100000]
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_import import django_setup  # noqa: E402

HEADER = ["编号", "类型", "镇街", "状态", "最近检查日期", "坐标"]
STREETS = [f"基准{i:02d}街道" for i in range(20)]


def prepare(work: Path, rows: int) -> None:
    from django.core.management import call_command
    from openpyxl import Workbook

    from brigade.org.models import Brigade, Street

    call_command("migrate", verbosity=0)
    brigade = Brigade.objects.create(name="基准大队")
    Street.objects.bulk_create([Street(brigade=brigade, name=name) for name in STREETS])
    for name, messy in (("plain", False), ("messy", True)):
        book = Workbook(write_only=True)
        ws = book.create_sheet("消火栓")
        ws.append(HEADER)
        for i in range(rows):
            street = STREETS[i % len(STREETS)]
            if messy:
                ws.append([f"ＸＨＳ－{i:06d}", ["地下", "地上"][i % 2], street.removesuffix("街道"),
                           ["正常", "完好", "坏"][i % 3], f"2024/10/{1 + i % 28} 上午 08:55:04",
                           f"118.{i % 90:02d},35.{i % 70:02d}"])
            else:
                ws.append([f"XHS-{i:06d}", ["地下式消火栓", "地上式消火栓"][i % 2], street,
                           ["完好", "完好", "损坏"][i % 3], f"2024-10-{1 + i % 28:02d} 08:55:04",
                           f"118.{i % 90:02d},35.{i % 70:02d}"])
        book.save(work / f"{name}.xlsx")
    from django.db import connection

    connection.close()


def child(kind: str, xlsx: Path) -> None:
    from brigade.io.importer import import_file
    from brigade.io.mapping import Entry, ValueMap

    started, cpu = time.perf_counter(), time.process_time()
    vmap = None
    if kind == "mapped":
        first = import_file(xlsx, ledger="hydrant", dry_run=True, max_bytes=1 << 30)
        vmap = ValueMap()
        for u in first.unmatched:
            vmap.add(Entry(u.column, u.value, u.suggestions[0].target))
        started, cpu = time.perf_counter(), time.process_time()  # timed: the dry run with the mapping
    report = import_file(xlsx, ledger="hydrant", dry_run=True, max_bytes=1 << 30, mapping=vmap)
    problems = report.problems  # the grouping is part of what is timed
    out = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "errors": len(report.errors), "problems": len(problems),
           "unmatched": len(report.unmatched), "suggested": sum(1 for u in report.unmatched if u.suggestions),
           "would_create": report.created, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "first": [p.text()[:70] for p in problems[:3]]}
    print(json.dumps(out, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DB", "XLSX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        django_setup(Path(args.child[1]))
        child(args.child[0], Path(args.child[2]))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-mapping-"))
    try:
        t0 = time.perf_counter()
        base = work / "db.sqlite3"
        script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_import_mapping as b; "
                  f"from pathlib import Path; b.django_setup(Path({str(base)!r})); "
                  f"b.prepare(Path({str(work)!r}), {args.rows})")
        subprocess.run([sys.executable, "-c", script], check=True)
        print(f"准备：{args.rows} 行市政消火栓台账（整洁版 {(work / 'plain.xlsx').stat().st_size / 1e6:.1f} MB，"
              f"杂乱版 {(work / 'messy.xlsx').stat().st_size / 1e6:.1f} MB），{time.perf_counter() - t0:.1f} s")
        results = {}
        for kind in ("plain", "messy", "mapped"):
            db = work / f"{kind}.sqlite3"
            shutil.copy(base, db)
            xlsx = work / ("plain.xlsx" if kind == "plain" else "messy.xlsx")
            proc = subprocess.run([sys.executable, __file__, "--child", kind, str(db), str(xlsx)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"{kind} failed:\n{proc.stderr[-3000:]}")
            results[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"\n{'dry run':<34}{'seconds':>9}{'CPU s':>8}{'peak MB':>9}{'errors':>9}{'causes':>8}{'suggested':>11}")
        labels = {"plain": "plain (template values)", "messy": "messy: grouped + suggestions",
                  "mapped": "messy, suggestions accepted"}
        for kind, r in results.items():
            print(f"{labels[kind]:<34}{r['seconds']:>9.1f}{r['cpu']:>8.1f}{r['peak_mb']:>9.0f}{r['errors']:>9}{r['problems']:>8}"
                  f"{r['suggested']:>6}/{r['unmatched']:<4}")
        for line in results["messy"]["first"]:
            print(f"  {line}")
        ratio = results["messy"]["seconds"] / results["plain"]["seconds"]
        print(f"\nmessy grouped+suggested / plain dry run: {ratio:.2f}x (target ≤ 1.5x); "
              f"{results['messy']['seconds']:.1f} s (target < 30 s); "
              f"peak memory {results['messy']['peak_mb']:.0f} MB vs {results['plain']['peak_mb']:.0f} MB plain")
        print(f"mapped / plain dry run: {results['mapped']['seconds'] / results['plain']['seconds']:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
