"""Personnel's errors (all are AppError, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import Conflict, Forbidden, InvalidState, Message


class NotEnterpriseUser(Forbidden):
    default_message = Message(
        "仅涉外单位用户可以登记境外人员", "Only enterprise users can register foreign persons"
    )


class NoEnterprise(InvalidState):
    default_message = Message(
        "请先完成涉外单位备案，备案审核通过后方可登记境外人员",
        "File your enterprise first: foreign persons can be registered once the filing is approved",
    )


class EnterpriseNotFiled(InvalidState):
    default_message = Message(
        "本单位的涉外单位备案尚未审核通过，暂不能登记境外人员",
        "Your enterprise's filing is not approved yet: "
        "foreign persons can be registered once it is",
    )


class DuplicateDocument(Conflict):
    default_message = Message(
        "该证件号码已在本单位登记", "This document number is already registered for your enterprise"
    )
