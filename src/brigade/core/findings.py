"""Findings: what an analysis concluded, with the evidence behind it.

Analyses (fleet, hazards, coverage, water, siting …) return findings; the report's Part 2 and
Part 3, the dashboard and the map read them. Providers register here, like metrics do.

Every provider honours its scope: a street's findings are about the street, and those of a set of
brigades in a many-brigade database (scope kind ``brigades``) about their records only, read
through the path each model declares (``in_scope_brigades``), so they name nothing of another brigade.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from brigade.core import tenancy

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


def finding_provider(name: str) -> Callable[[FindingProvider], FindingProvider]:
    """Register a provider under a unique name (decorator)."""

    def register(func: FindingProvider) -> FindingProvider:
        if name in _PROVIDERS:
            raise ValueError(f"finding provider {name!r} registered twice")
        _PROVIDERS[name] = func
        return func

    return register


def partial(scope) -> bool:
    """Whether the scope is some of the brigades of a many-brigade database (not all of it)."""
    return bool(getattr(scope, "filters_brigades", False))


def in_scope_brigades(rows, scope):
    """``rows`` of the scope's brigades when it is a part of the database; every row otherwise."""
    if not partial(scope):
        return rows
    return rows.filter(tenancy.in_brigades(rows.model, scope.brigade_ids))


def providers() -> dict[str, FindingProvider]:
    return dict(_PROVIDERS)


def collect_findings(period, scope, *, only: set[str] | None = None) -> list[Finding]:
    """Every registered provider's findings for the period and scope, most severe first."""
    found: list[Finding] = []
    for name, provider in _PROVIDERS.items():
        if only is None or name in only:
            found.extend(provider(period, scope))
    return sorted(found, key=lambda f: (SEVERITIES.index(f.severity), f.part, f.code))
