"""Limits through the gateway with the real settings: depth, tokens (alias flooding), batches,
upload abuse, sign-in lockout, sign-in failures per address and verification-code limits."""

from __future__ import annotations

import json
import random
import struct
import zlib
from typing import Any

import httpx

from devstack.stack import Stack
from devstack.testing import error_code, graphql
from tests.e2e.filing_steps import plain_pdf
from tests.e2e.test_slice import LOGIN, ask

from .world import World

UPLOAD = """mutation($file: Upload!, $kind: AttachmentKind!) {
  uploadAttachment(file: $file, kind: $kind) { id fileName size } }"""
CODE = """mutation($r: String!) {
  requestVerificationCode(channel: SMS, recipient: $r, purpose: REGISTER) }"""
# IDENTITY_SIGN_IN_FAILURES_PER_IP_PER_HOUR's default (this stack keeps every real limit).
SIGN_IN_FAILURES_PER_ADDRESS = 50


async def multipart(
    gw: httpx.AsyncClient, token: str, files: list[tuple[str, bytes]]
) -> httpx.Response:
    """One upload request; every file is mapped to the single `file` variable's slot (as a
    client trying to smuggle more files in would)."""
    operations = {"query": UPLOAD, "variables": {"file": None, "kind": "BUSINESS_LICENCE"}}
    mapping = {str(i): ["variables.file"] for i in range(len(files))}
    return await gw.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
        files={
            str(i): (name, content, "application/pdf") for i, (name, content) in enumerate(files)
        },
        headers={"authorization": f"Bearer {token}"},
    )


