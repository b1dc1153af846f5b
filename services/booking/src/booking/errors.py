"""Booking's errors (all are AppError, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import (
    Conflict,
    Forbidden,
    InvalidState,
    Message,
    NotFound,
    ValidationFailed,
)


class LocationNotFound(NotFound):
    default_message = Message("办理地点不存在", "No such location")


class AppointmentNotFound(NotFound):
    default_message = Message("预约不存在", "No such appointment")


class PersonNotFound(NotFound):
    default_message = Message("境外人员不存在", "No such foreign person")


class ApplicationNotFound(NotFound):
    default_message = Message("就业许可申请不存在", "No such employment application")


class OfferNotFound(NotFound):
    default_message = Message("候补名额不存在", "No such waitlist offer")


class WaitlistEntryNotFound(NotFound):
    default_message = Message("候补登记不存在", "No such waitlist entry")


class NotEnterpriseUser(Forbidden):
    default_message = Message(
        "仅涉外单位用户可以预约", "Only enterprise users can book appointments"
    )


class NoEnterprise(Forbidden):
    default_message = Message(
        "您的账号尚未关联涉外单位，暂不能预约",
        "Your account acts for no enterprise yet: it cannot book appointments",
    )


class NotOfficerOfService(Forbidden):
    default_message = Message(
        "您无权查看或办理该地点此项业务的预约",
        "You may not see or handle appointments of this service at this location",
    )


class SlotFull(Conflict):
    default_message = Message(
        "该时段已约满，请选择其他时段或登记候补",
        "This slot is fully booked: choose another slot or join the waitlist",
    )


class AlreadyBooked(Conflict):
    default_message = Message(
        "该人员已有此项业务的有效预约，请先取消或改约",
        "This person already has an active appointment for this service: "
        "cancel or reschedule it instead",
    )


class AlreadyWaiting(Conflict):
    default_message = Message(
        "该人员已在此项业务的候补名单中", "This person is already on a waitlist for this service"
    )


class DayAlreadyClosed(Conflict):
    default_message = Message("该日期已设为闭厅", "This day is already closed")


class LocationCodeTaken(Conflict):
    default_message = Message("地点编码已被使用", "This location code is already used")


class PastCancellationDeadline(InvalidState):
    default_message = Message(
        "已超过取消或改约的截止时间", "The deadline to cancel or reschedule has passed"
    )


class NotBooked(InvalidState):
    default_message = Message(
        "该预约已取消或已办结，不能再操作", "This appointment is no longer booked"
    )


class SlotNotStarted(InvalidState):
    default_message = Message(
        "预约时段尚未开始，不能登记到场或爽约",
        "The slot has not started yet: attendance cannot be recorded",
    )


class ApplicationNotPassed(InvalidState):
    default_message = Message(
        "该就业许可申请尚未通过预审，不能预约", "This application has not passed pre-review"
    )


class DayNotFull(InvalidState):
    default_message = Message(
        "该日仍有可预约时段，请直接预约", "This day still has free slots: book one directly"
    )


class DayNotBookable(InvalidState):
    default_message = Message(
        "该日不在可预约范围内或不办理此项业务",
        "This day is outside the booking window or the service is not offered that day",
    )


class OfferNotOpen(InvalidState):
    default_message = Message(
        "候补名额已过期或已处理", "This offer has expired or was already handled"
    )


class ServiceInUse(InvalidState):
    default_message = Message(
        "该业务仍有未办理的预约，不能从地点中移除",
        "This service still has booked appointments and cannot be removed from the location",
    )


def service_not_offered() -> ValidationFailed:
    return ValidationFailed.single(
        "serviceType", "该地点不办理此项业务", "this location does not offer this service"
    )


def slot_not_bookable(path: str = "slotId") -> ValidationFailed:
    return ValidationFailed.single(
        path,
        "该时段不可预约（不在预约范围内、非办公时间或闭厅）",
        "this slot cannot be booked (outside the booking window, outside opening hours, "
        "or the location is closed that day)",
    )
