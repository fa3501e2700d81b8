from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "brigade.api"
    verbose_name = "数据接口"
