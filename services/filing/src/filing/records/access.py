"""Who may see and act on which record.

An enterprise user sees the records of the enterprise they act for, and the records they
created themselves (a takeover, before it makes them the enterprise's liaison); anything else is
NOT_FOUND, so that ids of other enterprises reveal nothing. Branch officers see submitted records
of the districts of their branch, city officers and admins all submitted records."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from filing.enterprises import repository
from filing.enterprises.models import (
    ChangeKind,
    EnterpriseMember,
    Filing,
    FilingStatus,
    MemberRole,
    ReviewLevel,
)
from filing.errors import NotInReviewerStage, NotReviewer, OtherBranch
from servicekit.auth import Actor, Role
from servicekit.errors import Forbidden, Message, NotFound, ValidationFailed

READERS = (Role.BRANCH_OFFICER, Role.CITY_OFFICER, Role.ADMIN)
LIAISONS_ONLY = Message(
    "仅外管联络员可以办理备案及变更", "Only the enterprise's liaisons file and request changes"
)


def parse(value: str, path: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed.single(path, "编号格式不正确", "not a valid id") from exc


async def member_enterprise(
    session: AsyncSession, actor: Actor, *, liaison: bool = False
) -> uuid.UUID | None:
    """The enterprise the actor acts for; with `liaison`, only if they act as its liaison (an HR
    user reads the filing but does not change it)."""
    member = await session.get(EnterpriseMember, uuid.UUID(actor.account_id))
    if member is None:
        return None
    if liaison and member.role != MemberRole.LIAISON:
        raise Forbidden(LIAISONS_ONLY)
    return member.enterprise_id


async def record_for(
    session: AsyncSession,
    actor: Actor,
    filing_id: str,
    *,
    for_update: bool = False,
    liaison: bool = False,
) -> Filing:
    """The record if `actor` may see it: NOT_FOUND (enterprise users) or FORBIDDEN (officers of
    another branch, other roles) otherwise."""
    found = await repository.filing(session, parse(filing_id), for_update=for_update)
    if found is None:
        raise NotFound()
    if actor.is_officer:
        check_officer_reads(actor, found)
        return found
    if Role.ENTERPRISE_USER not in actor.roles:
        raise Forbidden()
    if found.change_kind == ChangeKind.LIAISON_TAKEOVER:
        # A takeover is its applicant's, until review decides it. Any other record is the
        # enterprise's only: its creator loses it with the enterprise (a replaced liaison).
        if found.created_by == uuid.UUID(actor.account_id):
            return found
        if found.status != FilingStatus.APPROVED:
            raise NotFound()
    if await member_enterprise(session, actor, liaison=liaison) != found.enterprise_id:
        raise NotFound()
    return found


def check_officer_reads(actor: Actor, record: Filing) -> None:
    if not actor.has_any(READERS):
        raise Forbidden()
    if record.status == FilingStatus.DRAFT:
        raise NotFound()  # an enterprise's unsubmitted work is its own
    if actor.has_any([Role.CITY_OFFICER, Role.ADMIN]):
        return
    if record.district not in actor.districts:
        raise OtherBranch()


def review_level(actor: Actor, record: Filing) -> ReviewLevel:
    """The level at which `actor` decides `record` now, or why they cannot."""
    if not actor.has_any([Role.BRANCH_OFFICER, Role.CITY_OFFICER]):
        raise NotReviewer()
    if Role.BRANCH_OFFICER in actor.roles and record.status == FilingStatus.BRANCH_REVIEW:
        if record.district not in actor.districts:
            raise OtherBranch()
        return ReviewLevel.BRANCH
    if Role.CITY_OFFICER in actor.roles and record.status == FilingStatus.CITY_REVIEW:
        return ReviewLevel.CITY
    if (
        Role.BRANCH_OFFICER in actor.roles
        and not actor.has_any([Role.CITY_OFFICER])
        and record.district not in actor.districts
    ):
        raise OtherBranch()
    raise NotInReviewerStage()
