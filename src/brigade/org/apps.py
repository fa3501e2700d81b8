from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "brigade.org"
    verbose_name = "组织机构"
