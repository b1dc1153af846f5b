"""Foreign person records against real PostgreSQL, a real broker and a real gRPC filing double."""

from __future__ import annotations

import logging
import random
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from devstack.testing import error_code, graphql

if TYPE_CHECKING:
    from conftest import Tenants

REGISTER = """mutation($input: ForeignPersonInput!) { registerForeignPerson(input: $input) {
  id enterpriseId surname givenNames nationality documentType documentNumber mobile createdAt } }"""
UPDATE = """mutation($id: ID!, $input: ForeignPersonInput!) {
  updateForeignPerson(id: $id, input: $input) { id surname documentNumber position } }"""
LIST = """query($search: String, $first: Int, $after: String) {
  foreignPersons(search: $search, first: $first, after: $after) {
    totalCount edges { node { id enterpriseId documentNumber } }
    pageInfo { hasNextPage endCursor } } }"""
ENTITIES = """query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on ForeignPerson { id documentNumber } } }"""
ENTERPRISE_PERSONS = """query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Enterprise { id foreignPersons { totalCount edges { node { id } } } } } }"""


def passport_number() -> str:
    return f"E{random.randint(0, 99_999_999):08d}"


def person(**changes: Any) -> dict[str, Any]:
    return {
        "surname": "Smith",
        "givenNames": "John",
        "sex": "MALE",
        "birthDate": "1985-03-14",
        "nationality": "USA",
        "documentType": "PASSPORT",
        "documentNumber": passport_number(),
        "documentExpiry": "2032-06-30",
        "position": "Engineer",
        "mobile": "13912345678",
        **changes,
    }


