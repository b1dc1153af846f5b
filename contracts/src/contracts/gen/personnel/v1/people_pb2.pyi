from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class GetForeignPersonRequest(_message.Message):
    __slots__ = ("person_id",)
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    def __init__(self, person_id: _Optional[str] = ...) -> None: ...

class ForeignPerson(_message.Message):
    __slots__ = ("id", "enterprise_id", "surname", "given_names", "nationality", "document_type", "document_number")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_ID_FIELD_NUMBER: _ClassVar[int]
    SURNAME_FIELD_NUMBER: _ClassVar[int]
    GIVEN_NAMES_FIELD_NUMBER: _ClassVar[int]
    NATIONALITY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    id: str
    enterprise_id: str
    surname: str
    given_names: str
    nationality: str
    document_type: str
    document_number: str
    def __init__(self, id: _Optional[str] = ..., enterprise_id: _Optional[str] = ..., surname: _Optional[str] = ..., given_names: _Optional[str] = ..., nationality: _Optional[str] = ..., document_type: _Optional[str] = ..., document_number: _Optional[str] = ...) -> None: ...

class GetApplicationRequest(_message.Message):
    __slots__ = ("application_id",)
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    def __init__(self, application_id: _Optional[str] = ...) -> None: ...

class Application(_message.Message):
    __slots__ = ("id", "enterprise_id", "foreign_person_id", "kind", "submission", "review")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_ID_FIELD_NUMBER: _ClassVar[int]
    FOREIGN_PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    id: str
    enterprise_id: str
    foreign_person_id: str
    kind: str
    submission: str
    review: str
    def __init__(self, id: _Optional[str] = ..., enterprise_id: _Optional[str] = ..., foreign_person_id: _Optional[str] = ..., kind: _Optional[str] = ..., submission: _Optional[str] = ..., review: _Optional[str] = ...) -> None: ...
