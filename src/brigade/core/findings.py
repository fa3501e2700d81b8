"""Findings: what an analysis concluded, with the evidence behind it.

Analyses (fleet, hazards, coverage, water, siting …) return findings; the report's Part 2 and
Part 3, the dashboard and the map read them. Providers register here, like metrics do.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Finding:
    code: str  # dotted, e.g. "fleet.over_age"
    severity: str  # one of SEVERITIES
    statement: str  # one Chinese sentence a report can print as it is
    part: str  # the report slot it feeds: "Q1"…"Q6" (problems) or "N1"…"N5" (plan)
    metrics: dict[str, float] = field(default_factory=dict)  # figures it rests on, by name
    evidence: list[dict[str, Any]] = field(default_factory=list)  # the records behind it

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")


# A provider takes (period, scope) and returns findings; see brigade.core.period/scope.
FindingProvider = Callable[[Any, Any], list[Finding]]
_PROVIDERS: dict[str, FindingProvider] = {}
# Providers that filter their records to a set of brigades (scope kind "brigades"); the others are
# left out for a part of a multi-brigade database rather than report another brigade's records.
_BRIGADE_AWARE: set[str] = set()


def finding_provider(name: str, *, brigades: bool = False) -> Callable[[FindingProvider], FindingProvider]:
    """Register a provider under a unique name (decorator); ``brigades``: it honours brigade sets."""

    def register(func: FindingProvider) -> FindingProvider:
        if name in _PROVIDERS:
            raise ValueError(f"finding provider {name!r} registered twice")
        _PROVIDERS[name] = func
        if brigades:
            _BRIGADE_AWARE.add(name)
        return func

    return register


def providers() -> dict[str, FindingProvider]:
    return dict(_PROVIDERS)


def collect_findings(period, scope, *, only: set[str] | None = None) -> list[Finding]:
    """Every registered provider's findings for the period and scope, most severe first."""
    found: list[Finding] = []
    partial = getattr(scope, "filters_brigades", False)
    for name, provider in _PROVIDERS.items():
        if partial and name not in _BRIGADE_AWARE:
            continue
        if only is None or name in only:
            found.extend(provider(period, scope))
    return sorted(found, key=lambda f: (SEVERITIES.index(f.severity), f.part, f.code))
