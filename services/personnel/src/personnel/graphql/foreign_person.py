from __future__ import annotations

from datetime import date, datetime
from typing import TypeAlias

import strawberry
from strawberry.types import Info

from personnel.graphql.context import PersonnelContext
from personnel.people.models import ForeignPerson as ForeignPersonModel
from personnel.people.models import Sex as SexEnum
from personnel.people.models import TravelDocumentType as TravelDocumentTypeEnum
from personnel.people.schemas import ForeignPersonForm
from servicekit.graphql import Connection

# The service layer's enums, registered as GraphQL enums (Sex is shared with filing: same values).
strawberry.enum(SexEnum, name="Sex")
strawberry.enum(TravelDocumentTypeEnum, name="TravelDocumentType")


@strawberry.federation.type(keys=["id"], description="A foreign person (境外人员) of an enterprise")
class ForeignPerson:
    id: strawberry.ID
    enterprise_id: strawberry.ID
    surname: str = strawberry.field(description="As in the travel document (Latin letters)")
    given_names: str
    chinese_name: str | None
    sex: SexEnum
    birth_date: date
    nationality: str = strawberry.field(description="ISO 3166-1 alpha-3 or ICAO code")
    document_type: TravelDocumentTypeEnum
    document_number: str
    issuing_state: str | None
    document_expiry: date
    visa_type: str | None
    visa_number: str | None
    visa_expiry: date | None
    entry_date: date | None
    entry_port: str | None
    position: str | None
    mobile: str | None
    email: str | None
    address: str | None
    created_at: datetime
    updated_at: datetime
    masked: bool = strawberry.field(
        description="In lists, document, visa and phone numbers are masked (E12****67); "
        "foreignPerson(id) shows them in full"
    )

    @classmethod
    def listed(cls, model: ForeignPersonModel) -> ForeignPerson:
        """As a row of a list: personal numbers masked."""
        return cls.from_model(model, masked=True)

    @classmethod
    def from_model(cls, model: ForeignPersonModel, *, masked: bool = False) -> ForeignPerson:
        hide = mask_number if masked else _same
        return cls(
            id=strawberry.ID(str(model.id)),
            enterprise_id=strawberry.ID(str(model.enterprise_id)),
            surname=model.surname,
            given_names=model.given_names,
            chinese_name=model.chinese_name,
            sex=SexEnum(model.sex),
            birth_date=model.birth_date,
            nationality=model.nationality,
            document_type=TravelDocumentTypeEnum(model.document_type),
            document_number=hide(model.document_number) or "",
            issuing_state=model.issuing_state,
            document_expiry=model.document_expiry,
            visa_type=model.visa_type,
            visa_number=hide(model.visa_number),
            visa_expiry=model.visa_expiry,
            entry_date=model.entry_date,
            entry_port=model.entry_port,
            position=model.position,
            mobile=hide(model.mobile),
            email=model.email,
            address=model.address,
            created_at=model.created_at,
            updated_at=model.updated_at,
            masked=masked,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[PersonnelContext, None], id: strawberry.ID
    ) -> ForeignPerson | None:
        model = await info.context.persons.load(str(id))
        return None if model is None else cls.from_model(model)


ForeignPersonConnection: TypeAlias = Connection[ForeignPerson]


def mask_number(value: str | None) -> str | None:
    """Keeps the first two and last two characters: enough to tell records apart in a list."""
    if not value:
        return value
    if len(value) <= 4:
        return "*" * len(value)
    return f"{value[:2]}{'*' * (len(value) - 4)}{value[-2:]}"


def _same(value: str | None) -> str | None:
    return value


@strawberry.input(description="A foreign person's record; every field is checked at once")
class ForeignPersonInput:
    surname: str
    given_names: str
    sex: SexEnum
    birth_date: date
    nationality: str = strawberry.field(description="ISO 3166-1 alpha-3 (or ICAO code, e.g. D)")
    document_type: TravelDocumentTypeEnum
    document_number: str
    document_expiry: date
    chinese_name: str | None = None
    issuing_state: str | None = None
    visa_type: str | None = None
    visa_number: str | None = None
    visa_expiry: date | None = None
    entry_date: date | None = None
    entry_port: str | None = None
    position: str | None = None
    mobile: str | None = None
    email: str | None = None
    address: str | None = None
    mrz: str | None = strawberry.field(
        default=None,
        description="The machine readable zone (2 or 3 lines), optional: its check digits and "
        "data are compared with the fields",
    )

    def to_form(self) -> ForeignPersonForm:
        return ForeignPersonForm(
            surname=self.surname,
            given_names=self.given_names,
            sex=self.sex,
            birth_date=self.birth_date,
            nationality=self.nationality,
            document_type=self.document_type,
            document_number=self.document_number,
            document_expiry=self.document_expiry,
            chinese_name=self.chinese_name,
            issuing_state=self.issuing_state,
            visa_type=self.visa_type,
            visa_number=self.visa_number,
            visa_expiry=self.visa_expiry,
            entry_date=self.entry_date,
            entry_port=self.entry_port,
            position=self.position,
            mobile=self.mobile,
            email=self.email,
            address=self.address,
            mrz=self.mrz,
        )
