"""The dashboard's figure cache: shared, computed once while others wait, old figures served during a refresh."""

import datetime as dt
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brigade.core.period import parse_period
from brigade.metrics import cache as metric_cache
from brigade.metrics.cache import compute_cached
from brigade.metrics.registry import all_metrics

CODE = "team.alcohol_checks"


def _add_check(count: int) -> None:
    from brigade.ledger.models import Activity, ActivityKind

    Activity.objects.create(occurred_on=dt.date(2025, 7, 1), kind=ActivityKind.objects.get(code="alcohol_check"),
                            values={"count": count, "people": 1})


SET_IN_ANOTHER_PROCESS = """
import sys
from django.conf import settings
settings.configure()
from django.utils.module_loading import import_string
backend, location, prefix, key, value = sys.argv[1:]
import_string(backend)(location, {"KEY_PREFIX": prefix}).set(key, value, 60)
"""


def test_the_cache_is_shared_by_processes(settings):
    # What one server process stores under the configured cache, another reads: the dashboard is
    # computed once, not once per worker (a per-process cache would fail here).
    config = settings.CACHES["default"]
    key, value = f"shared-{uuid.uuid4().hex}", uuid.uuid4().hex
    subprocess.run([sys.executable, "-c", SET_IN_ANOTHER_PROCESS, config["BACKEND"], str(config.get("LOCATION", "")),
                    config.get("KEY_PREFIX", ""), key, value], check=True, timeout=60)
    assert cache.get(key) == value
    cache.delete(key)


def test_fresh_figures_take_no_query(town):
    period = parse_period("2025")
    compute_cached(period, codes=[CODE])
    with CaptureQueriesContext(connection) as queries:
        assert compute_cached(period, codes=[CODE]).value(CODE) == 3
    assert len(queries) == 0


def test_while_one_request_refreshes_others_get_the_old_figures(town, settings, monkeypatch):
    period = parse_period("2025")
    settings.BRIGADE_METRICS_CACHE_SECONDS = 60
    compute_cached(period, codes=[CODE])  # 3, now cached
    _add_check(4)
    # The figures grow old, and another request holds the refresh lock.
    real_time = time.time
    monkeypatch.setattr(metric_cache.time, "time", lambda: real_time() + 120)
    key = next(_cache_keys(period))
    assert cache.add(key + ":computing", 1)
    assert compute_cached(period, codes=[CODE]).value(CODE) == 3  # answered at once with the old figure
    cache.delete(key + ":computing")
    assert compute_cached(period, codes=[CODE]).value(CODE) == 7  # the lock is free: this one refreshes


def _cache_keys(period):
    import hashlib

    raw = f"{period.key}|brigade|{CODE}|True"
    yield "brigade:metrics:" + hashlib.sha1(raw.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_missing_figures_are_computed_once_while_others_wait(town):
    """A request that finds no figures while another computes them waits for that result."""
    period = parse_period("2025")
    key = next(_cache_keys(period))
    all_metrics()  # the metric definitions are read already, as in a running server
    assert cache.add(key + ":computing", 1)  # "another request" is computing

    results, queries = [], []

    def waiter():
        with CaptureQueriesContext(connection) as captured:
            results.append(compute_cached(period, codes=[CODE]).value(CODE))
        queries.append(len(captured))

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive(), "the second request must wait, not compute"
    cache.set(key, {"at": time.time(), "numbers": {CODE: (42, 0)}}, 60)  # the first one finishes
    cache.delete(key + ":computing")
    thread.join(timeout=10)
    assert results == [42]  # it took the other request's result …
    assert queries == [0]  # … without querying the figures itself
