"""The `form` of each kind: one pydantic model per kind (camelCase keys, unknown keys refused).

Saving checks the format of what is given (a draft may be partial); submitting and printing also
require the core keys (`CORE_KEYS`). Person and enterprise data are not part of the form: the
service takes them from the foreign person's record and from filing."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic.alias_generators import to_camel

from personnel.applications.models import ApplicationKind
from servicekit.errors import FieldErrors

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
# Whole yuan per month (the printed forms show whole yuan).
Salary = Annotated[int, Field(gt=0, le=10_000_000)]
# Hong Kong (A123456(7)), Macao (1234567(8)) or Taiwan (A123456789) identity card number.
HOME_ID = re.compile(r"^[A-Z0-9()]{6,16}$")

CORE_KEYS = (
    "position",
    "workplaceAddress",
    "contractStart",
    "contractEnd",
    "monthlySalary",
    "education",
)


class CoreForm(BaseModel):
    """The keys every kind accepts; with them a form is complete."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=False, frozen=True
    )

    position: Short | None = None
    workplace_address: Address | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    monthly_salary: Salary | None = None
    education: Short | None = None


class LicenceForm(CoreForm):
    work_experience: Paragraph | None = None  # 工作经历
    recruiting_reason: Paragraph | None = None  # 聘用理由


class RecruitmentForm(LicenceForm):
    exemption_reason: Paragraph | None = None  # 免办许可理由


class RegistrationForm(CoreForm):
    """Visa, entry and residence are printed from the person's record."""


class ExtensionForm(CoreForm):
    # 现就业期限至: default the day before the new contract starts.
    current_valid_until: date | None = None
    reason: Paragraph | None = None  # 延期理由


class HkMoTwEmploymentForm(CoreForm):
    home_id_number: Annotated[str, StringConstraints(max_length=20)] | None = None


class HkMoTwExtensionForm(ExtensionForm):
    home_id_number: Annotated[str, StringConstraints(max_length=20)] | None = None


FORMS: dict[ApplicationKind, type[CoreForm]] = {
    ApplicationKind.LICENCE: LicenceForm,
    ApplicationKind.EXEMPT_RECRUITMENT: RecruitmentForm,
    ApplicationKind.REGISTRATION: RegistrationForm,
    ApplicationKind.EXTENSION: ExtensionForm,
    ApplicationKind.HKMOTW_EMPLOYMENT: HkMoTwEmploymentForm,
    ApplicationKind.HKMOTW_EXTENSION: HkMoTwExtensionForm,
}

_MESSAGES: dict[str, tuple[str, str]] = {
    "extra_forbidden": ("该类申请表没有此项", "not a field of this kind's form"),
    "string_too_short": ("请填写内容", "must not be empty"),
    "string_too_long": ("内容过长", "too long"),
    "string_type": ("应为文字", "must be text"),
    "date_from_datetime_parsing": ("日期格式应为YYYY-MM-DD", "a date YYYY-MM-DD"),
    "date_parsing": ("日期格式应为YYYY-MM-DD", "a date YYYY-MM-DD"),
    "date_type": ("日期格式应为YYYY-MM-DD", "a date YYYY-MM-DD"),
    "date_from_datetime_inexact": ("日期格式应为YYYY-MM-DD", "a date YYYY-MM-DD"),
    "int_parsing": ("月薪应为整数（元）", "whole yuan"),
    "int_from_float": ("月薪应为整数（元）", "whole yuan"),
    "int_type": ("月薪应为整数（元）", "whole yuan"),
    "greater_than": ("月薪应大于0", "must be greater than 0"),
    "less_than_equal": ("数值过大", "too large"),
}


def parse(kind: ApplicationKind, raw: Any, prefix: str = "input.form") -> CoreForm:
    """The form of `kind`, format-checked; ValidationFailed listing every wrong key at once
    (paths `input.form.<key>`)."""
    errors = FieldErrors()
    if not isinstance(raw, dict):
        errors.add(prefix, "申请表应为JSON对象", "must be a JSON object")
        errors.raise_if_any()
    model = FORMS[kind]
    try:
        form = model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            zh, en = _MESSAGES.get(error["type"], ("格式不正确", error["msg"]))
            errors.add(f"{prefix}.{key}" if key else prefix, zh, en)
        errors.raise_if_any()
        raise  # unreachable: every pydantic error has a location
    _check_relations(form, errors, prefix)
    errors.raise_if_any()
    return form


def _check_relations(form: CoreForm, errors: FieldErrors, prefix: str) -> None:
    if form.contract_start and form.contract_end and form.contract_end <= form.contract_start:
        errors.add(
            f"{prefix}.contractEnd",
            "合同终止日期应晚于起始日期",
            "must be after contractStart",
        )
    if (
        isinstance(form, ExtensionForm)
        and form.current_valid_until
        and form.contract_end
        and form.current_valid_until >= form.contract_end
    ):
        errors.add(
            f"{prefix}.currentValidUntil",
            "现就业期限应早于申请延期至的日期（合同终止日期）",
            "must be before contractEnd (the date the extension runs to)",
        )
    home_id = getattr(form, "home_id_number", None)
    if home_id is not None and not HOME_ID.match(_home_id(home_id)):
        errors.add(
            f"{prefix}.homeIdNumber",
            "港澳台居民身份证号码格式不正确",
            "not a Hong Kong, Macao or Taiwan identity card number",
        )


def _home_id(value: str) -> str:
    return re.sub(r"\s+", "", value).upper().replace("（", "(").replace("）", ")")


def stored(form: CoreForm) -> dict[str, Any]:
    """The JSON kept in the record: camelCase keys of what was given, normalised."""
    data = form.model_dump(mode="json", by_alias=True, exclude_none=True)
    if "homeIdNumber" in data:
        data["homeIdNumber"] = _home_id(data["homeIdNumber"])
    return data


def missing_core(kind: ApplicationKind, data: dict[str, Any], prefix: str = "form") -> FieldErrors:
    """Completeness: every core key must be there."""
    errors = FieldErrors()
    for key in CORE_KEYS:
        if data.get(key) in (None, ""):
            errors.add(f"{prefix}.{key}", "请填写此项", "required before submitting")
    return errors


def load(kind: ApplicationKind, data: dict[str, Any]) -> CoreForm:
    """A stored form back as its model (already valid)."""
    return FORMS[kind].model_validate(data)
