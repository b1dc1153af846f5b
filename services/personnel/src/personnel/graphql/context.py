from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from personnel.applications.models import EmploymentApplication
from personnel.people.models import ForeignPerson
from personnel.people.schemas import PersonQuery
from personnel.people.service import EnterprisePersons
from servicekit.errors import AppError
from servicekit.graphql import ServiceContext

if TYPE_CHECKING:
    from personnel.inject import Container


@dataclass(frozen=True)
class PersonsOf:
    """What one `Enterprise.foreignPersons` field asks: whose persons, which page."""

    enterprise_id: str
    query: PersonQuery


class PersonnelContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        # Entity lookups of one request in one query; only what the actor may read comes back.
        self.persons: DataLoader[str, ForeignPerson | None] = DataLoader(load_fn=self._load_persons)
        self.applications: DataLoader[str, EmploymentApplication | None] = DataLoader(
            load_fn=self._load_applications
        )
        # The gateway asks for many enterprises' persons in one `_entities` request: one access
        # check and two queries (pages and totals), not one of each per enterprise.
        self.enterprise_persons: DataLoader[PersonsOf, EnterprisePersons] = DataLoader(
            load_fn=self._load_enterprise_persons
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

    async def _load_enterprise_persons(
        self, keys: list[PersonsOf]
    ) -> list[EnterprisePersons | AppError]:
        actor = await self.actor()
        container = self.container
        answers: dict[PersonsOf, EnterprisePersons | AppError] = {}
        async with container.db.unit_of_work() as session:
            # One query per page asked for; a list asks every enterprise for the same page.
            for query in dict.fromkeys(key.query for key in keys):
                ids = [key.enterprise_id for key in keys if key.query == query]
                found = await container.people.lists_of_enterprises(session, actor, ids, query)
                answers |= {PersonsOf(key, query): answer for key, answer in found.items()}
        return [answers[key] for key in keys]
