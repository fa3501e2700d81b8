"""What an import remembers: the values a brigade's own ledgers write, mapped to Brigade's."""

from django.db import models

from brigade.core.models import TimeStampedModel
from brigade.core.tenancy import SHARED


class ValueMapping(TimeStampedModel):
    """One accepted translation of a value in one column of one ledger ("地下" → "地下式消火栓").

    ``source`` names where the files come from (a street office, a squadron); empty = any source.
    A mapping applies to cells as they are read; it never changes records already stored.
    """

    ledger = models.CharField("台账", max_length=60, help_text="台账代码，如 hydrant")
    source = models.CharField("来源", max_length=80, blank=True, help_text="填报单位；留空表示对所有来源都适用")
    column = models.CharField("列", max_length=60, help_text="台账中的列名，如 类型、镇街")
    value = models.CharField("原值", max_length=200)
    target = models.CharField("改为", max_length=200, help_text="系统中的值：可选项的名称，或镇街、社区等的名称")
    uses = models.PositiveIntegerField("已使用次数", default=0, help_text="使用这条对照导入成功的次数")

    brigade_path = SHARED  # what an import remembers about a source office's values

    class Meta:
        verbose_name = verbose_name_plural = "导入值对照"
        ordering = ["ledger", "source", "column", "value"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "source", "column", "value"], name="value_mapping_unique"),
        ]

    def __str__(self):
        where = f"（{self.source}）" if self.source else ""
        return f"{self.ledger}{where}【{self.column}】“{self.value}”→“{self.target}”"
