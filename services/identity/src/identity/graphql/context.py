from __future__ import annotations

from typing import TYPE_CHECKING

from identity.accounts import repository
from servicekit.graphql import ServiceContext, rows_by_id
from servicekit.http import client_ip

if TYPE_CHECKING:
    from identity.inject import Container


class IdentityContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        self.accounts = rows_by_id(container.db, repository.get_many)

    @property
    def client_ip(self) -> str | None:
        return client_ip(self.request)
