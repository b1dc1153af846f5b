"""Dev-only operations exist only in dev mode."""

from identity.graphql.schema import build_schema


def test_dev_messages_are_absent_in_production() -> None:
    production = build_schema(dev=False).as_str()
    assert "devMessages" not in production
    assert "devMessages" in build_schema(dev=True).as_str()


def test_a_production_server_refuses_the_dev_query() -> None:
    result = build_schema(dev=False).execute_sync(
        '{ devMessages(recipient: "13912345678") { text } }'
    )
    assert result.errors
    assert "Cannot query field 'devMessages'" in result.errors[0].message
