from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from filing.enterprises import repository
from filing.enterprises.models import Enterprise, Filing, Liaison
from filing.records import audit
from servicekit.graphql import ServiceContext

if TYPE_CHECKING:
    from filing.inject import Container

Value = TypeVar("Value")


class FilingContext(ServiceContext):
    """Per-request DataLoaders: a list across subgraphs costs one query per field, not per row."""

    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        self.enterprise_of_account = self._loader(repository.enterprises_of_accounts)
        self.liaisons = self._loader(repository.liaisons_of, default=list)
        self.members = self._loader(repository.members_with_roles, default=list)
        self.latest_filing = self._loader(repository.latest_filings)
        self.enterprise = self._loader(repository.enterprises_by_id)
        self.reviews = self._loader(repository.reviews_of, default=list)
        self.attachments = self._loader(repository.attachments_of, default=list)
        # Officers' reads of personal data, written once per request and record, in one batch.
        self.audited: DataLoader[audit.Read, None] = DataLoader(load_fn=self._audit_reads)

    async def audit_read(self, read: audit.Read) -> None:
        actor = await self.actor()
        if actor.is_officer:
            await self.audited.load(read)

    async def _audit_reads(self, reads: list[audit.Read]) -> list[None]:
        actor = await self.actor()
        async with self.container.db.unit_of_work() as session:
            audit.reads(session, actor, reads)
        return [None] * len(reads)

    def _loader(
        self,
        fetch: Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[dict[uuid.UUID, Value]]],
        default: Callable[[], Value] | None = None,
    ) -> DataLoader[uuid.UUID, Value | None]:
        async def load(keys: list[uuid.UUID]) -> list[Value | None]:
            async with self.container.db.unit_of_work() as session:
                found = await fetch(session, keys)
            return [found.get(key, default() if default else None) for key in keys]

        return DataLoader(load_fn=load)


__all__ = ["Enterprise", "Filing", "FilingContext", "Liaison"]
