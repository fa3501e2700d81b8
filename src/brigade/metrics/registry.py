"""The metric registry: every figure the brigade reports, defined once.

A metric has a code, a Chinese label, a unit, a one-line definition and a function of a
``Context`` (period + scope, with shared cached aggregates). Reports, the dashboard, the
evaluation and the API read figures only through ``compute``.
"""

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from brigade.core import tenancy
from brigade.core.errors import UserError
from brigade.core.period import Period
from brigade.core.scope import BRIGADE, Scope

Number = int | float


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    definition: str
    func: Callable[["Context"], Number | None]
    seed_ref: str = ""  # the row of SEED_METRICS.md it answers, e.g. "S6"
    scopes: frozenset[str] = frozenset({"brigade", "street"})
    # Stock figures (fleet size, sheds built) are read at the period's end, not summed over it.
    stock: bool = False

    def supports(self, scope: Scope) -> bool:
        """Whether the metric means something for the scope.

        The whole database and the detachment read as ``brigade``; a set of brigades needs a path
        from the records to a brigade (through a street or a station), unless it is every brigade.
        """
        if scope.everything:
            return "brigade" in self.scopes
        if scope.kind == "brigades":
            return "brigade" in self.scopes and bool(self.scopes & {"street", "station", "brigades"})
        return scope.kind in self.scopes


@dataclass(frozen=True)
class MetricValue:
    metric: Metric
    value: Number | None  # None: not applicable to this scope
    previous: Number | None  # the same period a year earlier (同比)

    @property
    def change(self) -> Number | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_pct(self) -> float | None:
        if self.change is None or not self.previous:
            return None
        return 100.0 * self.change / self.previous


class Context:
    """One period and scope, with aggregates that several metrics share computed once."""

    def __init__(self, period: Period, scope: Scope = BRIGADE):
        self.period = period
        self.scope = scope
        self._memo: dict = {}

    def memo(self, key, build: Callable[[], object]):
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def scoped(self, queryset, *, street: str | None, station: str | None = None, distinct: bool = False,
               via: str | None = None, brigade_wide: bool = False):
        """Filter a queryset to the scope.

        A set of brigades: the records that belong to them as ``brigade.core.tenancy`` declares for the
        model (the rule the pages and the API keep to, so a brigade's figures count what its users
        see); ``via`` names a foreign key whose record's brigade counts instead (a dispatch counts
        for its call's brigade, whichever brigade's station answered).
        A street or a station: through the lookup path to Street or to Station given (``distinct``
        for paths through a reverse relation: one incident, many dispatches). ``brigade_wide``:
        records a brigade keeps as a whole (campaigns), which for a street or a station are its
        brigade's.
        """
        if self.scope.everything:
            return queryset
        if self.scope.kind == "brigades":
            return queryset.filter(brigades_filter(queryset.model, self.scope.brigade_ids, via=via))
        path = street if self.scope.kind == "street" else station
        if path is None and brigade_wide:
            return queryset.filter(brigades_filter(queryset.model, (self._place_brigade(),)))
        if path is None:
            raise ValueError(f"{queryset.model.__name__} cannot be scoped to {self.scope.kind}")
        queryset = queryset.filter(**{path: self.scope.pk})
        return queryset.distinct() if distinct else queryset

    def _place_brigade(self) -> int | None:
        """The brigade of the scope's street or station."""
        from brigade.org.models import Station, Street

        model = Street if self.scope.kind == "street" else Station
        return self.memo("place_brigade", lambda: model.objects.filter(pk=self.scope.pk)
                         .values_list("brigade_id", flat=True).first())

    def between(self, queryset, date_field: str):
        """Rows whose date field (or datetime field, named ``*_at``) falls inside the period."""
        if date_field.endswith("_at"):
            start, end = local_day_bounds(self.period.start, self.period.end)
            return queryset.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
        return queryset.filter(**{f"{date_field}__range": (self.period.start, self.period.end)})

    def until_end(self, queryset, date_field: str):
        """Rows that exist by the period's end (for stock figures)."""
        return queryset.filter(**{f"{date_field}__lte": self.period.end})


