from django.contrib import admin

from brigade.evaluation.models import (
    Deduction,
    EvaluationRun,
    EvaluationScore,
    ManualScore,
    Rubric,
    RubricItem,
)


class RubricItemInline(admin.TabularInline):
    model = RubricItem
    extra = 0
    fields = ["order", "title", "points", "method", "metric_code", "comparison", "threshold", "per_unit"]


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "target", "total_points", "is_active"]
    list_filter = ["target", "is_active"]
    inlines = [RubricItemInline]


@admin.register(ManualScore)
class ManualScoreAdmin(admin.ModelAdmin):
    list_display = ["month", "item", "street", "department", "deducted", "entered_by"]
    list_filter = ["month", "item__rubric"]


class EvaluationScoreInline(admin.TabularInline):
    model = EvaluationScore
    extra = 0
    can_delete = False
    fields = readonly_fields = ["rank", "street", "department", "score", "deducted"]


@admin.register(EvaluationRun)
class EvaluationRunAdmin(admin.ModelAdmin):
    list_display = ["month", "rubric", "run_by", "created_at"]
    list_filter = ["rubric"]
    readonly_fields = ["rubric", "month", "run_by", "warnings"]
    inlines = [EvaluationScoreInline]


@admin.register(Deduction)
class DeductionAdmin(admin.ModelAdmin):
    list_display = ["score", "item", "points", "reason"]
    readonly_fields = ["score", "item", "points", "reason", "evidence"]
