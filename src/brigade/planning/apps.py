from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "brigade.planning"
    verbose_name = "分析与规划"

    def ready(self):
        from brigade.planning import first_due  # noqa: F401  (registers the road-network first-due method)
