from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from servicekit.db import is_database_unavailable


def test_connection_failures_are_outages() -> None:
    assert is_database_unavailable(FileNotFoundError("/tmp/.s.PGSQL.5432"))
    assert is_database_unavailable(ConnectionRefusedError())
    assert is_database_unavailable(OperationalError("select 1", {}, Exception("closed")))
    starting = asyncpg.exceptions.CannotConnectNowError("the database system is starting up")
    assert is_database_unavailable(DBAPIError("select 1", {}, starting))
    wrapped = RuntimeError("handler failed")
    wrapped.__cause__ = ConnectionResetError()
    assert is_database_unavailable(wrapped)


def test_wrong_statements_and_handler_bugs_are_not() -> None:
    assert not is_database_unavailable(IntegrityError("insert", {}, Exception("duplicate key")))
    assert not is_database_unavailable(KeyError("accountId"))
    assert not is_database_unavailable(ValueError("bad uuid"))
