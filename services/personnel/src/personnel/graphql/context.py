from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from personnel.applications.models import EmploymentApplication
from personnel.people.models import ForeignPerson
from servicekit.graphql import ServiceContext

if TYPE_CHECKING:
    from personnel.inject import Container


class PersonnelContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        # Entity lookups of one request in one query; only what the actor may read comes back.
        self.persons: DataLoader[str, ForeignPerson | None] = DataLoader(load_fn=self._load_persons)
        self.applications: DataLoader[str, EmploymentApplication | None] = DataLoader(
            load_fn=self._load_applications
        )
        # A recruitment application's registration form (就业登记表), by recruitment id.
        self.registrations: DataLoader[uuid.UUID, uuid.UUID | None] = DataLoader(
            load_fn=self._load_registrations
        )

    async def _load_persons(self, keys: list[str]) -> list[ForeignPerson | None]:
        actor = await self.actor()
        container = self.container
        async with container.db.unit_of_work() as session:
            found = await container.people.visible(session, actor, keys)
        return [found.get(key) for key in keys]

    async def _load_applications(self, keys: list[str]) -> list[EmploymentApplication | None]:
        actor = await self.actor()
        container = self.container
        async with container.db.unit_of_work() as session:
            found = await container.applications.visible(session, actor, keys)
        return [found.get(key) for key in keys]

    async def _load_registrations(self, keys: list[uuid.UUID]) -> list[uuid.UUID | None]:
        container = self.container
        async with container.db.unit_of_work() as session:
            found = await container.applications.registrations(session, keys)
        return [found.get(key) for key in keys]
