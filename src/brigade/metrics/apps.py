from django.apps import AppConfig

# Each module registers its metrics when imported.
METRIC_MODULES = ("ledger", "ledger_items", "supervision", "response", "resources", "response_times", "evaluation")


class MetricsConfig(AppConfig):
    name = "brigade.metrics"
    verbose_name = "指标"

    def ready(self):
        from importlib import import_module

        from django.utils.module_loading import autodiscover_modules

        for module in METRIC_MODULES:
            import_module(f"brigade.metrics.{module}")
        # Every app may register finding providers in its own ``findings`` module, and metrics in
        # its own ``metrics`` module (the older ones live in this package, listed above).
        autodiscover_modules("findings")
        autodiscover_modules("metrics")
