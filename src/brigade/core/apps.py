from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "brigade.core"
    verbose_name = "基础"
