"""Record types: the one declaration of each kind of record, with its web, API and ledger facets.

Each domain app declares its record types in its own ``records`` module (``brigade/<app>/records.py``)
with :func:`register`; the web pages (``brigade.web.generic``), the API (``brigade.api``) and the
Excel ledgers (``brigade.io.ledgers``) discover them here, so a new record type touches only its app.

A declaration names the list columns, the filters, the searched fields and the date field of the
period filter, plus the lookup paths that tie a row to a street or department (a liaison sees only
their own) and the roles that may create and edit it; then, where they apply, how the API serves it
(:class:`ApiFacet`), how a spreadsheet column names one of its rows (:class:`SheetRef`), its ledger
(:class:`LedgerFacet`, or :class:`KindLedgers` when its ledgers are rows of a table), its workflow
(:class:`WorkflowFacet`: the service that creates a record and the steps that change its state) and
the actions of its detail page (:class:`DetailAction`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

# Navigation sections, in menu order: key → Chinese title.
SECTIONS = {
    "org": "组织与辖区",
    "units": "社会单位",
    "supervision": "防火监督",
    "response": "接处警",
    "resources": "车辆装备与水源",
    "ledger": "工作台账",
    "evaluation": "考评",
    "risk": "风险分级与双随机",
    "analysis": "分析与总结",
}

NOBODY: frozenset[str] = frozenset()  # only the administrator edits


@dataclass(frozen=True)
class ApiFacet:
    """What the API adds: the filters only it has (station, category) and what a client may not write."""

    station: str | None = None  # lookup path to Station for ?station=
    category: str | None = None  # field that ?category= filters
    read_only: tuple[str, ...] = ()  # fields only a workflow service may change
    writable: bool = True  # False: computed records (risk grades, draws), served for reading only


@dataclass(frozen=True)
class SheetRef:
    """How a spreadsheet cell names one row of this type, in a column referring to it."""

    key: str = "name"  # the field written in the cell
    label: str = "名称"  # what the key is called in messages
    parent: str | None = None  # a parent written first, "九曲街道/幸福小区" (its name; the row's name alone also matches)
    # How the import finds the row: "key" (by ``key``), "brigade" (the only brigade when left empty),
    # "unit" (two columns, name and 统一社会信用代码), "inspection" (the unit's inspection on the day).
    resolver: str = "key"
    # The words ``import --create`` takes for this type (English list name, then Chinese): a name the
    # import cannot find is created, when the user asks, in the importing brigade or under its parent.
    create_words: tuple[str, ...] = ()
    create_hint: str = ""  # how a new one's name is written, when it needs its parent ("镇街/社区")


@dataclass(frozen=True)
class LedgerFacet:
    """The record type as an Excel ledger (台账): its columns are the model's fields, plus what the
    model cannot say (header synonyms, the natural key, the period's date, an example row)."""

    name: str  # the ledger's code (``brigade export inspection``)
    fields: tuple[str, ...]
    natural_keys: tuple[tuple[str, ...], ...]  # alternatives: the first whose values are all filled is used
    date_field: str | None = None
    synonyms: dict = field(default_factory=dict)
    examples: dict = field(default_factory=dict)
    required: dict = field(default_factory=dict)  # field → required, where the model's blank= says otherwise
    title: str | None = None  # None: the model's verbose name
    # A row belongs to the unit's inspection on a day given in its own column (hazards).
    inspection_day: bool = False


@dataclass(frozen=True)
class KindLedgers:
    """Ledgers kept as rows, not code: each active row of a "kind" table is a ledger of this record type
    (every activity kind is a ledger of activities, a column per figure). The app builds them."""

    filter: str  # the foreign key to the kind: a list filtered by one kind is exported under its ledger
    ledgers: Callable[[], Iterable]  # the ledger (brigade.io.ledgers.Ledger) of every active kind
    ledger_of: Callable[[models.Model], object]  # the ledger of one kind


@dataclass(frozen=True)
class StepInput:
    """An input of a workflow step besides its date, named as the service's keyword argument."""

    name: str
    label: str
    # "text" (up to 300 characters), "date", "passed" (合格 / 不合格) or "record" (one row of ``model``, by id)
    kind: str = "text"
    required: bool = False
    model: type[models.Model] | None = None


def anytime(obj) -> bool:
    return True


@dataclass(frozen=True)
class WorkflowStep:
    """A step that changes a record's state through the app's service, declared once for the record's
    page (brigade.web.workflows), the API (``POST /api/<slug>/<id>/transition/``) and the command line."""

    slug: str  # the step's name on every path: URL segment, API action, sub-command
    title: str
    day: str  # the service's keyword for the step's date ("ordered_on")
    day_label: str
    run: Callable  # run(record, *, by, expected_version, <day>=…, **inputs) → the record after the step
    inputs: tuple[StepInput, ...] = ()
    allowed: Callable[[models.Model], bool] = anytime  # offered from the record's present state
    aliases: tuple[str, ...] = ()  # older names the API still accepts


@dataclass(frozen=True)
class WorkflowFacet:
    """Writes that go through the app's services rather than a plain save: creating a record (the form's
    and the API's create) and the steps that change its state. Services raise UserError (with ``field``
    when an input is to blame) and brigade.core.errors.Conflict when the record changed meanwhile."""

    steps: tuple[WorkflowStep, ...] = ()
    create_fields: tuple[str, ...] = ()  # the create form's fields, passed to ``create`` by name
    # create(*, by, client_id=None, **fields) → the new record; None: a plain save under the model's rules
    create: Callable[..., models.Model] | None = None
    # The record's step log (a related name): a step resent with the same client id finds its own row.
    log: str | None = None

    def step(self, name: str) -> WorkflowStep | None:
        return next((s for s in self.steps if name == s.slug or name in s.aliases), None)


def always(access) -> bool:
    return True


@dataclass(frozen=True)
class DetailAction:
    """A link on a record's detail page: its title, its address for the record, who sees it."""

    title: str
    url: Callable[[models.Model], str]
    allowed: Callable[..., bool] = always  # of the user's Access


@dataclass(frozen=True)
class RecordType:
    model: type[models.Model]
    slug: str  # URL segment, the same as the API's
    section: str  # a key of SECTIONS
    list_columns: tuple[str, ...]  # field names (or callables' names on the model) shown in the list
    filters: tuple[str, ...] = ()  # fields with choices, booleans or foreign keys
    search: tuple[str, ...] = ()  # fields the search box matches (icontains)
    date_field: str | None = None  # the period filter's field (``*_at``: a datetime)
    street: str | None = None  # lookup path to Street; a street liaison sees rows matching theirs
    department: str | None = None  # lookup path to Department, for a department liaison
    editors: frozenset[str] = NOBODY  # roles that may create and edit (the administrator always may)
    form_fields: tuple[str, ...] | None = None  # None: every editable field
    raw_id: tuple[str, ...] = ()  # foreign keys to big tables: typed as a number, not a drop-down
    select_related: tuple[str, ...] = ()
    hidden_for_liaison: bool = False  # brigade-internal records a liaison never sees
    api: ApiFacet | None = None  # None: not served by the API
    ledger: LedgerFacet | None = None  # None: no Excel ledger
    kind_ledgers: KindLedgers | None = None  # ledgers declared as rows (one per kind) rather than fields
    workflow: WorkflowFacet | None = None  # None: created and edited by plain saves (the model's rules)
    photos: str | None = None  # the field photo's foreign key to this record: its page shows and takes photos
    sheet_ref: SheetRef = SheetRef()
    actions: tuple[DetailAction, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


# Filled by each app's ``records`` module (brigade.core.apps discovers them), then put in menu order.
RECORD_TYPES: dict[str, RecordType] = {}


def register(*types: RecordType) -> None:
    for rt in types:
        if rt.section not in SECTIONS:
            raise ValueError(f"record type {rt.slug!r}: unknown section {rt.section!r}")
        if rt.slug in RECORD_TYPES:
            raise ValueError(f"record type slug {rt.slug!r} declared twice")
        RECORD_TYPES[rt.slug] = rt


def put_in_menu_order() -> None:
    """Sections in the order of SECTIONS; within one, the order the apps declared them."""
    order = list(SECTIONS)
    ranked = sorted(RECORD_TYPES.values(), key=lambda rt: order.index(rt.section))
    RECORD_TYPES.clear()
    RECORD_TYPES.update((rt.slug, rt) for rt in ranked)


def record_type_for(model: type[models.Model]) -> RecordType | None:
    for rt in RECORD_TYPES.values():
        if rt.model is model:
            return rt
    return None


def sheet_ref_for(model: type[models.Model]) -> SheetRef:
    rt = record_type_for(model)
    return rt.sheet_ref if rt else SheetRef()
