from django.contrib import admin

from brigade.io.models import ValueMapping


@admin.register(ValueMapping)
class ValueMappingAdmin(admin.ModelAdmin):
    list_display = ["ledger", "source", "column", "value", "target", "uses", "updated_at"]
    list_filter = ["ledger", "source", "column"]
    list_editable = ["target"]
    search_fields = ["value", "target", "source"]
