"""What other services see of the exam: events on identity.exam.v1 and GetExamStatus (gRPC)."""

from __future__ import annotations

import asyncio
import json
import random

import grpc
import httpx
import jsonschema
from aiokafka import AIOKafkaConsumer

from contracts.gen.identity.v1 import accounts_pb2 as pb
from contracts.gen.identity.v1 import accounts_pb2_grpc as pb_grpc
from devstack.infra import Broker
from devstack.stack import ROOT
from devstack.testing import graphql
from identity.config import IdentitySettings

from .exam_support import START, SUBMIT, Liaison, answer, answer_keys, signed_in_liaison


async def take_exam(client: httpx.AsyncClient, liaison: Liaison, right: int) -> dict[str, object]:
    """Answers the first `right` questions correctly, leaves the rest, submits."""
    paper = (await graphql(client, START, token=liaison.token))["data"]["startExam"]
    keys = await answer_keys(client, liaison, paper["id"])
    for question in paper["questions"][:right]:
        await answer(client, liaison, paper["id"], question["id"], keys[question["id"]])
    body = await graphql(client, SUBMIT, {"a": paper["id"]}, token=liaison.token)
    result: dict[str, object] = body["data"]["submitExam"]
    return result


async def test_pass_and_fail_are_published_once_with_their_schemas(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings, broker: Broker
) -> None:
    consumer = AIOKafkaConsumer(
        "identity.exam.v1",
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
        group_id=f"test-{random.random()}",
    )
    await consumer.start()
    try:
        winner = await signed_in_liaison(identity, identity_settings)
        loser = await signed_in_liaison(identity, identity_settings)
        passed = await take_exam(identity, winner, 50)
        failed = await take_exam(identity, loser, 10)
        await graphql(identity, SUBMIT, {"a": passed["attemptId"]}, token=winner.token)  # again
        keys = {winner.account_id.encode(), loser.account_id.encode()}
        seen: list[dict[str, object]] = []
        async with asyncio.timeout(15):
            while len(seen) < 2:
                batch = await consumer.getmany(timeout_ms=500)
                seen += [json.loads(r.value) for rs in batch.values() for r in rs if r.key in keys]
        for _ in range(3):  # anything published twice would arrive now
            batch = await consumer.getmany(timeout_ms=300)
            seen += [json.loads(r.value) for rs in batch.values() for r in rs if r.key in keys]
    finally:
        await consumer.stop()
    assert sorted((e["type"], e["subject"]) for e in seen) == sorted(
        [
            ("identity.exam.passed", winner.account_id),
            ("identity.exam.failed", loser.account_id),
        ]
    )
    for event in seen:
        data = event["data"]
        assert isinstance(data, dict)
        schema_file = ROOT / f"contracts/events/{event['type']}.schema.json"
        jsonschema.validate(data, json.loads(schema_file.read_text()))
        assert event["dataschema"] == f"/contracts/events/{event['type']}.schema.json"
        if event["type"] == "identity.exam.passed":
            assert data["attemptId"] == passed["attemptId"]
            assert (data["score"], data["firstPass"]) == (100, True)
        else:
            assert data["attemptId"] == failed["attemptId"]
            assert (data["score"], data["retryAfter"]) == (20, None)


async def test_get_exam_status_over_grpc_gives_the_pass_and_the_best_score(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    liaison = await signed_in_liaison(identity, identity_settings)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{identity_settings.grpc_port}") as channel:
        stub = pb_grpc.AccountsStub(channel)
        request = pb.GetExamStatusRequest(account_id=liaison.account_id)
        status = await stub.GetExamStatus(request, timeout=5)
        assert (status.passed, status.best_score, status.passed_at) == (False, 0, "")

        await take_exam(identity, liaison, 30)  # 60 points
        await take_exam(identity, liaison, 40)  # 80 points
        status = await stub.GetExamStatus(request, timeout=5)
        assert (status.passed, status.best_score) == (False, 80)

        await take_exam(identity, liaison, 46)  # 92 points
        await take_exam(identity, liaison, 20)  # a later failure keeps the pass
        status = await stub.GetExamStatus(request, timeout=5)
        assert (status.account_id, status.passed, status.best_score) == (
            liaison.account_id,
            True,
            92,
        )
        assert status.passed_at
        account = await stub.GetAccount(pb.GetAccountRequest(account_id=liaison.account_id))
        assert account.exam_passed is True
