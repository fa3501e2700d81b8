from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "brigade.core"
    verbose_name = "基础"

    def ready(self):
        from django.db.models.signals import pre_save
        from django.utils.module_loading import autodiscover_modules

        from brigade.core.records import put_in_menu_order
        from brigade.core.tenancy import before_save

        # Every record belongs to one brigade: filled in and checked on each single save.
        pre_save.connect(before_save, dispatch_uid="brigade-tenancy")
        # Every app declares its record types in its own ``records`` module.
        autodiscover_modules("records")
        put_in_menu_order()
        # ... and its map layers in its own ``map`` module.
        autodiscover_modules("map")
