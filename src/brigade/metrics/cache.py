"""Metric tables for pages viewed over and over (the dashboard), kept for a few minutes.

Only the numbers are cached (metric functions don't pickle); the table is rebuilt around them.
Reports and exports call ``compute`` directly, so a document is always computed fresh.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from brigade.metrics.period import Period
from brigade.metrics.registry import MetricTable, MetricValue, all_metrics, compute
from brigade.metrics.scope import BRIGADE, Scope


def compute_cached(period: Period, scope: Scope = BRIGADE, codes=None, *, with_previous: bool = True) -> MetricTable:
    """``compute`` through the cache for ``settings.BRIGADE_METRICS_CACHE_SECONDS`` (0 turns it off)."""
    seconds = getattr(settings, "BRIGADE_METRICS_CACHE_SECONDS", 300)
    if not seconds:
        return compute(period, scope, codes, with_previous=with_previous)
    wanted = "all" if codes is None else ",".join(sorted(codes))
    raw = f"{period.key}|{scope.key}|{wanted}|{with_previous}"
    key = "brigade:metrics:" + hashlib.sha1(raw.encode()).hexdigest()
    numbers = cache.get(key)
    if numbers is None:
        table = compute(period, scope, codes, with_previous=with_previous)
        cache.set(key, {c: (mv.value, mv.previous) for c, mv in table.values.items()}, seconds)
        return table
    metrics = all_metrics()
    values = {c: MetricValue(metrics[c], v, p) for c, (v, p) in numbers.items() if c in metrics}
    return MetricTable(period, scope, values)
