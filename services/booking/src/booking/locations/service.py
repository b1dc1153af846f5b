"""Location rules: which locations a user may book at."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from booking.errors import LocationNotFound
from booking.locations import repository
from booking.locations.models import Location, ServiceType
from servicekit.auth import Actor


async def bookable_locations(
    session: AsyncSession, actor: Actor, service_type: ServiceType | None
) -> list[Location]:
    """Active locations (with services and opening hours), optionally those offering one
    service type. Any signed-in user may see them: locations are public information."""
    return await repository.active(session, service_type)


async def bookable_location(session: AsyncSession, actor: Actor, location_id: str) -> Location:
    """An active location by its id; an unknown, malformed or inactive id is NOT_FOUND."""
    try:
        key = uuid.UUID(location_id)
    except ValueError as exc:
        raise LocationNotFound() from exc
    location = await repository.get(session, key)
    if location is None or not location.is_active:
        raise LocationNotFound()
    return location
