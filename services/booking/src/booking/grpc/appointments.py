"""booking.v1.Appointments: appointments do not exist yet (a later issue adds them).

GetAppointment answers UNIMPLEMENTED with a message saying so, rather than NOT_FOUND or an empty
appointment, so that a caller cannot mistake "not built yet" for "no such appointment".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import grpc

from contracts.gen.booking.v1 import appointments_pb2 as pb
from contracts.gen.booking.v1 import appointments_pb2_grpc as pb_grpc

NOT_YET = "booking.v1.Appointments/GetAppointment: appointment booking is not built yet"


class AppointmentsServicer(pb_grpc.AppointmentsServicer):
    async def GetAppointment(
        self, request: pb.GetAppointmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Appointment:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, NOT_YET)
        raise AssertionError("abort raises")  # for type checkers: abort never returns


def register() -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        pb_grpc.add_AppointmentsServicer_to_server(AppointmentsServicer(), server)
        return [pb.DESCRIPTOR.services_by_name["Appointments"].full_name]

    return add
