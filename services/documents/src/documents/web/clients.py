from __future__ import annotations

from starlette.requests import HTTPConnection

from documents.verification.schemas import Client
from servicekit.http import client_ip


def client_of(connection: HTTPConnection | None) -> Client:
    """The caller as the verification log records it."""
    if connection is None:
        return Client()
    return Client(ip=client_ip(connection), user_agent=connection.headers.get("user-agent"))
