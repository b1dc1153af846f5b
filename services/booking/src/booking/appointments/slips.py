"""Appointment slips (预约单), rendered by documents (kind APPOINTMENT_SLIP, subject = the
appointment, revision = the appointment's revision, so the QR code of a slip printed before a
reschedule reads as superseded)."""

from __future__ import annotations

import json
from typing import Any

import servicekit.rpc as rpc
from booking.appointments.models import Appointment
from booking.locations.models import Location, ServiceType
from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from servicekit.calendar import CHINA_TZ

KIND = "APPOINTMENT_SLIP"
SERVICE_NAMES = {
    ServiceType.EXIT_ENTRY: "外国人出入境证件业务",
    ServiceType.LABOUR_PERMIT: "外国人工作许可业务",
}
# Printed when personnel cannot say the number; the officer checks the original at the window.
DOCUMENT_NUMBER = "以证件原件为准"


def masked(number: str) -> str:
    """The travel document number as the slip prints it: enough to match the person at the
    window (who shows the original), not enough to copy it from a lost slip."""
    if len(number) <= 4:
        return DOCUMENT_NUMBER
    return f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}"


def slip_data(
    appointment: Appointment,
    location: Location,
    cancel_deadline_hours: int,
    phone: str,
    document_number: str = "",
) -> dict[str, Any]:
    starts = appointment.starts_at.astimezone(CHINA_TZ)
    ends = appointment.ends_at.astimezone(CHINA_TZ)
    notes = ["请提前15分钟到达，携带本预约单、本人证件原件及所需材料。"]
    if cancel_deadline_hours:
        notes.append(f"如需取消或改约，请在预约时段开始前{cancel_deadline_hours}小时在系统中操作。")
    else:
        notes.append("如需取消或改约，请在预约时段开始前在系统中操作。")
    notes.append("窗口工作人员可扫描右上角二维码核验预约单；改约后请重新打印。")
    return {
        "booking_number": appointment.number,
        "service_type": SERVICE_NAMES[ServiceType(appointment.service_type)],
        "location_name": location.name,
        "location_address": location.address,
        "location_phone": location.phone or phone,
        "day": starts.date().isoformat(),
        "start_time": starts.strftime("%H:%M"),
        "end_time": ends.strftime("%H:%M"),
        "person_name": appointment.person_name,
        "document_number": masked(document_number) if document_number else DOCUMENT_NUMBER,
        "enterprise_name": appointment.enterprise_name,
        "notes": notes,
    }


class SlipPrinter:
    def __init__(self, target: str, deadline_seconds: float) -> None:
        self._documents = rpc.LazyStub(target, pb_grpc.DocumentsStub)
        self._deadline = deadline_seconds

    async def render(self, appointment: Appointment, data: dict[str, Any]) -> str:
        """The slip's document id (documents renders once per kind/subject/revision)."""
        reply = await rpc.call(
            self._documents.stub.Render,
            pb.RenderRequest(
                kind=KIND,
                subject_id=str(appointment.id),
                revision=appointment.revision,
                data_json=json.dumps(data, ensure_ascii=False),
                owner_enterprise_id=str(appointment.enterprise_id),
            ),
            timeout=self._deadline,
        )
        return str(reply.id)

    async def close(self) -> None:
        await self._documents.close()
