from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "brigade.resources"
    verbose_name = "装备与水源"
