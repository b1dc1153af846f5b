#!/bin/sh
# Creates every platform topic and its dead-letter topic (idempotent). The list is
# contracts/topics.py's ALL_TOPICS; tests/deploy fails when they differ.
set -eu
TOPICS="
identity.account.v1
identity.exam.v1
filing.enterprise.v1
filing.liaison.v1
personnel.person.v1
personnel.application.v1
booking.appointment.v1
documents.document.v1
documents.attachment.v1
"
for topic in $TOPICS; do
    for name in "$topic" "$topic.dlq"; do
        /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --create \
            --if-not-exists --topic "$name" --partitions "$TOPIC_PARTITIONS" \
            --replication-factor "$TOPIC_REPLICATION"
    done
done
