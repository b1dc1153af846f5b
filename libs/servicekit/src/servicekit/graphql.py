"""Strawberry glue shared by the five subgraphs: request context with the verified actor,
AppError → `extensions.code` mapping, Relay-style connections."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import strawberry
from asyncpg.exceptions import CharacterNotInRepertoireError, UntranslatableCharacterError
from graphql import GraphQLError, VariableDefinitionNode
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.fastapi import BaseContext

from servicekit.auth import Actor, JwksVerifier, bearer_token
from servicekit.db import Database, is_database_unavailable
from servicekit.errors import (
    AppError,
    PasswordChangeRequired,
    Unauthenticated,
    UpstreamUnavailable,
    ValidationFailed,
)

log = logging.getLogger(__name__)

INTERNAL_MESSAGE = {"zh": "服务器内部错误", "en": "Internal server error"}


class HasId(Protocol):
    id: uuid.UUID


Row = TypeVar("Row", bound=HasId)


def rows_by_id(
    db: Database, fetch: Callable[[AsyncSession, list[uuid.UUID]], Awaitable[Iterable[Row]]]
) -> DataLoader[str, Row | None]:
    """A per-request DataLoader of rows by id: one query per batch; ids that are not UUIDs or
    not found load as None."""

    async def load(keys: list[str]) -> list[Row | None]:
        ids = []
        for key in keys:
            with contextlib.suppress(ValueError):
                ids.append(uuid.UUID(key))
        async with db.unit_of_work() as session:
            found = {str(row.id): row for row in await fetch(session, ids)}
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)


class ServiceContext(BaseContext):
    """Per-request context. `actor` raises UNAUTHENTICATED when the request is not signed in."""

    def __init__(self, verifier: JwksVerifier) -> None:
        super().__init__()
        self._verifier = verifier
        self._authentication: asyncio.Task[Actor | None] | None = None

    @property
    def language(self) -> str:
        header = self.request.headers.get("accept-language", "") if self.request else ""
        return "en" if header.lower().startswith("en") else "zh"

    async def optional_actor(self) -> Actor | None:
        """The request's actor, verified once: resolvers running at the same time (an
        `_entities` call resolves every representation concurrently) all await the one
        verification, which may have to fetch identity's keys first."""
        if self._authentication is None:
            self._authentication = asyncio.ensure_future(self._authenticate())
        return await asyncio.shield(self._authentication)

    async def _authenticate(self) -> Actor | None:
        header = self.request.headers.get("authorization") if self.request else None
        token = bearer_token(header)
        return None if token is None else await self._verifier.verify(token)

    async def actor(self, *, allow_password_change: bool = False) -> Actor:
        """The signed-in actor. Only operations that help an imported account change its
        initial password pass `allow_password_change`."""
        actor = await self.optional_actor()
        if actor is None:
            raise Unauthenticated()
        if actor.password_change_required and not allow_password_change:
            raise PasswordChangeRequired()
        return actor


def is_invalid_variable(error: GraphQLError) -> bool:
    """A variable the request sent that its type refuses (e.g. a `Time` that is not a time):
    raised before execution (no path) around the scalar's own error. The client's mistake, not
    a bug: without this it carried an original error and was answered `INTERNAL`."""
    return error.path is None and isinstance(error.original_error, GraphQLError)


def _invalid_variable(error: GraphQLError) -> GraphQLError:
    node = error.nodes[0] if error.nodes else None
    variable = node.variable.name.value if isinstance(node, VariableDefinitionNode) else ""
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        extensions={
            "code": "VALIDATION_FAILED",
            "fields": [{"path": variable, "message": error.message}],
        },
    )


