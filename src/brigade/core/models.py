"""Abstract base models: a domain model declares only its own fields."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from brigade.core.validators import validate_latitude, validate_longitude


class TimeStampedModel(models.Model):
    """Every record knows when it was created and last changed."""

    # A default, not auto_now_add, so imports and fixtures can carry the real creation time.
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        from brigade.core.tenancy import check_one_brigade

        check_one_brigade(self)  # a form, the API and an import refuse it before the save does

    def validate_constraints(self, exclude=None):
        from brigade.core.tenancy import fill_brigade

        # An own brigade left empty is filled from the street or station on save; fill it now, so a
        # code unique within a brigade is checked here (the admin's form) rather than refused by the database.
        fill_brigade(self)
        super().validate_constraints(exclude=exclude)

    def unique_error_message(self, model_class, unique_check):
        """A code or name unique within a brigade: the refusal names the brigade that has it."""
        if "brigade" not in unique_check or len(unique_check) < 2 or getattr(self, "brigade_id", None) is None:
            return super().unique_error_message(model_class, unique_check)
        opts = model_class._meta
        named = "、".join(f"{opts.get_field(f).verbose_name}为“{getattr(self, f)}”"
                         for f in unique_check if f != "brigade")
        return ValidationError(f"{self.brigade}已有{named}的{opts.verbose_name}（同一大队内不能重复）。",
                               code="unique_together")


class LocatedModel(models.Model):
    """A record with an optional point (WGS 84 / CGCS 2000 longitude and latitude)."""

    lon = models.FloatField("经度", null=True, blank=True, validators=[validate_longitude])
    lat = models.FloatField("纬度", null=True, blank=True, validators=[validate_latitude])

    class Meta:
        abstract = True
        constraints = []

    def clean(self):
        super().clean()
        if (self.lon is None) != (self.lat is None):
            raise ValidationError({"lat": "经度和纬度应同时填写或同时留空。"})


def located_constraints(prefix: str) -> list[models.CheckConstraint]:
    """Database checks for LocatedModel's fields (abstract Meta constraints need unique names)."""
    return [
        models.CheckConstraint(
            condition=models.Q(lon__isnull=True) | models.Q(lon__gte=-180, lon__lte=180),
            name=f"{prefix}_lon_range",
        ),
        models.CheckConstraint(
            condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90),
            name=f"{prefix}_lat_range",
        ),
    ]


def validate_order(instance, pairs: list[tuple[str, str]], labels: dict[str, str]) -> None:
    """Refuse a timeline whose later field precedes its earlier one, naming the field."""
    errors = {}
    for earlier, later in pairs:
        a, b = getattr(instance, earlier), getattr(instance, later)
        if a is not None and b is not None and b < a:
            errors[later] = f"{labels[later]}不能早于{labels[earlier]}。"
    if errors:
        raise ValidationError(errors)
