from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "brigade.metrics"
    verbose_name = "指标"
