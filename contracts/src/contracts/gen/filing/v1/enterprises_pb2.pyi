from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EnterpriseStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTERPRISE_STATUS_UNSPECIFIED: _ClassVar[EnterpriseStatus]
    ENTERPRISE_STATUS_UNFILED: _ClassVar[EnterpriseStatus]
    ENTERPRISE_STATUS_FILED: _ClassVar[EnterpriseStatus]
ENTERPRISE_STATUS_UNSPECIFIED: EnterpriseStatus
ENTERPRISE_STATUS_UNFILED: EnterpriseStatus
ENTERPRISE_STATUS_FILED: EnterpriseStatus

class GetEnterpriseRequest(_message.Message):
    __slots__ = ("enterprise_id", "account_id")
    ENTERPRISE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    enterprise_id: str
    account_id: str
    def __init__(self, enterprise_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class Enterprise(_message.Message):
    __slots__ = ("id", "name", "uscc", "district", "status", "address", "phone", "legal_representative", "contact_person", "contact_phone", "member_account_ids")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    LEGAL_REPRESENTATIVE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_PERSON_FIELD_NUMBER: _ClassVar[int]
    CONTACT_PHONE_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    uscc: str
    district: str
    status: EnterpriseStatus
    address: str
    phone: str
    legal_representative: str
    contact_person: str
    contact_phone: str
    member_account_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., uscc: _Optional[str] = ..., district: _Optional[str] = ..., status: _Optional[_Union[EnterpriseStatus, str]] = ..., address: _Optional[str] = ..., phone: _Optional[str] = ..., legal_representative: _Optional[str] = ..., contact_person: _Optional[str] = ..., contact_phone: _Optional[str] = ..., member_account_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class IsEnterpriseActiveRequest(_message.Message):
    __slots__ = ("enterprise_id",)
    ENTERPRISE_ID_FIELD_NUMBER: _ClassVar[int]
    enterprise_id: str
    def __init__(self, enterprise_id: _Optional[str] = ...) -> None: ...

class EnterpriseActive(_message.Message):
    __slots__ = ("active",)
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    active: bool
    def __init__(self, active: _Optional[bool] = ...) -> None: ...

class ListLiaisonsRequest(_message.Message):
    __slots__ = ("enterprise_id",)
    ENTERPRISE_ID_FIELD_NUMBER: _ClassVar[int]
    enterprise_id: str
    def __init__(self, enterprise_id: _Optional[str] = ...) -> None: ...

class Liaison(_message.Message):
    __slots__ = ("id", "name", "mobile", "account_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MOBILE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    mobile: str
    account_id: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., mobile: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class ListLiaisonsResponse(_message.Message):
    __slots__ = ("liaisons",)
    LIAISONS_FIELD_NUMBER: _ClassVar[int]
    liaisons: _containers.RepeatedCompositeFieldContainer[Liaison]
    def __init__(self, liaisons: _Optional[_Iterable[_Union[Liaison, _Mapping]]] = ...) -> None: ...
