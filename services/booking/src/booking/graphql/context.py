from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from booking.locations import repository
from booking.seats import repository as seats
from booking.seats.repository import SeatKey
from servicekit.graphql import ServiceContext, rows_by_id

if TYPE_CHECKING:
    from booking.inject import Container


class BookingContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        self.locations = rows_by_id(container.db, repository.get_many)
        self.seats: DataLoader[SeatKey, tuple[int, int] | None] = DataLoader(
            load_fn=self._load_seats, cache_key_fn=lambda key: key
        )

    async def _load_seats(self, keys: list[SeatKey]) -> list[tuple[int, int] | None]:
        """(capacity, booked) of each slot; None for a slot nobody booked yet."""
        async with self.container.db.unit_of_work() as session:
            found = await seats.get_many(session, keys)
        return [found.get(key) for key in keys]
