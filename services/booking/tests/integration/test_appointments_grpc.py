"""booking.v1.Appointments over a real gRPC connection."""

from __future__ import annotations

import grpc
import httpx
import pytest

from booking.config import BookingSettings
from contracts.gen.booking.v1 import appointments_pb2 as pb
from contracts.gen.booking.v1 import appointments_pb2_grpc as pb_grpc


async def test_get_appointment_says_appointments_are_not_built_yet(
    booking: httpx.AsyncClient, booking_settings: BookingSettings
) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{booking_settings.grpc_port}") as channel:
        stub = pb_grpc.AppointmentsStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as failure:
            await stub.GetAppointment(pb.GetAppointmentRequest(appointment_id="a"), timeout=3)
    assert failure.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "not built yet" in (failure.value.details() or "")
