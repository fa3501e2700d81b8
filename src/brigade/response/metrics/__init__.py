"""The response metrics: counts of calls and dispatches (``counts``) and the figures of ``incident_stats`` (``times``)."""

from brigade.response.metrics import counts, times  # noqa: F401 (importing registers them)
