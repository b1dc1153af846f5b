"""Filing's errors (AppError subclasses, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import Forbidden, InvalidState, Message


class AccountNotActive(Forbidden):
    default_message = Message("账号尚未审核通过，不能办理备案", "The account is not approved yet")


class NotEnterpriseUser(Forbidden):
    default_message = Message("仅企业用户可以办理备案", "Only enterprise users can file")


class FilingLocked(InvalidState):
    default_message = Message(
        "备案已提交审核，当前不能修改", "The filing is under review and cannot be changed"
    )
