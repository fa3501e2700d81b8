from django.contrib import admin

from brigade.org.models import Brigade, Community, Department, Person, Station, Street


@admin.register(Brigade)
class BrigadeAdmin(admin.ModelAdmin):
    list_display = ["name", "detachment", "district"]
    search_fields = ["name"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "area_km2", "brigade"]
    list_filter = ["kind", "brigade"]
    search_fields = ["name", "code"]
    exclude = ["boundary"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "street"]
    list_filter = ["street"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "brigade"]
    search_fields = ["name"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "street", "lon", "lat", "opened_on"]
    list_filter = ["kind", "street"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "station", "post", "is_on_duty", "phone"]
    list_filter = ["post", "is_on_duty", "station"]
    search_fields = ["name", "phone"]
