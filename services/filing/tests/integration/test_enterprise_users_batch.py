"""`Enterprise.users` of a list's rows is read in one query for the whole list (a DataLoader),
and each enterprise's users are the ones it shows when it is asked for alone."""

from __future__ import annotations

import random

from devstack.testing import statements_reading

from .steps import Steps, liaison

USERS = "users { role account { id } }"
LIST = f"""query($name: String) {{ filings(name: $name, first: 50) {{ edges {{ node {{
  id enterprise {{ id {USERS} }} }} }} }} }}"""
ONE = f"query($id: ID!) {{ filing(id: $id) {{ enterprise {{ id {USERS} }} }} }}"


async def test_the_users_of_a_lists_enterprises_are_read_in_one_query(steps: Steps) -> None:
    tag = f"批量{random.randrange(10**6):06d}"
    for letter in "甲乙丙":
        second = steps.user()
        await steps.register_account(second)
        first = steps.user()
        await steps.filed(
            first,
            enterpriseName=f"青岛{tag}{letter}有限公司",
            liaisons=[liaison(first.phone), liaison(second.phone, name="李联络")],
        )
    officer = steps.officer("CITY_OFFICER")
    with statements_reading("enterprise_members") as seen:
        rows = (await steps.ok(LIST, {"name": tag}, officer))["filings"]["edges"]
    assert len(rows) == 3
    assert len(seen) == 1, seen
    for row in rows:
        enterprise = row["node"]["enterprise"]
        alone = (await steps.ok(ONE, {"id": row["node"]["id"]}, officer))["filing"]["enterprise"]
        assert enterprise == alone
        members = await steps.sql(
            "SELECT account_id, role FROM enterprise_members WHERE enterprise_id = :id"
            " ORDER BY created_at, account_id",
            id=enterprise["id"],
        )
        assert [(u["account"]["id"], u["role"]) for u in enterprise["users"]] == [
            (str(account), role) for account, role in members
        ]
        assert len(enterprise["users"]) == 2, "both liaisons act for their enterprise"
