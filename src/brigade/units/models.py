"""Social units (社会单位): the premises and organisations under fire-safety supervision."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from brigade.core.models import LocatedModel, TimeStampedModel, located_constraints
from brigade.core.validators import validate_credit_code
from brigade.org.models import Community, Street


class SiteCategory(models.TextChoices):
    """Kinds of site the seed summary and the campaigns talk about."""

    LOGISTICS = "logistics", "物流仓储"
    HIGH_RISE = "high_rise", "高层建筑"
    PROPERTY = "property", "小区物业"
    MIXED_USE = "mixed_use", "合用场所"
    ELDERLY_CARE = "elderly_care", "养老机构"
    SUBLET_PARK = "sublet_park", "园中园、企中企"
    HERITAGE = "heritage", "文物建筑"
    CONSTRUCTION = "construction", "施工工地"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    RESIDENTIAL = "residential", "居民小区"
    GATHERING = "gathering", "人员密集场所"
    RETAIL = "retail", "商场市场"
    FACTORY = "factory", "生产加工企业"
    WORKSHOP = "workshop", "家庭式作坊"
    HAZMAT = "hazmat", "易燃易爆危险品场所"
    OTHER = "other", "其他"


class SocialUnit(TimeStampedModel, LocatedModel):
    name = models.CharField("单位名称", max_length=120)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, null=True, blank=True, unique=True, validators=[validate_credit_code]
    )
    site_category = models.CharField("场所类别", max_length=16, choices=SiteCategory.choices)
    is_key_unit = models.BooleanField("消防安全重点单位", default=False)
    street = models.ForeignKey(Street, models.PROTECT, related_name="units", verbose_name="镇街")
    community = models.ForeignKey(
        Community, models.PROTECT, null=True, blank=True, related_name="units", verbose_name="社区"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    responsible_person = models.CharField("消防安全责任人", max_length=40, blank=True)
    manager = models.CharField("消防安全管理人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)

    history = HistoricalRecords(verbose_name="变更记录")

    brigade_path = "street__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "社会单位"
        ordering = ["name"]
        indexes = [models.Index(fields=["street", "site_category"])]
        constraints = [*located_constraints("socialunit")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.community_id and self.street_id and self.community.street_id != self.street_id:
            raise ValidationError({"community": "所选社区不属于该单位所在镇街。"})
