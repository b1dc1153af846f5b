"""Foreign person rules: who may register, change and read which records (DOMAIN.md §4)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeAlias

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from personnel.enterprises.service import Enterprises
from personnel.errors import DuplicateDocument
from personnel.people import events, repository
from personnel.people.models import DOCUMENT_UNIQUE, ForeignPerson
from personnel.people.schemas import ForeignPersonForm, PersonQuery
from personnel.people.validation import check_form
from servicekit.auth import Actor
from servicekit.calendar import CHINA_TZ
from servicekit.db import utcnow
from servicekit.errors import AppError, Forbidden, NotFound, ValidationFailed
from servicekit.outbox import Outbox

# Officer reads of full records (document numbers, contacts) are audited (ARCHITECTURE.md).
audit = logging.getLogger("personnel.audit")

MAX_SEARCH = 64


# One enterprise's page of foreign persons, and how many it has in all.
EnterprisePersons: TypeAlias = tuple[list[ForeignPerson], int]


@dataclass(frozen=True)
class ReadScope:
    """Which records an actor may read: every enterprise's (officers) or one enterprise's."""

    everything: bool
    enterprise_id: uuid.UUID | None = None

    def allows(self, person: ForeignPerson) -> bool:
        return self.everything or person.enterprise_id == self.enterprise_id


@dataclass
class People:
    enterprises: Enterprises
    outbox: Outbox

    async def register(
        self, session: AsyncSession, actor: Actor, form: ForeignPersonForm
    ) -> ForeignPerson:
        enterprise = await self.enterprises.filed_of_actor(session, actor)
        valid = check_form(form, _today())
        await self._require_unique(session, enterprise.id, valid, person_id=None)
        person = ForeignPerson(
            id=uuid.uuid4(), enterprise_id=enterprise.id, created_by=uuid.UUID(actor.account_id)
        )
        _apply(person, valid)
        session.add(person)
        await _flush(session)
        await self.outbox.record(
            session, events.REGISTERED, str(person.id), events.registered_data(person)
        )
        return person

    async def update(
        self, session: AsyncSession, actor: Actor, person_id: str, form: ForeignPersonForm
    ) -> ForeignPerson:
        enterprise = await self.enterprises.filed_of_actor(session, actor)
        person = await repository.get(session, _uuid(person_id), for_update=True)
        if person is None or person.enterprise_id != enterprise.id:
            raise NotFound()  # another enterprise's person: never reveal that it exists
        valid = check_form(form, _today())
        await self._require_unique(session, enterprise.id, valid, person_id=person.id)
        _apply(person, valid)
        person.updated_at = utcnow()
        await _flush(session)
        return person

    async def search(
        self, session: AsyncSession, actor: Actor, query: PersonQuery
    ) -> tuple[list[ForeignPerson], int]:
        scope = await self._read_scope(actor)
        if not scope.everything and scope.enterprise_id is None:
            return [], 0  # an enterprise user whose enterprise does not exist yet
        rows, total = await repository.search(
            session, scope.enterprise_id, _search(query.search), query.offset, query.limit
        )
        _audit_read(actor, rows)
        return rows, total

    async def lists_of_enterprises(
        self,
        session: AsyncSession,
        actor: Actor,
        enterprise_ids: Sequence[str],
        query: PersonQuery,
    ) -> dict[str, EnterprisePersons | AppError]:
        """`Enterprise.foreignPersons` of every enterprise one request asks for, at once: for
        officers and each enterprise's own users only. Answered per enterprise, as if each
        were asked alone: an id that is not one is NOT_FOUND, another enterprise FORBIDDEN."""
        answers: dict[str, EnterprisePersons | AppError] = {}
        keys: dict[str, uuid.UUID] = {}
        for enterprise_id in enterprise_ids:
            try:
                keys[enterprise_id] = uuid.UUID(enterprise_id)
            except ValueError:
                answers[enterprise_id] = NotFound()
        if not keys:
            return answers
        scope = await self._read_scope(actor)  # one answer for the whole request
        allowed = {}
        for enterprise_id, key in keys.items():
            if scope.everything or scope.enterprise_id == key:
                allowed[enterprise_id] = key
            else:
                answers[enterprise_id] = Forbidden()
        if not allowed:
            return answers
        try:
            text = _search(query.search)
        except ValidationFailed as exc:
            return answers | dict.fromkeys(allowed, exc)
        pages = await repository.search_of_enterprises(
            session, list(set(allowed.values())), text, query.offset, query.limit
        )
        _audit_read(actor, [person for rows, _ in pages.values() for person in rows])
        return answers | {enterprise_id: pages[key] for enterprise_id, key in allowed.items()}

    async def visible(
        self, session: AsyncSession, actor: Actor, person_ids: Sequence[str]
    ) -> dict[str, ForeignPerson]:
        """The persons among `person_ids` the actor may read, by id (others are simply absent)."""
        keys = []
        for person_id in person_ids:
            try:
                keys.append(uuid.UUID(person_id))
            except ValueError:
                continue
        scope = await self._read_scope(actor)
        if not keys or (not scope.everything and scope.enterprise_id is None):
            return {}
        rows = [p for p in await repository.get_many(session, keys) if scope.allows(p)]
        _audit_read(actor, rows)
        return {str(p.id): p for p in rows}

    async def get(self, session: AsyncSession, person_id: str) -> ForeignPerson:
        """For other services over gRPC (internal callers, no user in the loop)."""
        person = await repository.get(session, _uuid(person_id))
        if person is None:
            raise NotFound()
        return person

    async def _read_scope(self, actor: Actor) -> ReadScope:
        if actor.is_officer:
            return ReadScope(everything=True)
        enterprise = await self.enterprises.of_actor(actor)
        return ReadScope(everything=False, enterprise_id=enterprise.id if enterprise else None)

    async def _require_unique(
        self,
        session: AsyncSession,
        enterprise_id: uuid.UUID,
        form: ForeignPersonForm,
        person_id: uuid.UUID | None,
    ) -> None:
        existing = await repository.by_document(
            session, enterprise_id, form.document_type, form.document_number
        )
        if existing is not None and existing.id != person_id:
            raise DuplicateDocument()


def _apply(person: ForeignPerson, form: ForeignPersonForm) -> None:
    person.surname = form.surname
    person.given_names = form.given_names
    person.chinese_name = form.chinese_name
    person.sex = form.sex
    person.birth_date = form.birth_date
    person.nationality = form.nationality
    person.document_type = form.document_type
    person.document_number = form.document_number
    person.issuing_state = form.issuing_state
    person.document_expiry = form.document_expiry
    person.visa_type = form.visa_type
    person.visa_number = form.visa_number
    person.visa_expiry = form.visa_expiry
    person.entry_date = form.entry_date
    person.entry_port = form.entry_port
    person.position = form.position
    person.mobile = form.mobile
    person.email = form.email
    person.address = form.address


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request registered the same document
        if DOCUMENT_UNIQUE in str(exc.orig):
            raise DuplicateDocument() from exc
        raise


def _audit_read(actor: Actor, persons: Sequence[ForeignPerson]) -> None:
    if actor.is_officer and persons:
        audit.info(
            "officer %s read %d foreign person record(s): %s",
            actor.account_id,
            len(persons),
            ",".join(str(p.id) for p in persons),
            extra={
                "audit": "foreign_person.read",
                "actor": actor.account_id,
                "persons": [str(p.id) for p in persons],
            },
        )


def _search(text: str | None) -> str | None:
    value = " ".join((text or "").split())
    if len(value) > MAX_SEARCH:
        raise ValidationFailed.single(
            "search", f"搜索内容不超过{MAX_SEARCH}字", f"at most {MAX_SEARCH} characters"
        )
    return value or None


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound() from exc


def _today() -> date:
    """Dates of the record are Chinese calendar dates."""
    return utcnow().astimezone(CHINA_TZ).date()