async def register(client: httpx.AsyncClient, token: str, **changes: Any) -> dict[str, Any]:
    body = await graphql(client, REGISTER, {"input": person(**changes)}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["registerForeignPerson"]
    return result


async def listed_ids(client: httpx.AsyncClient, token: str, search: str | None = None) -> set[str]:
    body = await graphql(client, LIST, {"search": search, "first": 100}, token=token)
    assert "errors" not in body, body
    return {edge["node"]["id"] for edge in body["data"]["foreignPersons"]["edges"]}


async def test_registered_person_is_listed_for_its_own_enterprise_only(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner, other = tenants.new(), tenants.new()
    created = await register(personnel, owner.token, documentNumber="e 1234 5678 ")
    assert created["enterpriseId"] == owner.enterprise_id
    assert created["documentNumber"] == "E12345678", "numbers are stored normalised, in full"
    assert await listed_ids(personnel, owner.token) == {created["id"]}
    assert await listed_ids(personnel, other.token) == set()


async def test_officers_see_every_enterprise_and_their_reads_are_audited(
    personnel: httpx.AsyncClient, tenants: Tenants, caplog: pytest.LogCaptureFixture
) -> None:
    first = await register(personnel, tenants.new().token)
    second = await register(personnel, tenants.new().token)
    with caplog.at_level(logging.INFO, logger="personnel.audit"):
        seen = await listed_ids(personnel, tenants.officer("LABOUR_OFFICER"))
    assert {first["id"], second["id"]} <= seen
    audit = [r for r in caplog.records if r.name == "personnel.audit"]
    assert len(audit) == 1
    assert first["id"] in audit[0].getMessage()


async def test_enterprise_users_own_reads_are_not_audited(
    personnel: httpx.AsyncClient, tenants: Tenants, caplog: pytest.LogCaptureFixture
) -> None:
    owner = tenants.new()
    await register(personnel, owner.token)
    with caplog.at_level(logging.INFO, logger="personnel.audit"):
        await listed_ids(personnel, owner.token)
    assert not [r for r in caplog.records if r.name == "personnel.audit"]


async def test_search_matches_names_in_part_and_the_whole_document_number(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner = tenants.new()
    anna = await register(
        personnel,
        owner.token,
        surname="Müller",
        givenNames="Anna",
        chineseName="安娜",
        documentNumber="C01X00T47",
        nationality="DEU",
    )
    await register(personnel, owner.token, surname="Dubois", givenNames="Marie", nationality="FRA")
    for search in ("müller", "anna müller", "MÜLLER ANNA", "安娜", "c01x00t47", "  ANN  "):
        assert await listed_ids(personnel, owner.token, search) == {anna["id"]}, search
    assert await listed_ids(personnel, owner.token, "100%") == set()
    # The document number is encrypted at rest: only the whole number finds it (keyed hash).
    assert await listed_ids(personnel, owner.token, "c01x0") == set()


async def test_list_pages_with_cursors(personnel: httpx.AsyncClient, tenants: Tenants) -> None:
    owner = tenants.new()
    ids = {(await register(personnel, owner.token))["id"] for _ in range(3)}
    page = (await graphql(personnel, LIST, {"first": 2}, token=owner.token))["data"]
    assert page["foreignPersons"]["totalCount"] == 3
    assert page["foreignPersons"]["pageInfo"]["hasNextPage"] is True
    rest = (
        await graphql(
            personnel,
            LIST,
            {"first": 2, "after": page["foreignPersons"]["pageInfo"]["endCursor"]},
            token=owner.token,
        )
    )["data"]
    assert rest["foreignPersons"]["pageInfo"]["hasNextPage"] is False
    seen = [e["node"]["id"] for p in (page, rest) for e in p["foreignPersons"]["edges"]]
    assert sorted(seen) == sorted(ids)


async def test_another_enterprise_can_neither_see_nor_update_a_person(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner, other = tenants.new(), tenants.new()
    created = await register(personnel, owner.token)
    body = await graphql(
        personnel, UPDATE, {"id": created["id"], "input": person()}, token=other.token
    )
    assert error_code(body) == "NOT_FOUND"
    reps = [{"__typename": "ForeignPerson", "id": created["id"]}]
    body = await graphql(personnel, ENTITIES, {"reps": reps}, token=other.token)
    assert body["data"]["_entities"] == [None]
    body = await graphql(personnel, ENTITIES, {"reps": reps}, token=owner.token)
    assert body["data"]["_entities"] == [
        {"id": created["id"], "documentNumber": created["documentNumber"]}
    ]


async def test_owner_updates_the_record_and_the_document_stays_unique(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner = tenants.new()
    first = await register(personnel, owner.token)
    second = await register(personnel, owner.token)
    body = await graphql(
        personnel,
        UPDATE,
        {
            "id": first["id"],
            "input": person(
                surname="Smith-Jones", documentNumber=first["documentNumber"], position="Manager"
            ),
        },
        token=owner.token,
    )
    assert body["data"]["updateForeignPerson"] == {
        "id": first["id"],
        "surname": "Smith-Jones",
        "documentNumber": first["documentNumber"],
        "position": "Manager",
    }
    body = await graphql(
        personnel,
        UPDATE,
        {"id": first["id"], "input": person(documentNumber=second["documentNumber"])},
        token=owner.token,
    )
    assert error_code(body) == "CONFLICT"


async def test_enterprise_without_approved_filing_cannot_register(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    unfiled = tenants.new(filed=False)
    body = await graphql(
        personnel,
        REGISTER,
        {"input": person()},
        token=unfiled.token,
        headers={"accept-language": "en"},
    )
    assert error_code(body) == "INVALID_STATE"
    assert "filing is not approved" in body["errors"][0]["message"]
    body = await graphql(personnel, REGISTER, {"input": person()}, token=unfiled.token)
    assert "备案尚未审核通过" in body["errors"][0]["message"]
    assert await listed_ids(personnel, unfiled.token) == set()


async def test_user_without_an_enterprise_cannot_register_and_sees_an_empty_list(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    newcomer = tenants.new(has_enterprise=False)
    body = await graphql(personnel, REGISTER, {"input": person()}, token=newcomer.token)
    assert error_code(body) == "INVALID_STATE"
    body = await graphql(personnel, LIST, {}, token=newcomer.token)
    assert body["data"]["foreignPersons"] == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }


async def test_officers_cannot_register_and_strangers_must_sign_in(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    body = await graphql(personnel, REGISTER, {"input": person()}, token=tenants.officer())
    assert error_code(body) == "FORBIDDEN"
    assert error_code(await graphql(personnel, LIST, {})) == "UNAUTHENTICATED"


async def test_same_document_twice_in_one_enterprise_is_a_conflict(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner, other = tenants.new(), tenants.new()
    number = passport_number()
    await register(personnel, owner.token, documentNumber=number)
    body = await graphql(
        personnel, REGISTER, {"input": person(documentNumber=number.lower())}, token=owner.token
    )
    assert error_code(body) == "CONFLICT"
    await register(personnel, other.token, documentNumber=number)  # another enterprise may


async def test_invalid_person_reports_every_wrong_field(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner = tenants.new()
    body = await graphql(
        personnel,
        REGISTER,
        {
            "input": person(
                birthDate="2015-01-01",
                nationality="XY",
                documentType="TW_PERMIT",
                documentNumber="A1234567",
                documentExpiry="2020-01-01",
                email="nope",
            )
        },
        token=owner.token,
        headers={"accept-language": "en"},
    )
    assert error_code(body) == "VALIDATION_FAILED"
    fields = {f["path"]: f["message"] for f in body["errors"][0]["extensions"]["fields"]}
    assert set(fields) == {"birthDate", "nationality", "documentNumber", "documentExpiry", "email"}
    assert fields["birthDate"] == "the person must be at least 18"
    assert fields["documentNumber"] == "8 digits"
    assert await listed_ids(personnel, owner.token) == set()


async def test_enterprise_foreign_persons_are_for_its_own_users_and_officers(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner, other = tenants.new(), tenants.new()
    created = await register(personnel, owner.token)
    reps = [{"__typename": "Enterprise", "id": owner.enterprise_id}]
    for token in (owner.token, tenants.officer("BRANCH_OFFICER")):
        body = await graphql(personnel, ENTERPRISE_PERSONS, {"reps": reps}, token=token)
        assert body["data"]["_entities"][0]["foreignPersons"] == {
            "totalCount": 1,
            "edges": [{"node": {"id": created["id"]}}],
        }
    body = await graphql(personnel, ENTERPRISE_PERSONS, {"reps": reps}, token=other.token)
    assert error_code(body) == "FORBIDDEN"


ONE = """query($id: ID!) { foreignPerson(id: $id) { id documentNumber mobile masked } }"""
MRZ = "P<GBRSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n1234567897GBR8504124M3101012<<<<<<<<<<<<<<00"


async def test_lists_mask_personal_numbers_and_one_record_shows_them(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner = tenants.new()
    created = await register(personnel, owner.token, documentNumber="E12345678")
    body = await graphql(personnel, LIST, {"search": "E12345678"}, token=owner.token)
    (edge,) = body["data"]["foreignPersons"]["edges"]
    assert edge["node"]["documentNumber"] == "E1*****78"
    one = await graphql(personnel, ONE, {"id": created["id"]}, token=owner.token)
    assert one["data"]["foreignPerson"] == {
        "id": created["id"],
        "documentNumber": "E12345678",
        "mobile": "13912345678",
        "masked": False,
    }
    stranger = tenants.new()
    other = await graphql(personnel, ONE, {"id": created["id"]}, token=stranger.token)
    assert other["data"]["foreignPerson"] is None


async def test_a_machine_readable_zone_is_checked_against_the_record(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner = tenants.new()
    matching = person(
        surname="SMITH",
        givenNames="JOHN",
        nationality="GBR",
        birthDate="1985-04-12",
        documentNumber="123456789",
        documentExpiry="2031-01-01",
        mrz=MRZ,
    )
    body = await graphql(personnel, REGISTER, {"input": matching}, token=owner.token)
    assert "errors" not in body, body
    typo = matching | {"documentNumber": "123456788", "mrz": MRZ}
    body = await graphql(personnel, REGISTER, {"input": typo}, token=tenants.new().token)
    assert error_code(body) == "VALIDATION_FAILED"
    assert [f["path"] for f in body["errors"][0]["extensions"]["fields"]] == ["documentNumber"]
