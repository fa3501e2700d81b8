"""Choice sets of risk-based supervision, each level with its colour."""

from django.db import models


class RiskLevel(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


# Red, yellow, green: how the map, the lists and the dashboard show a level.
LEVEL_COLORS = {RiskLevel.HIGH: "#c0392b", RiskLevel.MEDIUM: "#d4ac0d", RiskLevel.LOW: "#27ae60"}
LEVEL_COLOR_NAMES = {RiskLevel.HIGH: "红", RiskLevel.MEDIUM: "黄", RiskLevel.LOW: "绿"}
# The pure scorer's level codes (brigade.analysis.risk.LEVELS) in the same order.
LEVEL_BY_CODE = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)


class DrawStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    SUPERSEDED = "superseded", "已被重新抽取取代"


class DrawReason(models.TextChoices):
    DUE = "due", "重点单位周期内应检查"
    RANDOM = "random", "按风险等级随机抽取"
