from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

AUDIT_PROBLEM_KIND_ALTERED: AuditProblemKind
AUDIT_PROBLEM_KIND_INSERTED: AuditProblemKind
AUDIT_PROBLEM_KIND_MISSING: AuditProblemKind
AUDIT_PROBLEM_KIND_UNSPECIFIED: AuditProblemKind
DESCRIPTOR: _descriptor.FileDescriptor

class Actor(_message.Message):
    __slots__ = ["method", "principal"]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    method: str
    principal: str
    def __init__(self, principal: _Optional[str] = ..., method: _Optional[str] = ...) -> None: ...

class AuditEvent(_message.Message):
    __slots__ = ["actor", "after", "after_json", "before", "before_json", "cause_request_id", "data", "data_json", "hash", "id", "kind", "occurred_at", "prev_id", "request_id", "sequence", "thread_id"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    AFTER_JSON_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    BEFORE_JSON_FIELD_NUMBER: _ClassVar[int]
    CAUSE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PREV_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    after: _struct_pb2.Struct
    after_json: str
    before: _struct_pb2.Struct
    before_json: str
    cause_request_id: str
    data: _struct_pb2.Struct
    data_json: str
    hash: str
    id: str
    kind: str
    occurred_at: _timestamp_pb2.Timestamp
    prev_id: str
    request_id: str
    sequence: int
    thread_id: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., before: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., after: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., cause_request_id: _Optional[str] = ..., hash: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., thread_id: _Optional[str] = ..., sequence: _Optional[int] = ..., prev_id: _Optional[str] = ..., before_json: _Optional[str] = ..., after_json: _Optional[str] = ..., data_json: _Optional[str] = ...) -> None: ...

class AuditProblem(_message.Message):
    __slots__ = ["event_id", "kind", "message", "position"]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    kind: AuditProblemKind
    message: str
    position: int
    def __init__(self, kind: _Optional[_Union[AuditProblemKind, str]] = ..., event_id: _Optional[str] = ..., position: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class ExportAuditEventsRequest(_message.Message):
    __slots__ = ["actor", "kind", "request_id", "since", "thread_id", "until"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    actor: str
    kind: str
    request_id: str
    since: _timestamp_pb2.Timestamp
    thread_id: str
    until: _timestamp_pb2.Timestamp
    def __init__(self, since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., thread_id: _Optional[str] = ..., actor: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ListAuditEventsRequest(_message.Message):
    __slots__ = ["actor", "kind", "page_size", "page_token", "request_id", "since", "thread_id", "until"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    actor: str
    kind: str
    page_size: int
    page_token: str
    request_id: str
    since: _timestamp_pb2.Timestamp
    thread_id: str
    until: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., thread_id: _Optional[str] = ..., actor: _Optional[str] = ..., kind: _Optional[str] = ..., since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAuditEventsResponse(_message.Message):
    __slots__ = ["events", "next_page_token"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AuditEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[AuditEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class VerifyAuditChainRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class VerifyAuditChainResponse(_message.Message):
    __slots__ = ["events_checked", "head_hash", "head_sequence", "ok", "problem", "unsealed_events"]
    EVENTS_CHECKED_FIELD_NUMBER: _ClassVar[int]
    HEAD_HASH_FIELD_NUMBER: _ClassVar[int]
    HEAD_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    OK_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    UNSEALED_EVENTS_FIELD_NUMBER: _ClassVar[int]
    events_checked: int
    head_hash: str
    head_sequence: int
    ok: bool
    problem: AuditProblem
    unsealed_events: int
    def __init__(self, ok: bool = ..., events_checked: _Optional[int] = ..., unsealed_events: _Optional[int] = ..., problem: _Optional[_Union[AuditProblem, _Mapping]] = ..., head_sequence: _Optional[int] = ..., head_hash: _Optional[str] = ...) -> None: ...

class AuditProblemKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
