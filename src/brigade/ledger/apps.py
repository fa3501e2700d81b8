from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "brigade.ledger"
    verbose_name = "工作台账"
