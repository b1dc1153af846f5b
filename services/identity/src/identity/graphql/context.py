from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from identity.accounts import repository
from identity.accounts.models import Account
from servicekit.graphql import ServiceContext
from servicekit.http import client_ip

if TYPE_CHECKING:
    from identity.inject import Container


class IdentityContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        self.accounts: DataLoader[str, Account | None] = DataLoader(load_fn=self._load_accounts)

    async def _load_accounts(self, keys: list[str]) -> list[Account | None]:
        ids = []
        for key in keys:
            try:
                ids.append(uuid.UUID(key))
            except ValueError:
                continue
        async with self.container.db.unit_of_work() as session:
            found = {str(a.id): a for a in await repository.get_many(session, ids)}
        return [found.get(key) for key in keys]

    @property
    def client_ip(self) -> str | None:
        return client_ip(self.request)
