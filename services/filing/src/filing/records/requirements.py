"""Which files a record needs before it can be submitted, and whether each is there for the
current revision.

A printed form (application/change form, commitment letter) must come from the current
revision; any other file carries over to a new revision unless the last rejection named its
kind (then it must be uploaded again)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from filing.enterprises.models import ChangeKind, FiledAttachment, Filing

APPLICATION_FORM = "APPLICATION_FORM"
COMMITMENT_LETTER = "COMMITMENT_LETTER"
BUSINESS_LICENCE = "BUSINESS_LICENCE"
LIAISON_ID_CARD = "LIAISON_ID_CARD"
SOCIAL_SECURITY_PROOF = "SOCIAL_SECURITY_PROOF"
CHANGE_FORM = "CHANGE_FORM"
SUPPLEMENTARY = "SUPPLEMENTARY"

PRINTED = (APPLICATION_FORM, COMMITMENT_LETTER, CHANGE_FORM)
PER_LIAISON = (LIAISON_ID_CARD, SOCIAL_SECURITY_PROOF)
LABELS = {
    APPLICATION_FORM: "申请表",
    COMMITMENT_LETTER: "承诺书",
    BUSINESS_LICENCE: "营业执照",
    LIAISON_ID_CARD: "联络员身份证",
    SOCIAL_SECURITY_PROOF: "联络员近两个月社保证明",
    CHANGE_FORM: "涉外单位变更备案申请表（盖章版）",
    SUPPLEMENTARY: "补充材料",
}


@dataclass(frozen=True)
class Slot:
    kind: str
    liaison_index: int = 0


@dataclass(frozen=True)
class Requirement:
    slot: Slot
    current: FiledAttachment | None  # the newest file in the slot, if any
    satisfied: bool
    problem: str | None  # why not, in Chinese (shown next to the slot)


def slots(record: Filing) -> list[Slot]:
    if record.change_kind == ChangeKind.INFORMATION:
        return [Slot(CHANGE_FORM), Slot(BUSINESS_LICENCE)]
    if record.change_kind in (ChangeKind.LIAISON_CHANGE, ChangeKind.LIAISON_ADDITION):
        return [Slot(APPLICATION_FORM), Slot(LIAISON_ID_CARD), Slot(SOCIAL_SECURITY_PROOF)]
    liaisons = len(record.data.get("liaisons") or []) or 1
    return [
        Slot(APPLICATION_FORM),
        Slot(COMMITMENT_LETTER),
        Slot(BUSINESS_LICENCE),
        *(Slot(kind, index) for index in range(liaisons) for kind in PER_LIAISON),
    ]


def newest(attachments: Iterable[FiledAttachment]) -> dict[Slot, FiledAttachment]:
    found: dict[Slot, FiledAttachment] = {}
    for attachment in sorted(attachments, key=lambda a: a.attached_at):
        found[Slot(attachment.kind, attachment.liaison_index)] = attachment
    return found


def is_current(record: Filing, attachment: FiledAttachment) -> bool:
    if attachment.revision == record.revision:
        return True
    return attachment.kind not in PRINTED and attachment.kind not in (record.renew_kinds or [])


def check(record: Filing, attachments: Iterable[FiledAttachment]) -> list[Requirement]:
    current = newest(attachments)
    result = []
    for slot in slots(record):
        attachment = current.get(slot)
        label = LABELS[slot.kind] + (
            f"（第{slot.liaison_index + 1}名联络员）" if slot.kind in PER_LIAISON else ""
        )
        if attachment is None:
            problem: str | None = f"请上传{label}"
        elif not is_current(record, attachment):
            problem = f"{label}属于第{attachment.revision}版，请按第{record.revision}版重新上传"
        else:
            problem = None
        result.append(Requirement(slot, attachment, problem is None, problem))
    return result
