"""booking.v1.Appointments: a thin servicer over the appointments repository (other services
ask about an appointment they were given the id of; no actor is involved)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

import grpc

from booking.appointments import repository
from booking.appointments.events import china_time
from booking.errors import AppointmentNotFound
from contracts.gen.booking.v1 import appointments_pb2 as pb
from contracts.gen.booking.v1 import appointments_pb2_grpc as pb_grpc
from servicekit.db import Database


class AppointmentsServicer(pb_grpc.AppointmentsServicer):
    def __init__(self, db: Database) -> None:
        self.db = db

    async def GetAppointment(
        self, request: pb.GetAppointmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Appointment:
        try:
            key = uuid.UUID(request.appointment_id)
        except ValueError as exc:
            raise AppointmentNotFound() from exc
        async with self.db.unit_of_work() as session:
            appointment = await repository.get(session, key)
        if appointment is None:
            raise AppointmentNotFound()
        return pb.Appointment(
            id=str(appointment.id),
            number=appointment.number,
            status=str(appointment.status),
            location_id=str(appointment.location_id),
            starts_at=china_time(appointment.starts_at),
            enterprise_id=str(appointment.enterprise_id),
        )


def register(db: Database) -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        pb_grpc.add_AppointmentsServicer_to_server(AppointmentsServicer(db), server)
        return [pb.DESCRIPTOR.services_by_name["Appointments"].full_name]

    return add
