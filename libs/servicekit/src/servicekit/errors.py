"""One error hierarchy for every service, mapped once per edge (GraphQL, gRPC, consumers).

Messages are Chinese by default and English on request (`Accept-Language: en`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    INVALID_STATE = "INVALID_STATE"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    ACCOUNT_PENDING = "ACCOUNT_PENDING"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class Message:
    zh: str
    en: str

    def in_language(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass(frozen=True)
class FieldError:
    path: str
    message: Message


class AppError(Exception):
    """Base of every expected failure. Subclasses set `code` and a default message."""

    code: ErrorCode = ErrorCode.INTERNAL
    default_message = Message("内部错误", "Internal error")

    def __init__(self, message: Message | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message.en)


class Unauthenticated(AppError):
    code = ErrorCode.UNAUTHENTICATED
    default_message = Message("请先登录", "Sign-in required")


class Forbidden(AppError):
    code = ErrorCode.FORBIDDEN
    default_message = Message("无权执行此操作", "You are not allowed to do this")


class NotFound(AppError):
    code = ErrorCode.NOT_FOUND
    default_message = Message("记录不存在", "Not found")


class InvalidState(AppError):
    code = ErrorCode.INVALID_STATE
    default_message = Message("当前状态不允许此操作", "Not allowed in the current state")


class Conflict(AppError):
    code = ErrorCode.CONFLICT
    default_message = Message("记录已存在或已被修改", "Already exists or changed meanwhile")


class RateLimited(AppError):
    code = ErrorCode.RATE_LIMITED
    default_message = Message("操作过于频繁，请稍后再试", "Too many requests, try again later")


class AccountPending(AppError):
    code = ErrorCode.ACCOUNT_PENDING
    default_message = Message(
        "账号已提交出入境管理部门审核，将在三个工作小时内开通",
        "The account was submitted to the exit-entry department for approval; "
        "it is unlocked within three working hours",
    )


class AccountLocked(AppError):
    code = ErrorCode.ACCOUNT_LOCKED
    default_message = Message("账号已锁定", "The account is locked")


class PasswordChangeRequired(AppError):
    code = ErrorCode.PASSWORD_CHANGE_REQUIRED
    default_message = Message("首次登录请先修改密码", "Change your password first")


class ValidationFailed(AppError):
    code = ErrorCode.VALIDATION_FAILED
    default_message = Message("输入有误", "Invalid input")

    def __init__(self, fields: list[FieldError], message: Message | None = None) -> None:
        super().__init__(message)
        self.fields = fields

    @classmethod
    def single(cls, path: str, zh: str, en: str) -> ValidationFailed:
        return cls([FieldError(path, Message(zh, en))])


class UpstreamUnavailable(AppError):
    """A service this one depends on did not answer in time."""

    code = ErrorCode.INTERNAL
    default_message = Message(
        "依赖的服务暂时不可用，请稍后再试", "A dependency is unavailable, try again"
    )


class FieldErrors:
    """Collects field errors so that one request reports every wrong field at once."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, path: str, zh: str, en: str) -> None:
        self.items.append(FieldError(path, Message(zh, en)))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)
