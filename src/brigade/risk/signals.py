"""Regrade the units whose evidence a write touched, once, after the transaction commits.

A derived figure kept fresh, like the incident column cache (brigade.response.signals): the grade
itself is computed by ``risk_grade``, the same service ``brigade risk grade`` runs nightly.
"""

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from brigade.core.signals import records_bulk_created
from brigade.response.models import Incident
from brigade.supervision.models import EnforcementAction, Hazard, Inspection
from brigade.units.models import SocialUnit

log = logging.getLogger(__name__)
# The records a grade reads, and how each names its unit.
UNIT_OF = {SocialUnit: "pk", Hazard: "unit_id", Inspection: "unit_id", EnforcementAction: "unit_id",
           Incident: "unit_id"}
# A bulk write touching more units than this regrades everything in one pass instead.
WHOLE_REGRADE_AT = 5000

_local = threading.local()


def _flush():
    ids, _local.ids = _local.ids, None
    from brigade.risk.services.grading import risk_grade

    try:
        risk_grade(unit_ids=None if len(ids) > WHOLE_REGRADE_AT else sorted(ids))
    except Exception:  # a stale grade must never undo the user's write; the nightly run catches up
        log.exception("risk regrade after a write failed")


def queue_units(ids) -> None:
    from django.db import connection

    ids = {i for i in ids if i is not None}
    if not ids:
        return
    # Still waiting for this transaction's commit? (A rollback drops the callback, so start over.)
    waiting = getattr(_local, "ids", None) is not None and any(
        entry[1] is _flush for entry in connection.run_on_commit)
    if waiting:
        _local.ids.update(ids)
        return
    _local.ids = set(ids)
    transaction.on_commit(_flush)


def _saved(sender, instance, **kwargs):
    queue_units([getattr(instance, UNIT_OF[sender])])


def _bulk(sender, objs, **kwargs):
    if sender in UNIT_OF:
        queue_units(getattr(o, UNIT_OF[sender]) for o in objs)


for _model in UNIT_OF:
    post_save.connect(_saved, sender=_model, dispatch_uid=f"risk-saved-{_model.__name__}")
for _model in (Hazard, Inspection, EnforcementAction, Incident):
    post_delete.connect(_saved, sender=_model, dispatch_uid=f"risk-deleted-{_model.__name__}")
records_bulk_created.connect(_bulk, dispatch_uid="risk-bulk")
