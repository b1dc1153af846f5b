"""Admins' management of locations: services with slot length, capacity, booking window and
cancellation deadline, weekly opening hours (several periods a day: breaks), ad-hoc closed days.

Public holidays need no entry: the working-day calendar closes them (and opens 调休 make-up
workdays). Changing hours or slot length leaves existing appointments where they are; a new
capacity applies to future slots but never below the seats already taken there. A service with
booked future appointments cannot be removed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from itertools import pairwise

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking.appointments import repository as appointments
from booking.errors import LocationCodeTaken, LocationNotFound, ServiceInUse
from booking.locations import repository
from booking.locations.models import Location, LocationService, OpeningHours, ServiceType
from booking.locations.schemas import LocationForm, ServiceForm
from booking.seats import repository as seats
from servicekit.auth import Actor, Role
from servicekit.db import utcnow
from servicekit.errors import FieldErrors

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
DISTRICT = re.compile(r"^\d{6}$")
PHONE = re.compile(r"^[\d\-+() ]{5,20}$")
LIMITS = {
    "slotMinutes": (5, 480),
    "capacityPerSlot": (1, 1000),
    "bookingWindowDays": (1, 90),
    "cancelDeadlineHours": (0, 720),
}


@dataclass
class LocationAdmin:
    clock: Callable[[], datetime] = field(default=utcnow)

    async def create(self, session: AsyncSession, actor: Actor, form: LocationForm) -> Location:
        actor.require(Role.ADMIN)
        check_form(form)
        location = Location(
            id=uuid.uuid4(),
            code=form.code,
            name=form.name.strip(),
            address=form.address.strip(),
            district=form.district,
            phone=form.phone,
            is_active=form.is_active,
        )
        session.add(location)
        await _flush(session)
        for service in form.services:
            await self._add_service(session, location.id, service)
        return await _reloaded(session, location.id)

    async def update(
        self, session: AsyncSession, actor: Actor, location_id: str, form: LocationForm
    ) -> Location:
        actor.require(Role.ADMIN)
        location = await repository.get(session, _uuid(location_id), for_update=True)
        if location is None:
            raise LocationNotFound()
        check_form(form)
        now = self.clock()
        wanted = {s.service_type: s for s in form.services}
        for existing in location.services:
            kind = ServiceType(existing.service_type)
            if kind not in wanted and await appointments.future_booked_count(
                session, location.id, kind, now
            ):
                raise ServiceInUse()
        location.code = form.code
        location.name = form.name.strip()
        location.address = form.address.strip()
        location.district = form.district
        location.phone = form.phone
        location.is_active = form.is_active
        await _flush(session)
        await session.execute(delete(OpeningHours).where(OpeningHours.location_id == location.id))
        await session.execute(
            delete(LocationService).where(LocationService.location_id == location.id)
        )
        for service in form.services:
            await self._add_service(session, location.id, service)
            await seats.set_capacity(
                session, location.id, service.service_type, service.capacity_per_slot, now
            )
        return await _reloaded(session, location.id)

    async def _add_service(
        self, session: AsyncSession, location_id: uuid.UUID, form: ServiceForm
    ) -> None:
        session.add(
            LocationService(
                location_id=location_id,
                service_type=form.service_type,
                slot_minutes=form.slot_minutes,
                capacity_per_slot=form.capacity_per_slot,
                booking_window_days=form.booking_window_days,
                booking_starts_days=form.booking_starts_days,
                cancel_deadline_hours=form.cancel_deadline_hours,
            )
        )
        await session.flush()
        session.add_all(
            OpeningHours(
                location_id=location_id,
                service_type=form.service_type,
                weekday=period.weekday,
                opens=period.opens,
                closes=period.closes,
            )
            for period in form.opening_hours
        )
        await session.flush()


def check_form(form: LocationForm) -> None:
    """Every wrong field at once."""
    errors = FieldErrors()
    if not CODE.match(form.code):
        errors.add("code", "编码为2–32位大写字母、数字或连字符", "2–32 capitals, digits or hyphens")
    if not 1 <= len(form.name.strip()) <= 128:
        errors.add("name", "名称长度为1–128个字符", "1–128 characters")
    if not 1 <= len(form.address.strip()) <= 255:
        errors.add("address", "地址长度为1–255个字符", "1–255 characters")
    if not DISTRICT.match(form.district):
        errors.add("district", "行政区划代码为6位数字", "a six-digit district code")
    if form.phone is not None and not PHONE.match(form.phone):
        errors.add("phone", "电话号码格式不正确", "not a telephone number")
    if not form.services:
        errors.add("services", "至少办理一项业务", "at least one service")
    seen: set[ServiceType] = set()
    for i, service in enumerate(form.services):
        path = f"services[{i}]"
        if service.service_type in seen:
            errors.add(f"{path}.serviceType", "业务重复", "listed twice")
        seen.add(service.service_type)
        _check_service(errors, path, service)
    errors.raise_if_any()


def _check_service(errors: FieldErrors, path: str, service: ServiceForm) -> None:
    values = {
        "slotMinutes": service.slot_minutes,
        "capacityPerSlot": service.capacity_per_slot,
        "bookingWindowDays": service.booking_window_days,
        "cancelDeadlineHours": service.cancel_deadline_hours,
    }
    for name, value in values.items():
        low, high = LIMITS[name]
        if not low <= value <= high:
            errors.add(f"{path}.{name}", f"取值范围为{low}–{high}", f"must be {low}–{high}")
    if not 1 <= service.booking_starts_days <= service.booking_window_days:
        errors.add(
            f"{path}.bookingStartsDays",
            "须在1天与预约期限之间",
            "must be between 1 and bookingWindowDays",
        )
    if not service.opening_hours:
        errors.add(f"{path}.openingHours", "至少设置一个办公时段", "at least one opening period")
    by_day: dict[int, list[tuple[int, time, time]]] = {}
    for j, period in enumerate(service.opening_hours):
        where = f"{path}.openingHours[{j}]"
        if not 0 <= period.weekday <= 6:
            errors.add(f"{where}.weekday", "星期取值为0（周一）–6（周日）", "0 (Monday) – 6")
        if period.opens >= period.closes:
            errors.add(f"{where}.closes", "结束时间须晚于开始时间", "must be after opens")
            continue
        by_day.setdefault(period.weekday, []).append((j, period.opens, period.closes))
    for periods in by_day.values():
        periods.sort(key=lambda p: p[1])
        for (_, _, closes), (j, opens, _) in pairwise(periods):
            if opens < closes:
                errors.add(
                    f"{path}.openingHours[{j}].opens",
                    "与同日其他时段重叠",
                    "overlaps another period of the same day",
                )


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_locations_code" in str(exc.orig):
            raise LocationCodeTaken() from exc
        raise


async def _reloaded(session: AsyncSession, location_id: uuid.UUID) -> Location:
    location = await repository.get(session, location_id, refresh=True)
    assert location is not None
    return location


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise LocationNotFound() from exc
