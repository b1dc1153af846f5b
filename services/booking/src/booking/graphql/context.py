from __future__ import annotations

from typing import TYPE_CHECKING

from booking.locations import repository
from servicekit.graphql import ServiceContext, rows_by_id

if TYPE_CHECKING:
    from booking.inject import Container


class BookingContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        self.locations = rows_by_id(container.db, repository.get_many)
