from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateUpstreamRequest(_message.Message):
    __slots__ = ["auth_header", "decision_timeout", "gated_tools", "name", "url"]
    AUTH_HEADER_FIELD_NUMBER: _ClassVar[int]
    DECISION_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    GATED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    auth_header: str
    decision_timeout: _duration_pb2.Duration
    gated_tools: _containers.RepeatedScalarFieldContainer[str]
    name: str
    url: str
    def __init__(self, name: _Optional[str] = ..., url: _Optional[str] = ..., auth_header: _Optional[str] = ..., gated_tools: _Optional[_Iterable[str]] = ..., decision_timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class CreateUpstreamResponse(_message.Message):
    __slots__ = ["upstream"]
    UPSTREAM_FIELD_NUMBER: _ClassVar[int]
    upstream: Upstream
    def __init__(self, upstream: _Optional[_Union[Upstream, _Mapping]] = ...) -> None: ...

class ListUpstreamsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListUpstreamsResponse(_message.Message):
    __slots__ = ["upstreams"]
    UPSTREAMS_FIELD_NUMBER: _ClassVar[int]
    upstreams: _containers.RepeatedCompositeFieldContainer[Upstream]
    def __init__(self, upstreams: _Optional[_Iterable[_Union[Upstream, _Mapping]]] = ...) -> None: ...

class Upstream(_message.Message):
    __slots__ = ["auth_header_set", "created_at", "created_by", "decision_timeout", "gated_tools", "name", "url"]
    AUTH_HEADER_SET_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    GATED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    auth_header_set: bool
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    decision_timeout: _duration_pb2.Duration
    gated_tools: _containers.RepeatedScalarFieldContainer[str]
    name: str
    url: str
    def __init__(self, name: _Optional[str] = ..., url: _Optional[str] = ..., auth_header_set: bool = ..., gated_tools: _Optional[_Iterable[str]] = ..., decision_timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...
