from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "brigade.planning"
    verbose_name = "分析与规划"
