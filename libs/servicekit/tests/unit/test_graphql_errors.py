"""AppError → extensions.code; anything unexpected is hidden."""

from __future__ import annotations

import strawberry

from servicekit.errors import NotFound, ValidationFailed
from servicekit.graphql import AppErrorExtension, Connection, connection_of, page_of


@strawberry.type
class Query:
    @strawberry.field
    def missing(self) -> str:
        raise NotFound()

    @strawberry.field
    def invalid(self) -> str:
        raise ValidationFailed.single("uscc", "统一社会信用代码不正确", "bad code")

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("password=hunter2 at db-host-7")

    @strawberry.field
    def numbers(self, first: int | None = None, after: str | None = None) -> Connection[int]:
        page = page_of(first, after)
        rows = list(range(page.offset, min(page.offset + page.limit, 5)))
        return connection_of(rows, page, 5, lambda row: row)


schema = strawberry.federation.Schema(query=Query, extensions=[AppErrorExtension])


def test_app_errors_carry_their_code_and_fields() -> None:
    result = schema.execute_sync("{ invalid }")
    assert result.errors
    error = result.errors[0].formatted
    assert error["extensions"] == {
        "code": "VALIDATION_FAILED",
        "fields": [{"path": "uscc", "message": "统一社会信用代码不正确"}],
    }
    assert schema.execute_sync("{ missing }").errors[0].extensions == {"code": "NOT_FOUND"}  # type: ignore[index]


def test_unexpected_errors_reveal_nothing() -> None:
    result = schema.execute_sync("{ broken }")
    assert result.errors
    formatted = result.errors[0].formatted
    assert formatted["extensions"] == {"code": "INTERNAL"}
    assert "hunter2" not in str(formatted)
    assert "db-host" not in str(formatted)


def test_connections_page_with_opaque_cursors() -> None:
    first = schema.execute_sync(
        "{ numbers(first: 2) { edges { cursor node } pageInfo { hasNextPage endCursor } totalCount } }"
    )
    data = first.data["numbers"]  # type: ignore[index]
    assert [e["node"] for e in data["edges"]] == [0, 1]
    assert data["totalCount"] == 5
    cursor = data["pageInfo"]["endCursor"]
    rest = schema.execute_sync(
        f'{{ numbers(first: 10, after: "{cursor}") {{ edges {{ node }} pageInfo {{ hasNextPage }} }} }}'
    )
    assert [e["node"] for e in rest.data["numbers"]["edges"]] == [2, 3, 4]  # type: ignore[index]
    assert rest.data["numbers"]["pageInfo"]["hasNextPage"] is False  # type: ignore[index]
    bad = schema.execute_sync("{ numbers(first: 500) { totalCount } }")
    assert bad.errors[0].extensions["code"] == "VALIDATION_FAILED"  # type: ignore[index]
