"""Metric tables for pages viewed over and over (the dashboard), kept for a few minutes.

Only the numbers are cached (metric functions don't pickle); the table is rebuilt around them.
The cache is shared by every server process (settings ``CACHES``). When figures are missing or
old, one request computes them while the others wait for its result (or, for old figures, are
answered with those at once) instead of all computing the same thing at the same time.
Reports and exports call ``compute`` directly, so a document is always computed fresh.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from brigade.core.period import Period
from brigade.core.scope import BRIGADE, Scope
from brigade.metrics.registry import MetricTable, MetricValue, all_metrics, compute

# How long others wait for the request computing a table before computing it themselves.
WAIT_SECONDS = 60.0
POLL_SECONDS = 0.05
# Old figures stay this many times the freshness period, to answer while they are recomputed.
KEEP_FACTOR = 12


def compute_cached(period: Period, scope: Scope = BRIGADE, codes=None, *, with_previous: bool = True) -> MetricTable:
    """``compute`` through the cache for ``settings.BRIGADE_METRICS_CACHE_SECONDS`` (0 turns it off)."""
    seconds = settings.BRIGADE_METRICS_CACHE_SECONDS
    if not seconds:
        return compute(period, scope, codes, with_previous=with_previous)
    wanted = "all" if codes is None else ",".join(sorted(codes))
    raw = f"{period.key}|{scope.key}|{wanted}|{with_previous}"
    key = "brigade:metrics:" + hashlib.sha1(raw.encode()).hexdigest()

    def build() -> MetricTable:
        return compute(period, scope, codes, with_previous=with_previous)

    entry = cache.get(key)
    if entry is not None and time.time() - entry["at"] < seconds:
        return _table(period, scope, entry["numbers"])
    table, numbers = _single_flight(key, entry, build, seconds)
    return table or _table(period, scope, numbers)


def _single_flight(key: str, old: dict | None, build, seconds: int):
    """(table, None) when this request computed, else (None, numbers) another request computed."""
    lock = key + ":computing"
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        # add() is atomic on shared caches (on the file cache the window is tiny; the cost of
        # losing the race is only computing twice).
        if cache.add(lock, 1, timeout=int(WAIT_SECONDS)):
            try:
                table = build()
                numbers = {c: (mv.value, mv.previous) for c, mv in table.values.items()}
                cache.set(key, {"at": time.time(), "numbers": numbers}, seconds * KEEP_FACTOR)
                return table, None
            finally:
                cache.delete(lock)
        if old is not None:  # someone is refreshing: the figures of a few minutes ago will do
            return None, old["numbers"]
        if time.monotonic() > deadline:
            return build(), None
        time.sleep(POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None:
            return None, entry["numbers"]


def _table(period: Period, scope: Scope, numbers: dict) -> MetricTable:
    metrics = all_metrics()
    values = {c: MetricValue(metrics[c], v, p) for c, (v, p) in numbers.items() if c in metrics}
    return MetricTable(period, scope, values)
