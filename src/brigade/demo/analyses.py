"""The demo's stored analyses: coverage, first-due zones, water and siting, as a deployment's nightly run would leave them."""

from brigade.planning.kept import analyses_refresh


def build_analyses(b) -> None:
    """Run and store every kept analysis on the data just written (stamped with its last day)."""
    analyses_refresh(brigade=b.objects["brigade"])
