from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "brigade.demo"
    verbose_name = "演示数据"
