"""Validators more than one service needs (DOMAIN.md "Validation reference")."""

from __future__ import annotations

import re

import phonenumbers
from stdnum.cn import ric, uscc

from servicekit.errors import ValidationFailed

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_mobile(raw: str, path: str = "phone") -> str:
    """A mainland mobile number as 11 digits; anything else (a landline too) is a field error."""
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed.single(path, "手机号码格式不正确", "not a phone number") from exc
    national = str(parsed.national_number)
    is_mobile = phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if parsed.country_code != 86 or not is_mobile or not MAINLAND_MOBILE.match(national):
        raise ValidationFailed.single(
            path, "请填写中国大陆手机号码", "must be a mainland mobile number"
        )
    return national


def is_resident_id(value: str) -> bool:
    """GB 11643-1999 (python-stdnum): 17 digits with a valid birth date and a MOD 11-2 check
    character (X = 10)."""
    return bool(ric.is_valid(value.upper()))


def is_uscc(value: str) -> bool:
    """GB 32100-2015 unified social credit code (python-stdnum): 18 characters of
    `0-9ABCDEFGHJKLMNPQRTUWXY` with both check characters valid."""
    return bool(uscc.is_valid(value))
