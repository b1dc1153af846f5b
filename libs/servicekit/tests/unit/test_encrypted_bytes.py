import os

import pytest
from sqlalchemy.dialects import postgresql

from servicekit.crypto import DataKeyError, DataVault, EncryptedBytes, KeyRing

DIALECT = postgresql.dialect()


def column(context: str = "outbox.payload") -> EncryptedBytes:
    vault = DataVault("demo")
    vault.use(KeyRing({"k1": os.urandom(32)}, "k1", index_key=b"i" * 32))
    return EncryptedBytes(vault, context)


def test_bytes_are_stored_as_a_tagged_token_and_read_back() -> None:
    payload = column()
    event = b'{"data":{"mobile":"13912345678"}}'
    stored = payload.process_bind_param(event, DIALECT)
    assert stored is not None
    assert stored.startswith(b"v1:k1:")
    assert b"13912345678" not in stored
    assert payload.process_result_value(stored, DIALECT) == event
    assert payload.process_bind_param(None, DIALECT) is None
    assert payload.process_result_value(None, DIALECT) is None


def test_a_payload_written_in_clear_before_the_conversion_is_read_as_it_is() -> None:
    assert column().process_result_value(b'{"id":"1"}', DIALECT) == b'{"id":"1"}'


def test_a_token_of_another_column_does_not_decrypt() -> None:
    payload = column()
    stored = payload.process_bind_param(b"{}", DIALECT)
    other = EncryptedBytes(payload.vault, "other.payload")
    with pytest.raises(DataKeyError):
        other.process_result_value(stored, DIALECT)
