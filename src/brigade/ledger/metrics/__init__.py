"""The ledger's metrics: one per activity kind and figure (``kinds``), and the named totals over them (``items``)."""

from brigade.ledger.metrics import items, kinds  # noqa: F401 (importing registers them)
