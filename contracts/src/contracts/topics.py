"""Every Kafka topic of the platform (one per aggregate stream; each also has `<topic>.dlq`).
`asyncapi.yaml` documents the same list for outside consumers; a test keeps them in step."""

ALL_TOPICS = [
    "identity.account.v1",
    "identity.exam.v1",
    "filing.enterprise.v1",
    "filing.liaison.v1",
    "personnel.person.v1",
    "personnel.application.v1",
    "booking.appointment.v1",
    "documents.document.v1",
    "documents.attachment.v1",
]
