"""Demo data for `./dev up`: two exit-entry halls and one labour service window in Qingdao
(idempotent: a location whose code exists is left as it is, but for a missing telephone number).
Addresses and numbers are illustrative."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time

from sqlalchemy import select

from booking.config import BookingSettings
from booking.locations.models import Location, LocationService, OpeningHours, ServiceType
from servicekit.db import Database, make_engine

# Monday–Friday, with the lunch break usual in Chinese government offices.
WORKING_DAY_PERIODS = [(time(9, 0), time(12, 0)), (time(13, 30), time(17, 0))]
MONDAY_TO_FRIDAY = range(5)


@dataclass(frozen=True)
class DemoLocation:
    code: str
    name: str
    address: str
    district: str
    phone: str
    service_type: ServiceType
    capacity_per_slot: int


DEMO_LOCATIONS = [
    DemoLocation(
        "QD-SN-EXIT",
        "青岛市公安局出入境管理局市南办证大厅",
        "山东省青岛市市南区山东路29号",
        "370202",
        "0532-66572000",
        ServiceType.EXIT_ENTRY,
        4,
    ),
    DemoLocation(
        "QD-XHA-EXIT",
        "青岛市公安局出入境管理局西海岸新区办证大厅",
        "山东省青岛市黄岛区长江中路216号",
        "370211",
        "0532-86992000",
        ServiceType.EXIT_ENTRY,
        3,
    ),
    DemoLocation(
        "QD-LABOUR",
        "青岛市人力资源和社会保障局外国人工作服务窗口",
        "山东省青岛市崂山区株洲路177号青岛市政务服务大厅二楼",
        "370212",
        "0532-12333",
        ServiceType.LABOUR_PERMIT,
        2,
    ),
]


async def seed_demo(settings: BookingSettings) -> None:
    db = Database(make_engine(settings.database_url, 2))
    try:
        async with db.unit_of_work() as session:
            existing = {row.code: row for row in await session.scalars(select(Location))}
            for demo in DEMO_LOCATIONS:
                if demo.code in existing:
                    # Seeded before locations had a telephone number (printed on slips).
                    existing[demo.code].phone = existing[demo.code].phone or demo.phone
                    continue
                location_id = uuid.uuid4()
                session.add(
                    Location(
                        id=location_id,
                        code=demo.code,
                        name=demo.name,
                        address=demo.address,
                        district=demo.district,
                        phone=demo.phone,
                    )
                )
                session.add(
                    LocationService(
                        location_id=location_id,
                        service_type=demo.service_type,
                        slot_minutes=30,
                        capacity_per_slot=demo.capacity_per_slot,
                        booking_window_days=14,
                        cancel_deadline_hours=24,
                    )
                )
                await session.flush()  # opening hours reference the location's service
                session.add_all(
                    OpeningHours(
                        location_id=location_id,
                        service_type=demo.service_type,
                        weekday=weekday,
                        opens=opens,
                        closes=closes,
                    )
                    for weekday in MONDAY_TO_FRIDAY
                    for opens, closes in WORKING_DAY_PERIODS
                )
    finally:
        await db.dispose()
