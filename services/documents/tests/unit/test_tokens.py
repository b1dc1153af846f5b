"""Verification tokens: the compact binary layout, what parses, what verifies, and what does not."""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from documents.verification import tokens
from documents.verification.tokens import Signer, TokenClaims

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def claims_for(**changes: object) -> TokenClaims:
    values: dict[str, object] = {
        "document_id": uuid.uuid4(),
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


def raw_of(token: str) -> bytearray:
    return bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def test_a_token_is_138_url_safe_characters_that_decode_to_its_claims() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    claims = claims_for()
    token = signer.encode(claims)
    assert len(token) == 138
    assert set(token) <= set(ALPHABET)
    assert tokens.decode(token, keyring(signer)) == claims
    raw = raw_of(token)
    assert raw[0] == tokens.VERSION
    assert b64(bytes(raw[1:7])) == signer.key_id[:8]
    assert bytes(raw[7:23]) == claims.document_id.bytes
    assert int.from_bytes(raw[23:27], "big") == 2
    assert bytes(raw[27:35]).hex() == "0123456789abcdef"
    assert int.from_bytes(raw[35:39], "big") == 1_790_000_000


def test_the_key_prefix_of_a_token_names_its_signing_key() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    signed = tokens.parse(signer.encode(claims_for()))
    assert signed is not None
    assert signed.key_prefix == tokens.key_prefix(signer.key_id) == signer.key_id[:8]


@pytest.mark.parametrize(
    ("offset", "what"),
    [(8, "document id"), (26, "revision"), (30, "content hash"), (37, "issue time")],
)
def test_a_tampered_payload_does_not_verify(offset: int, what: str) -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    raw = raw_of(signer.encode(claims_for()))
    raw[offset] ^= 0x01
    forged = b64(bytes(raw))
    assert tokens.parse(forged) is not None, f"the forgery of the {what} is well-formed"
    assert tokens.decode(forged, keyring(signer)) is None, what


def test_a_tampered_signature_does_not_verify() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    raw = raw_of(signer.encode(claims_for()))
    raw[60] ^= 0x01
    assert tokens.decode(b64(bytes(raw)), keyring(signer)) is None


def test_a_token_of_an_unknown_key_does_not_verify() -> None:
    ours, theirs = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    assert tokens.decode(theirs.encode(claims_for()), keyring(ours)) is None


def test_a_token_claiming_our_key_prefix_but_signed_by_another_key_does_not_verify() -> None:
    ours, impostor = Signer(Ed25519PrivateKey.generate()), Ed25519PrivateKey.generate()
    raw = raw_of(ours.encode(claims_for()))
    signing_input = bytes(raw[:39])
    forged = b64(signing_input + impostor.sign(signing_input))
    assert tokens.parse(forged) is not None
    assert tokens.decode(forged, keyring(ours)) is None


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        ".",
        "abc",
        "a.b",
        "not base64!",
        "A" * 137,
        "A" * 139,
        "A" * 138,  # right length, version 0
        "https://example.com/verify/abc",
        "x" * 5000,
    ],
)
def test_garbage_is_not_a_token(garbage: str) -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    assert tokens.parse(garbage) is None
    assert tokens.decode(garbage, keyring(signer)) is None


def test_another_version_or_length_makes_no_token() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    raw = raw_of(signer.encode(claims_for()))
    other_version = bytearray(raw)
    other_version[0] = 2
    assert tokens.parse(b64(bytes(other_version))) is None
    assert tokens.parse(b64(bytes(raw) + b"\x00")) is None
    assert tokens.parse(b64(bytes(raw[:-1]))) is None


def test_a_token_naming_revision_zero_makes_no_token() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    raw = raw_of(signer.encode(claims_for()))
    raw[23:27] = (0).to_bytes(4, "big")
    assert tokens.parse(b64(bytes(raw))) is None


def test_claims_out_of_range_are_refused() -> None:
    for changes in ({"revision": 0}, {"issued_at": -1}, {"content_hash": "XYZ"}):
        with pytest.raises(ValueError, match=r"out of range|hex"):
            claims_for(**changes)


def test_a_non_canonical_encoding_of_the_same_bytes_is_rejected() -> None:
    signer = Signer(Ed25519PrivateKey.generate())
    token = signer.encode(claims_for())
    # 103 bytes = 138 characters; the last carries 4 unused bits, which decoders ignore.
    twin = token[:-1] + ALPHABET[ALPHABET.index(token[-1]) ^ 1]
    assert raw_of(twin) == raw_of(token)
    assert tokens.decode(twin, keyring(signer)) is None


def test_tokens_of_a_rotated_key_still_verify_while_its_public_key_is_kept() -> None:
    old, new = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    claims = claims_for()
    old_token, new_token = old.encode(claims), new.encode(replace(claims, revision=3))
    assert old.key_id != new.key_id
    assert tokens.decode(old_token, keyring(old, new)) == claims
    assert tokens.decode(new_token, keyring(old, new)) is not None
    assert tokens.decode(old_token, keyring(new)) is None