def _is_unstorable_text(exc: BaseException) -> bool:
    """PostgreSQL refuses NUL and unencodable characters in text: that is the client's input,
    not a bug (found by fuzzing `login`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, CharacterNotInRepertoireError | UntranslatableCharacterError):
            return True
        original = getattr(current, "orig", None)
        current = (
            original
            if isinstance(original, BaseException)
            else current.__cause__ or current.__context__
        )
    return False


def _to_graphql_error(error: GraphQLError, language: str) -> GraphQLError:
    original = error.original_error
    if original is None:
        return error  # syntax/validation errors of the query itself: safe as they are
    if is_invalid_variable(error):
        return _invalid_variable(error)
    if not isinstance(original, AppError) and _is_unstorable_text(original):
        original = ValidationFailed.single(
            "input",
            "输入内容包含无法保存的字符（如空字符）",
            "the input contains a character that cannot be stored (e.g. NUL)",
        )
    if not isinstance(original, AppError) and is_database_unavailable(original):
        # an outage, not a bug: say so, and that trying again later helps
        log.warning("database unavailable in %s: %s", error.path, original)
        original = UpstreamUnavailable()
    if isinstance(original, AppError):
        extensions: dict[str, Any] = {"code": original.code.value}
        if isinstance(original, ValidationFailed):
            extensions["fields"] = [
                {"path": item.path, "message": item.message.in_language(language)}
                for item in original.fields
            ]
        message = original.message.in_language(language)
    else:
        log.error("unexpected error in %s", error.path, exc_info=original)
        extensions = {"code": "INTERNAL"}
        message = INTERNAL_MESSAGE[language]
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class AppErrorExtension(SchemaExtension):
    """Maps AppError to `extensions.code` (+ `fields`) and hides every unexpected error."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        context = self.execution_context.context
        language = context.language if isinstance(context, ServiceContext) else "zh"
        result.errors = [_to_graphql_error(error, language) for error in errors]


class SubgraphSchema(strawberry.federation.Schema):
    """A Federation 2.9 subgraph schema with the platform's error mapping.

    Expected errors (AppError, invalid queries) are client outcomes, logged at INFO with their
    code; unexpected ones were already logged with their traceback by AppErrorExtension."""

    def __init__(
        self, *, query: type, mutation: type | None = None, types: Sequence[type] = ()
    ) -> None:
        super().__init__(
            query=query,
            mutation=mutation,
            types=list(types),
            # Parsing and validating the same query text again is wasted work: cache both.
            extensions=[
                AppErrorExtension,
                lambda: ParserCache(maxsize=512),  # the caches live at module level
                lambda: ValidationCache(maxsize=512),
            ],
            federation_version="2.9",
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: Any | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            if isinstance(original, AppError):
                code, text = original.code.value, original.message.en
            elif is_invalid_variable(error):
                code, text = "VALIDATION_FAILED", error.message
            else:
                code = "GRAPHQL_VALIDATION" if original is None else "INTERNAL"
                text = error.message
            log.info("graphql error %s at %s: %s", code, error.path, text)


# --- Relay-style connections -------------------------------------------------------------

Node = TypeVar("Node")

MAX_PAGE = 100
DEFAULT_PAGE = 20


@strawberry.federation.type(shareable=True)
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[Node]):
    cursor: str
    node: Node


@strawberry.type
class Connection(Generic[Node]):
    edges: list[Edge[Node]]
    page_info: PageInfo
    total_count: int


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int


def page_of(first: int | None, after: str | None) -> Page:
    """Validates `first`/`after`. Cursors are opaque offsets into the (stable) ordering."""
    size = DEFAULT_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise ValidationFailed.single("first", f"取值范围为 0–{MAX_PAGE}", f"must be 0–{MAX_PAGE}")
    offset = 0
    if after:
        try:
            prefix, _, value = base64.urlsafe_b64decode(after.encode()).decode().partition(":")
            if prefix != "o":
                raise ValueError(prefix)
            offset = int(value) + 1
        except ValueError as exc:
            raise ValidationFailed.single("after", "游标无效", "invalid cursor") from exc
    return Page(offset=offset, limit=size)


def cursor_at(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


Model = TypeVar("Model")


def connection_of(
    rows: Sequence[Model], page: Page, total: int, convert: Callable[[Model], Node]
) -> Connection[Node]:
    edges = [
        Edge(cursor=cursor_at(page.offset + i), node=convert(row)) for i, row in enumerate(rows)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.offset + len(rows) < total,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
