"""Identity's errors (all are AppError, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import Forbidden, Message, Unauthenticated, ValidationFailed

WRONG_CREDENTIALS = Message("用户名或密码错误", "Wrong username or password")


class WrongCredentials(Unauthenticated):
    default_message = WRONG_CREDENTIALS


class AccountRejected(Forbidden):
    default_message = Message("账号注册申请未通过审核", "The account registration was rejected")


class AccountDisabled(Forbidden):
    default_message = Message("账号已停用", "The account is disabled")


def wrong_code() -> ValidationFailed:
    return ValidationFailed.single("code", "验证码错误或已过期", "wrong or expired code")
