from django.apps import AppConfig


class ResponseConfig(AppConfig):
    name = "brigade.response"
    verbose_name = "接处警"

    def ready(self):
        from brigade.response import signals  # noqa: F401  (connects the cache to every write)
