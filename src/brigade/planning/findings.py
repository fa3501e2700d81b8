"""Import the planning adapters that register finding providers (coverage Q2, water Q3, fleet Q4, siting N3)."""

from brigade.planning import coverage, fleet, siting, water  # noqa: F401
