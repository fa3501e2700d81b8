from django.contrib import admin

from brigade.ledger.models import Activity, ActivityKind


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "seed_ref", "is_active", "sort_order"]
    list_filter = ["group", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "kind", "values", "street", "station", "department", "note"]
    list_filter = ["kind__group", "kind", "street", "station"]
    search_fields = ["note", "kind__name"]
    date_hierarchy = "occurred_on"
    list_select_related = ["kind", "street", "station", "department"]
