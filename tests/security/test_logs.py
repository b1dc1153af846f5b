"""After flows that handle secrets and personal numbers (registration with a code, sign-in,
refresh, wrong passwords, filings with resident ID numbers, persons with passport and visa
numbers, phones), no log of any process holds one of them in clear (masked forms are fine)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from devstack.stack import Stack
from tests.e2e.test_slice import ask

from .world import World

LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  accessToken refreshToken } }"""
REFRESH = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }"
RESIDENT_ID = "11010519491231002X"  # the liaisons' and representatives' ID number in the world
PASSWORDS = ["Liaison-2026", "Dev-Password-1", "Wrong-0", "Wrong-4"]


def all_logs(stack: Stack) -> str:
    return "\n".join(
        path.read_text(errors="replace") for path in sorted(stack.log_dir.glob("*.log"))
    )


def key_lines(pem_file: Path) -> list[str]:
    """The base64 body of a PEM private key: any 20 characters of it would betray the key."""
    body = "".join(line for line in pem_file.read_text().splitlines() if "-----" not in line)
    return [body[i : i + 20] for i in range(0, len(body) - 20, 20)]


def in_clear(value: str, logs: str) -> bool:
    """`value` as a whole word (a code inside a longer number or a hex id is chance, not a leak)."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", logs) is not None


async def codes_sent(gw: httpx.AsyncClient, phones: list[str]) -> list[str]:
    codes = []
    for phone in phones:
        body = await ask(
            gw, "query($p: String!) { devMessages(recipient: $p) { text } }", {"p": phone}
        )
        for message in body["data"]["devMessages"]:
            if "验证码" in message["text"]:  # the code messages, not the notifications
                codes += re.findall(r"\d{6}", message["text"])
    return codes


async def test_no_secret_and_no_personal_number_is_logged_in_clear(
    gw: httpx.AsyncClient, world: World, secure_stack: Stack
) -> None:
    signed_in = (await ask(gw, LOGIN, {"u": world.b.phone, "p": "Liaison-2026"}))["data"]["login"]
    refreshed = (await ask(gw, REFRESH, {"t": signed_in["refreshToken"]}))["data"]
    tokens = [signed_in["refreshToken"], refreshed["refreshSession"]["refreshToken"]]
    tokens += [signed_in["accessToken"], world.a.token, world.b.token]
    codes = await codes_sent(gw, [world.a.phone, world.b.phone])
    assert codes, "the world's registrations sent codes"
    keys = secure_stack.var_dir / "keys"
    secrets = {
        "password": PASSWORDS,
        "verification code": codes,
        "token": tokens,
        "private key": key_lines(keys / "identity-jwt.pem")
        + key_lines(keys / "documents-signing.pem"),
        "phone": [world.a.phone, world.b.phone, world.victim_phone],
        "resident ID": [RESIDENT_ID],
        "passport or visa number": world.a.secrets + world.b.secrets,
    }
    logs = all_logs(secure_stack)
    assert len(logs) > 10_000, "the services log their requests"
    found = {
        kind: sorted({value for value in values if in_clear(value, logs)})
        for kind, values in secrets.items()
    }
    found = {kind: values for kind, values in found.items() if values}
    assert not found, found
