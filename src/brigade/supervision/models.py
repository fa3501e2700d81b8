"""Supervision records: campaigns, inspections, hazards, enforcement, interviews, notices, letters, photos."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from brigade.core.models import TimeStampedModel, validate_order
from brigade.core.tenancy import BrigadeOwnedQuerySet, own_brigade
from brigade.org.models import Department, Person, Street
from brigade.supervision import deadlines
from brigade.supervision.choices import (
    BASES_BY_KIND,
    EnforcementKind,
    HazardCategory,
    HazardEventKind,
    HazardStatus,
    InspectionKind,
    LegalBasis,
    NoticeKind,
    StopOrderKind,
)
from brigade.units.models import SiteCategory, SocialUnit


class Campaign(TimeStampedModel):
    """A named, time-boxed enforcement campaign (专项行动)."""

    name = models.CharField("行动名称", max_length=120)
    slogan = models.CharField("口号", max_length=120, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    scope = models.TextField("整治范围", blank=True)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "专项行动"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_period_order"),
            models.UniqueConstraint(fields=["brigade", "name"], name="campaign_unique_name"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_order(self, [("starts_on", "ends_on")], {"starts_on": "开始日期", "ends_on": "结束日期"})


class Inspection(TimeStampedModel):
    unit = models.ForeignKey(SocialUnit, models.PROTECT, related_name="inspections", verbose_name="被检查单位")
    inspected_on = models.DateField("检查日期")
    kind = models.CharField("检查类型", max_length=16, choices=InspectionKind.choices)
    inspectors = models.ManyToManyField(Person, blank=True, related_name="inspections", verbose_name="检查人员")
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name="专项行动"
    )
    is_joint = models.BooleanField("联合执法检查", default=False)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name="联合部门"
    )
    note = models.TextField("备注", blank=True)
    # Made by the phone that recorded it offline: a resend with the same id finds this record instead of
    # creating a second one.
    client_id = models.UUIDField("客户端编号", null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(verbose_name="变更记录")

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "监督检查"
        ordering = ["-inspected_on"]
        # Period counts read only the index: date first, then what the metrics filter and group on.
        indexes = [models.Index(fields=["inspected_on", "kind", "is_joint", "unit"], name="inspection_period_idx"),
                   models.Index(fields=["kind", "inspected_on"]),
                   models.Index(fields=["brigade", "inspected_on"], name="inspection_brigade_idx")]

    def __str__(self):
        return f"{self.inspected_on} {self.unit}"

    def clean(self):
        super().clean()
        campaign = self.campaign
        if campaign and self.inspected_on and not campaign.starts_on <= self.inspected_on <= campaign.ends_on:
            raise ValidationError({"campaign": f"检查日期不在专项行动“{campaign}”的期间内。"})


class Hazard(TimeStampedModel):
    """A fire hazard (火灾隐患) found in an inspection; its workflow lives in services."""

    inspection = models.ForeignKey(Inspection, models.PROTECT, related_name="hazards", verbose_name="检查记录")
    unit = models.ForeignKey(SocialUnit, models.PROTECT, related_name="hazards", verbose_name="单位")
    category = models.CharField("隐患类别", max_length=16, choices=HazardCategory.choices)
    description = models.CharField("隐患描述", max_length=300, blank=True)
    is_major = models.BooleanField("重大火灾隐患", default=False)
    status = models.CharField("状态", max_length=12, choices=HazardStatus.choices, default=HazardStatus.FOUND)
    found_on = models.DateField("发现日期")
    deadline = models.DateField("整改期限", null=True, blank=True, help_text="留空表示当场改正")
    rectified_on = models.DateField("整改日期", null=True, blank=True)
    reinspected_on = models.DateField("复查日期", null=True, blank=True)
    closed_on = models.DateField("销案日期", null=True, blank=True)
    # Workflow fields, written only by brigade.supervision.services.
    ordered_on = models.DateField("责令改正日期", null=True, blank=True, help_text="责令改正通知书送达日期")
    reinspection_requested_on = models.DateField("申请复查日期", null=True, blank=True)
    reinspection_passed = models.BooleanField("复查合格", null=True, blank=True)
    recurrence_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="recurrences", verbose_name="复发自（已销案隐患）"
    )
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    # Made by the phone that recorded it offline: a resend with the same id finds this record instead of
    # creating a second one.
    client_id = models.UUIDField("客户端编号", null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(verbose_name="变更记录")

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "火灾隐患"
        ordering = ["-found_on"]
        indexes = [
            models.Index(fields=["brigade", "found_on"], name="hazard_brigade_idx"),
            models.Index(fields=["found_on", "category", "is_major", "unit"], name="hazard_found_idx"),
            models.Index(fields=["rectified_on", "category"], name="hazard_rectified_idx"),
            models.Index(fields=["deadline", "status"], name="hazard_deadline_idx"),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["unit", "category"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("found_on")), name="hazard_deadline_after_found"
            ),
            models.CheckConstraint(
                condition=Q(rectified_on__isnull=True) | Q(rectified_on__gte=F("found_on")),
                name="hazard_rectified_after_found",
            ),
            models.CheckConstraint(
                condition=Q(reinspected_on__isnull=True) | Q(reinspected_on__gte=F("found_on")),
                name="hazard_reinspected_after_found",
            ),
            models.CheckConstraint(
                condition=Q(ordered_on__isnull=True) | Q(ordered_on__gte=F("found_on")),
                name="hazard_ordered_after_found",
            ),
        ]

    LABELS = {
        "found_on": "发现日期",
        "deadline": "整改期限",
        "rectified_on": "整改日期",
        "reinspected_on": "复查日期",
        "closed_on": "销案日期",
        "ordered_on": "责令改正日期",
    }

    def __str__(self):
        return f"{self.unit} · {self.get_category_display()}"

    def clean(self):
        super().clean()
        if self.inspection_id and self.found_on and self.found_on < self.inspection.inspected_on:
            raise ValidationError({"found_on": "发现日期不能早于检查日期。"})
        if self.inspection_id and self.unit_id and self.inspection.unit_id != self.unit_id:
            raise ValidationError({"unit": "隐患所属单位应与检查记录的单位一致。"})
        validate_order(
            self,
            [("found_on", "deadline"), ("found_on", "rectified_on"), ("found_on", "reinspected_on"),
             ("found_on", "ordered_on"), ("ordered_on", "deadline"), ("ordered_on", "reinspected_on"),
             ("reinspected_on", "closed_on")],
            self.LABELS,
        )


BASIS_MISMATCH = "{kind}的法律依据应为{allowed}，不能为“{basis}”。"
SEAL_UP_TOO_LONG = "临时查封期限届满日期（{ends}）超过一个月的上限（{max}）。依据：{source}"


class EnforcementAction(TimeStampedModel):
    """An enforcement decision; never hard-deleted (PROTECT everywhere it is referenced)."""

    unit = models.ForeignKey(
        SocialUnit, models.PROTECT, null=True, blank=True, related_name="enforcement_actions", verbose_name="单位"
    )
    person_name = models.CharField("当事人（个人）", max_length=40, blank=True)
    kind = models.CharField("处理类型", max_length=12, choices=EnforcementKind.choices)
    legal_basis = models.CharField("法律依据", max_length=8, choices=LegalBasis.choices)
    stop_kind = models.CharField("三停类型", max_length=12, choices=StopOrderKind.choices, blank=True)
    fine_amount = models.DecimalField(
        "罚款金额（元）", max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    decided_on = models.DateField("决定日期")
    ends_on = models.DateField("期限届满日期", null=True, blank=True, help_text="临时查封等有期限的措施")
    lifted_on = models.DateField("解除日期", null=True, blank=True)
    hazards = models.ManyToManyField(Hazard, blank=True, related_name="enforcement_actions", verbose_name="涉及隐患")
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, null=True, blank=True, related_name="enforcement_actions", verbose_name="专项行动"
    )
    # Workflow fields, written only by brigade.supervision.services.
    lift_inspection = models.ForeignKey(
        Inspection, models.PROTECT, null=True, blank=True, related_name="lifted_actions",
        verbose_name="解除前检查", help_text="解除临时查封、责令三停所依据的检查记录",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="解除登记人"
    )
    lifted_at = models.DateTimeField("解除登记时间", null=True, blank=True)

    history = HistoricalRecords(verbose_name="变更记录")

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "执法处理"
        ordering = ["-decided_on"]
        indexes = [models.Index(fields=["kind", "decided_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(fine_amount__gte=0), name="enforcement_fine_nonneg"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("decided_on")), name="enforcement_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("decided_on")), name="enforcement_lifted_after"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(person_name=""), name="enforcement_has_party"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decision_number or self.decided_on}"

    def clean(self):
        super().clean()
        if not self.unit_id and not self.person_name:
            raise ValidationError({"unit": "请选择被处理单位或填写当事人姓名。"})
        if self.kind == EnforcementKind.STOP_ORDER and not self.stop_kind:
            raise ValidationError({"stop_kind": "责令三停须选择停止类型。"})
        allowed = BASES_BY_KIND.get(self.kind)
        if allowed and self.legal_basis and self.legal_basis not in allowed:
            raise ValidationError({"legal_basis": BASIS_MISMATCH.format(
                kind=EnforcementKind(self.kind).label, basis=LegalBasis(self.legal_basis).label,
                allowed="或".join(f"“{LegalBasis(b).label}”" for b in allowed))})
        if self.kind == EnforcementKind.SEAL_UP and self.ends_on and self.decided_on:
            rule = deadlines.rule(deadlines.SEAL_UP_MAX)
            latest = rule.due(self.decided_on)
            if self.ends_on > latest:
                raise ValidationError({"ends_on": SEAL_UP_TOO_LONG.format(
                    ends=self.ends_on, max=latest, source=rule.source)})
        labels = {"decided_on": "决定日期", "ends_on": "期限届满日期", "lifted_on": "解除日期"}
        validate_order(self, [("decided_on", "ends_on"), ("decided_on", "lifted_on")], labels)


class MajorHazardCase(TimeStampedModel):
    """The extra steps of a major fire hazard (重大火灾隐患), each with its date."""

    hazard = models.OneToOneField(Hazard, models.PROTECT, related_name="major_case", verbose_name="火灾隐患")
    determined_on = models.DateField("集体研究认定日期")
    study_note = models.TextField("集体研究意见", blank=True)
    experts_consulted = models.BooleanField("组织专家论证", default=False)
    notice_on = models.DateField("整改通知书送达日期", null=True, blank=True)
    reported_on = models.DateField("报告政府日期", null=True, blank=True)
    listed_on = models.DateField("挂牌督办日期", null=True, blank=True)
    listing_authority = models.CharField("督办机关", max_length=80, blank=True)
    delisted_on = models.DateField("摘牌销号日期", null=True, blank=True)

    brigade_path = "hazard__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "重大火灾隐患督办"
        ordering = ["-determined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_on__isnull=True) | Q(notice_on__gte=F("determined_on")), name="major_notice_after"
            ),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | Q(reported_on__gte=F("determined_on")),
                name="major_reported_after",
            ),
            models.CheckConstraint(
                condition=Q(listed_on__isnull=True) | Q(listed_on__gte=F("determined_on")), name="major_listed_after"
            ),
            models.CheckConstraint(
                condition=Q(delisted_on__isnull=True) | Q(listed_on__isnull=False, delisted_on__gte=F("listed_on")),
                name="major_delisted_after_listed",
            ),
        ]

    def __str__(self):
        return f"重大火灾隐患：{self.hazard}"


class HazardEvent(models.Model):
    """One step of a hazard's workflow: what, on which day, recorded when and by whom."""

    hazard = models.ForeignKey(Hazard, models.CASCADE, related_name="events", verbose_name="火灾隐患")
    kind = models.CharField("环节", max_length=24, choices=HazardEventKind.choices)
    from_status = models.CharField("原状态", max_length=12, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=HazardStatus.choices)
    on = models.DateField("业务日期")
    at = models.DateTimeField("登记时间", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="hazard_events",
        verbose_name="操作人", help_text="留空表示系统或批量导入",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    enforcement = models.ForeignKey(
        EnforcementAction, models.PROTECT, null=True, blank=True, related_name="hazard_events", verbose_name="执法处理"
    )
    # Made by the phone that recorded it offline: a resend with the same id finds this record instead of
    # creating a second one.
    client_id = models.UUIDField("客户端编号", null=True, blank=True, unique=True, editable=False)

    brigade_path = "hazard__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "隐患处理记录"
        ordering = ["hazard", "at", "pk"]
        indexes = [models.Index(fields=["hazard", "at"])]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"


class Interview(TimeStampedModel):
    """A formal safety interview (约谈会) with the people responsible for a kind of site."""

    held_on = models.DateField("约谈日期")
    site_category = models.CharField("场所类别", max_length=16, choices=SiteCategory.choices)
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="interviews", verbose_name="镇街"
    )
    people_count = models.PositiveIntegerField("约谈人数")
    subject = models.CharField("主题", max_length=200, blank=True)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "约谈"
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.held_on} {self.get_site_category_display()}约谈"


