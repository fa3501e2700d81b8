from django.contrib import admin

from brigade.reports.models import NarrativeNote


@admin.register(NarrativeNote)
class NarrativeNoteAdmin(admin.ModelAdmin):
    list_display = ["period_key", "scope_key", "title", "signature", "signed_on"]
    search_fields = ["period_key", "title"]
