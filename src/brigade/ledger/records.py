"""The activity ledger's record types: activity kinds and activities (each active kind is a ledger of its
own, built from the kind's figures by brigade.io.ledgers)."""

from brigade.core.records import ApiFacet, KindLedgers, RecordType, register
from brigade.core.roles import SUPERVISION, TRAINING
from brigade.ledger.models import Activity, ActivityKind
from brigade.ledger.sheets import active_kind_ledgers, kind_ledger

register(
    RecordType(ActivityKind, "activity-kinds", "ledger", ("name", "code", "group", "seed_ref", "is_active"),
               filters=("group", "is_active"), search=("name", "code"), hidden_for_liaison=True,
               api=ApiFacet(category="group")),
    RecordType(Activity, "activities", "ledger", ("occurred_on", "kind", "street", "station", "note"),
               filters=("kind", "street", "station", "department"), search=("note",), date_field="occurred_on",
               street="street", department="department", editors=frozenset({TRAINING, SUPERVISION}),
               select_related=("kind", "street", "station"), api=ApiFacet(station="station", category="kind__code"),
               kind_ledgers=KindLedgers("kind", active_kind_ledgers, kind_ledger)),
)
