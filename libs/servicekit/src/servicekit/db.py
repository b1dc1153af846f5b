"""Async SQLAlchemy engine, sessions and the unit of work.

Service functions never commit: the unit of work of the request (or consumed message) commits
once, and wakes the outbox relay when the transaction wrote events.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TypeVar

import asyncpg
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from servicekit.errors import AppError, Conflict, Message

log = logging.getLogger(__name__)

T = TypeVar("T")

# PostgreSQL aborted the transaction to let another one through; running it again may succeed.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock detected

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    # No pool_pre_ping: it costs a round trip per checkout (~1 ms here); asyncpg reports a dead
    # connection on use and SQLAlchemy then invalidates the pool.
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)


class Database:
    """Owns the engine and hands out units of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._commit_listeners: list[Callable[[], None]] = []

    def on_commit_with_events(self, listener: Callable[[], None]) -> None:
        self._commit_listeners.append(listener)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: commits when the block ends normally, rolls back on any exception.

        A service that must record a failure (a wrong code attempt, a failed sign-in) calls
        `keep_on_error(session)`: the transaction then also commits when an AppError ends it.
        """
        async with self.sessions() as session:
            try:
                yield session
                wrote_events = bool(session.info.get("outbox_written"))
                await session.commit()
            except AppError:
                if session.info.get("keep_on_error"):
                    await session.commit()
                else:
                    await session.rollback()
                raise
            except BaseException:
                await session.rollback()
                raise
        if wrote_events:
            for listener in self._commit_listeners:
                listener()

    async def transaction(
        self, work: Callable[[AsyncSession], Awaitable[T]], *, attempts: int = 3
    ) -> T:
        """`work` in a unit of work, run again in a fresh one (up to `attempts` runs in all,
        after a short random wait) when PostgreSQL aborts it as a deadlock victim or a
        serialization failure. The rollback undid everything it wrote, so this is safe for work
        whose only effects are in this database (reads from other services may repeat). A
        conflict that outlasts the attempts is `Busy` (CONFLICT: try again)."""
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient_conflict),
            stop=stop_after_attempt(attempts),
            wait=wait_random_exponential(multiplier=0.02, max=0.5),
            before_sleep=lambda state: log.info(
                "transaction aborted by a conflict, running it again (attempt %d)",
                state.attempt_number + 1,
            ),
        )
        try:
            async for attempt in retrying:
                with attempt:
                    async with self.unit_of_work() as session:
                        result = await work(session)
        except RetryError as exhausted:
            raise Busy() from exhausted.last_attempt.exception()
        return result

    async def dispose(self) -> None:
        await self.engine.dispose()


class Busy(Conflict):
    default_message = Message(
        "操作与其他请求冲突，请稍后重试", "Another request got in the way, try again"
    )


def keep_on_error(session: AsyncSession) -> None:
    """Commit what this transaction wrote even if the request then fails with an AppError."""
    session.info["keep_on_error"] = True


_UNREACHABLE = (
    OSError,
    ConnectionError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,  # "the database system is starting up"
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then what it wraps: a DBAPIError's driver error, or the cause or context."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        original = current.orig if isinstance(current, DBAPIError) else None
        current = (
            original
            if isinstance(original, BaseException)
            else current.__cause__ or current.__context__
        )


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached right now (down, restarting, a pooled
    connection cut), rather than that the statement is wrong: callers wait and retry the first
    kind without limit, and treat the second as a failure."""
    return any(
        isinstance(current, _UNREACHABLE)
        or (
            isinstance(current, DBAPIError)
            and (
                current.connection_invalidated
                or isinstance(current, OperationalError | InterfaceError)
            )
        )
        for current in _causes(exc)
    )


def is_transient_conflict(exc: BaseException) -> bool:
    """Whether PostgreSQL aborted the transaction as a deadlock victim or a serialization
    failure (asyncpg's errors carry the SQLSTATE)."""
    return any(
        getattr(current, "sqlstate", None) in _RETRYABLE_SQLSTATES for current in _causes(exc)
    )
