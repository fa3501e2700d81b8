"""Validators shared by models, forms and importers; messages are Chinese and name the value."""

from django.core.exceptions import ValidationError

# GB 32100-2015 统一社会信用代码: 31 symbols (no I, O, Z, S, V) and the weights of positions 1–17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，“{value}”为{len(code)}位。", code="credit_code_length")
    bad = [c for c in code if c not in CREDIT_CODE_ALPHABET]
    if bad:
        raise ValidationError(
            f"统一社会信用代码“{value}”含有不允许的字符“{bad[0]}”。", code="credit_code_charset"
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(f"统一社会信用代码“{value}”校验位不正确。", code="credit_code_checksum")


def validate_longitude(value: float) -> None:
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(f"经度 {value} 超出范围（-180～180）。", code="longitude")


def validate_latitude(value: float) -> None:
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(f"纬度 {value} 超出范围（-90～90）。", code="latitude")
