from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from brigade.response.models import Dispatch, Incident


class DispatchInline(admin.TabularInline):
    model = Dispatch
    extra = 0
    fields = ["station", "vehicle", "crew_count", "dispatched_at", "departed_at", "arrived_at", "returned_at"]
    autocomplete_fields = ["vehicle"]


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "category", "received_at", "street", "address", "deaths", "injuries", "direct_loss"]
    list_filter = ["category", "street", "has_impact"]
    search_fields = ["number", "address", "unit__name"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["unit"]
    list_select_related = ["street"]
    inlines = [DispatchInline]


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ["incident", "station", "vehicle", "crew_count", "departed_at", "arrived_at"]
    list_filter = ["station"]
    search_fields = ["incident__number", "vehicle__plate"]
    autocomplete_fields = ["incident", "vehicle"]
    list_select_related = ["incident", "station", "vehicle"]
