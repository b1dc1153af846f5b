"""Verification tokens: what parses, what verifies, and what does not."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from documents.verification import tokens
from documents.verification.tokens import Signer, TokenClaims


def claims_for(signer: Signer, **changes: object) -> TokenClaims:
    values: dict[str, object] = {
        "key_id": signer.key_id,
        "document_id": uuid.uuid4(),
        "kind": "FILING_APPLICATION_FORM",
        "subject_id": str(uuid.uuid4()),
        "revision": 2,
        "content_hash": "0123456789abcdef",
        "issued_at": 1_790_000_000,
    }
    values.update(changes)
    return TokenClaims(**values)  # type: ignore[arg-type]


def keyring(*signers: Signer) -> dict[str, Ed25519PublicKey]:
    return {signer.key_id: signer.public_key for signer in signers}


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_token_decodes_to_the_claims_it_was_signed_with() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    claims = claims_for(signer)
    token = signer.encode(claims)
    assert tokens.decode(token, keyring(signer)) == claims
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert payload == {
        "v": 1,
        "kid": signer.key_id,
        "doc": str(claims.document_id),
        "kind": claims.kind,
        "sub": claims.subject_id,
        "rev": 2,
        "h": "0123456789abcdef",
        "iat": 1_790_000_000,
    }


def test_a_tampered_payload_does_not_verify() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    token = signer.encode(claims_for(signer, revision=1))
    segment, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(segment + "=="))
    payload["rev"] = 2
    forged = f"{b64(json.dumps(payload, separators=(',', ':')).encode())}.{signature}"
    assert tokens.parse(forged) is not None, "the forgery is well-formed"
    assert tokens.decode(forged, keyring(signer)) is None


def test_a_tampered_signature_does_not_verify() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    segment, signature = signer.encode(claims_for(signer)).split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[10] ^= 0x01
    assert tokens.decode(f"{segment}.{b64(bytes(raw))}", keyring(signer)) is None


def test_a_token_of_an_unknown_key_does_not_verify() -> None:
    ours, theirs = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    assert tokens.decode(theirs.encode(claims_for(theirs)), keyring(ours)) is None


def test_a_token_claiming_our_key_id_but_signed_by_another_key_does_not_verify() -> None:
    ours = Signer(Ed25519PrivateKey.generate())
    impostor_key = Ed25519PrivateKey.generate()
    segment = b64(json.dumps(claims_for(ours).to_payload()).encode())
    forged = f"{segment}.{b64(impostor_key.sign(segment.encode()))}"
    assert tokens.decode(forged, keyring(ours)) is None


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        ".",
        "abc",
        "a.b.c",
        "not base64!.AAAA",
        "e30.AAAA",
        "e30",
        "eyJ2IjoxfQ." + "A" * 86,  # {"v":1}: fields missing
        "bnVsbA." + "A" * 86,  # null
        "https://example.com/verify/abc",
        "x" * 5000,
    ],
)
def test_garbage_is_not_a_token(garbage: str) -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    assert tokens.parse(garbage) is None
    assert tokens.decode(garbage, keyring(signer)) is None


def test_fields_of_the_wrong_type_make_no_token() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    good = claims_for(signer).to_payload()
    for name, value in [
        ("rev", "2"),
        ("rev", True),
        ("rev", 0),
        ("doc", "not-a-uuid"),
        ("h", "XYZ"),
        ("h", "0123"),
        ("v", 2),
        ("kind", ""),
        ("iat", 1.5),
    ]:
        segment = b64(json.dumps({**good, name: value}).encode())
        token = f"{segment}.{b64(signer._private_key.sign(segment.encode()))}"
        assert tokens.parse(token) is None, (name, value)


def test_a_non_canonical_encoding_of_the_same_signature_is_rejected() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    segment, signature = signer.encode(claims_for(signer)).split(".")
    # 64 bytes = 86 characters; the last carries 2 unused bits, which decoders ignore.
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".index(signature[-1])
    twin = (
        signature[:-1]
        + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last ^ 1]
    )
    assert base64.urlsafe_b64decode(twin + "==") == base64.urlsafe_b64decode(signature + "==")
    assert tokens.decode(f"{segment}.{twin}", keyring(signer)) is None


def test_tokens_of_a_rotated_key_still_verify_while_its_public_key_is_kept() -> None:
    old, new = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    old_token, new_token = old.encode(claims_for(old)), new.encode(claims_for(new))
    assert old.key_id != new.key_id
    assert tokens.decode(old_token, keyring(old, new)) is not None
    assert tokens.decode(new_token, keyring(old, new)) is not None
    assert tokens.decode(old_token, keyring(new)) is None


def test_a_signer_refuses_claims_naming_another_key() -> None:
    one, other = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    with pytest.raises(ValueError, match="another signing key"):
        one.encode(claims_for(other))
