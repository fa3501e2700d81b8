from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "brigade.units"
    verbose_name = "社会单位"
