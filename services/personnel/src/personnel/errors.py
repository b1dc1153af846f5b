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


# --- employment applications ---------------------------------------------------------------


class NotApplicant(Forbidden):
    default_message = Message(
        "仅涉外单位用户可以办理就业许可申请",
        "Only enterprise users can apply for employment permits",
    )


class NotLabourOfficer(Forbidden):
    default_message = Message(
        "仅劳动就业服务管理机构的工作人员可以预审就业许可申请",
        "Only labour officers pre-review employment applications",
    )


class ApplicationsNeedFiling(InvalidState):
    default_message = Message(
        "本单位的涉外单位备案尚未审核通过，暂不能办理就业许可申请",
        "Your enterprise's filing is not approved yet: "
        "employment applications can be made once it is",
    )


class ApplicationLocked(InvalidState):
    default_message = Message(
        "申请已提交，提交后不可修改（预审不通过后方可修改）",
        "The application was submitted and cannot be changed (only after a failed pre-review)",
    )


class AlreadySubmitted(InvalidState):
    default_message = Message("该申请已提交，请勿重复提交", "The application was already submitted")


class MustModifyFirst(InvalidState):
    default_message = Message(
        "该申请未通过预审，请先按预审意见修改后再提交",
        "The application failed pre-review: modify it before submitting again",
    )


class NotAwaitingPreReview(InvalidState):
    default_message = Message("该申请不在待预审状态", "The application is not awaiting pre-review")


class KindDiscontinued(InvalidState):
    default_message = Message(
        "台港澳人员就业证已于2018年停办，本系统不再受理此类申请",
        "TW/HK/Macau employment certificates were abolished in 2018: "
        "these applications are no longer accepted",
    )


class RegistrationExists(Conflict):
    default_message = Message(
        "该《聘用外国人就业申请表》已填写过《外国人就业登记表》，不能重复填写",
        "A registration form was already filled for this recruitment application",
    )
