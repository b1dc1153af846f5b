from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from booking.locations import repository
from booking.locations.models import Location
from servicekit.graphql import ServiceContext

if TYPE_CHECKING:
    from booking.inject import Container


class BookingContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        self.locations: DataLoader[str, Location | None] = DataLoader(load_fn=self._load_locations)

    async def _load_locations(self, keys: list[str]) -> list[Location | None]:
        ids = []
        for key in keys:
            try:
                ids.append(uuid.UUID(key))
            except ValueError:
                continue
        async with self.container.db.unit_of_work() as session:
            found = {str(row.id): row for row in await repository.get_many(session, ids)}
        return [found.get(key) for key in keys]
