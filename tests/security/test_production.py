"""The platform with `APP_ENV=production`: every required secret provided (keys are not made up
at start in production), no demo data; dev-only operations and the GraphiQL page are absent."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devstack.stack import ROOT, SERVICES, Ports, Stack

DEV_ONLY = ("devMessages", "devExamAnswers")
FIELDS = "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }"


def production_secrets(keys: Path) -> dict[str, str]:
    """What production requires, as files the way a secret store would mount them."""
    keys.mkdir(parents=True, exist_ok=True)
    env: dict[str, str] = {"IDENTITY_CODE_HASH_SECRET": base64.b64encode(os.urandom(32)).decode()}
    for name in ("identity-jwt", "documents-signing"):
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        (keys / f"{name}.pem").write_bytes(pem)
    for service in SERVICES:
        prefix = service.upper()
        data_keys, index_key = keys / f"{service}-data-keys.json", keys / f"{service}-index.key"
        data_keys.write_text(
            json.dumps({"prod-1": base64.urlsafe_b64encode(os.urandom(32)).decode()})
        )
        index_key.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
        env |= {
            f"{prefix}_DATA_KEYS_FILE": str(data_keys),
            f"{prefix}_DATA_KEY_ID": "prod-1",
            f"{prefix}_DATA_INDEX_KEY_FILE": str(index_key),
        }
    return env


@pytest.fixture(scope="module")
def production() -> Iterator[Stack]:
    var_dir = ROOT / "var" / "test" / "security-production"
    platform = Stack(
        var_dir=var_dir,
        ports=Ports.free(),
        app_env="production",
        fresh_databases=True,
        progress=lambda line: None,
        extra_env={"APP_ENV": "production", **production_secrets(var_dir / "keys")},
    )
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()


def root_fields(url: str) -> set[str]:
    body = httpx.post(url, json={"query": FIELDS}, timeout=30).json()
    schema = body["data"]["__schema"]
    return {f["name"] for root in ("queryType", "mutationType") for f in schema[root]["fields"]}


def test_dev_operations_are_absent_from_every_subgraph_in_production(production: Stack) -> None:
    for name in SERVICES:
        fields = root_fields(f"{production.service_url(name)}/graphql")
        assert not fields & set(DEV_ONLY), (name, fields & set(DEV_ONLY))


def test_dev_operations_are_absent_from_the_gateway_in_production(production: Stack) -> None:
    assert not root_fields(production.gateway_url) & set(DEV_ONLY)
    asked = httpx.post(
        production.gateway_url,
        json={"query": '{ devMessages(recipient: "13800000000") { text } }'},
        timeout=30,
    ).json()
    assert asked.get("data") is None and asked["errors"], asked


def test_no_graphiql_page_in_production(production: Stack) -> None:
    html = {"accept": "text/html"}
    for url in [production.gateway_url] + [
        f"{production.service_url(name)}/graphql" for name in SERVICES
    ]:
        page = httpx.get(url, headers=html, timeout=30)
        assert "graphiql" not in page.text.lower(), url


def test_production_refuses_the_published_code_hash_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from identity.config import IdentitySettings

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("IDENTITY_CODE_HASH_SECRET", raising=False)
    with pytest.raises(ValueError, match="IDENTITY_CODE_HASH_SECRET"):
        IdentitySettings()
    monkeypatch.setenv("IDENTITY_CODE_HASH_SECRET", "a real secret from the secret store")
    assert IdentitySettings().code_hash_secret.startswith("a real")
