"""Field rules of a foreign person record (no I/O)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from personnel.people.models import Sex, TravelDocumentType
from personnel.people.schemas import ForeignPersonForm
from personnel.people.validation import (
    adulthood_date,
    check_form,
    is_adult,
    is_document_number,
    normalise_country_code,
)
from servicekit.errors import ValidationFailed

TODAY = date(2026, 11, 25)

VALID = ForeignPersonForm(
    surname="Müller",
    given_names="Anna  Maria",
    sex=Sex.FEMALE,
    birth_date=date(1990, 5, 17),
    nationality="deu",
    document_type=TravelDocumentType.PASSPORT,
    document_number=" c01x 00t47 ",
    document_expiry=date(2030, 1, 1),
    mobile="139 1234 5678",
    email=" Anna@Example.COM ",
)


@pytest.mark.parametrize(
    "code",
    [
        "DEU",
        "CHN",
        "usa",
        "GBR",
        "D",
        "D<<",
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
    ],
)
def test_nationality_accepts_iso_alpha3_and_icao_special_codes(code: str) -> None:
    assert normalise_country_code(code) == code.upper().rstrip("<")


@pytest.mark.parametrize("code", ["DE", "ZZZ", "", "CHINA", "12A", "XYZ", "<<<"])
def test_nationality_rejects_alpha2_unknown_and_free_text(code: str) -> None:
    assert normalise_country_code(code) is None


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("H12345678", True),
        ("M1234567890", True),
        ("H123456789", False),
        ("C12345678", False),
        ("h12345678", False),
        ("H1234567", False),
        ("M123456789012", False),
    ],
)
def test_hk_macau_permit_is_h_or_m_then_8_or_10_digits(number: str, valid: bool) -> None:
    assert is_document_number(TravelDocumentType.HK_MO_PERMIT, number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("12345678", True),
        ("1234567", False),
        ("123456789", False),
        ("T1234567", False),
    ],
)
def test_taiwan_permit_is_exactly_8_digits(number: str, valid: bool) -> None:
    assert is_document_number(TravelDocumentType.TW_PERMIT, number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("C01X00T47", True),
        ("E1234", True),
        ("AB123<<", True),
        ("E123", False),
        ("E12345678X", False),
        ("E12-345", False),
        ("<<<<<<", False),
    ],
)
def test_passport_number_is_5_to_9_letters_digits_or_fillers(number: str, valid: bool) -> None:
    assert is_document_number(TravelDocumentType.PASSPORT, number) is valid


def test_person_is_adult_from_the_18th_birthday() -> None:
    assert is_adult(date(2008, 11, 25), TODAY)
    assert not is_adult(date(2008, 11, 26), TODAY)


def test_leap_day_birthday_comes_of_age_on_1_march() -> None:
    assert adulthood_date(date(2008, 2, 29)) == date(2026, 3, 1)
    assert not is_adult(date(2008, 2, 29), date(2026, 2, 28))


def test_valid_form_comes_back_normalised() -> None:
    valid = check_form(VALID, TODAY)
    assert valid.nationality == "DEU"
    assert valid.document_number == "C01X00T47"
    assert valid.given_names == "Anna Maria"
    assert valid.mobile == "13912345678"
    assert valid.email == "anna@example.com"


def test_international_mobile_number_is_accepted_in_e164_form() -> None:
    assert (
        check_form(dataclasses.replace(VALID, mobile="+49 151 2345 6789"), TODAY).mobile
        == "+4915123456789"
    )


def test_document_expiring_today_is_not_valid() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_form(dataclasses.replace(VALID, document_expiry=TODAY), TODAY)
    assert [f.path for f in caught.value.fields] == ["documentExpiry"]


def test_number_is_checked_against_the_chosen_document_type() -> None:
    permit = dataclasses.replace(VALID, document_type=TravelDocumentType.HK_MO_PERMIT)
    with pytest.raises(ValidationFailed) as caught:
        check_form(permit, TODAY)
    assert [f.path for f in caught.value.fields] == ["documentNumber"]
    assert check_form(dataclasses.replace(permit, document_number="H12345678"), TODAY)


def test_every_wrong_field_is_reported_at_once() -> None:
    wrong = dataclasses.replace(
        VALID,
        surname="",
        given_names="李",
        birth_date=date(2010, 1, 1),
        nationality="DE",
        document_number="12",
        document_expiry=date(2020, 1, 1),
        issuing_state="XYZ",
        entry_date=date(2027, 1, 1),
        mobile="053288888888",
        email="not-an-email",
    )
    with pytest.raises(ValidationFailed) as caught:
        check_form(wrong, TODAY)
    assert {f.path for f in caught.value.fields} == {
        "surname",
        "givenNames",
        "birthDate",
        "nationality",
        "issuingState",
        "documentNumber",
        "documentExpiry",
        "entryDate",
        "mobile",
        "email",
    }


# ICAO 9303 TD3 sample built with the `mrz` generator: SMITH JOHN, GBR, 1985-04-12, 2031-01-01.
MRZ = "P<GBRSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n1234567897GBR8504124M3101012<<<<<<<<<<<<<<00"


def mrz_form(**changes: object) -> ForeignPersonForm:
    values: dict[str, object] = {
        "surname": "SMITH",
        "given_names": "JOHN",
        "sex": Sex.MALE,
        "birth_date": date(1985, 4, 12),
        "nationality": "GBR",
        "document_type": TravelDocumentType.PASSPORT,
        "document_number": "123456789",
        "document_expiry": date(2031, 1, 1),
        "mrz": MRZ,
    }
    values.update(changes)
    return ForeignPersonForm(**values)  # type: ignore[arg-type]


def test_a_machine_readable_zone_that_matches_is_accepted_and_not_kept() -> None:
    assert check_form(mrz_form(), TODAY).mrz is None


def test_a_wrong_check_digit_in_the_machine_readable_zone_is_refused() -> None:
    wrong = MRZ.replace("1234567897", "1234567896")
    with pytest.raises(ValidationFailed) as caught:
        check_form(mrz_form(mrz=wrong), TODAY)
    assert [item.path for item in caught.value.fields] == ["mrz"]


def test_fields_that_differ_from_the_machine_readable_zone_are_named() -> None:
    form = mrz_form(document_number="123456780", birth_date=date(1985, 4, 13))
    with pytest.raises(ValidationFailed) as caught:
        check_form(form, TODAY)
    assert {item.path for item in caught.value.fields} == {"documentNumber", "birthDate"}


def test_a_machine_readable_zone_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_form(mrz_form(mrz="P<GBRSMITH"), TODAY)
    assert [item.path for item in caught.value.fields] == ["mrz"]
