from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from brigade.supervision import services
from brigade.supervision.models import (
    Campaign,
    EnforcementAction,
    Hazard,
    HazardEvent,
    Inspection,
    Interview,
    MajorHazardCase,
    Notice,
    SupervisionLetter,
)
from brigade.supervision.records import ENFORCEMENT_LIFT_FIELDS, HAZARD_WORKFLOW_FIELDS


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slogan", "starts_on", "ends_on"]
    search_fields = ["name", "slogan"]
    date_hierarchy = "starts_on"


class HazardInline(admin.TabularInline):
    """An inspection's hazards, shown; recorded and moved on through the workflow (the hazard's page)."""

    model = Hazard
    extra = 0
    fields = ["category", "is_major", "status", "found_on", "deadline", "rectified_on", "reinspected_on", "closed_on"]
    readonly_fields = [f for f in fields if f in HAZARD_WORKFLOW_FIELDS]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["inspected_on", "unit", "kind", "campaign", "is_joint"]
    list_filter = ["kind", "is_joint", "campaign", "unit__street"]
    search_fields = ["unit__name", "note"]
    date_hierarchy = "inspected_on"
    autocomplete_fields = ["unit", "inspectors"]
    list_select_related = ["unit", "campaign"]
    inlines = [HazardInline]


class HazardEventInline(admin.TabularInline):
    """The workflow log: read-only, written by brigade.supervision.services."""

    model = HazardEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["on", "kind", "from_status", "to_status", "by", "at", "note", "enforcement"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Hazard)
class HazardAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "category", "is_major", "status", "found_on", "deadline", "rectified_on", "closed_on"]
    # Workflow state changes only through the services (which log them); shown here, not edited.
    readonly_fields = HAZARD_WORKFLOW_FIELDS
    inlines = [HazardEventInline]
    list_filter = ["status", "category", "is_major", "unit__street", "unit__site_category"]
    search_fields = ["unit__name", "description"]
    date_hierarchy = "found_on"
    autocomplete_fields = ["inspection"]
    list_select_related = ["unit"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # A new hazard is recorded by the service, as on every other path: state 'found', its event logged.
        saved = services.hazard_record(inspection=obj.inspection, category=obj.category, found_on=obj.found_on,
                                       description=obj.description, is_major=obj.is_major, by=request.user)
        for f in Hazard._meta.concrete_fields:
            setattr(obj, f.attname, getattr(saved, f.attname))
        obj._state.adding = False


@admin.register(EnforcementAction)
class EnforcementActionAdmin(SimpleHistoryAdmin):
    list_display = ["decided_on", "kind", "unit", "person_name", "fine_amount", "decision_number", "legal_basis"]
    list_filter = ["kind", "legal_basis", "campaign"]
    search_fields = ["unit__name", "person_name", "decision_number"]
    date_hierarchy = "decided_on"
    autocomplete_fields = ["unit", "hazards"]
    list_select_related = ["unit"]
    readonly_fields = ENFORCEMENT_LIFT_FIELDS  # lifting is the workflow's step (brigade.supervision.workflow)

    def has_delete_permission(self, request, obj=None):
        # Enforcement records are law-enforcement files: they are corrected, never deleted.
        return False


@admin.register(MajorHazardCase)
class MajorHazardCaseAdmin(admin.ModelAdmin):
    list_display = ["hazard", "determined_on", "notice_on", "reported_on", "listed_on", "delisted_on"]
    date_hierarchy = "determined_on"
    raw_id_fields = ["hazard"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["held_on", "site_category", "street", "people_count", "subject"]
    list_filter = ["site_category", "street"]
    date_hierarchy = "held_on"


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["issued_on", "kind", "number", "title"]
    list_filter = ["kind"]
    search_fields = ["title", "number"]
    date_hierarchy = "issued_on"


@admin.register(SupervisionLetter)
class SupervisionLetterAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "number", "street", "department", "subject"]
    list_filter = ["street", "department"]
    search_fields = ["subject", "number"]
    date_hierarchy = "sent_on"
