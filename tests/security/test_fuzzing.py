"""GraphQL fuzzing (hypothesis-graphql) of the gateway and of every subgraph directly, operation
by operation, valid and invalid documents: never a 5xx, never an unexpected `INTERNAL`, and no
error message that shows a stack, SQL, a host or a file path."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from typing import Any

import httpx
import pytest
from graphql import GraphQLSchema, build_client_schema, get_introspection_query, graphql_sync
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis_graphql import Mode, mutations, nodes, queries

from devstack.stack import SERVICES, Stack

from .world import World

EXAMPLES_PER_OPERATION = 5
# What an error message must never show: stacks, SQL, internals, hosts and paths.
INTERNALS = re.compile(
    r"Traceback|File \"|\.py\b|sqlalchemy|asyncpg|psycopg|SELECT |INSERT |UPDATE \w+ SET|"
    r"/work/|/home/|/usr/|/tmp/|127\.0\.0\.1|localhost|postgresql://|grpc\._|_InactiveRpc",
    re.IGNORECASE,
)
SCALARS = {
    "Date": st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(
        lambda d: nodes.String(d.isoformat())
    ),
    "DateTime": st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: nodes.String(d.isoformat() + "Z")
    ),
    "Time": st.times().map(lambda t: nodes.String(t.isoformat())),
    "JSON": st.from_regex(r"[a-z]{0,8}", fullmatch=True).map(nodes.String),
    "Upload": st.just(nodes.Null),
}
# Mutations a fuzzer must not run as a signed-in user: they would sign the world's users out
# or change their enterprise for the tests that follow (they are fuzzed anonymously).
SIGNED_OUT_ONLY = {"logout", "changePassword", "requestLiaisonChange", "requestLiaisonAddition"}


def introspect(client: httpx.Client, url: str) -> GraphQLSchema:
    body = client.post(url, json={"query": get_introspection_query()}).json()
    return build_client_schema(body["data"])


def problems(response: httpx.Response) -> list[str]:
    """What is wrong with one answer (nothing for a clean success or a clean refusal)."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:300]}"]
    try:
        body: dict[str, Any] = response.json()
    except json.JSONDecodeError:
        return [] if response.status_code < 500 else ["not JSON"]
    found = []
    for error in body.get("errors") or []:
        text = json.dumps(error, ensure_ascii=False)
        if (error.get("extensions") or {}).get("code") == "INTERNAL":
            found.append(f"INTERNAL: {text[:300]}")
        if INTERNALS.search(text):
            found.append(f"internal detail: {text[:300]}")
    return found


def fuzz(
    client: httpx.Client,
    url: str,
    schema: GraphQLSchema,
    kind: str,
    field: str,
    token: str | None,
    mode: Mode,
    tally: Counter[str],
    findings: list[str],
) -> None:
    generate = queries if kind == "query" else mutations
    strategy = generate(schema, fields=[field], custom_scalars=SCALARS, mode=mode)
    headers = {"authorization": f"Bearer {token}"} if token else {}

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one(document: str) -> None:
        response = client.post(url, json={"query": document}, headers=headers)
        tally[url] += 1
        findings.extend(
            f"{url} {kind} {field}: {p}\n  {document[:400]}" for p in problems(response)
        )

    try:
        one()
    except InvalidArgument:
        # NEGATIVE mode on an operation with nothing to get wrong (no arguments of a built-in
        # scalar type): there is no invalid document of it to send.
        assert mode == Mode.NEGATIVE


def targets(stack: Stack) -> dict[str, str]:
    urls = {"gateway": stack.gateway_url}
    urls |= {name: f"{stack.service_url(name)}/graphql" for name in SERVICES}
    return urls


@pytest.mark.parametrize("target", ["gateway", *SERVICES])
def test_fuzzing_finds_no_server_error_and_no_internal_detail(
    target: str, secure_stack: Stack, world: World
) -> None:
    tally: Counter[str] = Counter()
    findings: list[str] = []
    url = targets(secure_stack)[target]
    with httpx.Client(timeout=60) as client:
        schema = introspect(client, url)
        for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
            for field in root.fields if root else {}:
                if field.startswith("_"):  # federation's _service / _entities
                    continue
                tokens = [None, world.tokens["ENTERPRISE_USER_WITHOUT_ENTERPRISE"]]
                if kind == "query":
                    tokens[1] = world.b.token
                elif field in SIGNED_OUT_ONLY:
                    tokens = [None]
                for token in tokens:
                    fuzz(client, url, schema, kind, field, token, Mode.POSITIVE, tally, findings)
                fuzz(client, url, schema, kind, field, None, Mode.NEGATIVE, tally, findings)
    print(f"\nfuzzing {target}: {sum(tally.values())} requests, {len(findings)} findings")
    assert not findings, "\n".join(findings[:40])


def test_the_gateway_schema_is_the_supergraph(secure_stack: Stack) -> None:
    """The fuzzer's schema comes from introspection; it must be the one the services serve."""
    with httpx.Client(timeout=30) as client:
        schema = introspect(client, secure_stack.gateway_url)
    assert graphql_sync(schema, "{ __typename }").errors is None
    assert schema.query_type is not None and "me" in schema.query_type.fields


def test_the_checks_catch_a_server_error_and_a_leaking_message() -> None:
    """The control: what the fuzzer would report, so 0 findings means none happened."""
    request = httpx.Request("POST", "http://gateway/graphql")
    assert problems(httpx.Response(502, text="bad gateway", request=request))
    leaking = {"errors": [{"message": 'File "/work/main/x.py", line 3: asyncpg error'}]}
    assert problems(httpx.Response(200, json=leaking, request=request))
    internal = {"errors": [{"message": "服务器内部错误", "extensions": {"code": "INTERNAL"}}]}
    assert problems(httpx.Response(200, json=internal, request=request))
    refused = {"errors": [{"message": "无权限", "extensions": {"code": "FORBIDDEN"}}]}
    assert not problems(httpx.Response(200, json=refused, request=request))
