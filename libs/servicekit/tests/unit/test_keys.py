import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from servicekit.keys import load_or_create_key, thumbprint


def test_key_id_is_the_rfc_7638_thumbprint() -> None:
    # RFC 8037 appendix A.2/A.3: the Ed25519 example key and its JWK thumbprint.
    x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "="))
    assert thumbprint(key) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_a_missing_key_file_is_created_only_when_allowed(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "signing.pem"
    with pytest.raises(FileNotFoundError):
        load_or_create_key(path, create=False)
    created = load_or_create_key(path, create=True)
    again = load_or_create_key(path, create=False)
    assert thumbprint(created.public_key()) == thumbprint(again.public_key())
    assert path.stat().st_mode & 0o077 == 0
