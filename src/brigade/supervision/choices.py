"""Choice sets of fire-safety supervision (消防监督)."""

from django.db import models


class InspectionKind(models.TextChoices):
    RANDOM = "random", "双随机抽查"
    SPECIAL = "special", "专项检查"
    COMPLAINT = "complaint", "举报投诉核查"
    REINSPECTION = "reinspection", "复查"
    SELF_INSPECTION_DAY = "self_day", "消防安全检查日自查"
    PRE_OPENING = "pre_opening", "开业前检查"
    EVENT = "event", "大型活动前检查"
    OTHER = "other", "其他"


class HazardCategory(models.TextChoices):
    FIRE_LANE = "fire_lane", "占堵消防车通道"
    EVACUATION = "evacuation", "占堵疏散通道、安全出口"
    FLYING_WIRE = "flying_wire", "飞线充电"
    EBIKE = "ebike", "电动自行车违规停放充电"
    FACILITY = "facility", "消防设施损坏或无法使用"
    EXTINGUISHER = "extinguisher", "灭火器材缺失或失效"
    SEPARATION = "separation", "防火分隔不到位"
    ELECTRICAL = "electrical", "电气线路敷设不规范"
    LIVING = "living", "合用场所违规住人"
    USE_CHANGE = "use_change", "擅自改变使用性质"
    MANAGEMENT = "management", "消防安全管理制度不落实"
    OTHER = "other", "其他"


class HazardStatus(models.TextChoices):
    FOUND = "found", "已发现"
    ORDERED = "ordered", "责令整改"
    RECTIFIED = "rectified", "已整改"
    REINSPECTED = "reinspected", "已复查"
    CLOSED = "closed", "已销案"
    ESCALATED = "escalated", "转执法处理"


class EnforcementKind(models.TextChoices):
    WARNING = "warning", "警告"
    PENALTY = "penalty", "立案处罚"
    SEAL_UP = "seal_up", "临时查封"
    STOP_ORDER = "stop_order", "责令三停"
    GOVERNMENT_LISTING = "gov_listing", "挂牌督办"
    DETENTION = "detention", "行政拘留（移送公安）"


class LegalBasis(models.TextChoices):
    """Articles of 《中华人民共和国消防法》(2021) an enforcement decision rests on."""

    ART54 = "art54", "消防法第五十四条（临时查封）"
    ART58 = "art58", "消防法第五十八条（责令停止施工、使用、停产停业）"
    ART60 = "art60", "消防法第六十条"
    ART61 = "art61", "消防法第六十一条"
    ART63 = "art63", "消防法第六十三条"
    ART64 = "art64", "消防法第六十四条"
    ART70 = "art70", "消防法第七十条"
    HIGH_RISE_47 = "hr47", "高层民用建筑消防安全管理规定第四十七条"
    MAJOR_HAZARD = "major", "重大火灾隐患提请政府督办"
    OTHER = "other", "其他"


class StopOrderKind(models.TextChoices):
    STOP_CONSTRUCTION = "construction", "停止施工"
    STOP_USE = "use", "停止使用"
    STOP_BUSINESS = "business", "停产停业"


class NoticeKind(models.TextChoices):
    NOTICE = "notice", "通知"
    BULLETIN = "bulletin", "通报"


class HazardEventKind(models.TextChoices):
    """Steps of the hazard workflow recorded in the hazard's log (HazardEvent)."""

    RECORDED = "recorded", "登记隐患"
    ORDERED = "ordered", "责令改正"
    RECTIFIED = "rectified", "整改完成"
    REINSPECTION_REQUESTED = "reinspection_requested", "申请复查"
    REINSPECTED = "reinspected", "复查"
    CLOSED = "closed", "销案"
    ESCALATED = "escalated", "转执法处理"
    SEAL_UP_EXTENDED = "seal_up_extended", "延长临时查封"
    ENFORCEMENT_LIFTED = "enforcement_lifted", "解除执法措施"
    MAJOR_DETERMINED = "major_determined", "集体研究认定重大火灾隐患"
    MAJOR_NOTICE = "major_notice", "送达重大火灾隐患整改通知书"
    MAJOR_REPORTED = "major_reported", "报告政府"
    MAJOR_LISTED = "major_listed", "挂牌督办"
    MAJOR_DELISTED = "major_delisted", "摘牌销号"
    RECURRENCE_LINKED = "recurrence_linked", "标记为复发隐患"


# Which legal bases fit which enforcement kinds (kinds not listed accept any basis).
BASES_BY_KIND = {
    EnforcementKind.SEAL_UP: (LegalBasis.ART54,),
    EnforcementKind.STOP_ORDER: (LegalBasis.ART58, LegalBasis.ART60, LegalBasis.ART61, LegalBasis.OTHER),
    EnforcementKind.GOVERNMENT_LISTING: (LegalBasis.MAJOR_HAZARD,),
    EnforcementKind.DETENTION: (LegalBasis.ART63, LegalBasis.ART64, LegalBasis.ART70),
}
