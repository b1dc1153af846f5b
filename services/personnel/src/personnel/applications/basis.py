"""What an application is based on (DOMAIN.md §4, "precondition"):

- REGISTRATION: a passed EXEMPT_RECRUITMENT of the same person (`basedOnApplicationId`; one
  registration per recruitment, else CONFLICT), or an employment licence number;
- EXTENSION / HKMOTW_EXTENSION: an employment certificate number.

A number with this city's prefix must be one issued here (by a passed LICENCE, REGISTRATION or
HKMOTW_EMPLOYMENT) to the same foreign person; other cities' numbers are checked by format."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from personnel.applications import numbers, repository
from personnel.applications.models import ApplicationKind, EmploymentApplication, ReviewStatus
from personnel.applications.schemas import ApplicationInput
from personnel.errors import RegistrationExists
from personnel.people.models import ForeignPerson
from servicekit.errors import FieldErrors, Message, NotFound

EXTENSIONS = {
    ApplicationKind.EXTENSION: ApplicationKind.REGISTRATION,
    ApplicationKind.HKMOTW_EXTENSION: ApplicationKind.HKMOTW_EMPLOYMENT,
}


@dataclass(frozen=True)
class Basis:
    licence_number: str | None = None
    certificate_number: str | None = None
    based_on_application_id: uuid.UUID | None = None


async def check(
    session: AsyncSession,
    numbering: numbers.NumberFormat,
    data: ApplicationInput,
    person: ForeignPerson,
    application_id: uuid.UUID | None,
    errors: FieldErrors,
) -> Basis:
    kind = data.kind
    licence = numbers.normalise(data.licence_number)
    certificate = numbers.normalise(data.certificate_number)
    based_on = (data.based_on_application_id or "").strip() or None
    if licence and kind != ApplicationKind.REGISTRATION:
        errors.add("input.licenceNumber", "此类申请不需要许可证书号码", "not taken by this kind")
    if based_on and kind != ApplicationKind.REGISTRATION:
        errors.add("input.basedOnApplicationId", "此类申请不基于其他申请", "not taken by this kind")
    if certificate and kind not in EXTENSIONS:
        errors.add("input.certificateNumber", "此类申请不需要就业证号码", "not taken by this kind")

    if kind == ApplicationKind.REGISTRATION:
        if based_on and licence:
            errors.add(
                "input.basedOnApplicationId",
                "请在“已通过预审的聘用申请”与“就业许可证书号码”中选择其一",
                "give either basedOnApplicationId or licenceNumber, not both",
            )
        elif based_on:
            basis = await _recruitment(session, based_on, person, application_id, errors)
            return Basis(based_on_application_id=basis)
        elif licence:
            await _issued(
                session,
                numbering,
                licence,
                numbers.LICENCE_SERIES,
                ApplicationKind.LICENCE,
                person,
                "input.licenceNumber",
                errors,
            )
            return Basis(licence_number=licence)
        else:
            errors.add(
                "input.licenceNumber",
                "请填写就业许可证书号码（免办人员请从已通过预审的聘用申请填写登记表）",
                "give the licence number, or basedOnApplicationId for a licence-exempt person",
            )
    elif kind in EXTENSIONS:
        if not certificate:
            errors.add("input.certificateNumber", "请填写就业证号码", "required for an extension")
        else:
            await _issued(
                session,
                numbering,
                certificate,
                numbers.CERTIFICATE_SERIES,
                EXTENSIONS[kind],
                person,
                "input.certificateNumber",
                errors,
            )
            return Basis(certificate_number=certificate)
    return Basis()


async def _recruitment(
    session: AsyncSession,
    raw_id: str,
    person: ForeignPerson,
    application_id: uuid.UUID | None,
    errors: FieldErrors,
) -> uuid.UUID | None:
    try:
        key = uuid.UUID(raw_id)
    except ValueError:
        errors.add("input.basedOnApplicationId", "编号格式不正确", "not a valid id")
        return None
    found = await repository.get(session, key)
    if found is None or found.enterprise_id != person.enterprise_id:
        raise NotFound(Message("找不到该聘用申请", "No such recruitment application"))
    if (
        found.kind != ApplicationKind.EXEMPT_RECRUITMENT
        or found.review != ReviewStatus.PASSED
        or found.foreign_person_id != person.id
    ):
        errors.add(
            "input.basedOnApplicationId",
            "只能基于本人已通过预审的《聘用外国人就业申请表》填写登记表",
            "must be a passed EXEMPT_RECRUITMENT application of the same person",
        )
        return None
    existing = await repository.registration_for(session, key)
    if existing is not None and existing.id != application_id:
        raise RegistrationExists()
    return key


async def _issued(
    session: AsyncSession,
    numbering: numbers.NumberFormat,
    number: str,
    series: str,
    issuer: ApplicationKind,
    person: ForeignPerson,
    path: str,
    errors: FieldErrors,
) -> None:
    what_zh = "就业许可证书号码" if series == numbers.LICENCE_SERIES else "就业证号码"
    if not numbering.is_valid(series, number):
        example = numbering.issued(series, 2026, 1)
        errors.add(
            path,
            f"{what_zh}格式不正确（本市签发的号码形如{example}）",
            f"not a valid number (numbers issued here look like {example})",
        )
        return
    if not numbering.is_local(number):
        return  # another city's: its format is all we can check
    found = await repository.by_issued_number(session, number)
    if not _issued_to(found, issuer, person):
        errors.add(
            path,
            f"本市未向该境外人员签发此{what_zh}，请核对",
            "no such number was issued here to this foreign person",
        )


def _issued_to(
    found: EmploymentApplication | None, issuer: ApplicationKind, person: ForeignPerson
) -> bool:
    return (
        found is not None
        and found.kind == issuer
        and found.review == ReviewStatus.PASSED
        and found.foreign_person_id == person.id
    )
