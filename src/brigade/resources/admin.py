from django.contrib import admin

from brigade.resources.models import (
    ChargingShed,
    ElevatorBlocker,
    Equipment,
    Hydrant,
    Road,
    Vehicle,
    WaterSource,
)


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["plate", "kind", "station", "model_name", "commissioned_on", "status"]
    list_filter = ["kind", "status", "station"]
    search_fields = ["plate", "model_name"]
    date_hierarchy = "commissioned_on"


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["station", "kind", "in_service_qty", "spare_qty", "purchased_on"]
    list_filter = ["kind", "station"]


@admin.register(Hydrant)
class HydrantAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "road_name", "street", "status", "last_checked_on"]
    list_filter = ["status", "kind", "street"]
    search_fields = ["code", "road_name"]


@admin.register(WaterSource)
class WaterSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "street", "is_usable"]
    list_filter = ["kind", "is_usable", "street"]
    search_fields = ["name"]


@admin.register(ChargingShed)
class ChargingShedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "ports", "built_on"]
    list_filter = ["community__street"]
    date_hierarchy = "built_on"


@admin.register(ElevatorBlocker)
class ElevatorBlockerAdmin(admin.ModelAdmin):
    list_display = ["community", "elevators", "installed_on"]
    list_filter = ["community__street"]
    date_hierarchy = "installed_on"


@admin.register(Road)
class RoadAdmin(admin.ModelAdmin):
    list_display = ["name", "road_class", "length_m"]
    list_filter = ["road_class"]
    search_fields = ["name"]
    exclude = ["coordinates"]
