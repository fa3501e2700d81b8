from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "brigade.evaluation"
    verbose_name = "考评"
