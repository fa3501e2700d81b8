from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "brigade.reports"
    verbose_name = "工作总结"
