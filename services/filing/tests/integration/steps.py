"""What the filing tests do again and again: users and officers, complete forms, printing and
attaching every required file, and taking a record through submission and review."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import jsonschema
from sqlalchemy import select, text

from devstack.testing import TestIssuer, graphql
from filing.accounts.models import AccountProjection
from filing.db import outbox
from servicekit.db import Database

if TYPE_CHECKING:
    from devstack.doubles import DocumentsDouble

    from ..conftest import IdentityDouble

SCHEMAS = Path(__file__).resolve().parents[4] / "contracts" / "events"

FILING_FIELDS = """id enterpriseId status revision recordType changeKind district branch
  data { enterpriseName uscc district phone liaisons { name mobile }
         liaison { name mobile } replacedLiaison { name mobile } reason }
  claim { officerName expiresAt }
  requiredAttachments { kind liaisonIndex satisfied problem }
  attachments { kind revision liaisonIndex current fileName attachment { id } }
  reviews { level approved comment officerName revision
            fieldIssues { field message } attachmentIssues { kind message } }"""
SAVE = f"mutation($input: FilingInput!) {{ saveFiling(input: $input) {{ {FILING_FIELDS} }} }}"
FILING = f"query($id: ID!) {{ filing(id: $id) {{ {FILING_FIELDS} }} }}"
CHANGES = "query($id: ID!) { filing(id: $id) { revision changes { path before after } } }"
FORMS = "query($id: ID!) { filing(id: $id) { revision applicationForm { id } } }"
LETTER = "query($id: ID!) { filing(id: $id) { revision commitmentLetter { id } } }"
ATTACH = f"""mutation($id: ID!, $kind: AttachmentKind!, $file: ID!, $index: Int) {{
  attachToFiling(filingId: $id, kind: $kind, attachmentId: $file, liaisonIndex: $index) {{
    {FILING_FIELDS} }} }}"""
SUBMIT = f"mutation($id: ID!) {{ submitFiling(id: $id) {{ {FILING_FIELDS} }} }}"
CLAIM = "mutation($id: ID!) { claimFiling(id: $id) { id status claim { officerName } } }"
RELEASE = "mutation($id: ID!) { releaseFiling(id: $id) { id status claim { officerName } } }"
REVIEW = f"""mutation($id: ID!, $input: ReviewInput!) {{
  reviewFiling(id: $id, input: $input) {{ {FILING_FIELDS} }} }}"""
MY_ENTERPRISE = """{ myEnterprise { id name uscc district status version
  approvedData { enterpriseName phone liaisons { name mobile } }
  liaisons { name mobile account { id } } currentFiling { id status }
  versions { version filingId recordType changeKind data { enterpriseName } } } }"""

# The printed document an upload of each kind must come from (per change kind for the form).
APPLICATION_FORM_OF = {
    None: "FILING_APPLICATION_FORM",
    "LIAISON_TAKEOVER": "FILING_APPLICATION_FORM",
    "LIAISON_CHANGE": "LIAISON_CHANGE_FORM",
    "LIAISON_ADDITION": "LIAISON_CHANGE_FORM",
    "INFORMATION": "ENTERPRISE_CHANGE_FORM",
}
BRANCH_DISTRICTS = ["370202", "370203"]  # 市南分局


def uscc(seed: int | None = None) -> str:
    """A valid USCC (check digit computed); a random one without a seed."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    number = random.randrange(10**11) if seed is None else seed
    body = f"913702{number:011d}"[:17]
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total % 31) % 31]


def mobile() -> str:
    return f"13{random.randrange(3, 10)}{random.randrange(10**8):08d}"


def liaison(mobile_number: str | None = None, **extra: object) -> dict[str, object]:
    return {
        "name": "张联络",
        "sex": "MALE",
        "idType": "RESIDENT_ID",
        "idNumber": "11010519491231002X",
        "mobile": mobile_number or mobile(),
        "position": "行政主管",
        "socialSecurityMonths": 6,
        **extra,
    }


def person(name: str) -> dict[str, object]:
    return {
        "name": name,
        "idType": "RESIDENT_ID",
        "idNumber": "11010519491231002X",
        "phone": "13805320002",
    }


def complete_form(**extra: object) -> dict[str, object]:
    return {
        "enterpriseName": "青岛海纳科技有限公司",
        "uscc": uscc(),
        "enterpriseType": "有限责任公司",
        "industry": "软件和信息技术服务业",
        "district": "370202",
        "registeredAddress": "青岛市市南区香港中路10号",
        "operatingAddress": "青岛市市南区香港中路10号A座",
        "phone": "0532-85901234",
        "legalRepresentative": person("欧阳法"),
        "responsiblePerson": person("王负责"),
        "liaisons": [liaison()],
        **extra,
    }


def field_paths(body: dict[str, Any]) -> set[str]:
    return {item["path"] for item in body["errors"][0]["extensions"].get("fields", [])}


@dataclass(frozen=True)
class User:
    account_id: str
    token: str
    phone: str


