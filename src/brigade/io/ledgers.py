"""One declaration per ledger (台账): which model, which columns under which Chinese headers.

A ledger is built from its model's fields (header = verbose_name, required = not blank and no
default, choices from the field), plus what the model cannot say: header synonyms, the natural key
that makes two rows "the same record", the date that ``--period`` filters on and an example row.
A record type may also declare ledgers kept as rows (``KindLedgers``: every activity kind is a ledger of
activities, one column per figure); its app builds them from the classes here.

Foreign keys are matched by what people write in a spreadsheet: a social unit by its
统一社会信用代码 or exact name (with "did you mean" suggestions), a street, station or department
by name, an incident by its number, a vehicle by its plate.
"""

import datetime as dt
import difflib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from brigade.core.records import RECORD_TYPES, LedgerFacet, record_type_for, sheet_ref_for
from brigade.io.cells import (
    CellError,
    ChoiceMap,
    check_cell,
    clean_text,
    parse_bool,
    parse_coordinate,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_float,
    parse_int,
    parse_point,
)
from brigade.io.workbook import header_key, header_key_bare

# Headers of one cell holding both coordinates ("118.35,35.06").
POINT_HEADERS = ("经纬度", "坐标", "位置坐标", "经纬度坐标", "坐标（经度,纬度）", "GPS", "GPS坐标")


class UnknownLedger(LookupError):
    pass


# ---------------------------------------------------------------------------------------------
# Foreign-key resolution


def _key(text: str) -> str:
    return clean_text(text).replace(" ", "").lower()


