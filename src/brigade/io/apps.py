from django.apps import AppConfig


class IoConfig(AppConfig):
    name = "brigade.io"
    label = "brigade_io"
    verbose_name = "导入导出"
