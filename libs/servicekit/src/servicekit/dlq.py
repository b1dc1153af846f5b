"""Operator command: send dead-lettered events back to the topic they came from.

    python -m servicekit.dlq --bootstrap 127.0.0.1:9092 --topic identity.account.v1.dlq [--dry-run]

Run it after fixing what made the handler fail. Replaying is safe: consumers deduplicate by
event id, and a dead-lettered event was never marked handled. The command commits its own
consumer-group offsets (`dlq-replay`), so a record is replayed once; what it has not replayed yet
is the `dlq_messages` gauge each consumer keeps (`watch_dlq_sizes`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError
from prometheus_client import Gauge

log = logging.getLogger(__name__)

REPLAY_GROUP = "dlq-replay"

DLQ_SIZE = Gauge(
    "dlq_messages", "Records in a dead-letter topic not yet replayed by `dlq-replay`", ["topic"]
)


async def replay(
    bootstrap: str, dlq_topic: str, *, dry_run: bool = False, idle_seconds: float = 2.0
) -> int:
    """Re-publishes every record waiting in `dlq_topic`; returns how many."""
    consumer = AIOKafkaConsumer(
        dlq_topic,
        bootstrap_servers=bootstrap,
        group_id=REPLAY_GROUP,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await consumer.start()
    await producer.start()
    replayed = 0
    try:
        while batches := await consumer.getmany(timeout_ms=int(idle_seconds * 1000)):
            for partition, records in batches.items():
                for record in records:
                    headers = dict(record.headers)
                    target = headers.get("original-topic", b"").decode()
                    if not target:
                        print(f"skipped {partition.partition}@{record.offset}: no original-topic")
                        continue
                    error = headers.get("error", b"").decode(errors="replace")
                    print(
                        f"{'would replay' if dry_run else 'replaying'} "
                        f"{partition.partition}@{record.offset} → {target} ({error[:120]})"
                    )
                    if not dry_run:
                        await producer.send_and_wait(target, record.value, key=record.key)
                    replayed += 1
                if not dry_run:
                    await consumer.commit({partition: records[-1].offset + 1})
    finally:
        await consumer.stop()
        await producer.stop()
    return replayed


async def dlq_sizes(bootstrap: str, dlq_topics: Iterable[str]) -> dict[str, int]:
    """Records waiting in each dead-letter topic: end offset minus the replay group's committed
    offset (or the first retained offset when nothing was replayed yet), summed over partitions.
    A topic that does not exist yet (nothing was ever dead-lettered) counts 0."""
    client = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=REPLAY_GROUP, enable_auto_commit=False
    )
    await client.start()
    try:
        existing = await client.topics()
        sizes: dict[str, int] = {}
        for topic in dlq_topics:
            partitions = [
                TopicPartition(topic, p) for p in sorted(client.partitions_for_topic(topic) or ())
            ]
            sizes[topic] = await _waiting(client, partitions) if topic in existing else 0
        return sizes
    finally:
        await client.stop()


async def _waiting(client: AIOKafkaConsumer, partitions: list[TopicPartition]) -> int:
    if not partitions:
        return 0
    ends = await client.end_offsets(partitions)
    starts = await client.beginning_offsets(partitions)
    total = 0
    for tp in partitions:
        committed = await client.committed(tp)
        done = starts[tp] if committed is None else max(committed, starts[tp])
        total += max(ends[tp] - done, 0)
    return total


async def watch_dlq_sizes(bootstrap: str, dlq_topics: list[str], interval: float = 30.0) -> None:
    """Keeps `dlq_messages` current for the dead-letter topics a consumer writes to. A broker
    outage only delays the next reading."""
    while True:
        try:
            for topic, size in (await dlq_sizes(bootstrap, dlq_topics)).items():
                DLQ_SIZE.labels(topic).set(size)
        except (KafkaError, OSError, TimeoutError) as exc:
            log.warning("cannot measure dead-letter topics: %s", exc)
        await asyncio.sleep(interval)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m servicekit.dlq",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True, help="the dead-letter topic, e.g. x.v1.dlq")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    count = asyncio.run(replay(args.bootstrap, args.topic, dry_run=args.dry_run))
    print(f"{count} record(s) {'found' if args.dry_run else 'replayed'}")


if __name__ == "__main__":
    main()