class Notice(TimeStampedModel):
    """A notice or bulletin (通知、通报) the brigade or the safety committee issued."""

    issued_on = models.DateField("印发日期")
    kind = models.CharField("类型", max_length=10, choices=NoticeKind.choices)
    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "通知通报"
        ordering = ["-issued_on"]

    def __str__(self):
        return self.title


class SupervisionLetter(TimeStampedModel):
    """A formal letter (函告) to a street or a department about a problem it must fix."""

    sent_on = models.DateField("发函日期")
    number = models.CharField("文号", max_length=60, blank=True)
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="letters", verbose_name="致镇街"
    )
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="letters", verbose_name="致部门"
    )
    subject = models.CharField("事由", max_length=200)

    brigade_path = ("street__brigade", "department__brigade")  # one of the two (letter_one_recipient)

    class Meta:
        verbose_name = verbose_name_plural = "函告"
        ordering = ["-sent_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(street__isnull=False, department__isnull=True)
                | Q(street__isnull=True, department__isnull=False),
                name="letter_one_recipient",
            )
        ]

    def __str__(self):
        return self.subject

    def clean(self):
        super().clean()
        if bool(self.street_id) == bool(self.department_id):
            raise ValidationError({"street": "函告对象须为一个镇街或一个部门（二选一）。"})


