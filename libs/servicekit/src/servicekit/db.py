"""Async SQLAlchemy engine, sessions and the unit of work.

Service functions never commit: the unit of work of the request (or consumed message) commits
once, and wakes the outbox relay when the transaction wrote events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from servicekit.errors import AppError

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

    async def dispose(self) -> None:
        await self.engine.dispose()


def keep_on_error(session: AsyncSession) -> None:
    """Commit what this transaction wrote even if the request then fails with an AppError."""
    session.info["keep_on_error"] = True


_PG_UNREACHABLE = (
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,  # "the database system is starting up"
)


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached right now (down, restarting, a pooled
    connection cut), rather than that the statement is wrong: callers wait and retry the first
    kind without limit, and treat the second as a failure."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError | ConnectionError):
            return True
        if isinstance(current, DBAPIError) and (
            current.connection_invalidated or isinstance(current, OperationalError | InterfaceError)
        ):
            return True
        if isinstance(current, _PG_UNREACHABLE):
            return True
        original = current.orig if isinstance(current, DBAPIError) else None
        current = (
            original
            if isinstance(original, BaseException)
            else current.__cause__ or current.__context__
        )
    return False
