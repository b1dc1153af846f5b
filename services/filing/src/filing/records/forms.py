"""The printed forms of a record, rendered by the documents service (filing owns the data).

The form's revision is the record's revision: the QR code carries it, so a form printed before
the data changed is recognised when it is uploaded again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import servicekit.rpc as rpc
from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from filing.config import District
from filing.enterprises.models import ChangeKind, Filing

APPLICATION_FORM = "FILING_APPLICATION_FORM"
LIAISON_CHANGE_FORM = "LIAISON_CHANGE_FORM"
ENTERPRISE_CHANGE_FORM = "ENTERPRISE_CHANGE_FORM"
COMMITMENT_LETTER = "COMMITMENT_LETTER"

# The template's id types (a foreigner's permanent residence card prints as "other").
_ID_TYPE = {"FOREIGNER_PR": "OTHER"}
# 附件4's items, by the data keys that make them up.
CHANGE_ITEMS = {
    "NAME": ("enterprise_name",),
    "ADDRESS": ("registered_address", "operating_address"),
    "LEGAL_REPRESENTATIVE": ("legal_representative",),
    "PHONE": ("phone",),
}


def application_form_kind(record: Filing) -> str:
    """The form printed (and uploaded as APPLICATION_FORM / CHANGE_FORM) for this record."""
    if record.change_kind in (ChangeKind.LIAISON_CHANGE, ChangeKind.LIAISON_ADDITION):
        return LIAISON_CHANGE_FORM
    if record.change_kind == ChangeKind.INFORMATION:
        return ENTERPRISE_CHANGE_FORM
    return APPLICATION_FORM


@dataclass(frozen=True)
class RenderedForm:
    document_id: str
    revision: int


class FormPrinter:
    """Asks documents to render; documents stores one PDF per kind/subject/revision."""

    def __init__(self, target: str, deadline_seconds: float, authority: str) -> None:
        self._documents = rpc.LazyStub(target, pb_grpc.DocumentsStub)
        self._deadline = deadline_seconds
        self._authority = authority

    async def render(
        self, record: Filing, kind: str, data: dict[str, Any], owner_account: str | None
    ) -> RenderedForm:
        reply = await rpc.call(
            self._documents.stub.Render,
            pb.RenderRequest(
                kind=kind,
                subject_id=str(record.id),
                revision=record.revision,
                data_json=json.dumps(data, ensure_ascii=False),
                owner_enterprise_id="" if owner_account else str(record.enterprise_id),
                owner_account_id=owner_account or "",
            ),
            timeout=self._deadline,
        )
        return RenderedForm(document_id=reply.id, revision=reply.revision)

    async def attachment(self, attachment_id: str) -> pb.Attachment:
        result: pb.Attachment = await rpc.call(
            self._documents.stub.GetAttachment,
            pb.GetAttachmentRequest(attachment_id=attachment_id),
            timeout=self._deadline,
        )
        return result

    def commitment_letter(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "authority": self._authority,
            "enterprise_name": data["enterprise_name"],
            "uscc": data["uscc"],
            "legal_representative": data["legal_representative"]["name"],
        }

    async def close(self) -> None:
        await self._documents.close()


def _person(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": person["name"],
        "id_type": _ID_TYPE.get(person["id_type"], person["id_type"]),
        "id_number": person["id_number"],
        "phone": person["phone"],
    }


def _liaison(liaison: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": liaison["name"],
        "sex": liaison["sex"],
        "id_type": liaison["id_type"],
        "id_number": liaison["id_number"],
        "mobile": liaison["mobile"],
        "position": liaison.get("position") or "",
        "social_security_months": liaison["social_security_months"],
    }


def filing_application(data: dict[str, Any], districts: dict[str, District]) -> dict[str, Any]:
    """FILING_APPLICATION_FORM data from a complete NEW (or takeover) record."""
    return {
        "enterprise": {
            "name": data["enterprise_name"],
            "uscc": data["uscc"],
            "enterprise_type": data["enterprise_type"],
            "industry": data["industry"],
            "district": data["district"],
            "district_name": districts[data["district"]].name,
            "registered_address": data["registered_address"],
            "operating_address": data["operating_address"],
            "phone": data["phone"],
        },
        "legal_representative": _person(data["legal_representative"]),
        "responsible_person": _person(data["responsible_person"]),
        "liaisons": [_liaison(liaison) for liaison in data["liaisons"]],
    }


def liaison_change(
    record: Filing, enterprise: dict[str, Any], districts: dict[str, District]
) -> dict[str, Any]:
    replaced = record.data.get("replaced")
    return {
        "action": "CHANGE" if record.change_kind == ChangeKind.LIAISON_CHANGE else "ADD",
        "enterprise_name": enterprise["enterprise_name"],
        "uscc": enterprise["uscc"],
        "district_name": districts[enterprise["district"]].name,
        "replaced": {"name": replaced["name"], "mobile": replaced["mobile"]} if replaced else None,
        "liaison": _liaison(record.data["liaison"]),
    }


def _describe(key: str, value: Any) -> str:
    if isinstance(value, dict):
        return (
            f"{value.get('name') or ''}（证件号码 {value.get('id_number') or '—'}，"
            f"电话 {value.get('phone') or '—'}）"
        )
    return str(value or "")


def enterprise_change(record: Filing, districts: dict[str, District]) -> dict[str, Any]:
    before, after = record.base_data or {}, record.data
    changes = []
    for item, keys in CHANGE_ITEMS.items():
        if any(before.get(key) != after.get(key) for key in keys):
            changes.append(
                {
                    "item": item,
                    "before": "；".join(_describe(k, before.get(k)) for k in keys) or "（空）",
                    "after": "；".join(_describe(k, after.get(k)) for k in keys) or "（空）",
                }
            )
    return {
        "enterprise_name": before["enterprise_name"],
        "uscc": before["uscc"],
        "district_name": districts[after["district"]].name,
        "changes": changes,
        "reason": after.get("reason") or "单位信息变更",
    }
