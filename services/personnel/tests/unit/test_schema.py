"""The subgraph SDL, snapshotted so that every schema change shows in review."""

from __future__ import annotations

from pathlib import Path

from personnel.graphql.schema import build_schema

SNAPSHOT = Path(__file__).with_name("schema.graphql")


def test_subgraph_sdl_matches_the_reviewed_snapshot() -> None:
    # After an intended change: uv run python -c "from personnel.graphql.schema import
    # build_schema; print(build_schema().as_str())" > services/personnel/tests/unit/schema.graphql
    assert build_schema().as_str() + "\n" == SNAPSHOT.read_text()


def test_shared_enums_have_the_platform_values() -> None:
    sdl = build_schema().as_str()
    assert "enum Sex {\n  MALE\n  FEMALE\n}" in sdl
    assert "enum TravelDocumentType {\n  PASSPORT\n  HK_MO_PERMIT\n  TW_PERMIT\n  OTHER\n}" in sdl
    assert 'type ForeignPerson @key(fields: "id")' in sdl
    assert 'type Enterprise @key(fields: "id")' in sdl
