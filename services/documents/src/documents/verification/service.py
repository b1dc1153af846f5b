"""Issuing and checking the signed tokens that documents carry as QR codes.

A verification never fails with an error: whatever is presented — garbage, a forged or tampered
token, a key we never had, a document that does not exist or whose content differs — the answer
is "not genuine", and every attempt is logged.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.ext.asyncio import AsyncSession

from documents.generated import repository as documents
from documents.generated.models import Document
from documents.verification import repository, tokens
from documents.verification.models import VerificationLog
from documents.verification.schemas import NOT_GENUINE, Client, TokenSubject, Verification
from servicekit.db import utcnow
from servicekit.keys import public_key_text

log = logging.getLogger(__name__)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Verifications:
    def __init__(self, signer: tokens.Signer, *, max_token_length: int = 1024) -> None:
        self.signer = signer
        self.max_token_length = max_token_length

    def issue_token(self, document: TokenSubject) -> str:
        claims = tokens.TokenClaims(
            document_id=document.id,
            revision=document.revision,
            content_hash=tokens.content_hash(document.content_sha256),
            issued_at=int(document.created_at.timestamp()),
        )
        return self.signer.encode(claims)

    async def register_active_key(self, session: AsyncSession) -> None:
        """On start: the active key's public part is stored (so its tokens still verify after
        the next rotation) and every other key is marked retired."""
        await repository.register_key(
            session, self.signer.key_id, public_key_text(self.signer.public_key)
        )
        await repository.retire_all_but(session, self.signer.key_id, utcnow())

    async def verify(self, session: AsyncSession, token: str, client: Client) -> Verification:
        result = await self._check(session, token)
        repository.log(
            session,
            VerificationLog(
                token_digest=token_digest(token),
                genuine=result.genuine,
                document_id=result.document_id,
                client_ip=client.ip[:64] if client.ip else None,
                user_agent=client.user_agent[:512] if client.user_agent else None,
            ),
        )
        return result

    async def _check(self, session: AsyncSession, token: str) -> Verification:
        signed = tokens.parse(token.strip(), max_length=self.max_token_length)
        if signed is None:
            return NOT_GENUINE
        claims = signed.claims
        keys = await self._public_keys(session, signed.key_prefix)
        if not any(signed.is_signed_by(key) for key in keys):
            return NOT_GENUINE
        document = await documents.get(session, claims.document_id)
        if document is None or not _certifies(claims, document):
            return NOT_GENUINE
        stored = await documents.latest_revision(session, document.kind, document.subject_id)
        latest = max(stored or 0, document.revision)
        return Verification(
            genuine=True,
            kind=document.kind,
            subject_id=document.subject_id,
            revision=document.revision,
            current=latest == document.revision,
            latest_revision=latest,
            issued_at=datetime.fromtimestamp(claims.issued_at, UTC),
            document_id=document.id,
        )

    async def _public_keys(self, session: AsyncSession, prefix: str) -> list[Ed25519PublicKey]:
        """The keys whose id starts with the token's key prefix (one, bar a 48-bit collision)."""
        if self.signer.key_prefix == prefix:
            return [self.signer.public_key]
        keys = []
        for row in await repository.signing_keys_with_prefix(session, prefix):
            try:
                keys.append(tokens.public_key_from_text(row.public_key))
            except ValueError:
                log.error("signing key %s has an unreadable public key", row.key_id)
        return keys


def _certifies(claims: tokens.TokenClaims, document: Document) -> bool:
    return claims.revision == document.revision and claims.content_hash == tokens.content_hash(
        document.content_sha256
    )
