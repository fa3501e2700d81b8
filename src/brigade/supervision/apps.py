from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "brigade.supervision"
    verbose_name = "监督管理"
