"""Every write to an incident or a dispatch forgets the cached columns of the months it touches."""

from django.db.models.signals import post_delete, post_save, pre_save

from brigade.core.signals import records_bulk_created
from brigade.response import columns
from brigade.response.models import Dispatch, Incident

# Where each record's month comes from: the receipt time of the call (its own, or its incident's).
RECEIVED = {Incident: "received_at", Dispatch: "incident__received_at"}


def _stored_moments(model, pk) -> list:
    """The receipt time the saved row has in the database (none for a new or cascaded-away row)."""
    return list(model.objects.filter(pk=pk).values_list(RECEIVED[model], flat=True)) if pk else []


def _moments(instance) -> list:
    if isinstance(instance, Incident):
        return [instance.received_at]
    return list(Incident.objects.filter(pk=instance.incident_id).values_list("received_at", flat=True))


def _before_save(sender, instance, **kwargs):
    # The month it leaves, when an edit moves a call's receipt time or a dispatch to another call.
    instance._columns_before = _stored_moments(sender, instance.pk)


def _after_save(sender, instance, **kwargs):
    columns.forget_moments([*getattr(instance, "_columns_before", []), *_moments(instance)])


def _after_delete(sender, instance, **kwargs):
    # In a cascade the incident may be gone already; its own post_delete forgets its month.
    columns.forget_moments(_moments(instance))


def _bulk_created(sender, objs, **kwargs):
    if sender is Incident:
        columns.forget_moments(o.received_at for o in objs)
    elif sender is Dispatch:
        columns.forget_incidents(o.incident_id for o in objs)


for model in RECEIVED:
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"columns-before-{model.__name__}")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"columns-saved-{model.__name__}")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"columns-deleted-{model.__name__}")
records_bulk_created.connect(_bulk_created, dispatch_uid="columns-bulk")
