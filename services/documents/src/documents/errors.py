"""Documents' errors (all are AppError, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import Conflict, Forbidden, Message, NotFound


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


class NoEnterpriseToUploadFor(Forbidden):
    default_message = Message(
        "请先保存本单位的备案信息，再上传附件",
        "Save your enterprise's filing first, then upload attachments",
    )


class DownloadLinkInvalid(Forbidden):
    default_message = Message(
        "下载链接无效或已过期，请重新获取", "The download link is invalid or expired; get a new one"
    )
