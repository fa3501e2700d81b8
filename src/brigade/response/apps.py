from django.apps import AppConfig


class ResponseConfig(AppConfig):
    name = "brigade.response"
    verbose_name = "接处警"
