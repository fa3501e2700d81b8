"""Stored analysis runs (coverage, water, siting scenarios) so results can be shown and compared;
each run is one brigade's."""

from django.db import models

from brigade.core.models import TimeStampedModel
from brigade.core.tenancy import BrigadeOwnedQuerySet


class AnalysisKind(models.TextChoices):
    COVERAGE = "coverage", "出警时间覆盖"
    WATER = "water", "消防水源"
    STATION_SITING = "station_siting", "消防站选址"
    HYDRANT_SITING = "hydrant_siting", "消火栓选址"


class AnalysisRun(TimeStampedModel):
    kind = models.CharField("分析类型", max_length=16, choices=AnalysisKind.choices)
    name = models.CharField("名称", max_length=120, blank=True)
    params = models.JSONField("参数", default=dict)
    summary = models.JSONField("结果摘要", default=dict)
    result = models.JSONField("详细结果", default=dict)
    seconds = models.FloatField("耗时（秒）", default=0)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    # One brigade's analysis: its roads, stations, streets, units, incidents and hydrants.
    brigade = models.ForeignKey("org.Brigade", models.PROTECT, related_name="+", verbose_name="大队")

    class Meta:
        verbose_name = verbose_name_plural = "分析记录"
        ordering = ["-created_at"]

    def __str__(self):
        return self.name or f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
