"""The deterministic demo brigade: a county brigade in 河东区, 临沂, with three seeded years and the current year to date.

``build_demo(seed=…, year=…, until=…)`` writes every record in one transaction; the same seed,
year and ``until`` give the same rows (same counts, same content checksum) on SQLite and
PostgreSQL. Randomness comes only from ``random.Random(seed)``; no generated value depends on the
clock (the command passes today's date as ``until``).
"""

import datetime as dt
import hashlib
import importlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from brigade.core.errors import UserError
from brigade.core.signals import records_bulk_created
from brigade.core.workdays import is_workday
from brigade.demo.geography import District, build_district

DEMO_BRIGADE_NAME = "河东区消防救援大队（演示）"
DEMO_DETACHMENT = "临沂市消防救援支队"
DEMO_DISTRICT = "山东省临沂市河东区"
DEMO_USERNAME = "admin"
# A fixed password for the demo login only; never use the demo database in production.
DEMO_PASSWORD = "brigade-demo-2025"
DEFAULT_SEED = 2025
BATCH = 500

OTHER_BRIGADE = (
    "数据库中已有其他大队（{names}）的数据。演示大队只能建在空数据库或只有演示数据的数据库中，"
    "请改用新的数据库（例如设置 BRIGADE_VAR_DIR 指向一个新目录）。"
)

# Apps whose records the demo writes; --force wipes them (the activity-kind catalogue is kept)
# together with any record of another app that points at them (evaluation scores of a street …).
DOMAIN_APPS = ("org", "units", "supervision", "response", "resources", "ledger")
KEEP_MODELS = {"ledger.activitykind"}
# Records the demo makes outside its own apps (monthly evaluation runs, stored analyses) that a wipe removes too.
ALSO_WIPED = {"evaluation.evaluationrun", "planning.analysisrun"}

# The generator's steps in order: (label shown in the progress bar, module.function). The
# district and its standing resources are built once; the year steps run for every year of
# history (two full years before the demo year, the demo year, and the next year to date); the
# final steps link and log what all the years produced.
FIXED_STEPS = (
    ("镇街、社区和行业部门", "organisation.build_territory"),
    ("消防站和人员", "organisation.build_stations"),
    ("道路网", "resources.build_roads"),
    ("社会单位", "units.build_units"),
    ("车辆和器材装备", "resources.build_fleet"),
    ("消火栓和水源", "resources.build_water"),
    ("电动自行车治理设施", "resources.build_ebike"),
)
YEAR_STEPS = (
    ("专项行动和监督检查", "supervision.build_inspections"),
    ("执法处理", "supervision.build_enforcement"),
    ("约谈、通知和函告", "supervision.build_paperwork"),
    ("接处警", "incidents.build_incidents"),
    ("工作台账", "ledger.build_activities"),
)
FINAL_STEPS = (
    ("隐患处理记录", "supervision.build_hazard_log"),
    ("月度考评", "evaluation.build_evaluations"),
    ("风险分级与双随机抽查", "risk.build_risk"),
    ("出警覆盖、水源和选址分析", "analyses.build_analyses"),
)
# Full years of history before the demo year.
HISTORY_YEARS = 2
STEPS = FIXED_STEPS + YEAR_STEPS + FINAL_STEPS  # every kind of step, once (labels)


def history(year: int, until: dt.date | None) -> list[tuple[int, dt.date]]:
    """(year, last day) of every year the demo writes: full years, then the next year up to ``until``."""
    years = [(y, dt.date(y, 12, 31)) for y in range(year - HISTORY_YEARS, year + 1)]
    if until is not None and until.year == year + 1:
        years.append((year + 1, until))
    return years


def step_count(year: int, until: dt.date | None) -> int:
    return len(FIXED_STEPS) + len(YEAR_STEPS) * len(history(year, until)) + len(FINAL_STEPS)


def default_year(today: dt.date | None = None) -> int:
    """The last complete calendar year (with default_until, the only places the demo looks at today's date)."""
    return (today or dt.date.today()).year - 1


