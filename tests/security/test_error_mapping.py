"""A variable its type refuses is the client's mistake: `VALIDATION_FAILED` naming the
variable, not `INTERNAL` (found by the access matrix: `createLocation` with a bad `Time`)."""

from __future__ import annotations

import datetime as dt

import strawberry

from servicekit.graphql import AppErrorExtension


@strawberry.type
class Query:
    @strawberry.field
    def opens(self, at: dt.time) -> str:
        return at.isoformat()

    @strawberry.field
    def broken(self, at: dt.time) -> str:
        raise RuntimeError("password=hunter2 at db-host-7")


schema = strawberry.federation.Schema(query=Query, extensions=[AppErrorExtension])


def test_a_variable_of_the_wrong_form_is_a_validation_failure() -> None:
    result = schema.execute_sync("query($t: Time!) { opens(at: $t) }", {"t": "安全测试"})
    assert result.errors
    extensions = result.errors[0].formatted["extensions"]
    assert extensions["code"] == "VALIDATION_FAILED"
    assert extensions["fields"][0]["path"] == "t"


def test_a_right_variable_still_reaches_the_resolver_and_bugs_stay_hidden() -> None:
    assert schema.execute_sync("query($t: Time!) { opens(at: $t) }", {"t": "08:30"}).data == {
        "opens": "08:30:00"
    }
    broken = schema.execute_sync("query($t: Time!) { broken(at: $t) }", {"t": "08:30"})
    assert broken.errors and broken.errors[0].formatted["extensions"] == {"code": "INTERNAL"}