def photo_path(photo, filename: str) -> str:
    """Photos under MEDIA_ROOT/photos/<year>/<month>/, named by their client id (never the phone's name)."""
    now = timezone.localtime()
    return f"photos/{now:%Y}/{now:%m}/{photo.client_id}.{photo.extension}"


class Photo(models.Model):
    """A photo taken on site (现场照片) as evidence of an inspection or of a hazard."""

    inspection = models.ForeignKey(Inspection, models.PROTECT, null=True, blank=True, related_name="photos",
                                   verbose_name="检查记录")
    hazard = models.ForeignKey(Hazard, models.PROTECT, null=True, blank=True, related_name="photos",
                               verbose_name="火灾隐患")
    image = models.FileField("照片", upload_to=photo_path)
    content_type = models.CharField("格式", max_length=20)
    size = models.PositiveIntegerField("大小（字节）")
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    client_id = models.UUIDField("客户端编号", unique=True, default=uuid.uuid4, editable=False)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", default=timezone.now, editable=False)

    EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}

    brigade_path = ("inspection__brigade", "hazard__brigade")

    class Meta:
        verbose_name = verbose_name_plural = "现场照片"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False, hazard__isnull=True) | Q(inspection__isnull=True, hazard__isnull=False),
                name="photo_one_record",
            )
        ]

    def __str__(self):
        return f"现场照片 {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.content_type, "bin")
