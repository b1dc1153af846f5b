"""Format checks of a filing form. A draft may be partial: only what is given is checked."""

from __future__ import annotations

import re

from filing.enterprises.schemas import FilingForm, LiaisonForm, PersonForm
from servicekit.errors import FieldErrors, ValidationFailed
from servicekit.validation import is_resident_id, normalise_mobile

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
DISTRICT = re.compile(r"^\d{6}$")
MAX_LIAISONS = 2


def is_uscc(value: str) -> bool:
    """GB 32100-2015: 18 characters; check = 31 - (Σ code·3^(i-1) mod 31), 31 → 0."""
    if len(value) != 18 or any(ch not in USCC_ALPHABET for ch in value):
        return False
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(value[:17], USCC_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return USCC_ALPHABET[check] == value[17]


def check_filing(form: FilingForm) -> None:
    errors = FieldErrors()
    if not 2 <= len(form.enterprise_name.strip()) <= 200:
        errors.add("enterpriseName", "单位名称应为2–200个字符", "must be 2–200 characters")
    if not is_uscc(form.uscc):
        errors.add("uscc", "统一社会信用代码不正确", "not a valid unified social credit code")
    if form.district is not None and (
        not DISTRICT.match(form.district) or form.district.endswith("00")
    ):
        errors.add("district", "请填写6位县级行政区划代码", "must be a 6-digit county-level code")
    if form.phone:
        _check_phone(form.phone, "phone", errors)
    for path, person in (
        ("legalRepresentative", form.legal_representative),
        ("responsiblePerson", form.responsible_person),
    ):
        if person is not None:
            _check_person(person, path, errors)
    if form.liaisons is not None:
        if len(form.liaisons) > MAX_LIAISONS:
            errors.add("liaisons", "联络员最多2名", "at most 2 liaisons")
        mobiles = [liaison.mobile for liaison in form.liaisons]
        if len(set(mobiles)) != len(mobiles):
            errors.add("liaisons", "联络员手机号码重复", "two liaisons share a mobile number")
        for index, liaison in enumerate(form.liaisons):
            _check_liaison(liaison, f"liaisons.{index}", errors)
    errors.raise_if_any()


def _check_phone(value: str, path: str, errors: FieldErrors) -> None:
    if not re.fullmatch(r"[\d\-+() ]{7,20}", value):
        errors.add(path, "电话号码格式不正确", "not a phone number")


def _check_person(person: PersonForm, path: str, errors: FieldErrors) -> None:
    if not person.name.strip():
        errors.add(f"{path}.name", "请填写姓名", "the name is required")
    if (
        person.id_type == "RESIDENT_ID"
        and person.id_number
        and not is_resident_id(person.id_number)
    ):
        errors.add(f"{path}.idNumber", "身份证号码不正确", "not a valid resident ID number")
    if person.phone:
        _check_phone(person.phone, f"{path}.phone", errors)


def _check_liaison(liaison: LiaisonForm, path: str, errors: FieldErrors) -> None:
    if not liaison.name.strip():
        errors.add(f"{path}.name", "请填写联络员姓名", "the liaison's name is required")
    if liaison.id_type == "RESIDENT_ID" and not is_resident_id(liaison.id_number):
        errors.add(f"{path}.idNumber", "身份证号码不正确", "not a valid resident ID number")
    try:
        normalise_mobile(liaison.mobile, f"{path}.mobile")
    except ValidationFailed as exc:
        errors.items.extend(exc.fields)
    if liaison.social_security_months < 0:
        errors.add(f"{path}.socialSecurityMonths", "社保月数不能为负", "must not be negative")
