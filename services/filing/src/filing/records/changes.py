"""Change records of a filed enterprise: a replacement or an additional liaison (附件3) and a
change of the enterprise's information (附件4). Each request creates the enterprise's open record
of that kind, or updates it while it is a draft or rejected (a new revision after a rejection)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from filing.config import FilingSettings
from filing.enterprises import repository
from filing.enterprises.models import (
    ChangeKind,
    Enterprise,
    EnterpriseStatus,
    Filing,
    FilingStatus,
    RecordType,
)
from filing.enterprises.schemas import LiaisonForm, PersonForm
from filing.enterprises.validation import MAX_LIAISONS, check_contact, check_liaison
from filing.errors import NotFiledYet, OpenChangeExists
from filing.records import audit
from filing.records.access import member_enterprise
from filing.records.paths import camel
from filing.records.revisions import begin_edit
from servicekit.auth import Actor, Role
from servicekit.errors import FieldErrors, Forbidden, Message, ValidationFailed
from servicekit.validation import normalise_mobile

OPEN = (
    FilingStatus.DRAFT,
    FilingStatus.REJECTED,
    FilingStatus.BRANCH_REVIEW,
    FilingStatus.CITY_REVIEW,
)
NOT_ENTERPRISE_USER = Message(
    "仅本单位的联络员可以办理变更", "Only the enterprise's liaison can request changes"
)


@dataclass(frozen=True)
class EnterpriseChangeForm:
    enterprise_name: str | None = None
    registered_address: str | None = None
    operating_address: str | None = None
    phone: str | None = None
    legal_representative: PersonForm | None = None
    reason: str | None = None


@dataclass
class Changes:
    settings: FilingSettings

    async def liaison_change(
        self, session: AsyncSession, actor: Actor, liaison: LiaisonForm
    ) -> Filing:
        """The current liaison names their replacement (附件3 一(一))."""
        enterprise = await self._filed_enterprise(session, actor)
        data = self._liaison_data(liaison)
        current = (await repository.liaisons_of(session, [enterprise.id]))[enterprise.id]
        me = uuid.UUID(actor.account_id)
        replaced = next((row for row in current if row.account_id == me), None) or (
            current[0] if current else None
        )
        if replaced is None:
            raise NotFiledYet()
        if data["mobile"] in {row.mobile for row in current}:
            raise ValidationFailed.single(
                "input.mobile", "该手机号已是本单位的联络员", "already a liaison of this enterprise"
            )
        record_data = {
            "liaison": data,
            "replaced": {"id": str(replaced.id), "name": replaced.name, "mobile": replaced.mobile},
        }
        return await self._open(session, actor, enterprise, ChangeKind.LIAISON_CHANGE, record_data)

    async def liaison_addition(
        self, session: AsyncSession, actor: Actor, liaison: LiaisonForm
    ) -> Filing:
        """A second liaison (附件3 二): at most two per enterprise."""
        enterprise = await self._filed_enterprise(session, actor)
        data = self._liaison_data(liaison)
        current = (await repository.liaisons_of(session, [enterprise.id]))[enterprise.id]
        if len(current) >= MAX_LIAISONS:
            raise ValidationFailed.single(
                "input",
                "每个单位最多2名外管联络员，已满2名，请使用变更联络员",
                "an enterprise has at most 2 liaisons; replace one instead",
            )
        if data["mobile"] in {row.mobile for row in current}:
            raise ValidationFailed.single(
                "input.mobile", "该手机号已是本单位的联络员", "already a liaison of this enterprise"
            )
        record_data = {"liaison": data, "replaced": None}
        return await self._open(
            session, actor, enterprise, ChangeKind.LIAISON_ADDITION, record_data
        )

    async def enterprise_change(
        self, session: AsyncSession, actor: Actor, change: EnterpriseChangeForm
    ) -> Filing:
        """Name, address, legal representative, phone (附件4): the approved data with the
        changes applied; fields not given stay as approved."""
        enterprise = await self._filed_enterprise(session, actor)
        data = dict(enterprise.data)
        errors = FieldErrors()
        if change.enterprise_name is not None:
            if not 2 <= len(change.enterprise_name.strip()) <= 200:
                errors.add(
                    "input.enterpriseName", "单位名称应为2–200个字符", "must be 2–200 characters"
                )
            data["enterprise_name"] = change.enterprise_name.strip()
        for key in ("registered_address", "operating_address", "phone"):
            value = getattr(change, key)
            if value is not None:
                data[key] = value.strip()
                if not data[key]:
                    errors.add(f"input.{camel(key)}", "请填写该项", "required")
        check_contact(errors, "input", phone=change.phone, person=change.legal_representative)
        if change.legal_representative is not None:
            data["legal_representative"] = asdict(change.legal_representative)
        if change.reason is not None:
            data["reason"] = change.reason.strip()
        errors.raise_if_any()
        comparable = {k: v for k, v in data.items() if k != "reason"}
        if comparable == enterprise.data:
            raise ValidationFailed.single(
                "input", "请至少修改一项单位信息", "change at least one item of the enterprise"
            )
        return await self._open(session, actor, enterprise, ChangeKind.INFORMATION, data)

    # ---

    async def _filed_enterprise(self, session: AsyncSession, actor: Actor) -> Enterprise:
        if Role.ENTERPRISE_USER not in actor.roles:
            raise Forbidden(NOT_ENTERPRISE_USER)
        enterprise_id = await member_enterprise(session, actor, liaison=True)
        if enterprise_id is None:
            raise Forbidden(NOT_ENTERPRISE_USER)
        enterprise = await repository.enterprise(session, enterprise_id, for_update=True)
        assert enterprise is not None
        if enterprise.status != EnterpriseStatus.FILED:
            raise NotFiledYet()
        return enterprise

    def _liaison_data(self, liaison: LiaisonForm) -> dict[str, Any]:
        check_liaison(liaison, "input")
        data = asdict(liaison)
        data["mobile"] = normalise_mobile(liaison.mobile, "input.mobile")
        data["id_number"] = liaison.id_number.upper()
        data["name"] = liaison.name.strip()
        if data.get("photo_attachment_id"):
            data["photo_attachment_id"] = str(data["photo_attachment_id"])
        return data

    async def _open(
        self,
        session: AsyncSession,
        actor: Actor,
        enterprise: Enterprise,
        kind: ChangeKind,
        data: dict[str, Any],
    ) -> Filing:
        """Creates the open change record, or edits it; one open change per enterprise."""
        open_records = list(
            await session.scalars(
                select(Filing)
                .where(
                    Filing.enterprise_id == enterprise.id,
                    Filing.record_type == RecordType.CHANGE,
                    Filing.change_kind != ChangeKind.LIAISON_TAKEOVER,
                    Filing.status.in_(OPEN),
                )
                .with_for_update()
            )
        )
        record = open_records[0] if open_records else None
        if record is not None and record.change_kind != kind:
            raise OpenChangeExists()
        if record is None:
            record = Filing(
                id=uuid.uuid4(),
                enterprise_id=enterprise.id,
                record_type=RecordType.CHANGE,
                change_kind=kind,
                status=FilingStatus.DRAFT,
                revision=1,
                data=data,
                base_data=dict(enterprise.data),
                district=enterprise.district,
                created_by=uuid.UUID(actor.account_id),
            )
            session.add(record)
            action = "filing.change_requested"
        else:
            begin_edit(record, data)
            action = "filing.saved"
        await session.flush()
        audit.record(
            session, actor, action, record, changeKind=kind.value, revision=record.revision
        )
        return record
