"""Stored analysis runs (coverage, water, siting) as a record type."""

from brigade.core.records import RecordType, register
from brigade.planning.models import AnalysisRun

register(
    RecordType(AnalysisRun, "analysis-runs", "analysis", ("created_at", "kind", "name", "seconds"),
               filters=("kind",), search=("name",), hidden_for_liaison=True),
)
