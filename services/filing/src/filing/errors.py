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


class NotInReviewerStage(InvalidState):
    default_message = Message(
        "该备案当前不在您的审核环节", "The record is not at your review stage"
    )


class OtherBranch(Forbidden):
    default_message = Message(
        "该备案不属于您所在分局的审核范围", "The record belongs to another branch"
    )


class NotReviewer(Forbidden):
    default_message = Message("仅出入境审核民警可以审核备案", "Only exit-entry officers review")


class MustEditFirst(InvalidState):
    default_message = Message(
        "备案已被驳回，请根据审批意见修改后（生成新版本）再提交",
        "The filing was rejected: edit it (a new revision) before submitting again",
    )


class ExamNotPassed(InvalidState):
    default_message = Message(
        "外管联络员考试尚未通过（需达到90分），不能提交备案",
        "The liaison has not passed the exam (90 points) yet",
    )


class NotFiledYet(InvalidState):
    default_message = Message(
        "单位备案审核通过后才能办理变更", "Changes are possible once the filing is approved"
    )


class OpenChangeExists(InvalidState):
    default_message = Message(
        "已有一项未完成的变更申请，请先完成或等待审核结果",
        "Another change request is still open; finish it or wait for its review",
    )
