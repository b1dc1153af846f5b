"""Verifying the QR token of a stored document: through GraphQL (public), the HTML page and
gRPC, against real PostgreSQL; every attempt is logged."""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from devstack.testing import graphql
from documents.verification import repository as verification_log
from documents.verification import tokens
from documents.verification.models import SigningKey, VerificationLog
from documents.verification.schemas import Client
from documents.verification.service import Verifications, token_digest

if TYPE_CHECKING:
    from conftest import Service

VERIFY = """query($t: String!) {
  verifyDocument(token: $t) { genuine kind subjectId revision current issuedAt } }"""


async def verify(documents: Service, token: str) -> dict[str, object]:
    body = await graphql(documents.client, VERIFY, {"t": token})
    assert "errors" not in body, body
    result: dict[str, object] = body["data"]["verifyDocument"]
    return result


async def log_of(documents: Service, token: str) -> list[VerificationLog]:
    async with documents.container.db.unit_of_work() as session:
        return await verification_log.log_of(session, token_digest(token))


def claims_of(token: str) -> tokens.TokenClaims:
    signed = tokens.parse(token)
    assert signed is not None
    return signed.claims


async def test_the_token_of_a_stored_document_is_genuine_and_current_without_sign_in(
    documents: Service,
) -> None:
    subject = str(uuid.uuid4())
    stored = await documents.store(subject_id=subject, kind="FILING_APPLICATION_FORM")
    result = await verify(documents, stored.token)
    assert result["genuine"] is True
    assert result["current"] is True
    assert result["kind"] == "FILING_APPLICATION_FORM"
    assert result["subjectId"] == subject
    assert result["revision"] == 1
    assert result["issuedAt"] == stored.document.created_at.isoformat()
    assert stored.verification_url == f"http://documents.test/verify/{stored.token}"


async def test_after_a_new_revision_the_old_token_is_genuine_but_superseded(
    documents: Service,
) -> None:
    subject = str(uuid.uuid4())
    first = await documents.store(subject_id=subject, revision=1)
    assert (await verify(documents, first.token))["current"] is True
    second = await documents.store(subject_id=subject, revision=2)
    old = await verify(documents, first.token)
    assert old["genuine"] is True
    assert old["current"] is False
    assert old["revision"] == 1
    new = await verify(documents, second.token)
    assert new["genuine"] is True
    assert new["current"] is True
    assert new["revision"] == 2
    other_kind = await documents.store(subject_id=subject, kind="COMMITMENT_LETTER", revision=1)
    assert (await verify(documents, other_kind.token))["current"] is True


async def test_forged_tokens_are_not_genuine_and_never_an_error(
    documents: Service,
) -> None:
    stored = await documents.store()
    signer = documents.container.verifications.signer
    claims = claims_of(stored.token)
    raw = base64.urlsafe_b64decode(stored.token + "==")
    stranger = tokens.Signer(Ed25519PrivateKey.generate())

    def flipped(offset: int) -> str:
        changed = bytearray(raw)
        changed[offset] ^= 0x01
        return base64.urlsafe_b64encode(bytes(changed)).rstrip(b"=").decode()

    forgeries = {
        "garbage": "not-a-token",
        "empty": "",
        "tampered revision": flipped(26),
        "tampered signature": flipped(70),
        "unknown key": stranger.encode(claims),
        # Signed with the real key: a document that does not exist, and one whose content differs.
        "no such document": signer.encode(replace(claims, document_id=uuid.uuid4())),
        "other content": signer.encode(replace(claims, content_hash="0" * 16)),
        "other revision": signer.encode(replace(claims, revision=2)),
    }
    for name, token in forgeries.items():
        result = await verify(documents, token)
        assert result == {
            "genuine": False,
            "kind": None,
            "subjectId": None,
            "revision": None,
            "current": False,
            "issuedAt": None,
        }, name
    assert (await verify(documents, stored.token))["genuine"] is True


