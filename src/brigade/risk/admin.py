from django import forms
from django.contrib import admin

from brigade.risk.models import ConflictOfInterest, Draw, DrawItem, RiskGradeHistory, RiskRubric, UnitRisk
from brigade.risk.rubric import default_text


class RiskRubricForm(forms.ModelForm):
    class Meta:
        model = RiskRubric
        fields = ["name", "is_active", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 40, "cols": 100, "style": "font-family: monospace"})}


@admin.register(RiskRubric)
class RiskRubricAdmin(admin.ModelAdmin):
    form = RiskRubricForm
    list_display = ["name", "is_active", "updated_at"]

    def get_changeform_initial_data(self, request):
        # A new rubric starts as a copy of the shipped one, sources included.
        return {"text": default_text(), **super().get_changeform_initial_data(request)}


@admin.register(UnitRisk)
class UnitRiskAdmin(admin.ModelAdmin):
    list_display = ["unit", "street", "level", "score", "evidence", "graded_on"]
    list_filter = ["level", "street"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit"]

    def has_add_permission(self, request):
        return False  # grades are computed (brigade risk grade), never typed in


@admin.register(RiskGradeHistory)
class RiskGradeHistoryAdmin(admin.ModelAdmin):
    list_display = ["graded_on", "unit", "level", "score"]
    list_filter = ["level"]
    raw_id_fields = ["unit"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["person", "street", "unit", "reason"]
    raw_id_fields = ["unit"]


class DrawItemInline(admin.TabularInline):
    model = DrawItem
    extra = 0
    can_delete = False
    fields = readonly_fields = ["order", "unit", "street", "level", "reason", "inspector_a", "inspector_b"]


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = ["month", "status", "seed", "checks", "officers", "reason", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["month", "seed", "status", "reason", "superseded_by", "checks", "officers", "due_on",
                       "rubric_name", "digest", "warnings", "drawn_by"]
    exclude = ["inputs"]
    inlines = [DrawItemInline]

    def has_add_permission(self, request):
        return False  # drawn by brigade draw or the draw page, from a published seed
