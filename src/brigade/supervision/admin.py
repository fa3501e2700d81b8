from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slogan", "starts_on", "ends_on"]
    search_fields = ["name", "slogan"]
    date_hierarchy = "starts_on"


class HazardInline(admin.TabularInline):
    model = Hazard
    extra = 0
    fields = ["category", "is_major", "status", "found_on", "deadline", "rectified_on", "reinspected_on", "closed_on"]
    show_change_link = True


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
    readonly_fields = ["status", "ordered_on", "reinspection_requested_on", "reinspection_passed", "recurrence_of",
                       "version"]
    inlines = [HazardEventInline]
    list_filter = ["status", "category", "is_major", "unit__street", "unit__site_category"]
    search_fields = ["unit__name", "description"]
    date_hierarchy = "found_on"
    autocomplete_fields = ["unit", "inspection"]
    list_select_related = ["unit"]


@admin.register(EnforcementAction)
class EnforcementActionAdmin(SimpleHistoryAdmin):
    list_display = ["decided_on", "kind", "unit", "person_name", "fine_amount", "decision_number", "legal_basis"]
    list_filter = ["kind", "legal_basis", "campaign"]
    search_fields = ["unit__name", "person_name", "decision_number"]
    date_hierarchy = "decided_on"
    autocomplete_fields = ["unit", "hazards"]
    list_select_related = ["unit"]

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
