"""Who an appointment (or a waitlist entry) is for, checked with the services that own them:
the caller's enterprise (filing), the foreign person or the passed application (personnel).

EXIT_ENTRY business is booked for a foreign person, LABOUR_PERMIT business for an employment
application that passed pre-review (the application names its person). Another enterprise's
person or application is NOT_FOUND: its existence is never revealed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from booking.appointments.people_client import ApplicationRef, PersonnelPeople, PersonRef
from booking.errors import (
    ApplicationNotFound,
    ApplicationNotPassed,
    NoEnterprise,
    NotEnterpriseUser,
    PersonNotFound,
)
from booking.locations.models import ServiceType
from servicekit.auth import Actor, Role
from servicekit.errors import NotFound, ValidationFailed
from servicekit.filing_client import EnterpriseRef, FilingEnterprises

PASSED = "PASSED"


@dataclass(frozen=True)
class Subject:
    foreign_person_id: uuid.UUID
    application_id: uuid.UUID | None
    enterprise_id: uuid.UUID
    enterprise_name: str
    person_name: str


@dataclass
class Subjects:
    filing: FilingEnterprises
    people: PersonnelPeople

    async def enterprise_of(self, actor: Actor) -> EnterpriseRef:
        """The enterprise an enterprise user acts for."""
        if Role.ENTERPRISE_USER not in actor.roles:
            raise NotEnterpriseUser()
        enterprise = await self.filing.of_account(actor.account_id)
        if enterprise is None:
            raise NoEnterprise()
        return enterprise

    async def resolve(
        self,
        actor: Actor,
        service_type: ServiceType,
        foreign_person_id: str | None,
        application_id: str | None,
    ) -> Subject:
        _check_kind(service_type, foreign_person_id, application_id)
        enterprise = await self.enterprise_of(actor)
        if application_id is not None:
            application = await self._application(_uuid(application_id, ApplicationNotFound))
            if application.enterprise_id != str(enterprise.id):
                raise ApplicationNotFound()
            if application.review != PASSED:
                raise ApplicationNotPassed()
            person_key = _uuid(application.foreign_person_id, ApplicationNotFound)
            person = await self._person(person_key)
            return Subject(person.id, application.id, enterprise.id, enterprise.name, person.name)
        assert foreign_person_id is not None
        person = await self._person(_uuid(foreign_person_id, PersonNotFound))
        if person.enterprise_id != str(enterprise.id):
            raise PersonNotFound()
        return Subject(person.id, None, enterprise.id, enterprise.name, person.name)

    async def document_number(self, person_id: uuid.UUID) -> str:
        """For the slip: the person's travel document number ("" when personnel is unsure)."""
        try:
            return (await self.people.person(person_id)).document_number
        except NotFound:
            return ""

    async def _person(self, key: uuid.UUID) -> PersonRef:
        try:
            return await self.people.person(key)
        except NotFound as exc:
            raise PersonNotFound() from exc

    async def _application(self, key: uuid.UUID) -> ApplicationRef:
        try:
            return await self.people.application(key)
        except NotFound as exc:
            raise ApplicationNotFound() from exc


def _check_kind(
    service_type: ServiceType, foreign_person_id: str | None, application_id: str | None
) -> None:
    if service_type == ServiceType.LABOUR_PERMIT:
        if not application_id:
            raise ValidationFailed.single(
                "applicationId",
                "劳动就业业务须按已通过预审的就业许可申请预约",
                "LABOUR_PERMIT appointments are booked for a passed employment application",
            )
        if foreign_person_id:
            raise ValidationFailed.single(
                "foreignPersonId",
                "按申请预约时无需填写境外人员",
                "give the application only: it names its person",
            )
        return
    if not foreign_person_id:
        raise ValidationFailed.single(
            "foreignPersonId",
            "出入境业务须按境外人员预约",
            "EXIT_ENTRY appointments are booked for a foreign person",
        )
    if application_id:
        raise ValidationFailed.single(
            "applicationId",
            "出入境业务不按就业许可申请预约",
            "EXIT_ENTRY appointments are not booked for an application",
        )


def _uuid(value: str, error: type[NotFound]) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise error() from exc