async def test_every_verification_is_logged_with_the_client(
    documents: Service,
) -> None:
    stored = await documents.store()
    forged = stored.token[:-4] + ("AAAA" if not stored.token.endswith("AAAA") else "BBBB")
    headers = {"user-agent": "WeChat/8.0", "x-forwarded-for": "192.0.2.1, 203.0.113.7"}
    for token in (stored.token, stored.token, forged):
        await graphql(documents.client, VERIFY, {"t": token}, headers=headers)
    genuine_log = await log_of(documents, stored.token)
    assert [row.genuine for row in genuine_log] == [True, True]
    assert {row.document_id for row in genuine_log} == {stored.document.id}
    assert genuine_log[0].client_ip == "203.0.113.7"
    assert genuine_log[0].user_agent == "WeChat/8.0"
    forged_log = await log_of(documents, forged)
    assert [(row.genuine, row.document_id) for row in forged_log] == [(False, None)]
    assert forged_log[0].token_digest == hashlib.sha256(forged.encode()).hexdigest()


async def test_the_verify_page_answers_for_path_and_query_tokens(
    documents: Service,
) -> None:
    subject = str(uuid.uuid4())
    first = await documents.store(subject_id=subject, revision=1)
    page = await documents.client.get(f"/verify/{first.token}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "真实有效" in page.text
    assert "第 1 版" in page.text
    assert "当前有效版本" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    await documents.store(subject_id=subject, revision=2)
    page = await documents.client.get("/verify", params={"token": first.token})
    assert "真实有效" in page.text
    assert "已被新版本替代" in page.text
    forged = await documents.client.get("/verify", params={"token": first.token[:-2] + "xx"})
    assert forged.status_code == 200
    assert "非本系统签发" in forged.text
    assert "真实有效" not in forged.text
    assert len(await log_of(documents, first.token)) == 2
    missing = await documents.client.get("/verify")
    assert missing.status_code == 400
    assert "链接不完整" in missing.text


async def test_the_verify_page_escapes_what_it_shows(
    documents: Service,
) -> None:
    stored = await documents.store(kind="<script>alert(1)</script>")
    page = await documents.client.get(f"/verify/{stored.token}")
    assert "真实有效" in page.text
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    hostile = await documents.client.get("/verify", params={"token": '"><script>alert(1)</script>'})
    assert "<script>" not in hostile.text
    assert "非本系统签发" in hostile.text


async def test_tokens_signed_before_a_key_rotation_still_verify(
    documents: Service,
) -> None:
    container = documents.container
    stored = await documents.store()
    old_key_id = container.verifications.signer.key_id
    rotated = Verifications(tokens.Signer(Ed25519PrivateKey.generate()))
    async with container.db.unit_of_work() as session:
        await rotated.register_active_key(session)
    async with container.db.unit_of_work() as session:
        result = await rotated.verify(session, stored.token, Client())
        old_row = await session.get(SigningKey, old_key_id)
        active = await session.scalar(
            select(func.count()).select_from(SigningKey).where(SigningKey.retired_at.is_(None))
        )
    assert result.genuine is True
    assert result.revision == 1
    assert old_row is not None
    assert old_row.retired_at is not None
    assert active == 1
    async with container.db.unit_of_work() as session:  # back to the service's own key
        await container.verifications.register_active_key(session)
    assert (await verify(documents, stored.token))["genuine"] is True


async def test_grpc_verify_token_matches_graphql(
    documents: Service,
) -> None:
    stored = await documents.store()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{documents.settings.grpc_port}") as channel:
        stub = pb_grpc.DocumentsStub(channel)
        answer = await stub.VerifyToken(pb.VerifyTokenRequest(token=stored.token), timeout=5)
        assert answer.genuine
        assert answer.current
        assert answer.revision == 1
        assert answer.subject_id == stored.document.subject_id
        assert answer.issued_at == stored.document.created_at.isoformat()
        forged = await stub.VerifyToken(pb.VerifyTokenRequest(token="x.y"), timeout=5)
        assert not forged.genuine
        assert not forged.current
        assert forged.kind == ""
    logged = await log_of(documents, stored.token)
    assert len(logged) == 1
    assert logged[0].client_ip == "127.0.0.1"
