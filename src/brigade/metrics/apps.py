from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "brigade.metrics"
    verbose_name = "指标"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Every app registers its metrics in its own ``metrics`` module and its finding providers
        # in its own ``findings`` module: a new app's figures need no edit here.
        autodiscover_modules("metrics")
        autodiscover_modules("findings")