def default_until(year: int, today: dt.date | None = None) -> dt.date | None:
    """The current year's data run to yesterday when the demo year is last year; otherwise none."""
    today = today or dt.date.today()
    if today.year != year + 1 or today <= dt.date(today.year, 1, 1):
        return None
    return today - dt.timedelta(days=1)


@dataclass
class Build:
    """Everything the generator steps share: the seeded generator, the year and what exists so far."""

    rng: random.Random
    year: int  # the year being written (the demo year while the fixed steps run)
    scale: float
    district: District
    objects: dict = field(default_factory=dict)
    demo_year: int = 0  # the year the demo is about; its records' state is as of ``until``
    until: dt.date | None = None  # the last day of data (the demo year's end, or the current year to date)
    last_day: dt.date | None = None  # the last day of the year being written (its end, or ``until``)

    def __post_init__(self):
        self.demo_year = self.demo_year or self.year
        self.until = self.until or dt.date(self.year, 12, 31)
        self.last_day = self.last_day or dt.date(self.year, 12, 31)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return self.last_day

    @property
    def offset(self) -> int:
        """Years after the demo year (−2, −1, 0, or 1 for the current year)."""
        return self.year - self.demo_year

    @property
    def months(self) -> range:
        """The months of the year being written that have data."""
        return range(1, self.end.month + 1)

    @property
    def fraction(self) -> float:
        """The share of the year being written that has data."""
        return ((self.end - self.start).days + 1) / ((dt.date(self.year, 12, 31) - self.start).days + 1)

    def trend(self, per_year: float) -> float:
        """A multiplier that changes by ``per_year`` each year (1 in the demo year): the demo's story."""
        return max(0.1, 1.0 + per_year * self.offset)

    def count(self, lo: int, hi: int, minimum: int = 1, trend: float = 0.0) -> int:
        """A seeded count between ``lo`` and ``hi`` for a full year at full scale, scaled down for quick
        builds and a year to date, and moved by ``trend`` per year from the demo year."""
        return max(minimum, round(self.rng.randint(lo, hi) * self.scale * self.fraction * self.trend(trend)))

    def day(self, start: dt.date | None = None, end: dt.date | None = None) -> dt.date:
        start, end = start or self.start, end or self.end
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def workday(self, start: dt.date | None = None, end: dt.date | None = None) -> dt.date:
        """A random working day in [start, end] (falls back to any day if none is a working day)."""
        for _ in range(30):
            d = self.day(start, end)
            if is_workday(d):
                return d
        return self.day(start, end)

    def weighted(self, options, weights):
        return self.rng.choices(options, weights=weights, k=1)[0]


def bulk(model, rows: list, batch_size: int = BATCH) -> list:
    """bulk_create in batches; primary keys are set on the returned objects (SQLite ≥ 3.35, PostgreSQL)."""
    created = model.objects.bulk_create(rows, batch_size=batch_size)
    records_bulk_created.send(sender=model, objs=created)
    return created


def insert_rows(model, rows: list) -> None:
    """Insert rows whose primary keys nobody needs back (link tables, event logs) with one
    ``executemany``: each value goes through its field's own ``get_db_prep_save``, as bulk_create
    would, without building a query per batch. Several times quicker for tens of thousands of rows."""
    from django.db import connection

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    # Plain values (text, numbers, keys) pass as they are; the rest through the field.
    plain = {"CharField", "TextField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
             "SmallIntegerField", "BigIntegerField", "BooleanField", "ForeignKey", "FloatField"}
    preps = [(f.attname, None if f.get_internal_type() in plain and not f.has_default() else f) for f in fields]

    def values(row):
        out = []
        for attname, f in preps:
            out.append(getattr(row, attname) if f is None else f.get_db_prep_save(f.pre_save(row, True), connection))
        return out

    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5_000):
            cursor.executemany(sql, [values(row) for row in rows[start:start + 5_000]])
    records_bulk_created.send(sender=model, objs=rows)


def bulk_with_history(model, rows: list, when: dt.datetime) -> list:
    """bulk_create that also writes the audit trail's "created" entry, dated ``when``."""
    from simple_history.utils import bulk_create_with_history

    created = bulk_create_with_history(rows, model, batch_size=BATCH, default_change_reason="演示数据生成",
                                       default_date=when)
    records_bulk_created.send(sender=model, objs=created)
    return created


