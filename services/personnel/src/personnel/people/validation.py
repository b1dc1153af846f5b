"""Field rules of a foreign person record (DOMAIN.md §4 and "Validation reference").

Pure functions (no I/O): `check_form` reports every wrong field of a form at once.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pycountry
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker

from personnel.people.models import TravelDocumentType
from personnel.people.schemas import ForeignPersonForm
from servicekit.errors import FieldErrors, ValidationFailed
from servicekit.validation import normalise_mobile

ADULT_AGE = 18
MAX_AGE = 120

# ICAO Doc 9303 part 3 codes that are not ISO 3166-1 alpha-3 (`D` is Germany in an MRZ).
ICAO_SPECIAL_CODES = frozenset(
    {
        "D",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "UNA",
        "UNK",
        "UNO",
        "XXA",
        "XXB",
        "XXC",
        "XXX",
        "RKS",
        "EUE",
    }
)

DOCUMENT_NUMBER = {
    TravelDocumentType.PASSPORT: re.compile(r"^[A-Z0-9<]{5,9}$"),
    TravelDocumentType.HK_MO_PERMIT: re.compile(r"^[HM]\d{8}(\d{2})?$"),
    TravelDocumentType.TW_PERMIT: re.compile(r"^\d{8}$"),
    TravelDocumentType.OTHER: re.compile(r"^[A-Z0-9][A-Z0-9<-]{0,31}$"),
}
DOCUMENT_NUMBER_HINT = {
    TravelDocumentType.PASSPORT: ("护照号码应为5–9位字母或数字", "5–9 letters or digits"),
    TravelDocumentType.HK_MO_PERMIT: (
        "港澳居民来往内地通行证号码应为H或M加8位或10位数字",
        "H or M followed by 8 or 10 digits",
    ),
    TravelDocumentType.TW_PERMIT: ("台湾居民来往大陆通行证号码应为8位数字", "8 digits"),
    TravelDocumentType.OTHER: (
        "证件号码应为1–32位字母、数字或连字符",
        "1–32 letters, digits or hyphens",
    ),
}

# Names as printed in the passport's visual zone: Latin letters (accents allowed), spaces,
# hyphens, apostrophes and full stops.
LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F' .-]*$")
VISA_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
INTERNATIONAL_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def normalise_country_code(raw: str) -> str | None:
    """ISO 3166-1 alpha-3 or an ICAO special code, upper case without MRZ fillers; None if not."""
    code = raw.strip().upper().rstrip("<")
    if code in ICAO_SPECIAL_CODES:
        return code
    if re.fullmatch(r"[A-Z]{3}", code) and pycountry.countries.get(alpha_3=code) is not None:
        return code
    return None


def normalise_document_number(raw: str) -> str:
    return re.sub(r"\s+", "", raw).upper()


def is_document_number(document_type: TravelDocumentType, number: str) -> bool:
    if not DOCUMENT_NUMBER[document_type].match(number):
        return False
    return document_type != TravelDocumentType.PASSPORT or number.strip("<") != ""


def adulthood_date(birth_date: date, age: int = ADULT_AGE) -> date:
    """The day someone born on `birth_date` turns `age` (29 February → 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return date(birth_date.year + age, 3, 1)


def is_adult(birth_date: date, today: date) -> bool:
    return adulthood_date(birth_date) <= today


def _text(raw: str | None) -> str | None:
    if raw is None:
        return None
    value = " ".join(raw.split())
    return value or None


def check_form(form: ForeignPersonForm, today: date) -> ForeignPersonForm:
    """Returns the form normalised, or raises ValidationFailed listing every wrong field."""
    errors = FieldErrors()
    surname = _text(form.surname) or ""
    given_names = _text(form.given_names) or ""
    if not surname:
        errors.add("surname", "请填写姓（与证件一致）", "the surname is required")
    elif len(surname) > 64 or not LATIN_NAME.match(surname):
        errors.add(
            "surname",
            "姓应为证件上的拉丁字母（不超过64位）",
            "Latin letters as in the document, at most 64",
        )
    # Given names may be empty: ICAO 9303 puts a single name in the primary identifier.
    if given_names and (len(given_names) > 64 or not LATIN_NAME.match(given_names)):
        errors.add(
            "givenNames",
            "名应为证件上的拉丁字母（不超过64位）",
            "Latin letters as in the document, at most 64",
        )
    chinese_name = _text(form.chinese_name)
    if chinese_name and len(chinese_name) > 32:
        errors.add("chineseName", "中文姓名不超过32字", "at most 32 characters")

    if form.birth_date > today:
        errors.add("birthDate", "出生日期不能晚于今天", "must not be in the future")
    elif not is_adult(form.birth_date, today):
        errors.add("birthDate", "境外人员须年满18周岁", "the person must be at least 18")
    elif adulthood_date(form.birth_date, MAX_AGE) <= today:
        errors.add("birthDate", "出生日期不合理", "not a plausible birth date")

    nationality = normalise_country_code(form.nationality)
    if nationality is None:
        errors.add(
            "nationality",
            "国籍应为ISO 3166-1三位字母代码（如USA、DEU）",
            "must be an ISO 3166-1 alpha-3 or ICAO code (e.g. USA, DEU)",
        )
    issuing_state = None
    if _text(form.issuing_state):
        issuing_state = normalise_country_code(form.issuing_state or "")
        if issuing_state is None:
            errors.add(
                "issuingState",
                "签发国应为ISO 3166-1三位字母代码",
                "must be an ISO 3166-1 alpha-3 or ICAO code",
            )

    number = normalise_document_number(form.document_number)
    if not is_document_number(form.document_type, number):
        zh, en = DOCUMENT_NUMBER_HINT[form.document_type]
        errors.add("documentNumber", zh, en)
    if form.document_expiry <= today:
        errors.add(
            "documentExpiry", "证件已过期或今天到期", "the document must be valid after today"
        )

    visa_number = normalise_document_number(form.visa_number or "") or None
    if visa_number and not VISA_NUMBER.match(visa_number):
        errors.add(
            "visaNumber", "签证/居留许可号码应为1–32位字母或数字", "1–32 letters, digits or hyphens"
        )
    visa_type = _text(form.visa_type)
    if visa_type and len(visa_type) > 32:
        errors.add("visaType", "签证种类不超过32字", "at most 32 characters")
    if form.entry_date is not None:
        if form.entry_date > today:
            errors.add("entryDate", "入境日期不能晚于今天", "must not be in the future")
        elif form.entry_date < form.birth_date:
            errors.add("entryDate", "入境日期不能早于出生日期", "must not be before the birth date")

    if form.mrz:
        _check_mrz(form.mrz, form, number, nationality, errors)
    mobile = _contact_phone(form.mobile, errors)
    email = (form.email or "").strip().lower() or None
    if email and (len(email) > 254 or not EMAIL.match(email)):
        errors.add("email", "电子邮箱格式不正确", "not an e-mail address")
    for path, value, limit in (
        ("entryPort", form.entry_port, 64),
        ("position", form.position, 64),
        ("address", form.address, 256),
    ):
        text = _text(value)
        if text and len(text) > limit:
            errors.add(path, f"不超过{limit}字", f"at most {limit} characters")
    errors.raise_if_any()
    assert nationality is not None
    return dataclasses.replace(
        form,
        surname=surname,
        given_names=given_names,
        chinese_name=chinese_name,
        nationality=nationality,
        issuing_state=issuing_state,
        document_number=number,
        visa_type=visa_type,
        visa_number=visa_number,
        entry_port=_text(form.entry_port),
        position=_text(form.position),
        mobile=mobile,
        email=email,
        address=_text(form.address),
        mrz=None,  # checked, not kept: it repeats the fields
    )


# ICAO Doc 9303 machine readable zones, by line length: TD3 (passports, 2×44), TD2 (2×36),
# TD1 (ID cards and many permits, 3×30).
_MRZ_CHECKERS = {(2, 44): TD3CodeChecker, (2, 36): TD2CodeChecker, (3, 30): TD1CodeChecker}


def _check_mrz(
    raw: str,
    form: ForeignPersonForm,
    number: str,
    nationality: str | None,
    errors: FieldErrors,
) -> None:
    """The MRZ's check digits (weights 7-3-1, via the `mrz` package), then its data against the
    form: a typo in either is caught before a permit application carries it."""
    lines = [line.strip().upper() for line in raw.strip().splitlines() if line.strip()]
    checker_type = _MRZ_CHECKERS.get((len(lines), len(lines[0]) if lines else 0))
    if checker_type is None or any(len(line) != len(lines[0]) for line in lines):
        errors.add(
            "mrz",
            "机读区应为2行44位（护照）、2行36位或3行30位",
            "2 lines of 44 (passport), 2 of 36 or 3 of 30 characters",
        )
        return
    checker = checker_type("\n".join(lines), check_expiry=False)
    if not checker:
        errors.add(
            "mrz",
            "机读区校验位不正确，请核对后重新输入",
            "a check digit of the machine readable zone is wrong: "
            + ", ".join(str(item) for item in checker.report.errors),
        )
        return
    fields = checker.fields()
    mismatched = []
    if fields.document_number.replace("<", "") != number.replace("<", ""):
        mismatched.append(("documentNumber", "证件号码"))
    if fields.birth_date != form.birth_date.strftime("%y%m%d"):
        mismatched.append(("birthDate", "出生日期"))
    if fields.expiry_date != form.document_expiry.strftime("%y%m%d"):
        mismatched.append(("documentExpiry", "证件有效期"))
    if nationality and normalise_country_code(fields.nationality) != nationality:
        mismatched.append(("nationality", "国籍"))
    for path, label in mismatched:
        errors.add(path, f"{label}与机读区不一致", "differs from the machine readable zone")


def _contact_phone(raw: str | None, errors: FieldErrors) -> str | None:
    """A mainland mobile (11 digits) or an international number in E.164 form (+…)."""
    value = re.sub(r"[\s-]", "", raw or "")
    if not value:
        return None
    if INTERNATIONAL_PHONE.match(value) and not value.startswith("+86"):
        return value
    try:
        return normalise_mobile(value, path="mobile")
    except ValidationFailed:
        errors.add(
            "mobile",
            "请填写中国大陆手机号码或带国际区号的号码（如+49…）",
            "a mainland mobile or an international number with its country code (+49…)",
        )
        return None
