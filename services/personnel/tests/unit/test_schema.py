"""The subgraph's shared enums and entities. (Its SDL snapshot is gateway/subgraphs/personnel.graphql,
kept current by `./dev schema` and checked by `./dev check` and tests/contracts.)"""

from __future__ import annotations

from personnel.graphql.schema import build_schema


def test_shared_enums_have_the_platform_values() -> None:
    sdl = build_schema().as_str()
    assert "enum Sex {\n  MALE\n  FEMALE\n}" in sdl
    assert "enum TravelDocumentType {\n  PASSPORT\n  HK_MO_PERMIT\n  TW_PERMIT\n  OTHER\n}" in sdl
    assert 'type ForeignPerson @key(fields: "id")' in sdl
    assert 'type Enterprise @key(fields: "id")' in sdl
