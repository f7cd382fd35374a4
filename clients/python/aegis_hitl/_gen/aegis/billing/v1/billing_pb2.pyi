from google.api import annotations_pb2 as _annotations_pb2
from google.api import httpbody_pb2 as _httpbody_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChangePlanRequest(_message.Message):
    __slots__ = ["plan"]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: str
    def __init__(self, plan: _Optional[str] = ...) -> None: ...

class ChangePlanResponse(_message.Message):
    __slots__ = ["usage"]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    usage: Usage
    def __init__(self, usage: _Optional[_Union[Usage, _Mapping]] = ...) -> None: ...

class ExportUsageEventsRequest(_message.Message):
    __slots__ = ["period"]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: str
    def __init__(self, period: _Optional[str] = ...) -> None: ...

class GetUsageRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetUsageResponse(_message.Message):
    __slots__ = ["usage"]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    usage: Usage
    def __init__(self, usage: _Optional[_Union[Usage, _Mapping]] = ...) -> None: ...

class ListPlansRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListPlansResponse(_message.Message):
    __slots__ = ["plans"]
    PLANS_FIELD_NUMBER: _ClassVar[int]
    plans: _containers.RepeatedCompositeFieldContainer[Plan]
    def __init__(self, plans: _Optional[_Iterable[_Union[Plan, _Mapping]]] = ...) -> None: ...

class ListUsageEventsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "period"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    period: str
    def __init__(self, period: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListUsageEventsResponse(_message.Message):
    __slots__ = ["events", "next_page_token"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[UsageEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[UsageEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Plan(_message.Message):
    __slots__ = ["monthly_events", "name", "unlimited"]
    MONTHLY_EVENTS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNLIMITED_FIELD_NUMBER: _ClassVar[int]
    monthly_events: int
    name: str
    unlimited: bool
    def __init__(self, name: _Optional[str] = ..., monthly_events: _Optional[int] = ..., unlimited: bool = ...) -> None: ...

class Usage(_message.Message):
    __slots__ = ["limit", "period", "period_start", "plan", "remaining", "resets_at", "unlimited", "used"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    RESETS_AT_FIELD_NUMBER: _ClassVar[int]
    UNLIMITED_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    limit: int
    period: str
    period_start: _timestamp_pb2.Timestamp
    plan: str
    remaining: int
    resets_at: _timestamp_pb2.Timestamp
    unlimited: bool
    used: int
    def __init__(self, period: _Optional[str] = ..., plan: _Optional[str] = ..., used: _Optional[int] = ..., limit: _Optional[int] = ..., remaining: _Optional[int] = ..., unlimited: bool = ..., period_start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., resets_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UsageEvent(_message.Message):
    __slots__ = ["occurred_at", "period", "request_id"]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    occurred_at: _timestamp_pb2.Timestamp
    period: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., period: _Optional[str] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