# ----------------------------------------------------------------------------------------------
# Existence, wiping


def demo_exists() -> bool:
    from brigade.org.models import Brigade

    return Brigade.objects.filter(name=DEMO_BRIGADE_NAME).exists()


def _check_no_other_brigade() -> None:
    from brigade.org.models import Brigade

    # The demo detachment's other brigades (brigade.demo.detachment) are demo data too.
    others = list(Brigade.objects.exclude(name=DEMO_BRIGADE_NAME).exclude(name__endswith="（演示）")
                  .values_list("name", flat=True)[:3])
    if others:
        raise UserError(OTHER_BRIGADE.format(names="、".join(others)))


def _own_models() -> list[type[models.Model]]:
    return [
        m for m in apps.get_models(include_auto_created=True)
        if (m._meta.app_label in DOMAIN_APPS or m._meta.label_lower in ALSO_WIPED)
        and m._meta.label_lower not in KEEP_MODELS and not m._meta.proxy
    ]


def _domain_models() -> list[type[models.Model]]:
    """The demo's models plus every model that refers to them, children before parents."""
    everything = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]

    def refers_to(model, targets) -> bool:
        return any(f.is_relation and f.related_model in targets for f in model._meta.concrete_fields)

    chosen = set(_own_models())
    while True:
        more = {m for m in everything if m not in chosen and m._meta.label_lower not in KEEP_MODELS
                and refers_to(m, chosen)}
        if not more:
            break
        chosen |= more
    order: list = []
    seen: set = set()

    def visit(model):
        if model in seen:
            return
        seen.add(model)
        for other in sorted(chosen, key=lambda m: m._meta.label):
            if other is not model and refers_to(other, {model}):
                visit(other)  # everything that points at ``model`` goes first
        order.append(model)

    for m in sorted(chosen, key=lambda m: m._meta.label):
        visit(m)
    return order


def wipe_demo() -> None:
    """Delete every record of the demo brigade (the whole domain: the demo owns the database)."""
    _check_no_other_brigade()
    with transaction.atomic():
        for model in _domain_models():
            model._base_manager.all()._raw_delete(model._base_manager.db)


# ----------------------------------------------------------------------------------------------
# Build


def ensure_demo_admin(reset_password: bool = False) -> bool:
    """Create the demo superuser; returns True when the demo password is valid for it."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        User.objects.create_superuser(DEMO_USERNAME, "", DEMO_PASSWORD)
        return True
    if reset_password:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()
        return True
    return user.check_password(DEMO_PASSWORD)


def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    year: int | None = None,
    until: dt.date | None = None,
    scale: float = 1.0,
    data_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Build:
    """Write the demo brigade and its history; the caller decides whether an existing demo is wiped first.

    The history is two full years before ``year``, ``year`` itself and, when ``until`` falls in the
    next year, that year up to ``until`` (see default_until). ``progress(label)`` is called after
    each of the ``step_count(year, until)`` steps.
    """
    _check_no_other_brigade()
    year = year or default_year()
    rng = random.Random(f"brigade-demo:{seed}:{year}")
    data_dir = Path(data_dir or settings.BRIGADE_DATA_DIR)
    district = build_district(rng, data_dir, scale)
    years = history(year, until)
    b = Build(rng=rng, year=year, scale=scale, district=district, until=years[-1][1])

    def run(steps, label_suffix=""):
        for label, path in steps:
            module, name = path.rsplit(".", 1)
            getattr(importlib.import_module(f"brigade.demo.{module}"), name)(b)
            if progress:
                progress(label + label_suffix)

    with transaction.atomic():
        run(FIXED_STEPS)
        for y, last in years:
            b.year, b.last_day = y, last
            run(YEAR_STEPS, f"（{y}年）")
            for key in ("hazards", "campaigns"):
                b.objects.setdefault(f"all_{key}", []).extend(b.objects[key])
        b.year, b.last_day = year, dt.date(year, 12, 31)
        run(FINAL_STEPS)
    return b


# ----------------------------------------------------------------------------------------------
# Counts and checksums (for the command's summary and the determinism tests)


def counts() -> dict[str, int]:
    """Rows per model of the demo's apps (app and definition order)."""
    out = {}
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in KEEP_MODELS or model.__name__.startswith("Historical"):
                continue
            out[model._meta.label] = model._base_manager.count()
    return out


