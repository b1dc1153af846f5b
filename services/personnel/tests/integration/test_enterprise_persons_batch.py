"""`Enterprise.foreignPersons` for many enterprises in one `_entities` request (as the gateway
asks for a list's rows): one access check and one query for them all, and each enterprise
answered exactly as if it were asked alone."""

from __future__ import annotations

import logging
import random
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from devstack.testing import graphql, statements_reading

if TYPE_CHECKING:
    from conftest import Tenant, Tenants

REGISTER = """mutation($input: ForeignPersonInput!) {
  registerForeignPerson(input: $input) { id } }"""
PERSONS = """query($reps: [_Any!]!, $first: Int, $after: String, $search: String) {
  _entities(representations: $reps) { ... on Enterprise { id
    foreignPersons(first: $first, after: $after, search: $search) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id surname documentNumber masked } } } } } }"""
OWN_LIST = """query($first: Int, $after: String, $search: String) {
  foreignPersons(first: $first, after: $after, search: $search) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id surname documentNumber masked } } } }"""
PAGES: list[dict[str, Any]] = [
    {},
    {"first": 2},
    {"first": 2, "after": "bzox"},  # the second page (cursor of offset 1)
    {"first": 0},
    {"search": "garcia"},
]


async def with_persons(client: httpx.AsyncClient, tenant: Tenant, count: int) -> list[str]:
    ids = []
    for i in range(count):
        form = {
            "surname": "Garcia" if i % 2 else "Smith",
            "givenNames": "Ana",
            "sex": "FEMALE",
            "birthDate": "1988-05-01",
            "nationality": "ESP",
            "documentType": "PASSPORT",
            "documentNumber": f"X{random.randint(0, 9_999_999):07d}{i}",
            "documentExpiry": "2032-06-30",
        }
        body = await graphql(client, REGISTER, {"input": form}, token=tenant.token)
        assert "errors" not in body, body
        ids.append(body["data"]["registerForeignPerson"]["id"])
    return ids


def reps(*tenants: Tenant) -> list[dict[str, Any]]:
    return [{"__typename": "Enterprise", "id": t.enterprise_id} for t in tenants]


def codes_by_index(body: dict[str, Any]) -> dict[int, str]:
    return {e["path"][1]: e["extensions"]["code"] for e in body.get("errors", [])}


async def test_each_enterprise_of_a_batch_is_answered_as_if_asked_alone(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    batch = [tenants.new() for _ in range(3)]
    for tenant, count in zip(batch, (0, 3, 4), strict=True):
        await with_persons(personnel, tenant, count)
    officer = tenants.officer("CITY_OFFICER")
    for page in PAGES:
        together = await graphql(personnel, PERSONS, {"reps": reps(*batch), **page}, officer)
        assert "errors" not in together, together
        for index, tenant in enumerate(batch):
            alone = await graphql(personnel, PERSONS, {"reps": reps(tenant), **page}, officer)
            assert together["data"]["_entities"][index] == alone["data"]["_entities"][0], page
            # ... and as the enterprise's own list (the root field) shows it to its user
            own = await graphql(personnel, OWN_LIST, page, tenant.token)
            found = together["data"]["_entities"][index]["foreignPersons"]
            assert found == own["data"]["foreignPersons"], page
    second = await graphql(personnel, PERSONS, {"reps": reps(*batch), "first": 2}, officer)
    assert [e["foreignPersons"]["totalCount"] for e in second["data"]["_entities"]] == [0, 3, 4]
    assert [len(e["foreignPersons"]["edges"]) for e in second["data"]["_entities"]] == [0, 2, 2]


async def test_a_batch_reads_every_enterprise_in_two_queries(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    batch = [tenants.new() for _ in range(6)]
    for tenant in batch:
        await with_persons(personnel, tenant, 2)
    with statements_reading("foreign_persons") as seen:
        body = await graphql(
            personnel, PERSONS, {"reps": reps(*batch), "first": 1}, tenants.officer()
        )
    assert "errors" not in body, body
    assert len(seen) == 2, seen  # the totals, and the first page of each (not 2 per enterprise)


async def test_an_enterprise_user_gets_only_their_own_enterprise_of_a_batch(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner, other = tenants.new(), tenants.new()
    mine = await with_persons(personnel, owner, 2)
    await with_persons(personnel, other, 1)
    representations = [*reps(owner, other), {"__typename": "Enterprise", "id": "not-an-id"}]
    body = await graphql(personnel, PERSONS, {"reps": representations}, owner.token)
    assert codes_by_index(body) == {1: "FORBIDDEN", 2: "NOT_FOUND"}
    own = body["data"]["_entities"][0]["foreignPersons"]
    assert sorted(edge["node"]["id"] for edge in own["edges"]) == sorted(mine)
    hr = tenants.member_of(owner)  # another account of the same enterprise: the same answer
    body = await graphql(personnel, PERSONS, {"reps": reps(owner, other)}, hr.token)
    assert codes_by_index(body) == {1: "FORBIDDEN"}
    assert body["data"]["_entities"][0]["foreignPersons"] == own
    nobody = tenants.new(has_enterprise=False)
    body = await graphql(personnel, PERSONS, {"reps": reps(owner, other)}, nobody.token)
    assert codes_by_index(body) == {0: "FORBIDDEN", 1: "FORBIDDEN"}
    body = await graphql(personnel, PERSONS, {"reps": reps(owner, other)})
    assert set(codes_by_index(body).values()) == {"UNAUTHENTICATED"}


async def test_officers_read_every_enterprise_of_a_batch_in_one_audit_entry(
    personnel: httpx.AsyncClient, tenants: Tenants, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = tenants.new(), tenants.new()
    ids = [*await with_persons(personnel, first, 1), *await with_persons(personnel, second, 2)]
    with caplog.at_level(logging.INFO, logger="personnel.audit"):
        body = await graphql(
            personnel, PERSONS, {"reps": reps(first, second)}, tenants.officer("BRANCH_OFFICER")
        )
    assert "errors" not in body, body
    (entry,) = [r for r in caplog.records if r.name == "personnel.audit"]
    assert sorted(entry.__dict__["persons"]) == sorted(ids)


async def test_a_search_too_long_is_refused_for_each_enterprise_of_a_batch(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner, other = tenants.new(), tenants.new()
    body = await graphql(
        personnel, PERSONS, {"reps": reps(owner, other), "search": "x" * 65}, owner.token
    )
    assert codes_by_index(body) == {0: "VALIDATION_FAILED", 1: "FORBIDDEN"}
