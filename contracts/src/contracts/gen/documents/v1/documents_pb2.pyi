from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class RenderRequest(_message.Message):
    __slots__ = ("kind", "subject_id", "revision", "data_json", "owner_enterprise_id", "owner_account_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    OWNER_ENTERPRISE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    subject_id: str
    revision: int
    data_json: str
    owner_enterprise_id: str
    owner_account_id: str
    def __init__(self, kind: _Optional[str] = ..., subject_id: _Optional[str] = ..., revision: _Optional[int] = ..., data_json: _Optional[str] = ..., owner_enterprise_id: _Optional[str] = ..., owner_account_id: _Optional[str] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("id", "kind", "title", "sha256", "revision", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    title: str
    sha256: str
    revision: int
    created_at: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., title: _Optional[str] = ..., sha256: _Optional[str] = ..., revision: _Optional[int] = ..., created_at: _Optional[str] = ...) -> None: ...

class GetAttachmentRequest(_message.Message):
    __slots__ = ("attachment_id",)
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    attachment_id: str
    def __init__(self, attachment_id: _Optional[str] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("id", "kind", "file_name", "content_type", "size", "sha256", "owner_enterprise_id", "printed_kind", "printed_subject_id", "printed_revision", "uploaded_by", "owner_account_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    OWNER_ENTERPRISE_ID_FIELD_NUMBER: _ClassVar[int]
    PRINTED_KIND_FIELD_NUMBER: _ClassVar[int]
    PRINTED_SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PRINTED_REVISION_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_BY_FIELD_NUMBER: _ClassVar[int]
    OWNER_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    owner_enterprise_id: str
    printed_kind: str
    printed_subject_id: str
    printed_revision: int
    uploaded_by: str
    owner_account_id: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., file_name: _Optional[str] = ..., content_type: _Optional[str] = ..., size: _Optional[int] = ..., sha256: _Optional[str] = ..., owner_enterprise_id: _Optional[str] = ..., printed_kind: _Optional[str] = ..., printed_subject_id: _Optional[str] = ..., printed_revision: _Optional[int] = ..., uploaded_by: _Optional[str] = ..., owner_account_id: _Optional[str] = ...) -> None: ...

class VerifyTokenRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class Verification(_message.Message):
    __slots__ = ("genuine", "kind", "subject_id", "revision", "current", "issued_at")
    GENUINE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    genuine: bool
    kind: str
    subject_id: str
    revision: int
    current: bool
    issued_at: str
    def __init__(self, genuine: _Optional[bool] = ..., kind: _Optional[str] = ..., subject_id: _Optional[str] = ..., revision: _Optional[int] = ..., current: _Optional[bool] = ..., issued_at: _Optional[str] = ...) -> None: ...
