from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "brigade.core"
    verbose_name = "基础"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from brigade.core.records import put_in_menu_order

        # Every app declares its record types in its own ``records`` module.
        autodiscover_modules("records")
        put_in_menu_order()