@dataclass
class Steps:
    filing: httpx.AsyncClient
    issuer: TestIssuer
    identity: IdentityDouble
    documents: DocumentsDouble
    db: Database

    # --- people ----------------------------------------------------------------------------

    def user(self, *, exam_passed: bool = True, phone: str | None = None) -> User:
        account_id = str(uuid.uuid4())
        phone = phone or mobile()
        self.identity.add(account_id, phone=phone, exam_passed=exam_passed)
        return User(account_id, self.issuer.token(account_id, ["ENTERPRISE_USER"]), phone)

    def officer(
        self,
        role: str = "BRANCH_OFFICER",
        districts: list[str] | None = None,
        name: str = "李警官",
        account_id: str | None = None,
    ) -> str:
        if districts is None:
            districts = BRANCH_DISTRICTS if role == "BRANCH_OFFICER" else []
        return self.issuer.token(
            account_id or str(uuid.uuid4()), [role], districts=districts, name=name
        )

    async def register_account(self, user: User) -> None:
        """The account projection (identity's events) knows `user` as ACTIVE."""
        async with self.db.unit_of_work() as session:
            # Through the model: the phone is encrypted and hashed as the consumer stores it.
            session.add(
                AccountProjection(
                    account_id=uuid.UUID(user.account_id),
                    name="新联络",
                    phone=user.phone,
                    status="ACTIVE",
                    updated_at=datetime.now(UTC),
                )
            )

    # --- GraphQL ---------------------------------------------------------------------------

    async def call(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        return await graphql(
            self.filing, query, variables, token=token, headers={"accept-language": "en"}
        )

    async def ok(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        body = await self.call(query, variables, token)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def save(self, user: User, form: dict[str, object]) -> dict[str, Any]:
        return (await self.ok(SAVE, {"input": form}, user.token))["saveFiling"]

    async def get(self, token: str, filing_id: str) -> dict[str, Any]:
        return (await self.ok(FILING, {"id": filing_id}, token))["filing"]

    async def print_forms(self, user: User, filing_id: str, *, letter: bool = True) -> int:
        """Downloads the application form (and the commitment letter); the revision printed."""
        found = (await self.ok(FORMS, {"id": filing_id}, user.token))["filing"]
        if letter:
            await self.ok(LETTER, {"id": filing_id}, user.token)
        revision: int = found["revision"]
        return revision

    # --- attachments -----------------------------------------------------------------------

    def upload_for(
        self,
        record: dict[str, Any],
        kind: str,
        owner: User | None = None,
        revision: int | None = None,
    ) -> str:
        """A file of `kind` uploaded by the record's enterprise (or by `owner`, an account with
        no enterprise yet); a printed kind carries the QR code of this record's `revision`."""
        printed = None
        if kind in ("APPLICATION_FORM", "CHANGE_FORM"):
            printed_kind = APPLICATION_FORM_OF[record["changeKind"]]
        elif kind == "COMMITMENT_LETTER":
            printed_kind = "COMMITMENT_LETTER"
        else:
            printed_kind = ""
        if printed_kind:
            printed = (printed_kind, record["id"], revision or record["revision"])
        return self.documents.upload(
            kind,
            enterprise_id="" if owner else record["enterpriseId"],
            account_id=owner.account_id if owner else "",
            printed=printed,
        )

    async def attach(
        self, user: User, filing_id: str, kind: str, attachment_id: str, index: int = 0
    ) -> dict[str, Any]:
        body = await self.call(
            ATTACH,
            {"id": filing_id, "kind": kind, "file": attachment_id, "index": index},
            user.token,
        )
        return body

    async def attach_required(
        self, user: User, filing_id: str, *, owner: User | None = None, skip: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """Prints the forms and attaches every file still missing (except the `skip` kinds)."""
        record = await self.get(user.token, filing_id)
        await self.print_forms(
            user, filing_id, letter=record["changeKind"] in (None, "LIAISON_TAKEOVER")
        )
        record = await self.get(user.token, filing_id)
        for slot in record["requiredAttachments"]:
            if slot["satisfied"] or slot["kind"] in skip:
                continue
            file = self.upload_for(record, slot["kind"], owner)
            body = await self.attach(user, filing_id, slot["kind"], file, slot["liaisonIndex"])
            assert "errors" not in body, body["errors"]
            record = body["data"]["attachToFiling"]
        return record

    # --- the whole way ---------------------------------------------------------------------

    async def submitted(
        self, user: User | None = None, **form: object
    ) -> tuple[User, dict[str, Any]]:
        """A complete NEW record of a new enterprise, submitted (BRANCH_REVIEW)."""
        user = user or self.user()
        record = await self.save(user, complete_form(**form))
        await self.attach_required(user, record["id"])
        submitted = (await self.ok(SUBMIT, {"id": record["id"]}, user.token))["submitFiling"]
        assert submitted["status"] == "BRANCH_REVIEW"
        return user, submitted

    async def approve(self, filing_id: str) -> dict[str, Any]:
        branch = self.officer()
        city = self.officer("CITY_OFFICER", name="市局审核")
        approve = {"approve": True, "comment": "同意"}
        await self.ok(REVIEW, {"id": filing_id, "input": approve}, branch)
        return (await self.ok(REVIEW, {"id": filing_id, "input": approve}, city))["reviewFiling"]

    async def filed(self, user: User | None = None, **form: object) -> tuple[User, dict[str, Any]]:
        """A new enterprise whose NEW record is approved (FILED)."""
        user, record = await self.submitted(user, **form)
        return user, await self.approve(record["id"])

    # --- behind the API --------------------------------------------------------------------

    async def events(self, enterprise_id: str) -> list[dict[str, Any]]:
        """The events recorded for an enterprise (outbox, in order), checked against their
        published JSON schemas."""
        async with self.db.unit_of_work() as session:
            rows = await session.execute(  # through the table: payloads are encrypted at rest
                select(outbox.c.payload).where(outbox.c.key == enterprise_id).order_by(outbox.c.id)
            )
            payloads = [json.loads(row[0]) for row in rows]
        for event in payloads:
            schema = json.loads((SCHEMAS / f"{event['type']}.schema.json").read_text())
            jsonschema.validate(event["data"], schema)
        return payloads

    async def sql(self, statement: str, **params: object) -> list[Any]:
        async with self.db.unit_of_work() as session:
            result = await session.execute(text(statement), params)
            return list(result) if result.returns_rows else []
