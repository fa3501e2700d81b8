"""Import the planning adapters that register finding providers (coverage Q2, water Q3, fleet Q4)."""

from brigade.planning import coverage, fleet, water  # noqa: F401
