"""Typed data the templates print, shared by several of them.

Every field is required (a value that may be absent is typed `X | None` and must still be sent
as null), unknown fields are refused, and strings are stripped: a template never prints a blank
where the caller forgot a field. Lengths follow the owning services' columns, so that a valid
record always fits its box.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class FormData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def text(max_length: int, min_length: int = 1) -> object:
    return StringConstraints(min_length=min_length, max_length=max_length, strip_whitespace=True)


Name = Annotated[str, text(64)]
Line = Annotated[str, text(200)]
Address = Annotated[str, text(256)]
Phone = Annotated[str, StringConstraints(pattern=r"^[\d\-+() ]{5,20}$", strip_whitespace=True)]
IdNumber = Annotated[str, text(32)]
Uscc = Annotated[str, StringConstraints(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")]
District = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
Paragraph = Annotated[str, text(2000)]
Months = Annotated[int, Field(ge=0, le=600)]

Sex = Literal["MALE", "FEMALE"]
IdType = Literal["RESIDENT_ID", "PASSPORT", "HK_MO_PERMIT", "TW_PERMIT", "OTHER"]
TravelDocumentType = Literal["PASSPORT", "HK_MO_PERMIT", "TW_PERMIT", "OTHER"]

SEX = {"MALE": "男 Male", "FEMALE": "女 Female"}
SEX_ZH = {"MALE": "男", "FEMALE": "女"}
ID_TYPE = {
    "RESIDENT_ID": "居民身份证",
    "PASSPORT": "护照",
    "HK_MO_PERMIT": "港澳居民来往内地通行证",
    "TW_PERMIT": "台湾居民来往大陆通行证",
    "OTHER": "其他证件",
}
TRAVEL_DOCUMENT = {
    "PASSPORT": "护照 Passport",
    "HK_MO_PERMIT": "港澳居民来往内地通行证 HK/Macau permit",
    "TW_PERMIT": "台湾居民来往大陆通行证 Taiwan permit",
    "OTHER": "其他 Other",
}


class Enterprise(FormData):
    """The enterprise (涉外单位 / 用人单位) as the forms print it."""

    name: Line
    uscc: Uscc
    enterprise_type: Line
    industry: Line
    district: District
    district_name: Name
    registered_address: Address
    operating_address: Address
    phone: Phone


class EnterpriseRef(FormData):
    """The employer block of the labour forms."""

    name: Line
    uscc: Uscc
    address: Address
    contact_person: Name
    contact_phone: Phone


class Person(FormData):
    """Legal representative or responsible person."""

    name: Name
    id_type: IdType
    id_number: IdNumber
    phone: Phone


class Liaison(FormData):
    """外管联络员: a Chinese employee with social security in the enterprise."""

    name: Name
    sex: Sex
    id_type: IdType
    id_number: IdNumber
    mobile: Phone
    position: Name
    social_security_months: Months


class ForeignWorker(FormData):
    """The foreign person of an employment form (names as in the passport)."""

    surname: Name
    given_names: Name
    chinese_name: Name | None
    sex: Sex
    birth_date: date
    nationality: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,3}$")]
    document_type: TravelDocumentType
    document_number: IdNumber
    document_expiry: date
    address: Address | None
    mobile: Phone | None
    email: Annotated[str, text(254)] | None


def full_name(worker: ForeignWorker) -> str:
    latin = f"{worker.surname.upper()} {worker.given_names.upper()}"
    return f"{latin}（{worker.chinese_name}）" if worker.chinese_name else latin
