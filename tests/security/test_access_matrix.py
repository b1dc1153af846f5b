"""Every operation of the supergraph that takes an id, and every query, called through the
gateway by every actor who is not entitled to enterprise A's data, with A's real ids: no answer
holds anything of A, and A's objects read the same before and after."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from graphql import get_named_type, is_leaf_type

from tests.e2e.test_permits import FORM, a_person
from tests.e2e.test_slice import ask

from .schema_ops import Filler, Operation, leaked, operations, supergraph
from .world import World

OFFICERS = {"BRANCH_OFFICER", "CITY_OFFICER", "LABOUR_OFFICER", "ADMIN"}
REVIEWERS = {"BRANCH_OFFICER", "CITY_OFFICER"}
# Who may see or act on A's object through an operation (besides A itself, never attacked).
# Everyone else is tried. An operation missing here is tried by every actor: a new operation is
# attacked by default and entitled roles are added by hand, with the rule they follow.
ENTITLED: dict[str, set[str]] = {
    # filing: branch officers of A's district (A files in 370202, the demo branch's), city
    # officers (docs/FILING.md); the audit log for city officers and admins.
    "filing": REVIEWERS | {"ADMIN"},
    "filings": REVIEWERS | {"ADMIN"},
    "claimFiling": REVIEWERS,
    "releaseFiling": REVIEWERS,
    "reviewFiling": REVIEWERS,
    "filingAuditLog": {"CITY_OFFICER", "ADMIN"},
    # documents: "only the owner and officers read" (README, documents).
    "attachment": OFFICERS,
    "document": OFFICERS,
    # personnel: the labour officer reviews applications and reads the persons in them.
    "employmentApplication": {"LABOUR_OFFICER", "CITY_OFFICER", "ADMIN"},
    "employmentApplications": {"LABOUR_OFFICER", "CITY_OFFICER", "ADMIN"},
    "preReviewApplication": {"LABOUR_OFFICER"},
    # "Labour officers see every submitted application; other officers see persons"
    # (docs/PERMITS.md): every officer reads a person in full (and the read is audited).
    "foreignPerson": OFFICERS,
    # booking: desk officers read and mark the day's appointments; admins manage locations
    # (closing a day cancels A's appointment by design).
    "appointment": OFFICERS,
    "appointmentsOfDay": OFFICERS,
    "markAttended": OFFICERS,
    "markNoShow": OFFICERS,
    "closeLocationDay": {"ADMIN"},
    "reopenLocationDay": {"ADMIN"},
    "updateLocation": {"ADMIN"},
    # identity: officers approve, disable and enable enterprise accounts (accounts/admin.py,
    # DOMAIN.md "an officer can disable an account") and read anyone's exam attempts
    # (exam/service.py `attempts`).
    "reviewAccount": OFFICERS,
    "disableAccount": OFFICERS,
    "enableAccount": OFFICERS,
    "examAttempt": OFFICERS,
    "examAttempts": OFFICERS,
    "question": {"ADMIN"},
    "questions": {"ADMIN"},
    "updateQuestion": {"ADMIN"},
    "deactivateQuestion": {"ADMIN"},
    "activateQuestion": {"ADMIN"},
    "exportQuestions": {"ADMIN"},
    "pendingAccounts": OFFICERS,
}
# Operations not attacked, and why. Each mutation without an id acts on the caller's own data
# or is public by design; a new one fails `test_every_operation_is_attacked_or_explained`.
NOT_ATTACKED = {
    "devMessages": "dev only (absent in production: test_production.py); reads any recipient",
    "devExamAnswers": "dev only (absent in production: test_production.py)",
    "login": "public: sign-in (lockout in test_limits.py)",
    "refreshSession": "public: takes the caller's own refresh token",
    "logout": "public: takes the caller's own refresh token",
    "registerAccount": "public: registration by code",
    "requestVerificationCode": "public: rate limited (test_limits.py)",
    "resetPassword": "public: needs the code sent to the recipient",
    "changePassword": "the caller's own password",
    "saveFiling": "the caller's own enterprise (no id: the record is the caller's)",
    "requestLiaisonChange": "the caller's own enterprise",
    "requestLiaisonAddition": "the caller's own enterprise",
    "requestEnterpriseChange": "the caller's own enterprise",
    "bindHrAccount": "the caller's own enterprise, by e-mail",
    "uploadAttachment": "files owned by the caller (abuse in test_limits.py)",
    "startExam": "the caller's own exam",
    "registerForeignPerson": "a person of the caller's own enterprise",
    "createLocation": "admin only; creates a location, touches nothing of A",
    "createQuestion": "admin only; no enterprise data",
    "importQuestions": "admin only; no enterprise data",
    "importLegacyAccounts": "admin only; creates accounts, touches no existing one",
}
ACTORS = [
    "OTHER_ENTERPRISE_USER",
    "ENTERPRISE_USER_WITHOUT_ENTERPRISE",
    "BRANCH_OFFICER",
    "CITY_OFFICER",
    "LABOUR_OFFICER",
    "ADMIN",
    "ANONYMOUS",
]
# Fields whose value changes without a write (signed links, clocks).
VOLATILE = {"url", "remainingSeconds", "isOverdue", "isApprovalOverdue"}


def attacked() -> list[Operation]:
    return [
        op
        for op in operations()
        if op.name not in NOT_ATTACKED and (op.kind == "query" or op.takes_ids)
    ]


def filler(world: World) -> Filler:
    a = world.a

    def ids(kind: str) -> str:
        return a.ids.get(kind) or world.shared_ids.get(kind) or str(uuid.uuid4())

    def text(name: str) -> str:
        lowered = name.lower()
        if lowered in ("search", "name"):
            return a.name
        if lowered == "uscc":
            return a.uscc
        if "email" in lowered:
            return "nobody@example.com"
        if lowered in ("recipient", "phone", "mobile"):
            return a.phone
        if lowered == "district":
            return "370202"
        return "安全测试"

    overrides = {
        "ForeignPersonInput": lambda: a_person(),
        "EmploymentApplicationInput": lambda: {
            "id": a.ids["EmploymentApplication"],
            "kind": "LICENCE",
            "foreignPersonId": a.ids["ForeignPerson"],
            "tipsAcknowledged": True,
            "requirementsAcknowledged": True,
            "form": dict(FORM),
        },
        "BookAppointmentInput": lambda: {
            "slotId": world.shared_ids["Slot"],
            "serviceType": "EXIT_ENTRY",
            "foreignPersonId": a.ids["ForeignPerson"],
        },
        "ReviewInput": lambda: {"approve": True},
    }
    return Filler(ids, overrides, text)


async def snapshot(gw: httpx.AsyncClient, world: World) -> dict[str, Any]:
    """A's objects as A reads them: every leaf field of each object named by one of A's ids."""
    schema = supergraph()
    assert schema.query_type is not None
    seen: dict[str, Any] = {}
    for name, field in schema.query_type.fields.items():
        kind = get_named_type(field.type).name
        if list(field.args) != ["id"] or kind not in world.a.ids:
            continue
        target = schema.get_type(kind)
        leaves = [
            n
            for n, f in target.fields.items()  # type: ignore[union-attr]
            if is_leaf_type(get_named_type(f.type)) and n not in VOLATILE and not f.args
        ]
        query = f"query($id: ID!) {{ {name}(id: $id) {{ {' '.join(leaves)} }} }}"
        seen[name] = await ask(gw, query, {"id": world.a.ids[kind]}, world.a.token)
    seen["me"] = await ask(gw, "{ me { id status } }", token=world.a.token)
    return seen


async def test_every_operation_is_attacked_or_explained() -> None:
    for op in operations():
        if op.kind == "mutation" and not op.takes_ids:
            assert op.name in NOT_ATTACKED, f"{op.name}: attack it or say why not in NOT_ATTACKED"


async def test_no_actor_reaches_another_enterprises_data(
    gw: httpx.AsyncClient, world: World
) -> None:
    before = await snapshot(gw, world)
    fill = filler(world)
    id_markers = list(world.a.ids.values())
    findings: list[str] = []
    tried = 0
    for op in attacked():
        for actor in ACTORS:
            if actor in ENTITLED.get(op.name, set()):
                continue
            query, variables = fill.call(op)
            answer = await ask(gw, query, variables, world.tokens[actor])
            tried += 1
            data = (answer.get("data") or {}).get(op.name)
            found = leaked(answer, world.markers()) + leaked({"data": data}, id_markers)
            if found:
                findings.append(f"{op.name} as {actor}: leaks {found}: {str(answer)[:200]}")
            codes = [(e.get("extensions") or {}).get("code") for e in answer.get("errors") or []]
            if "INTERNAL" in codes:
                findings.append(f"{op.name} as {actor}: INTERNAL: {str(answer)[:200]}")
            if op.kind == "mutation" and data is not None:
                findings.append(f"{op.name} as {actor}: succeeded: {str(answer)[:200]}")
    after = await snapshot(gw, world)
    print(f"\naccess matrix: {len(attacked())} operations × {len(ACTORS)} actors, {tried} calls")
    assert not findings, "\n".join(findings)
    assert after == before


async def test_the_leak_search_finds_a_when_an_entitled_officer_reads(
    gw: httpx.AsyncClient, world: World
) -> None:
    """The control: the same calls and search find A's data where reading it is allowed, so a
    clean matrix means refusals, not a blind search."""
    fill = filler(world)
    by_name = {op.name: op for op in operations()}
    for name, actor in [("foreignPerson", "LABOUR_OFFICER"), ("filing", "CITY_OFFICER")]:
        query, variables = fill.call(by_name[name])
        answer = await ask(gw, query, variables, world.tokens[actor])
        assert leaked(answer, world.markers() + list(world.a.ids.values())), answer


# Mutations without ids that only an admin may call: every other actor is refused.
ADMIN_ONLY = ["createLocation", "createQuestion", "importQuestions", "importLegacyAccounts"]


async def test_admin_operations_without_ids_refuse_every_other_role(
    gw: httpx.AsyncClient, world: World
) -> None:
    fill = filler(world)
    by_name = {op.name: op for op in operations()}
    for name in ADMIN_ONLY:
        query, variables = fill.call(by_name[name])
        for actor in ACTORS:
            if actor == "ADMIN":
                continue
            answer = await ask(gw, query, variables, world.tokens[actor])
            assert (answer.get("data") or {}).get(name) is None, (name, actor, answer)
            code = answer["errors"][0]["extensions"]["code"]
            assert code in ("FORBIDDEN", "UNAUTHENTICATED"), (name, actor, answer)
