"""Import a generated 100,000-row inspection ledger (.xlsx) with Brigade and with django-import-export.

Both importers read the same file into a fresh copy of the same SQLite database (2,000 social units)
and validate every row: the unit must exist, the date and the inspection kind must be readable, the
model's own rules (``clean_fields`` / ``clean`` / ``full_clean``) apply, and a row whose natural key
(unit, date, kind) is already present is not added twice. Each importer runs in its own child
process so its peak memory (``ru_maxrss``) is its own.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--units 2000]
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ["双随机抽查", "专项检查", "举报投诉核查", "复查", "消防安全检查日自查", "开业前检查", "大型活动前检查", "其他"]
HEADER = ["单位名称", "统一社会信用代码", "检查日期", "检查类型", "联合执法检查", "备注"]


def django_setup(db_path: Path) -> None:
    # Point Brigade at a throw-away database before Django reads its settings.
    os.environ["BRIGADE_VAR_DIR"] = str(db_path.parent)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
    import django

    django.setup()


def credit_code(n: int) -> str:
    from brigade.core.validators import credit_code_check_char

    first17 = f"91371312MA{n:07d}"
    return first17 + credit_code_check_char(first17)


def prepare(work: Path, rows: int, units: int) -> tuple[Path, Path]:
    """A migrated database with one brigade, one street and ``units`` social units; the .xlsx ledger."""
    import datetime as dt

    from django.core.management import call_command
    from openpyxl import Workbook

    from brigade.org.models import Brigade, Street
    from brigade.units.models import SocialUnit

    call_command("migrate", verbosity=0)
    brigade = Brigade.objects.create(name="基准大队")
    street = Street.objects.create(brigade=brigade, name="基准街道")
    SocialUnit.objects.bulk_create(
        [SocialUnit(name=f"基准单位{i:05d}有限公司", credit_code=credit_code(i), site_category="logistics",
                    street=street) for i in range(units)],
        batch_size=1000,
    )
    xlsx = work / "inspections.xlsx"
    book = Workbook(write_only=True)
    ws = book.create_sheet("监督检查")
    ws.append(HEADER)
    start = dt.date(2024, 1, 1)
    for i in range(rows):
        u = i % units
        day = start + dt.timedelta(days=i // units)  # (unit, day) is unique: no duplicate rows
        ws.append([f"基准单位{u:05d}有限公司", credit_code(u), day, KINDS[i % len(KINDS)],
                   "是" if i % 7 == 0 else "否", f"第{i}次检查"])
    book.save(xlsx)
    from django.db import connection

    connection.close()
    return work / "db.sqlite3", xlsx


# ----------------------------------------------------------------------------------------------


def run_brigade(xlsx: Path) -> dict:
    from brigade.io.importer import import_file

    report = import_file(xlsx, ledger="inspection", max_bytes=1 << 30)
    assert report.ok, report.errors[:3]
    return {"created": report.created, "errors": len(report.errors)}


def run_import_export(xlsx: Path) -> dict:
    import tablib
    from import_export import fields, resources, widgets

    from brigade.supervision.choices import InspectionKind
    from brigade.supervision.models import Inspection
    from brigade.units.models import SocialUnit

    kind_codes = {label: code for code, label in InspectionKind.choices}

    class LabelWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            if value not in kind_codes:
                raise ValueError(f"“{value}”不是可选的检查类型。")
            return kind_codes[value]

    class YesNoWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return {"是": True, "否": False}[value]

    class InspectionResource(resources.ModelResource):
        unit = fields.Field("unit", "单位名称", widgets.ForeignKeyWidget(SocialUnit, "name"))
        inspected_on = fields.Field("inspected_on", "检查日期", widgets.DateWidget("%Y-%m-%d"))
        kind = fields.Field("kind", "检查类型", LabelWidget())
        is_joint = fields.Field("is_joint", "联合执法检查", YesNoWidget())
        note = fields.Field("note", "备注")

        class Meta:
            model = Inspection
            fields = ("unit", "inspected_on", "kind", "is_joint", "note")
            import_id_fields = ("unit", "inspected_on", "kind")  # the natural key: no duplicates
            clean_model_instances = True  # full_clean(): field validators and Inspection.clean()
            skip_unchanged = True
            use_bulk = True
            batch_size = 1000
            use_transactions = True

    with open(xlsx, "rb") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="xlsx")
    result = InspectionResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    return {"created": result.totals["new"], "errors": 0}


def child(tool: str, db: Path, xlsx: Path) -> None:
    django_setup(db)
    started = time.perf_counter()
    out = (run_brigade if tool == "brigade" else run_import_export)(xlsx)
    out["seconds"] = time.perf_counter() - started
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "DB", "XLSX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        t0 = time.perf_counter()
        base = work / "db.sqlite3"
        script = (
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_import as b; "
            f"from pathlib import Path; b.django_setup(Path({str(base)!r})); "
            f"b.prepare(Path({str(work)!r}), {args.rows}, {args.units})"
        )
        subprocess.run([sys.executable, "-c", script], check=True)  # its own process: the parent stays small
        xlsx = work / "inspections.xlsx"
        print(f"准备：{args.rows} 行监督检查台账（{xlsx.stat().st_size / 1e6:.1f} MB .xlsx），{args.units} 个单位，"
              f"{time.perf_counter() - t0:.1f} s")
        results = {}
        for tool in ("brigade", "import-export"):
            db = work / f"{tool}.sqlite3"
            shutil.copy(base, db)  # each importer gets a fresh copy of the same database
            proc = subprocess.run([sys.executable, __file__, "--child", tool, str(db), str(xlsx)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"{tool} failed:\n{proc.stderr[-3000:]}")
            results[tool] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"\n{'importer':<22}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}")
        for tool, label in (("brigade", "Brigade io"), ("import-export", "django-import-export")):
            r = results[tool]
            print(f"{label:<22}{r['created']:>9}{r['seconds']:>10.1f}{r['created'] / r['seconds']:>10.0f}"
                  f"{r['peak_mb']:>10.0f}")
        ratio = results["import-export"]["seconds"] / results["brigade"]["seconds"]
        print(f"\nBrigade / django-import-export speed ratio: {ratio:.1f}x (target ≥ 3x); "
              f"Brigade peak memory {results['brigade']['peak_mb']:.0f} MB (target < 1024 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
