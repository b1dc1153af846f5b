"""Which officers handle which appointments: exit-entry officers (branch officers only at
locations in their districts) the EXIT_ENTRY service, labour officers LABOUR_PERMIT, admins all."""

from __future__ import annotations

from booking.locations.models import Location, ServiceType
from servicekit.auth import Actor, Role

OFFICERS_OF: dict[ServiceType, frozenset[Role]] = {
    ServiceType.EXIT_ENTRY: frozenset({Role.BRANCH_OFFICER, Role.CITY_OFFICER, Role.ADMIN}),
    ServiceType.LABOUR_PERMIT: frozenset({Role.LABOUR_OFFICER, Role.ADMIN}),
}
CITY_WIDE = frozenset({Role.CITY_OFFICER, Role.LABOUR_OFFICER, Role.ADMIN})


def handles(actor: Actor, location: Location, service_type: ServiceType | str) -> bool:
    roles = OFFICERS_OF[ServiceType(service_type)]
    if actor.has_any(roles & CITY_WIDE):
        return True
    return Role.BRANCH_OFFICER in roles & actor.roles and location.district in actor.districts
