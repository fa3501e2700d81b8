from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "brigade.web"
    label = "web"
    verbose_name = "网页端"
