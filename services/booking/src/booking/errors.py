"""Booking's errors (all are AppError, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import Message, NotFound, ValidationFailed


class LocationNotFound(NotFound):
    default_message = Message("办理地点不存在", "No such location")


def service_not_offered() -> ValidationFailed:
    return ValidationFailed.single(
        "serviceType", "该地点不办理此项业务", "this location does not offer this service"
    )
