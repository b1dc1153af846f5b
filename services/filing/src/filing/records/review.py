"""The two review levels: an officer claims a record (with expiry, so two officers do not review
one record at once), then approves or rejects it at their level. Rules only; the caller's unit
of work commits."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from filing.config import FilingSettings
from filing.enterprises import repository
from filing.enterprises.models import Filing, FilingStatus, Review, ReviewLevel
from filing.records import approval, audit, events
from filing.records.access import record_for, review_level
from filing.records.schemas import Decision
from servicekit.auth import Actor
from servicekit.calendar import CHINA_TZ
from servicekit.db import utcnow
from servicekit.errors import Conflict, Message

log = logging.getLogger(__name__)


@dataclass
class Reviews:
    settings: FilingSettings

    async def claim(self, session: AsyncSession, actor: Actor, filing_id: str) -> Filing:
        record = await record_for(session, actor, filing_id, for_update=True)
        review_level(actor, record)
        self._take(record, actor)
        audit.record(session, actor, "filing.claimed", record)
        return record

    async def release(self, session: AsyncSession, actor: Actor, filing_id: str) -> Filing:
        record = await record_for(session, actor, filing_id, for_update=True)
        if record.claimed_by != uuid.UUID(actor.account_id) or self._expired(record):
            raise Conflict(Message("您没有领取该备案", "You do not hold this record"))
        record.claimed_by = record.claimed_by_name = record.claim_expires_at = None
        audit.record(session, actor, "filing.released", record)
        return record

    def _take(self, record: Filing, actor: Actor) -> None:
        me = uuid.UUID(actor.account_id)
        if record.claimed_by not in (None, me) and not self._expired(record):
            until = (
                record.claim_expires_at.astimezone(CHINA_TZ).strftime("%H:%M")
                if record.claim_expires_at
                else ""
            )
            raise Conflict(
                Message(
                    f"该备案正由{record.claimed_by_name}审核中（至{until}），请稍后再试",
                    f"{record.claimed_by_name} is reviewing this record (until {until})",
                )
            )
        record.claimed_by = me
        record.claimed_by_name = actor.name or ""
        record.claim_expires_at = utcnow() + timedelta(minutes=self.settings.claim_minutes)

    @staticmethod
    def _expired(record: Filing, now: datetime | None = None) -> bool:
        return record.claim_expires_at is None or record.claim_expires_at <= (now or utcnow())

    async def decide(
        self, session: AsyncSession, actor: Actor, filing_id: str, decision: Decision
    ) -> Filing:
        record = await record_for(session, actor, filing_id, for_update=True)
        level = review_level(actor, record)
        decision.check(record)
        self._take(record, actor)  # deciding an unclaimed record claims it implicitly
        enterprise = await repository.enterprise(session, record.enterprise_id, for_update=True)
        assert enterprise is not None
        now = utcnow()
        review = Review(
            filing_id=record.id,
            revision=record.revision,
            level=level,
            approved=decision.approve,
            comment=decision.comment,
            field_issues=[issue.as_data() for issue in decision.field_issues],
            attachment_issues=[issue.as_data() for issue in decision.attachment_issues],
            officer_id=uuid.UUID(actor.account_id),
            officer_name=actor.name or "",
            decided_at=now,
        )
        session.add(review)
        record.claimed_by = record.claimed_by_name = record.claim_expires_at = None
        record.decided_at = now
        if not decision.approve:
            record.status = FilingStatus.REJECTED
            record.renew_kinds = sorted({issue.kind for issue in decision.attachment_issues})
            event = events.REJECTED
        elif level == ReviewLevel.BRANCH:
            record.status = FilingStatus.CITY_REVIEW
            event = events.BRANCH_APPROVED
        else:
            record.status = FilingStatus.APPROVED
            event = events.APPROVED
        await session.flush()
        audit.record(
            session,
            actor,
            f"filing.{event.rsplit('.', 1)[1]}",
            record,
            level=level,
            revision=record.revision,
            comment=decision.comment,
        )
        if record.status == FilingStatus.APPROVED:
            await approval.apply(session, record, enterprise)
        # After the approval took effect: the accounts it made members are told as well.
        await events.record_progress(session, event, record, enterprise, review)
        await session.flush()
        log.info("filing %s: %s at %s level by %s", record.id, event, level, actor.account_id)
        return record
