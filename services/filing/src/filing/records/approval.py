"""What an approval at city level changes: the enterprise's current data and its approved
versions, its liaisons and which accounts act for it — and the events that tell others."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from filing.enterprises import repository
from filing.enterprises.models import (
    ChangeKind,
    Enterprise,
    EnterpriseMember,
    EnterpriseStatus,
    EnterpriseVersion,
    Filing,
    Liaison,
)
from filing.records import events
from filing.records.paths import diff
from servicekit.db import utcnow

ENTERPRISE_COLUMNS = ("enterprise_name", "uscc", "district")


async def apply(session: AsyncSession, record: Filing, enterprise: Enterprise) -> None:
    before = dict(enterprise.data or {})
    kind = record.change_kind
    if kind in (ChangeKind.LIAISON_CHANGE, ChangeKind.LIAISON_ADDITION):
        await _liaison_change(session, record, enterprise)
        return
    await _new_data(session, record, enterprise, dict(record.data))
    if kind == ChangeKind.LIAISON_TAKEOVER:
        removed = await _members(session, enterprise.id)
        await session.execute(
            delete(EnterpriseMember).where(EnterpriseMember.enterprise_id == enterprise.id)
        )
        await session.flush()
        liaisons = await _replace_liaisons(session, enterprise, record.data.get("liaisons") or [])
        added = await _make_members(
            session, enterprise.id, [record.created_by, *_accounts(liaisons)]
        )
        await events.enterprise_changed(
            session, record, enterprise, _changed(before, enterprise.data)
        )
        await events.liaisons_changed(
            session, record, enterprise, "TAKEOVER", liaisons, added, set(removed) - set(added)
        )
    elif kind == ChangeKind.INFORMATION:
        await events.enterprise_changed(
            session, record, enterprise, _changed(before, enterprise.data)
        )
    else:  # a NEW record: its liaisons (saved with the draft) who have accounts act for it
        liaisons = (await repository.liaisons_of(session, [enterprise.id]))[enterprise.id]
        await _make_members(session, enterprise.id, _accounts(liaisons))


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted({change.path.split(".")[0] for change in diff(before, after)})


async def _new_data(
    session: AsyncSession, record: Filing, enterprise: Enterprise, data: dict[str, Any]
) -> None:
    data.pop("reason", None)
    data.pop("legacy", None)
    enterprise.data = data
    enterprise.name = data["enterprise_name"]
    enterprise.uscc = data["uscc"]
    enterprise.district = data.get("district")
    enterprise.status = EnterpriseStatus.FILED
    enterprise.version += 1
    session.add(
        EnterpriseVersion(
            enterprise_id=enterprise.id,
            version=enterprise.version,
            filing_id=record.id,
            record_type=record.record_type,
            change_kind=record.change_kind,
            data=data,
            approved_at=utcnow(),
        )
    )


async def _liaison_change(session: AsyncSession, record: Filing, enterprise: Enterprise) -> None:
    new = record.data["liaison"]
    replaced = record.data.get("replaced")
    current = (await repository.liaisons_of(session, [enterprise.id]))[enterprise.id]
    removed: list[uuid.UUID] = []
    order = len(current)
    if replaced is not None:
        for liaison in current:
            if str(liaison.id) == replaced["id"]:
                order = liaison.position_order
                removed.extend(await _account_of(session, liaison))
                await session.delete(liaison)
        await session.execute(
            delete(EnterpriseMember).where(EnterpriseMember.account_id.in_(removed))
        )
        await session.flush()
    accounts = await repository.active_accounts_by_phone(session, [new["mobile"]])
    row = _liaison_row(enterprise.id, new, order, accounts.get(new["mobile"]))
    session.add(row)
    await session.flush()
    liaisons = (await repository.liaisons_of(session, [enterprise.id]))[enterprise.id]
    data = dict(enterprise.data)
    data["liaisons"] = [_liaison_data(liaison) for liaison in liaisons]
    await _new_data(session, record, enterprise, data)
    added = await _make_members(session, enterprise.id, _accounts([row]))
    kind = "CHANGE" if record.change_kind == ChangeKind.LIAISON_CHANGE else "ADD"
    await events.liaisons_changed(session, record, enterprise, kind, liaisons, added, removed)


async def _members(session: AsyncSession, enterprise_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(EnterpriseMember.account_id).where(EnterpriseMember.enterprise_id == enterprise_id)
    )
    return list(rows)


async def _make_members(
    session: AsyncSession, enterprise_id: uuid.UUID, accounts: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Adds each account that acts for no enterprise yet; the ones added."""
    added = []
    for account in dict.fromkeys(accounts):
        if await session.get(EnterpriseMember, account) is None:
            session.add(EnterpriseMember(account_id=account, enterprise_id=enterprise_id))
            added.append(account)
    await session.flush()
    return added


async def _account_of(session: AsyncSession, liaison: Liaison) -> list[uuid.UUID]:
    """The liaison's account: linked when saved, or found by mobile now (the projection may not
    have known the account when the liaison was saved)."""
    if liaison.account_id is not None:
        return [liaison.account_id]
    found = await repository.active_accounts_by_phone(session, [liaison.mobile])
    return [found[liaison.mobile]] if liaison.mobile in found else []


def _accounts(liaisons: list[Liaison]) -> list[uuid.UUID]:
    return [liaison.account_id for liaison in liaisons if liaison.account_id is not None]


async def _replace_liaisons(
    session: AsyncSession, enterprise: Enterprise, liaisons: list[dict[str, Any]]
) -> list[Liaison]:
    accounts = await repository.active_accounts_by_phone(
        session, [item["mobile"] for item in liaisons]
    )
    rows = [
        _liaison_row(enterprise.id, liaison, index, accounts.get(liaison["mobile"]))
        for index, liaison in enumerate(liaisons)
    ]
    await repository.replace_liaisons(session, enterprise.id, rows)
    await session.flush()
    return rows


def _liaison_row(
    enterprise_id: uuid.UUID, data: dict[str, Any], order: int, account: uuid.UUID | None
) -> Liaison:
    photo = data.get("photo_attachment_id")
    return Liaison(
        id=uuid.uuid4(),
        enterprise_id=enterprise_id,
        account_id=account,
        name=data["name"],
        sex=data.get("sex"),
        id_type=data.get("id_type"),
        id_number=data.get("id_number"),
        mobile=data["mobile"],
        position=data.get("position"),
        social_security_months=data.get("social_security_months"),
        photo_attachment_id=uuid.UUID(photo) if photo else None,
        position_order=order,
    )


def _liaison_data(liaison: Liaison) -> dict[str, Any]:
    return {
        "name": liaison.name,
        "sex": liaison.sex,
        "id_type": liaison.id_type,
        "id_number": liaison.id_number,
        "mobile": liaison.mobile,
        "position": liaison.position,
        "social_security_months": liaison.social_security_months,
        "photo_attachment_id": str(liaison.photo_attachment_id)
        if liaison.photo_attachment_id
        else None,
    }
