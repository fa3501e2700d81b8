from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "brigade.core"
    verbose_name = "基础"

    def ready(self):
        from django.db.models.signals import pre_save

        from brigade.core.tenancy import before_save

        # Every record belongs to one brigade: filled in and checked on each single save.
        pre_save.connect(before_save, dispatch_uid="brigade-tenancy")
