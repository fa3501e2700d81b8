from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "brigade.risk"
    verbose_name = "风险分级与双随机"

    def ready(self):
        from brigade.risk import signals  # noqa: F401  (regrade units when their evidence changes)
        from brigade.risk.selectors import worklist_items
        from brigade.supervision.worklist import ITEM_SOURCES

        ITEM_SOURCES.append(worklist_items)  # the month's drawn checks become each officer's worklist
