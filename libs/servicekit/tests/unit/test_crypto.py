import json
import os
from pathlib import Path

import pytest

from servicekit.crypto import DataKeyError, KeyRing, load_key_ring
from servicekit.crypto.rotation import add_key


def ring(active: str = "k1", **keys: bytes) -> KeyRing:
    return KeyRing(keys or {"k1": os.urandom(32)}, active, index_key=b"i" * 32)


def test_a_value_round_trips_and_names_its_key_without_the_clear_text() -> None:
    keys = ring()
    token = keys.encrypt(b"E12345678", "foreign_persons.document_number")
    assert token.startswith("v1:k1:")
    assert "E12345678" not in token
    assert keys.decrypt(token, "foreign_persons.document_number") == b"E12345678"


def test_the_same_value_encrypts_differently_each_time() -> None:
    keys = ring()
    assert keys.encrypt(b"13912345678", "accounts.phone") != keys.encrypt(
        b"13912345678", "accounts.phone"
    )


def test_a_value_moved_to_another_column_does_not_decrypt() -> None:
    keys = ring()
    token = keys.encrypt(b"13912345678", "accounts.phone")
    with pytest.raises(DataKeyError):
        keys.decrypt(token, "liaisons.mobile")


def test_an_edited_key_id_or_body_does_not_decrypt() -> None:
    old, new = os.urandom(32), os.urandom(32)
    keys = ring("k1", k1=old, k2=new)
    token = keys.encrypt(b"13912345678", "accounts.phone")
    with pytest.raises(DataKeyError):
        keys.decrypt(token.replace("v1:k1:", "v1:k2:"), "accounts.phone")
    body = token.split(":")[2]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DataKeyError):
        keys.decrypt(f"v1:k1:{flipped}", "accounts.phone")


def test_old_key_ids_stay_readable_after_the_active_key_changes() -> None:
    old, new = os.urandom(32), os.urandom(32)
    before = ring("k1", k1=old)
    token = before.encrypt(b"370202199001011234", "liaisons.id_number")
    after = ring("k2", k1=old, k2=new)
    assert after.decrypt(token, "liaisons.id_number") == b"370202199001011234"
    assert not after.is_current(token)
    assert after.is_current(after.encrypt(b"x", "liaisons.id_number"))
    without_old = ring("k2", k2=new)
    with pytest.raises(DataKeyError):
        without_old.decrypt(token, "liaisons.id_number")


def test_the_keyed_hash_matches_normalised_spellings_and_separates_kinds() -> None:
    keys = ring()
    assert keys.blind_index("e1234-567", "document") == keys.blind_index(" E1234567", "document")
    assert keys.blind_index("ＥＡ１２３", "document") == keys.blind_index("EA123", "document")
    assert keys.blind_index("E1234567", "document") != keys.blind_index("E1234567", "visa")
    other = KeyRing(keys.keys, "k1", index_key=b"j" * 32)
    assert other.blind_index("E1234567", "document") != keys.blind_index("E1234567", "document")


def test_dev_generates_keys_once_and_production_requires_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEMO_DATA_KEYS_FILE", raising=False)
    monkeypatch.delenv("DEMO_DATA_KEY_ID", raising=False)
    first = load_key_ring("demo", dev=True, key_dir=tmp_path)
    again = load_key_ring("demo", dev=True, key_dir=tmp_path)
    assert first == again
    assert (tmp_path / "demo-data-keys.json").stat().st_mode & 0o077 == 0
    with pytest.raises(DataKeyError, match="required in production"):
        load_key_ring("demo", dev=False, key_dir=tmp_path)


def test_production_reads_the_key_files_and_the_active_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys_file, index_file = tmp_path / "keys.json", tmp_path / "index.key"
    keys_file.write_text(json.dumps({"2026a": "A" * 43, "2026b": "B" * 43}))
    index_file.write_text("C" * 43)
    monkeypatch.setenv("DEMO_DATA_KEYS_FILE", str(keys_file))
    monkeypatch.setenv("DEMO_DATA_INDEX_KEY_FILE", str(index_file))
    with pytest.raises(DataKeyError, match="DATA_KEY_ID"):
        load_key_ring("demo", dev=False)
    monkeypatch.setenv("DEMO_DATA_KEY_ID", "2026a")
    loaded = load_key_ring("demo", dev=False)
    assert loaded.active == "2026a"
    assert set(loaded.keys) == {"2026a", "2026b"}
    monkeypatch.setenv("DEMO_DATA_KEY_ID", "missing")
    with pytest.raises(DataKeyError, match="not in the key file"):
        load_key_ring("demo", dev=False)


def test_a_new_key_is_added_beside_the_old_ones(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    add_key(keys_file, "2026a")
    first = json.loads(keys_file.read_text())
    add_key(keys_file, "2026b")
    both = json.loads(keys_file.read_text())
    assert both["2026a"] == first["2026a"]
    assert set(both) == {"2026a", "2026b"}
    assert keys_file.stat().st_mode & 0o077 == 0
    with pytest.raises(DataKeyError, match="already"):
        add_key(keys_file, "2026a")
    with pytest.raises(DataKeyError, match="key id"):
        add_key(keys_file, "no spaces")
