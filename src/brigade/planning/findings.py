"""Import the planning adapters that register finding providers (coverage Q2, water Q3, fleet Q4,
siting N3, plan items N2 and N4)."""

from brigade.planning import coverage, fleet, plan_items, siting, water  # noqa: F401