class RefResolver:
    """Find one record of ``model`` by a text key (name, number, plate); loaded once per import."""

    def __init__(self, model, *, key: str = "name", label: str = "名称", related: tuple[str, ...] = ()):
        self.model, self.key, self.label, self.related = model, key, label, related
        self._index = None

    def keys_of(self, obj) -> list[str]:
        return [getattr(obj, self.key)]

    def display(self, obj) -> str:
        return "" if obj is None else str(getattr(obj, self.key))

    def rows(self):
        """The records this import may name: those of the importing brigade (``brigade_id``) if set."""
        rows = self.model._default_manager.select_related(*self.related)
        return _in_brigade(rows, getattr(self, "brigade_id", None))

    def index(self) -> dict[str, list]:
        if self._index is None:
            self._index = defaultdict(list)
            for obj in self.rows():
                for k in self.keys_of(obj):
                    self._index[_key(k)].append(obj)
        return self._index

    def remember(self, obj) -> None:
        """Make a record created earlier in the same import findable by later rows."""
        for k in self.keys_of(obj):
            self.index()[_key(k)].append(obj)

    def resolve(self, text: str):
        what = self.model._meta.verbose_name
        found = self.index().get(_key(text), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            owners = _owners_of(found)
            raise CellError(f"有{len(found)}个{what}的{self.label}都是“{text}”，"
                            + (f"分属{owners}，无法确定是哪一个：请由所属大队的用户导入。" if owners else "无法确定是哪一个。"))
        creator = getattr(self, "creator", None)
        if creator is not None and creator.allows(self.model, text):  # the user asked for it (--create)
            obj = creator(self.model, text)
            self.remember(obj)
            return obj
        # One message per unknown name: a value typed on 30,000 rows is looked for in the index once.
        misses = self.__dict__.setdefault("_misses", {})
        if text not in misses:
            misses[text] = elsewhere(self, text) or f"未找到{self.label}为“{text}”的{what}。{suggest(text, self.index())}"
        raise CellError(misses[text])


def _owners_of(found: list) -> str:
    """Which brigades records of one name belong to, when it is more than one (codes are unique only
    within a brigade: the administrator's import must say whose)."""
    from brigade.core import tenancy
    from brigade.org.models import Brigade

    ids = {tenancy.brigade_of(obj) for obj in found} - {None}
    if len(ids) < 2:
        return ""
    return "、".join(Brigade.objects.filter(pk__in=ids).order_by("pk").values_list("name", flat=True))


def _in_brigade(rows, brigade_id):
    from brigade.core import tenancy

    if brigade_id is None or tenancy.is_shared(rows.model):
        return rows
    return rows.filter(tenancy.owned_by(rows.model, brigade_id))


def elsewhere(resolver, text: str) -> str:
    """The refusal of a name that exists, but only in another brigade than the importing one."""
    brigade_id = getattr(resolver, "brigade_id", None)
    if brigade_id is None:
        return ""
    from brigade.core import tenancy
    from brigade.org.models import Brigade

    model = resolver.model
    if tenancy.is_shared(model):
        return ""
    name = clean_text(text).replace("·", "/").rsplit("/", 1)[-1]  # a community: 街道/小区
    others = model._default_manager.exclude(tenancy.owned_by(model, brigade_id)).select_related(*resolver.related)
    for obj in others.filter(**{f"{resolver.key}__iexact": name})[:20]:
        if _key(text) in {_key(k) for k in resolver.keys_of(obj)}:
            other = Brigade.objects.filter(pk=tenancy.brigade_of(obj)).values_list("name", flat=True).first()
            mine = Brigade.objects.filter(pk=brigade_id).values_list("name", flat=True).first()
            return (f"{model._meta.verbose_name}“{text}”属于{other or '其他大队'}，"
                    f"不能导入本大队（{mine}）的台账。")
    return ""


def suggest(text: str, index) -> str:
    """'Did you mean' for an unmatched name: the three closest existing names."""
    names = sorted({clean_text(str(k)) for k in index})
    close = difflib.get_close_matches(_key(text), names, n=3, cutoff=0.5)
    if not close:
        return ""
    # Show the names as stored, not as normalised keys.
    shown = []
    for k in close:
        obj = index[k][0]
        shown.append(str(getattr(obj, "name", None) or k))
    return f"您是不是要找：{'、'.join(f'“{s}”' for s in shown)}？"


class ParentResolver(RefResolver):
    """A row named with its parent first ("九曲街道/幸福小区"), or by its own name alone."""

    def __init__(self, model, parent: str):
        super().__init__(model, related=(parent,))
        self.parent = parent

    def keys_of(self, obj):
        above = getattr(obj, self.parent).name
        return [obj.name, f"{above}/{obj.name}", f"{above}·{obj.name}"]

    def display(self, obj):
        return "" if obj is None else f"{getattr(obj, self.parent).name}/{obj.name}"


class UnitResolver:
    """Social units by 统一社会信用代码 (exact) or by exact name, with suggestions."""

    def __init__(self, model):
        self.model = model
        self.by_code, self.by_name = None, None

    def load(self):
        if self.by_code is None:
            self.by_code, self.by_name = {}, defaultdict(list)
            for unit in _in_brigade(self.model._default_manager.all(), getattr(self, "brigade_id", None)):
                if unit.credit_code:
                    self.by_code[unit.credit_code.upper()] = unit
                self.by_name[_key(unit.name)].append(unit)

    def resolve(self, name: str, code: str):
        """Return (unit, column key of the error, message) — unit None when not matched."""
        self.load()
        if code:
            unit = self.by_code.get(code.upper())
            if unit is not None:
                return unit, None, None
            hint = ""
            named = self.by_name.get(_key(name), []) if name else []
            if len(named) == 1 and named[0].credit_code:
                hint = f"名称为“{name}”的单位的代码是 {named[0].credit_code}，请核对。"
            return None, "unit_code", (self._elsewhere(credit_code__iexact=code, text=code)
                                       or f"未找到统一社会信用代码为“{code}”的社会单位。{hint}")
        if not name:
            return None, "unit_name", "请填写单位名称或统一社会信用代码。"
        named = self.by_name.get(_key(name), [])
        if len(named) == 1:
            return named[0], None, None
        if len(named) > 1:
            return None, "unit_name", f"有{len(named)}个单位都叫“{name}”，请填写统一社会信用代码以区分。"
        misses = self.__dict__.setdefault("_misses", {})  # one "did you mean" per unknown name
        if name not in misses:
            misses[name] = self._elsewhere(name=name, text=name) or \
                f"未找到名为“{name}”的社会单位。{suggest(name, self.by_name)}"
        return None, "unit_name", misses[name]

    def _elsewhere(self, *, text: str, **lookup) -> str:
        brigade_id = getattr(self, "brigade_id", None)
        if brigade_id is None:
            return ""
        other = self.model._default_manager.filter(**lookup).exclude(street__brigade_id=brigade_id) \
            .values_list("street__brigade__name", flat=True).first()
        if other is None:
            return ""
        mine = self.model._meta.get_field("street").related_model._meta.get_field("brigade").related_model \
            ._default_manager.filter(pk=brigade_id).values_list("name", flat=True).first()
        return f"社会单位“{text}”属于{other}，不能导入本大队（{mine}）的台账。"

    def remember(self, unit):
        self.load()
        if unit.credit_code:
            self.by_code[unit.credit_code.upper()] = unit
        self.by_name[_key(unit.name)].append(unit)


class BrigadeResolver(RefResolver):
    """The brigade: named in the row, or the only brigade in the system when left empty."""

    def default(self):
        brigades = {obj.pk: obj for objs in self.index().values() for obj in objs}
        if len(brigades) == 1:
            return next(iter(brigades.values()))
        if not brigades:
            raise CellError("系统中还没有消防救援大队，请先建立大队。")
        raise CellError("系统中有多个大队，请在“大队”列填写大队名称。")


class InspectionResolver:
    """The inspection a hazard was found in: same unit, inspected on the given day."""

    def __init__(self, model):
        self.model, self._index = model, None

    def resolve(self, unit, day):
        if self._index is None:
            self._index = {}
            rows = _in_brigade(self.model._default_manager.all(), getattr(self, "brigade_id", None))
            for insp in rows.order_by("pk").only("id", "unit_id", "inspected_on"):
                self._index.setdefault((insp.unit_id, insp.inspected_on), insp)
        found = self._index.get((unit.pk, day))
        if found is None:
            raise CellError(f"未找到“{unit.name}”在 {day:%Y-%m-%d} 的监督检查记录，请先导入监督检查台账。")
        return found


# The resolvers a record type's SheetRef may name besides "key".
RESOLVERS = {"brigade": BrigadeResolver, "unit": UnitResolver, "inspection": InspectionResolver}


class Resolvers(dict):
    """The resolvers of one import (each loads its table once, on first use)."""

    creator = None  # brigade.io.create.Creator, when the import may create missing references
    brigade_id = None  # the importing brigade: only its records may be named (None: every brigade)

    def __missing__(self, model):
        ref = sheet_ref_for(model)  # declared with the record type (<app>/records.py)
        if ref.resolver == "key" and ref.parent:
            resolver = ParentResolver(model, ref.parent)
        elif ref.resolver == "key":
            resolver = RefResolver(model, key=ref.key, label=ref.label)
        else:
            resolver = RESOLVERS[ref.resolver](model)
        resolver.creator = self.creator
        resolver.brigade_id = self.brigade_id
        self[model] = resolver
        return resolver


# ---------------------------------------------------------------------------------------------
# Columns and ledgers


@dataclass
class Column:
    """One spreadsheet column. ``key`` is the model field, or a pseudo-key (unit_name, metric:CODE…)."""

    key: str
    header: str
    kind: str  # text int decimal float date datetime bool choice ref unit_name unit_code inspection_date metric
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: ChoiceMap | None = None
    model: type | None = None  # for ref columns: the model referred to
    example: object = ""
    note: str = ""

    @property
    def marked_header(self) -> str:
        return f"{self.header}*" if self.required else self.header

    @property
    def field(self) -> str:
        return {"unit_name": "unit", "unit_code": "unit", "inspection_date": "inspection"}.get(self.key, self.key)


KIND_BY_FIELD = [
    (models.BooleanField, "bool"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.DecimalField, "decimal"),
    (models.FloatField, "float"),
    (models.IntegerField, "int"),
    (models.ForeignKey, "ref"),
]


def _column_for(model, name: str, synonyms, examples, required_override) -> list[Column]:
    f = model._meta.get_field(name)
    header = str(f.verbose_name)
    required = not f.blank and not f.has_default() and not isinstance(f, models.BooleanField)
    if name in required_override:
        required = required_override[name]
    syn = tuple(synonyms.get(name, ()))
    if isinstance(f, models.ForeignKey) and sheet_ref_for(f.related_model).resolver == "unit":
        return [
            Column("unit_name", "单位名称", "unit_name", required, syn or ("名称", "单位", header),
                   example=examples.get("unit_name", "示例物流有限公司")),
            Column("unit_code", "统一社会信用代码", "unit_code", False, ("信用代码", "社会信用代码", "统一代码"),
                   example=examples.get("unit_code", "")),
        ]
    kind = "text"
    for field_class, k in KIND_BY_FIELD:
        if isinstance(f, field_class):
            kind = k
            break
    choices = ChoiceMap(f.choices) if f.choices else None
    if choices:
        kind = "choice"
    example = examples.get(name)
    if example is None and not required and kind not in ("bool", "choice"):
        example = ""  # optional columns stay empty in the example row unless the ledger gives one
    if example is None:
        example = {
            "bool": "否", "date": "2025-03-05", "datetime": "2025-03-05 14:20", "int": 1, "decimal": 0,
            "choice": choices.labels[0] if choices else "",
        }.get(kind, "")
    return [Column(name, header, kind, required, syn, choices, f.related_model if kind == "ref" else None, example)]


@dataclass
class Ledger:
    name: str
    title: str
    model: type
    columns: list[Column]
    natural_keys: list[tuple[str, ...]]  # alternatives: the first whose values are all filled is used
    date_field: str | None = None
    fixed: dict = field(default_factory=dict)  # field values every row has (an activity's kind)
    figures_field: str | None = None  # the JSON field the "metric" columns fill (an activity's values)
    # Columns the import reads but templates and exports never write (both coordinates in one cell).
    extra_columns: list[Column] = field(default_factory=list)
    inspection_day: bool = False  # a row belongs to the unit's inspection on the day of its own column

    @property
    def import_columns(self) -> list[Column]:
        return [*self.columns, *self.extra_columns]

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    def header_lookup(self) -> dict[str, str]:
        """Header text (normalised) → column key, for the header itself and its synonyms."""
        lookup = {}
        for col in self.import_columns:
            for text in (col.header, col.marked_header, *col.synonyms):
                lookup.setdefault(header_key(text), col.key)
                lookup.setdefault(header_key_bare(text), col.key)
        return lookup

    def column(self, key: str) -> Column:
        return next(c for c in self.import_columns if c.key == key)

    def header_of_field(self, field_name: str) -> str:
        for col in self.columns:
            if col.field == field_name or col.key == field_name:
                return col.header
        try:
            return str(self.model._meta.get_field(field_name).verbose_name)
        except Exception:
            return ""

    def queryset(self):
        qs = self.model._default_manager.filter(**self.fixed)
        related = [c.field for c in self.columns if c.kind in ("ref", "unit_name", "inspection_date")]
        if self.inspection_day:
            related.append("inspection")
        return qs.select_related(*dict.fromkeys(related))

    def filter_period(self, qs, start: dt.date, end: dt.date):
        if not self.date_field:
            return qs
        f = self.model._meta.get_field(self.date_field)
        if isinstance(f, models.DateTimeField):
            tz = timezone.get_current_timezone()
            lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
            hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
            return qs.filter(**{f"{self.date_field}__gte": lo, f"{self.date_field}__lt": hi})
        return qs.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lte": end})

    # -- values of a saved record, as the export and the template show them
    def export_value(self, col: Column, obj):
        if col.kind == "unit_name":
            return obj.unit.name if obj.unit_id else ""
        if col.kind == "unit_code":
            return (obj.unit.credit_code or "") if obj.unit_id else ""
        if col.kind == "inspection_date":
            return obj.inspection.inspected_on
        if col.kind == "metric":
            return (obj.values or {}).get(col.key.split(":", 1)[1])
        value = getattr(obj, col.key)
        if col.kind == "ref":
            if value is None:
                return ""
            ref = sheet_ref_for(col.model)
            if ref.parent:
                return f"{getattr(value, ref.parent).name}/{value.name}"
            return str(getattr(value, ref.key))
        if col.kind == "choice":
            return col.choices.label(value) if value else ""
        if col.kind == "bool":
            return "" if value is None else ("是" if value else "否")
        if col.kind == "datetime" and value is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        if col.kind == "decimal" and value is not None:
            return float(value)
        return value


def _tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def parse_cell(col: Column, raw, resolvers: Resolvers):
    """The Python value of one filled cell for ``col`` (raises CellError)."""
    check_cell(raw)
    kind = col.kind
    if kind == "text":
        return clean_text(raw)
    if kind == "int":
        value = parse_int(raw)
        if value < 0:
            raise CellError(f"“{col.header}”不能为负数（填写的是 {value}）。")
        return value
    if kind == "decimal":
        return parse_decimal(raw)
    if kind == "float":
        return parse_coordinate(raw, axis=col.key) if col.key in ("lon", "lat") else parse_float(raw)
    if kind == "point":
        return parse_point(raw)
    if kind == "date":
        return parse_date(raw)
    if kind == "datetime":
        value = parse_datetime(raw)
        return value if value.tzinfo else value.replace(tzinfo=_tz())
    if kind == "bool":
        return parse_bool(raw)
    if kind == "choice":
        return col.choices.parse(raw)
    if kind == "ref":
        return resolvers[col.model].resolve(clean_text(raw))
    if kind == "metric":
        value = parse_decimal(raw)
        if value < 0:
            raise CellError(f"“{col.header}”不能为负数（填写的是 {value}）。")
        return int(value) if value == value.to_integral_value() else float(value)
    if kind in ("unit_name", "unit_code", "inspection_date"):
        return clean_text(raw) if kind != "inspection_date" else parse_date(raw)
    raise AssertionError(kind)


def hashable(value):
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


# ---------------------------------------------------------------------------------------------
# The declarations


def build_ledger(model, facet: LedgerFacet) -> Ledger:
    """A ledger of ``model`` from its declaration (also for export-only ledgers of computed records)."""
    columns = []
    for f in facet.fields:
        columns += _column_for(model, f, facet.synonyms, facet.examples, facet.required)
    ledger = Ledger(facet.name, facet.title or str(model._meta.verbose_name), model, columns,
                    [tuple(k) for k in facet.natural_keys], facet.date_field, inspection_day=facet.inspection_day)
    if {"lon", "lat"} <= {f.name for f in model._meta.concrete_fields}:
        ledger.extra_columns.append(Column("point", "坐标", "point", False, POINT_HEADERS))
    if facet.inspection_day:
        # The row belongs to an inspection: the unit's inspection on this day.
        ledger.columns.insert(2, Column("inspection_date", "检查日期", "inspection_date", True,
                                        ("检查时间",), example="2025-03-05"))
    return ledger


def static_ledgers() -> dict[str, Ledger]:
    """A ledger per record type that declares one (``<app>/records.py``), in menu order."""
    ledgers = [build_ledger(rt.model, rt.ledger) for rt in RECORD_TYPES.values() if rt.ledger is not None]
    return {ledger.name: ledger for ledger in ledgers}


def all_ledgers() -> dict[str, Ledger]:
    """Every ledger: the model ledgers, then those kept as rows (one per active activity kind)."""
    ledgers = static_ledgers()
    for rt in RECORD_TYPES.values():
        if rt.kind_ledgers is not None:
            for ledger in rt.kind_ledgers.ledgers():
                ledgers.setdefault(ledger.name, ledger)
    return ledgers


def get_ledger(name: str) -> Ledger:
    """A ledger by its code (``inspection``, ``alcohol_check``) or Chinese title (``监督检查``)."""
    ledgers = all_ledgers()
    text = clean_text(name)
    if text in ledgers:
        return ledgers[text]
    for ledger in ledgers.values():
        if ledger.title == text:
            return ledger
    close = difflib.get_close_matches(text, [*ledgers, *(lg.title for lg in ledgers.values())], n=3, cutoff=0.5)
    hint = f"您是不是要找：{'、'.join(close)}？" if close else "用 --list 查看全部台账。"
    raise UnknownLedger(f"没有名为“{name}”的台账。{hint}")


def importable_ledgers(access) -> list[Ledger]:
    """The ledgers a user (their ``brigade.core.roles.Access``) may import: those of record types their
    role edits (a kind's ledger is its record type's: an activity kind's, the activities')."""
    out = []
    for ledger in all_ledgers().values():
        rt = record_type_for(ledger.model)
        if rt is not None and access.can_edit(rt.editors):
            out.append(ledger)
    return out
