"""Documents' errors (all are AppError, mapped at each edge by servicekit)."""

from __future__ import annotations

from servicekit.errors import Conflict, Message, NotFound


class DocumentNotFound(NotFound):
    default_message = Message("文件不存在", "Document not found")


class RevisionAlreadyStored(Conflict):
    default_message = Message(
        "该文件此版本已生成，内容不同",
        "This revision of the document was already stored with other content",
    )
