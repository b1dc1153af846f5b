"""Contracts stay true: topics, event schemas, generated code and the supergraph."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import yaml

from contracts.topics import ALL_TOPICS
from devstack.stack import ROOT

CONTRACTS = ROOT / "contracts"


def test_asyncapi_lists_exactly_the_topics_the_platform_creates() -> None:
    document = yaml.safe_load((CONTRACTS / "asyncapi.yaml").read_text())
    assert sorted(document["channels"]) == sorted(ALL_TOPICS)


def test_every_event_schema_is_valid_and_referenced() -> None:
    asyncapi = (CONTRACTS / "asyncapi.yaml").read_text()
    for path in (CONTRACTS / "events").glob("*.schema.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        assert f"events/{path.name}" in asyncapi, f"{path.name} is not in asyncapi.yaml"


def test_generated_grpc_code_is_not_stale() -> None:
    result = subprocess.run(
        [sys.executable, str(CONTRACTS / "scripts" / "codegen.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_supergraph_is_composed_from_the_current_subgraphs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "devstack.schemas", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# What the foundation issue covers. Filing's review/attachment/document fields and the other
# operations of API.md belong to later issues and are still reported missing by the check.
FOUNDATION_OPERATIONS = {
    "requestVerificationCode",
    "registerAccount",
    "login",
    "refreshSession",
    "logout",
    "me",
    "pendingAccounts",
    "reviewAccount",
    "myEnterprise",
    "saveFiling",
    "foreignPersons",
    "bookingLocations",
    "verifyDocument",
    # issue 4 and 5
    "uploadAttachment",
    "changePassword",
    "startExam",
    "saveExamAnswer",
    "submitExam",
    "questionBankDocument",
    "registerForeignPerson",
    "updateForeignPerson",
    "availableSlots",
    # issue 6
    "submitFiling",
    "filing",
    "filings",
    "reviewFiling",
    "claimFiling",
    "releaseFiling",
    "requestLiaisonChange",
    "requestLiaisonAddition",
    "requestEnterpriseChange",
    "attachToFiling",
    # issue 7
    "saveEmploymentApplication",
    "submitEmploymentApplication",
    "employmentApplications",
    "preReviewApplication",
    # issue 8
    "bookAppointment",
    "cancelAppointment",
    "rescheduleAppointment",
    "myAppointments",
}
FOUNDATION_TYPES = {
    "Account",
    "AuthPayload",
    "RegisterInput",
    "AccountConnection",
    "Enterprise",
    "Liaison",
    "FilingInput",
    "PersonInput",
    "LiaisonInput",
    "Location",
    "DocumentVerification",
    "ForeignPerson",
    "ForeignPersonConnection",
    "Channel",
    "CodePurpose",
    "AccountStatus",
    "Role",
    "IdType",
    "Sex",
    "ServiceType",
    "PageInfo",
    "Filing",
    "FilingConnection",
    "FilingStatus",
    "ReviewInput",
    "FieldIssueInput",
    "AttachmentIssueInput",
    "EnterpriseChangeInput",
    "Review",
    "FiledAttachment",
    "AttachmentKind",
    "Document",
    "Attachment",
    "ExamAttempt",
    "ExamResult",
    "EmploymentApplicationInput",
    "EmploymentApplication",
    "ApplicationKind",
    "BookAppointmentInput",
    "Appointment",
    "Slot",
}


def test_supergraph_has_every_operation_and_type_of_the_foundation_slice() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT.parent / "shared" / "tools" / "api-contract-check"),
            "--sdl",
            str(ROOT / "gateway" / "supergraph.graphql"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    offending = []
    for line in result.stdout.splitlines():
        subject = line.split(":", 1)[0].split()
        if len(subject) == 2 and subject[0] in ("query", "mutation"):
            if subject[1] in FOUNDATION_OPERATIONS:
                offending.append(line)
        elif (len(subject) == 2 and subject[1] in FOUNDATION_TYPES) or (
            len(subject) == 1 and subject[0].split(".")[0] in FOUNDATION_TYPES
        ):
            offending.append(line)
    assert "contract items checked" in result.stdout
    assert not offending, "\n".join(offending)
