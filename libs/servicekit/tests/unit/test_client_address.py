"""Which address a service takes for the caller (rate limits, verification logs): X-Forwarded-For
only from a trusted proxy, and then the nearest hop that is not itself a trusted proxy, so that a
hop a client wrote in front of the real one is never chosen."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request

from servicekit.http import client_ip, create_http_app


@contextlib.asynccontextmanager
async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def app_trusting(proxies: str) -> FastAPI:
    app = create_http_app("address-test", no_lifespan, {}, trusted_proxies=proxies)

    @app.get("/whoami")
    async def whoami(request: Request) -> dict[str, str | None]:
        return {"ip": client_ip(request)}

    return app


async def address_seen(proxies: str, peer: str, forwarded: str | None) -> str | None:
    transport = httpx.ASGITransport(app=app_trusting(proxies), client=(peer, 40000))
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        answer = await client.get("/whoami", headers=headers)
    ip: str | None = answer.json()["ip"]
    return ip


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "seen"),
    [
        # The gateway on the same host (the default trust) names the client.
        ("127.0.0.1", "127.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "127.0.0.1", None, "127.0.0.1"),
        # A caller that is not a trusted proxy cannot choose its address.
        ("127.0.0.1", "198.51.100.9", "203.0.113.7", "198.51.100.9"),
        # A client's own hop in front of the one the ingress appended is not believed.
        ("127.0.0.1, 10.0.0.0/8", "127.0.0.1", "192.0.2.1, 203.0.113.7, 10.1.2.3", "203.0.113.7"),
        ("127.0.0.1", "127.0.0.1", "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        # Trusting every caller is possible, and then the first hop wins.
        ("*", "198.51.100.9", "203.0.113.7, 10.1.2.3", "203.0.113.7"),
    ],
)
async def test_the_address_is_the_nearest_hop_that_is_not_a_trusted_proxy(
    proxies: str, peer: str, forwarded: str | None, seen: str
) -> None:
    assert await address_seen(proxies, peer, forwarded) == seen
