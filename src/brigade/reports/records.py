"""The leaders' narrative notes for a summary report, as a record type."""

from brigade.core.records import RecordType, register
from brigade.core.roles import LEADER
from brigade.reports.models import NarrativeNote

register(
    RecordType(NarrativeNote, "narrative-notes", "analysis", ("period_key", "scope_key", "title", "signed_on"),
               search=("period_key", "title"), editors=frozenset({LEADER}), hidden_for_liaison=True),
)
