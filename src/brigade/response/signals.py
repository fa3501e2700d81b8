"""Every write to an incident or a dispatch forgets the cached columns of the months it touches."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from brigade.core.signals import records_bulk_created
from brigade.response import columns
from brigade.response.models import Dispatch, Incident


@receiver(pre_save, sender=Incident)
def _incident_before(sender, instance, raw=False, **kwargs):
    # The month it leaves, when an edit moves its receipt time.
    instance._columns_before = (Incident.objects.filter(pk=instance.pk).values_list("received_at", flat=True).first()
                                if instance.pk else None)


@receiver(post_save, sender=Incident)
def _incident_saved(sender, instance, raw=False, **kwargs):
    columns.forget_moments([getattr(instance, "_columns_before", None), instance.received_at])


@receiver(post_delete, sender=Incident)
def _incident_deleted(sender, instance, **kwargs):
    columns.forget_moments([instance.received_at])


@receiver(pre_save, sender=Dispatch)
def _dispatch_before(sender, instance, raw=False, **kwargs):
    instance._columns_before = (Dispatch.objects.filter(pk=instance.pk).values_list("incident_id", flat=True).first()
                                if instance.pk else None)


@receiver(post_save, sender=Dispatch)
def _dispatch_saved(sender, instance, raw=False, **kwargs):
    columns.forget_incidents([getattr(instance, "_columns_before", None), instance.incident_id])


@receiver(post_delete, sender=Dispatch)
def _dispatch_deleted(sender, instance, **kwargs):
    # In a cascade the incident may be gone already; its own post_delete forgets its month.
    columns.forget_incidents([instance.incident_id])


@receiver(records_bulk_created)
def _bulk_created(sender, objs, **kwargs):
    if sender is Incident:
        columns.forget_moments(o.received_at for o in objs)
    elif sender is Dispatch:
        columns.forget_incidents(o.incident_id for o in objs)
