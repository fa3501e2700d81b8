"""Signals of our own: bulk writes, which Django's model signals do not report."""

from django.dispatch import Signal

# Sent after a bulk_create of ``sender`` (a model class) with ``objs``, the objects written.
records_bulk_created = Signal()
