"""Documents' errors (all are AppError, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import Conflict, FieldError, Forbidden, Message, NotFound, ValidationFailed


class DocumentNotFound(NotFound):
    default_message = Message("文件不存在", "Document not found")


class RevisionAlreadyStored(Conflict):
    default_message = Message(
        "该文件此版本已生成，内容不同",
        "This revision of the document was already stored with other content",
    )


class AttachmentNotFound(NotFound):
    default_message = Message("附件不存在", "Attachment not found")


class AttachmentForbidden(Forbidden):
    default_message = Message(
        "无权查看此附件（仅上传单位和审核人员可查看）",
        "You may not read this attachment (only its enterprise and officers may)",
    )


class DownloadLinkInvalid(Forbidden):
    default_message = Message(
        "下载链接无效或已过期，请重新获取", "The download link is invalid or expired; get a new one"
    )


class PrintedFormSuperseded(ValidationFailed):
    """The scanned form was printed from a revision that a newer one has replaced: what was
    signed is not what the enterprise filed last, so it must print the latest form again."""

    def __init__(self, printed_revision: int, latest_revision: int) -> None:
        super().__init__(
            [
                FieldError(
                    "file",
                    Message(
                        f"该表格打印自第{printed_revision}版，已有第{latest_revision}版，"
                        "请下载最新版本打印后上传",
                        f"This form was printed from revision {printed_revision}; revision "
                        f"{latest_revision} exists. Download the latest form, print it and "
                        "upload it again",
                    ),
                )
            ]
        )