# (model label, fields) hashed by content; relations by natural keys so primary keys don't matter.
CHECKSUM_FIELDS = {
    "org.Street": ("code", "name", "kind", "boundary", "area_km2"),
    "org.Community": ("street__name", "name"),
    "org.Department": ("name",),
    "org.Station": ("name", "kind", "street__name", "lon", "lat", "opened_on"),
    "org.Person": ("name", "station__name", "post", "is_on_duty", "phone"),
    "units.SocialUnit": ("credit_code", "name", "site_category", "is_key_unit", "street__name", "community__name",
                         "address", "lon", "lat", "responsible_person", "manager", "phone"),
    "supervision.Campaign": ("name", "slogan", "starts_on", "ends_on", "scope"),
    "supervision.Inspection": ("unit__credit_code", "inspected_on", "kind", "campaign__name", "is_joint",
                               "department__name", "note"),
    "supervision.Hazard": ("unit__credit_code", "inspection__inspected_on", "inspection__kind", "category",
                           "description", "is_major", "status", "found_on", "deadline", "rectified_on",
                           "reinspected_on", "closed_on"),
    "supervision.EnforcementAction": ("unit__credit_code", "person_name", "kind", "legal_basis", "stop_kind",
                                      "fine_amount", "decision_number", "decided_on", "ends_on", "lifted_on",
                                      "campaign__name"),
    "supervision.Interview": ("held_on", "site_category", "street__name", "people_count", "subject"),
    "supervision.Notice": ("issued_on", "kind", "number", "title"),
    "supervision.SupervisionLetter": ("sent_on", "number", "street__name", "department__name", "subject"),
    "response.Incident": ("number", "category", "received_at", "dispatched_at", "controlled_at", "cleared_at",
                          "returned_at", "address", "street__name", "unit__credit_code", "deaths", "injuries",
                          "direct_loss", "cause", "lon", "lat"),
    "response.Dispatch": ("incident__number", "station__name", "vehicle__plate", "crew_count", "dispatched_at",
                          "departed_at", "arrived_at", "returned_at"),
    "resources.Vehicle": ("plate", "kind", "station__name", "model_name", "commissioned_on", "status"),
    "resources.Equipment": ("kind", "station__name", "in_service_qty", "spare_qty", "purchased_on"),
    "resources.Hydrant": ("code", "kind", "road_name", "street__name", "status", "installed_on",
                          "last_checked_on", "lon", "lat"),
    "resources.WaterSource": ("name", "kind", "street__name", "is_usable", "lon", "lat"),
    "resources.ChargingShed": ("community__name", "name", "ports", "built_on"),
    "resources.ElevatorBlocker": ("community__name", "elevators", "installed_on"),
    "resources.Road": ("name", "road_class", "coordinates", "length_m"),
    "supervision.HazardEvent": ("hazard__unit__credit_code", "hazard__found_on", "hazard__category", "kind",
                                "from_status", "to_status", "on", "at", "note"),
    "supervision.MajorHazardCase": ("hazard__unit__credit_code", "determined_on", "notice_on", "reported_on",
                                    "listed_on", "listing_authority"),
    "ledger.Activity": ("occurred_on", "kind__code", "street__name", "station__name", "department__name",
                        "values", "note"),
}


def _normal(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return value


def table_checksums() -> dict[str, str]:
    """A SHA-256 of each key table's content, independent of primary keys and row order."""
    out = {}
    for label, fields in CHECKSUM_FIELDS.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # an optional model this installation does not have
            continue
        rows = sorted(
            json.dumps([_normal(v) for v in row], ensure_ascii=False)
            for row in model._base_manager.values_list(*fields)
        )
        out[label] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def checksum() -> str:
    """One checksum over every key table."""
    return hashlib.sha256(json.dumps(table_checksums(), sort_keys=True).encode()).hexdigest()