def png_bomb(side: int = 30_000) -> bytes:
    """A small PNG that declares side × side pixels of zeros (decompresses to ~900 MB)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    data = b"".join(compressor.compress(row) for _ in range(2000)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def refused(response: httpx.Response) -> str | None:
    """The error code of a refused request, failing on a 5xx or on a stored file."""
    assert response.status_code < 500, response.text
    body: dict[str, Any] = response.json() if response.status_code == 200 else {}
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    assert (body.get("data") or {}).get("uploadAttachment") is None, body
    return error_code(body)


async def test_a_query_deeper_than_the_limit_is_refused(gw: httpx.AsyncClient) -> None:
    path = ["me"] + ["enterprise", "liaisons", "account"] * 4  # depth 13, the limit is 12
    deep = "{ " + " { ".join(path) + " { id" + " }" * (len(path) + 1)
    body = await ask(gw, deep)
    assert body.get("data") is None and "depth" in body["errors"][0]["message"].lower(), body
    # introspection is deep by nature and exempt (clients' tooling needs it)
    assert "errors" not in await ask(gw, "{ __schema { types { name fields { name } } } }")


async def test_alias_flooding_is_refused_by_the_token_limit(
    gw: httpx.AsyncClient, world: World
) -> None:
    flood = "{ " + " ".join(f"a{i}: examRules {{ passMark }}" for i in range(1000)) + " }"
    body = await ask(gw, flood, token=world.b.token)
    assert body.get("data") is None, str(body)[:300]
    assert "token" in json.dumps(body["errors"]).lower()
    normal = await ask(
        gw, "{ a: examRules { passMark } b: examRules { passMark } }", token=world.b.token
    )
    assert normal["data"]["a"]["passMark"] > 0


async def test_a_batch_of_operations_in_one_request_is_not_executed(
    gw: httpx.AsyncClient, world: World
) -> None:
    batch = [
        {"query": LOGIN, "variables": {"u": world.a.phone, "p": f"wrong-{i}"}} for i in range(20)
    ]
    response = await gw.post("/graphql", json=batch)
    assert 400 <= response.status_code < 500, response.text[:300]


async def test_upload_abuse_is_refused_without_a_server_error(
    gw: httpx.AsyncClient, world: World
) -> None:
    token = world.b.token
    oversize = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)
    assert refused(await multipart(gw, token, [("big.pdf", oversize)])) is not None
    fake = b"MZ\x90\x00" + b"\x00" * 4096  # an executable named .pdf
    assert refused(await multipart(gw, token, [("licence.pdf", fake)])) == "VALIDATION_FAILED"
    assert refused(await multipart(gw, token, [("scan.png", png_bomb())])) == "VALIDATION_FAILED"
    beyond_the_gateway = b"%PDF-1.4\n" + b"0" * (13 * 1024 * 1024)  # over the 12 MiB body limit
    assert refused(await multipart(gw, token, [("huge.pdf", beyond_the_gateway)])) == "HTTP 413"
    truncated = plain_pdf("licence")[:200]
    assert refused(await multipart(gw, token, [("cut.pdf", truncated)])) is not None


async def test_many_files_in_one_request_store_at_most_one(
    gw: httpx.AsyncClient, world: World, secure_stack: Stack
) -> None:
    stored = secure_stack.var_dir / "files"
    before = sum(1 for path in stored.rglob("*") if path.is_file())
    files = [(f"f{i}.pdf", plain_pdf(f"licence {i}")) for i in range(50)]
    response = await multipart(gw, world.b.token, files)
    assert response.status_code < 500, response.text[:300]
    after = sum(1 for path in stored.rglob("*") if path.is_file())
    assert after - before <= 1, f"{after - before} files stored from one upload request"


async def test_path_tricks_in_file_names_are_sanitised(gw: httpx.AsyncClient, world: World) -> None:
    for name in ("../../etc/passwd.pdf", "..\\..\\boot.pdf", "/abs/x.pdf", "a\x00b.pdf"):
        response = await multipart(gw, world.b.token, [(name, plain_pdf(name))])
        assert response.status_code == 200, response.text
        stored = response.json()["data"]["uploadAttachment"]["fileName"]
        assert "/" not in stored and "\\" not in stored and ".." not in stored, stored
        assert "\x00" not in stored


async def test_sign_in_locks_after_five_failures_even_with_the_right_password(
    gw: httpx.AsyncClient, world: World
) -> None:
    for attempt in range(5):
        failed = await ask(gw, LOGIN, {"u": world.victim_phone, "p": f"Wrong-{attempt}"})
        assert error_code(failed) is not None
    locked = await ask(gw, LOGIN, {"u": world.victim_phone, "p": "Liaison-2026"})
    assert error_code(locked) == "ACCOUNT_LOCKED", locked


async def test_sign_in_does_not_tell_whether_an_account_exists(
    gw: httpx.AsyncClient, world: World
) -> None:
    unknown = await ask(gw, LOGIN, {"u": "13000000000", "p": "Wrong-password-1"})
    known = await ask(gw, LOGIN, {"u": world.b.phone, "p": "Wrong-password-1"})
    assert error_code(unknown) == error_code(known), (unknown, known)
    assert unknown["errors"][0]["message"] == known["errors"][0]["message"]


async def test_sign_in_failures_are_limited_per_address_across_accounts(
    gw: httpx.AsyncClient, world: World
) -> None:
    """Password spraying (one guess at each of many accounts) locks no account, so the address is
    limited: past its failures even the right password is refused, a forged X-Forwarded-For does
    not help, and another address is not affected. From addresses of its own, so that the
    suite's 127.0.0.1 keeps its budget for the other tests."""
    sprayer = httpx.AsyncHTTPTransport(local_address="127.0.0.3")
    async with httpx.AsyncClient(base_url=gw.base_url, transport=sprayer, timeout=60) as client:
        guesses = [world.a.phone] + [_phone() for _ in range(SIGN_IN_FAILURES_PER_ADDRESS - 1)]
        answers = [
            error_code(await ask(client, LOGIN, {"u": phone, "p": "Spray-2026"}))
            for phone in guesses
        ]
        right = {"u": world.b.phone, "p": "Liaison-2026"}
        refused = await ask(client, LOGIN, right)
        spoofed = await graphql(client, LOGIN, right, headers={"x-forwarded-for": "203.0.113.7"})
    assert answers == ["UNAUTHENTICATED"] * SIGN_IN_FAILURES_PER_ADDRESS
    assert error_code(refused) == "RATE_LIMITED", refused
    assert "后再试" in refused["errors"][0]["message"], refused
    assert error_code(spoofed) == "RATE_LIMITED", "a client picked its address by X-Forwarded-For"
    elsewhere = httpx.AsyncHTTPTransport(local_address="127.0.0.4")
    async with httpx.AsyncClient(base_url=gw.base_url, transport=elsewhere, timeout=60) as other:
        signed_in = await ask(other, LOGIN, right)
    assert ((signed_in.get("data") or {}).get("login") or {}).get("accessToken"), signed_in
    print(f"\nsign-in: {len(answers)} failures from one address, then refused (per address)")


async def test_codes_are_limited_per_recipient_and_per_address(
    gw: httpx.AsyncClient, world: World
) -> None:
    """Last in this file: it spends the gateway address's hourly code budget (30)."""
    recipient = f"136{random.randint(0, 99_999_999):08d}"
    assert (await ask(gw, CODE, {"r": recipient}))["data"]["requestVerificationCode"] is True
    again = await ask(gw, CODE, {"r": recipient})
    assert error_code(again) == "RATE_LIMITED", again
    answers = [await ask(gw, CODE, {"r": _phone()}) for _ in range(40)]
    limited = [a for a in answers if error_code(a) == "RATE_LIMITED"]
    assert limited, "40 codes from one address in an hour were all sent"
    print(f"\ncodes: {len(answers) - len(limited)} sent, then {len(limited)} refused (per address)")
    spoofed = await graphql(gw, CODE, {"r": _phone()}, headers={"x-forwarded-for": "203.0.113.9"})
    assert error_code(spoofed) == "RATE_LIMITED", "a client picked its address by X-Forwarded-For"
    elsewhere = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=gw.base_url, transport=elsewhere, timeout=60) as other:
        answer = await ask(other, CODE, {"r": _phone()})
    assert answer.get("data", {}).get("requestVerificationCode") is True, (
        "another address shares the first one's budget: the limit is global, not per address"
    )


def _phone() -> str:
    return f"135{random.randint(0, 99_999_999):08d}"