def brigades_filter(model, ids: tuple[int, ...], *, via: str | None = None) -> Q:
    """The Q that keeps records of the brigades ``ids`` (see ``Context.scoped``)."""
    if via is None:
        return tenancy.in_brigades(model, ids)
    return tenancy.in_brigades(model._meta.get_field(via).related_model, ids, prefix=f"{via}__")


def local_day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from the start of ``first`` to the start of the day after ``last``.

    Comparing against bounds (not ``__date``) lets the database use its index on the column.
    """
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


_REGISTRY: dict[str, Metric] = {}
_DYNAMIC: list[Callable[[], Iterable[Metric]]] = []
# Metrics defined by data are read from the database at most this often (seconds) per process;
# the defining models call ``forget_dynamic`` when they change, so this process sees a change at
# once and other server processes within this time.
DYNAMIC_TTL_SECONDS = 30.0
_dynamic_memo: dict[str, object] = {"at": None, "metrics": {}}


def register(code: str, label: str, unit: str, definition: str, *, seed_ref: str = "",
             scopes: Iterable[str] = ("brigade", "street"), stock: bool = False):
    """Decorator: register the function as the metric ``code``."""

    def wrap(func):
        if code in _REGISTRY:
            raise ValueError(f"metric {code!r} registered twice")
        _REGISTRY[code] = Metric(code, label, unit, definition, func, seed_ref, frozenset(scopes), stock)
        return func

    return wrap


def register_dynamic(source: Callable[[], Iterable[Metric]]) -> None:
    """Metrics defined by data (e.g. one per activity kind a brigade adds in the admin)."""
    _DYNAMIC.append(source)


def forget_dynamic(**_signal_kwargs) -> None:
    """Drop the remembered data-defined metrics (a signal receiver, hence the keyword arguments)."""
    _dynamic_memo["at"] = None


def _dynamic_metrics() -> dict[str, Metric]:
    at = _dynamic_memo["at"]
    if at is None or time.monotonic() - at > DYNAMIC_TTL_SECONDS:
        metrics: dict[str, Metric] = {}
        for source in _DYNAMIC:
            for metric in source():
                metrics.setdefault(metric.code, metric)
        _dynamic_memo.update(at=time.monotonic(), metrics=metrics)
    return _dynamic_memo["metrics"]


def all_metrics() -> dict[str, Metric]:
    metrics = dict(_REGISTRY)
    for code, metric in _dynamic_metrics().items():
        metrics.setdefault(code, metric)
    return metrics


class UnknownMetric(UserError, KeyError):
    def __str__(self):  # KeyError would print the message in quotes
        return str(self.args[0])


def get_metric(code: str, metrics: dict[str, Metric] | None = None) -> Metric:
    try:
        return (all_metrics() if metrics is None else metrics)[code]
    except KeyError:
        raise UnknownMetric(f"没有代码为“{code}”的指标。") from None


@dataclass
class MetricTable:
    """Values of many metrics for one period and scope, with the year-earlier figures."""

    period: Period
    scope: Scope
    values: dict[str, MetricValue] = field(default_factory=dict)

    def __getitem__(self, code: str) -> MetricValue:
        return self.values[code]

    def value(self, code: str) -> Number | None:
        return self.values[code].value

    @cached_property
    def has_data(self) -> bool:
        return any(v.value for v in self.values.values() if not v.metric.stock)

    @cached_property
    def has_previous_data(self) -> bool:
        """Whether anything was recorded a year earlier (else 同比 means nothing)."""
        return any(v.previous for v in self.values.values() if not v.metric.stock)


def compute(period: Period, scope: Scope = BRIGADE, codes: Iterable[str] | None = None,
            *, with_previous: bool = True) -> MetricTable:
    """Compute metrics (all by default) for the period and scope, and for a year earlier."""
    metrics = all_metrics()
    selected = [get_metric(c, metrics) for c in codes] if codes is not None else list(metrics.values())
    now, before = Context(period, scope), Context(period.previous_year(), scope) if with_previous else None
    table = MetricTable(period, scope)
    for metric in selected:
        if not metric.supports(scope):
            table.values[metric.code] = MetricValue(metric, None, None)
            continue
        previous = metric.func(before) if before else None
        table.values[metric.code] = MetricValue(metric, metric.func(now), previous)
    return table
