"""Checks of a filing form. Saving checks the format of what is given (a draft may be partial);
submitting also checks that everything the printed form needs is there (`check_complete`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from filing.enterprises.schemas import FilingForm, LiaisonForm, PersonForm
from servicekit.errors import FieldErrors, ValidationFailed
from servicekit.validation import is_resident_id, is_uscc, normalise_mobile

DISTRICT = re.compile(r"^\d{6}$")
PHONE = re.compile(r"[\d\-+() ]{7,20}")
MAX_LIAISONS = 2
MIN_SOCIAL_SECURITY_MONTHS = 2

__all__ = ["check_complete", "check_contact", "check_filing", "check_liaison", "is_uscc"]


def check_filing(form: FilingForm, districts: Mapping[str, object]) -> None:
    errors = FieldErrors()
    if not 2 <= len(form.enterprise_name.strip()) <= 200:
        errors.add("enterpriseName", "单位名称应为2–200个字符", "must be 2–200 characters")
    if not is_uscc(form.uscc):
        errors.add("uscc", "统一社会信用代码不正确", "not a valid unified social credit code")
    if form.district is not None:
        if not DISTRICT.match(form.district) or form.district.endswith("00"):
            errors.add(
                "district", "请填写6位县级行政区划代码", "must be a 6-digit county-level code"
            )
        elif form.district not in districts:
            errors.add(
                "district",
                "该区（市）不在本市受理范围内",
                "this district is not one the city bureau accepts filings for",
            )
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


def check_contact(
    errors: FieldErrors, path: str, *, phone: str | None, person: PersonForm | None
) -> None:
    """An information change's phone and legal representative, complete as the form needs."""
    if phone is not None:
        _check_phone(phone.strip(), f"{path}.phone", errors)
    if person is not None:
        _check_person(person, f"{path}.legalRepresentative", errors)
        for field, (sub, label) in _PERSON_FIELDS.items():
            if not getattr(person, field):
                where = f"{path}.legalRepresentative.{sub}"
                errors.add(where, f"请填写法定代表人{label}", f"{where} is required")


def check_liaison(liaison: LiaisonForm, path: str = "input") -> None:
    errors = FieldErrors()
    _check_liaison(liaison, path, errors)
    errors.raise_if_any()


# What the printed application form needs, by path (camelCase, as the API names fields).
_ENTERPRISE_FIELDS = {
    "enterprise_type": ("enterpriseType", "单位类型"),
    "industry": ("industry", "所属行业"),
    "district": ("district", "所在区（市）"),
    "registered_address": ("registeredAddress", "注册地址"),
    "operating_address": ("operatingAddress", "经营地址"),
    "phone": ("phone", "单位电话"),
}
_PERSON_FIELDS = {
    "id_type": ("idType", "证件类型"),
    "id_number": ("idNumber", "证件号码"),
    "phone": ("phone", "联系电话"),
}
_PEOPLE = {
    "legal_representative": ("legalRepresentative", "法定代表人"),
    "responsible_person": ("responsiblePerson", "负责人"),
}


def check_complete(data: Mapping[str, Any]) -> None:
    """VALIDATION_FAILED naming every field a complete filing still lacks."""
    errors = FieldErrors()

    def missing(path: str, label: str) -> None:
        errors.add(path, f"请填写{label}", f"{path} is required")

    for key, (path, label) in _ENTERPRISE_FIELDS.items():
        if not data.get(key):
            missing(path, label)
    for key, (path, label) in _PEOPLE.items():
        person = data.get(key)
        if not person:
            missing(path, label)
            continue
        for field, (sub, sub_label) in _PERSON_FIELDS.items():
            if not person.get(field):
                missing(f"{path}.{sub}", f"{label}{sub_label}")
    liaisons = data.get("liaisons") or []
    if not liaisons:
        missing("liaisons", "外管联络员")
    for index, liaison in enumerate(liaisons):
        if not liaison.get("position"):
            missing(f"liaisons.{index}.position", "联络员职务")
    errors.raise_if_any()


def _check_phone(value: str, path: str, errors: FieldErrors) -> None:
    if not PHONE.fullmatch(value):
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
    """A liaison is a Chinese employee (resident ID) with ≥ 2 months of social security here."""
    if not liaison.name.strip():
        errors.add(f"{path}.name", "请填写联络员姓名", "the liaison's name is required")
    if liaison.id_type != "RESIDENT_ID":
        errors.add(
            f"{path}.idType",
            "外管联络员须为本单位中国籍员工，请使用居民身份证",
            "a liaison must be a Chinese employee identified by a resident ID card",
        )
    elif not is_resident_id(liaison.id_number):
        errors.add(f"{path}.idNumber", "身份证号码不正确", "not a valid resident ID number")
    try:
        normalise_mobile(liaison.mobile, f"{path}.mobile")
    except ValidationFailed as exc:
        errors.items.extend(exc.fields)
    if liaison.social_security_months < MIN_SOCIAL_SECURITY_MONTHS:
        errors.add(
            f"{path}.socialSecurityMonths",
            "外管联络员须在本单位缴纳社保满2个月",
            "a liaison needs at least 2 months of social security in this enterprise",
        )
