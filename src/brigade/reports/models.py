"""What people write themselves in a summary: the opening, honours and plan introductions."""

from django.core.exceptions import ValidationError
from django.db import models

from brigade.core.models import TimeStampedModel
from brigade.core.period import PeriodError, parse_period
from brigade.core.tenancy import BrigadeOwnedQuerySet


class NarrativeNote(TimeStampedModel):
    """Editable text for one period's summary; the figures around it come from the data."""

    period_key = models.CharField("统计期间", max_length=32, help_text="如 2025、2025-H1、2025-Q3、2025-03")
    scope_key = models.CharField("统计范围", max_length=80, default="brigade", help_text="brigade 或 street:镇街名称")
    title = models.CharField("标题（留空自动生成）", max_length=120, blank=True)
    opening = models.TextField("开头段", blank=True, help_text="总结开头的总体评价，由大队撰写")
    overview = models.TextField("工作开展情况导语", blank=True)
    honours = models.TextField("荣誉补充说明", blank=True, help_text="荣誉台账之外需要写明的集体或个人荣誉")
    problems_intro = models.TextField("问题部分导语", blank=True)
    plan_intro = models.TextField("工作计划导语", blank=True)
    signature = models.CharField("落款单位", max_length=80, blank=True)
    signed_on = models.DateField("成文日期", null=True, blank=True)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    # Empty: computed for the whole detachment (every brigade in the database).
    brigade = models.ForeignKey("org.Brigade", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="大队", help_text="留空表示支队（全部大队）")

    class Meta:
        verbose_name = verbose_name_plural = "总结撰写说明"
        ordering = ["-period_key"]
        constraints = [models.UniqueConstraint(fields=["period_key", "scope_key"], name="narrative_unique_period")]

    def __str__(self):
        return f"{self.period_key} {self.scope_key}"

    def clean(self):
        super().clean()
        try:
            self.period_key = parse_period(self.period_key).key
        except PeriodError as exc:
            raise ValidationError({"period_key": str(exc)}) from exc
