from aegis.api.v1 import rest_pb2 as _rest_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import httpbody_pb2 as _httpbody_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACTION_STATE_APPROVED: ActionState
ACTION_STATE_COMMITTED: ActionState
ACTION_STATE_EXECUTING: ActionState
ACTION_STATE_EXPIRED: ActionState
ACTION_STATE_FAILED: ActionState
ACTION_STATE_PENDING: ActionState
ACTION_STATE_REJECTED: ActionState
ACTION_STATE_UNSPECIFIED: ActionState
DECISION_METHOD_HUMAN: DecisionMethod
DECISION_METHOD_POLICY: DecisionMethod
DECISION_METHOD_TIMEOUT: DecisionMethod
DECISION_METHOD_UNSPECIFIED: DecisionMethod
DECISION_OUTCOME_APPROVE: DecisionOutcome
DECISION_OUTCOME_REJECT: DecisionOutcome
DECISION_OUTCOME_UNSPECIFIED: DecisionOutcome
DESCRIPTOR: _descriptor.FileDescriptor
EXECUTION_STATUS_FAILED: ExecutionStatus
EXECUTION_STATUS_REPLAYED: ExecutionStatus
EXECUTION_STATUS_STARTED: ExecutionStatus
EXECUTION_STATUS_UNSPECIFIED: ExecutionStatus
WATCH_EVENT_KIND_HEARTBEAT: WatchEventKind
WATCH_EVENT_KIND_SNAPSHOT: WatchEventKind
WATCH_EVENT_KIND_TRANSITION: WatchEventKind
WATCH_EVENT_KIND_UNSPECIFIED: WatchEventKind
WATCH_UNTIL_DECIDED: WatchUntil
WATCH_UNTIL_FINISHED: WatchUntil
WATCH_UNTIL_UNSPECIFIED: WatchUntil

class Action(_message.Message):
    __slots__ = ["comment_for_reviewer", "created_at", "decision", "decision_deadline", "execution", "idempotency_key", "on_timeout", "payload", "payload_hash", "payload_json", "request_id", "state", "thread_id", "updated_at", "version"]
    COMMENT_FOR_REVIEWER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DECISION_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    EXECUTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ON_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_HASH_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    comment_for_reviewer: str
    created_at: _timestamp_pb2.Timestamp
    decision: Decision
    decision_deadline: _timestamp_pb2.Timestamp
    execution: Execution
    idempotency_key: str
    on_timeout: DecisionOutcome
    payload: _struct_pb2.Struct
    payload_hash: str
    payload_json: str
    request_id: str
    state: ActionState
    thread_id: str
    updated_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, request_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., thread_id: _Optional[str] = ..., state: _Optional[_Union[ActionState, str]] = ..., decision: _Optional[_Union[Decision, _Mapping]] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., payload_json: _Optional[str] = ..., payload_hash: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., decision_deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., on_timeout: _Optional[_Union[DecisionOutcome, str]] = ..., comment_for_reviewer: _Optional[str] = ..., execution: _Optional[_Union[Execution, _Mapping]] = ...) -> None: ...

class ApproveRequest(_message.Message):
    __slots__ = ["comment", "http_body", "idempotency_key", "payload", "payload_json", "thread_id"]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    HTTP_BODY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    comment: str
    http_body: _httpbody_pb2.HttpBody
    idempotency_key: str
    payload: _struct_pb2.Struct
    payload_json: str
    thread_id: str
    def __init__(self, idempotency_key: _Optional[str] = ..., thread_id: _Optional[str] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., payload_json: _Optional[str] = ..., comment: _Optional[str] = ..., http_body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ...) -> None: ...

class ApproveResponse(_message.Message):
    __slots__ = ["action"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: Action
    def __init__(self, action: _Optional[_Union[Action, _Mapping]] = ...) -> None: ...

class BeginExecutionRequest(_message.Message):
    __slots__ = ["idempotency_key", "lease_ttl", "payload", "payload_json", "require_approval", "thread_id"]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    LEASE_TTL_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    lease_ttl: _duration_pb2.Duration
    payload: _struct_pb2.Struct
    payload_json: str
    require_approval: bool
    thread_id: str
    def __init__(self, idempotency_key: _Optional[str] = ..., thread_id: _Optional[str] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., payload_json: _Optional[str] = ..., lease_ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., require_approval: bool = ...) -> None: ...

class BeginExecutionResponse(_message.Message):
    __slots__ = ["action", "lease", "status"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    LEASE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    action: Action
    lease: Lease
    status: ExecutionStatus
    def __init__(self, status: _Optional[_Union[ExecutionStatus, str]] = ..., action: _Optional[_Union[Action, _Mapping]] = ..., lease: _Optional[_Union[Lease, _Mapping]] = ...) -> None: ...

class CompleteExecutionRequest(_message.Message):
    __slots__ = ["fencing_token", "idempotency_key", "result", "result_json"]
    FENCING_TOKEN_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RESULT_JSON_FIELD_NUMBER: _ClassVar[int]
    fencing_token: int
    idempotency_key: str
    result: _struct_pb2.Value
    result_json: str
    def __init__(self, idempotency_key: _Optional[str] = ..., fencing_token: _Optional[int] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., result_json: _Optional[str] = ...) -> None: ...

class CompleteExecutionResponse(_message.Message):
    __slots__ = ["action"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: Action
    def __init__(self, action: _Optional[_Union[Action, _Mapping]] = ...) -> None: ...

class Decision(_message.Message):
    __slots__ = ["comment", "decided_at", "method", "outcome", "policy", "principal", "reason", "retryable"]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    comment: str
    decided_at: _timestamp_pb2.Timestamp
    method: DecisionMethod
    outcome: DecisionOutcome
    policy: str
    principal: str
    reason: str
    retryable: bool
    def __init__(self, outcome: _Optional[_Union[DecisionOutcome, str]] = ..., principal: _Optional[str] = ..., method: _Optional[_Union[DecisionMethod, str]] = ..., policy: _Optional[str] = ..., comment: _Optional[str] = ..., reason: _Optional[str] = ..., retryable: bool = ..., decided_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Execution(_message.Message):
    __slots__ = ["attempts", "error", "error_json", "fencing_token", "lease_expires_at", "result", "result_json"]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ERROR_JSON_FIELD_NUMBER: _ClassVar[int]
    FENCING_TOKEN_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RESULT_JSON_FIELD_NUMBER: _ClassVar[int]
    attempts: int
    error: _struct_pb2.Value
    error_json: str
    fencing_token: int
    lease_expires_at: _timestamp_pb2.Timestamp
    result: _struct_pb2.Value
    result_json: str
    def __init__(self, fencing_token: _Optional[int] = ..., lease_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., attempts: _Optional[int] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., result_json: _Optional[str] = ..., error: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error_json: _Optional[str] = ...) -> None: ...

class ExtendLeaseRequest(_message.Message):
    __slots__ = ["fencing_token", "idempotency_key", "lease_ttl"]
    FENCING_TOKEN_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    LEASE_TTL_FIELD_NUMBER: _ClassVar[int]
    fencing_token: int
    idempotency_key: str
    lease_ttl: _duration_pb2.Duration
    def __init__(self, idempotency_key: _Optional[str] = ..., fencing_token: _Optional[int] = ..., lease_ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ExtendLeaseResponse(_message.Message):
    __slots__ = ["lease"]
    LEASE_FIELD_NUMBER: _ClassVar[int]
    lease: Lease
    def __init__(self, lease: _Optional[_Union[Lease, _Mapping]] = ...) -> None: ...

class FailExecutionRequest(_message.Message):
    __slots__ = ["error", "error_json", "fencing_token", "idempotency_key", "retryable"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ERROR_JSON_FIELD_NUMBER: _ClassVar[int]
    FENCING_TOKEN_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    error: _struct_pb2.Value
    error_json: str
    fencing_token: int
    idempotency_key: str
    retryable: bool
    def __init__(self, idempotency_key: _Optional[str] = ..., fencing_token: _Optional[int] = ..., error: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error_json: _Optional[str] = ..., retryable: bool = ...) -> None: ...

class FailExecutionResponse(_message.Message):
    __slots__ = ["action"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: Action
    def __init__(self, action: _Optional[_Union[Action, _Mapping]] = ...) -> None: ...

class GetRetentionPolicyRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetRetentionPolicyResponse(_message.Message):
    __slots__ = ["retention", "retention_days"]
    RETENTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    retention: _duration_pb2.Duration
    retention_days: int
    def __init__(self, retention_days: _Optional[int] = ..., retention: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class GetStatusRequest(_message.Message):
    __slots__ = ["idempotency_key", "request_id"]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class GetStatusResponse(_message.Message):
    __slots__ = ["action"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: Action
    def __init__(self, action: _Optional[_Union[Action, _Mapping]] = ...) -> None: ...

class Lease(_message.Message):
    __slots__ = ["expires_at", "fencing_token"]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FENCING_TOKEN_FIELD_NUMBER: _ClassVar[int]
    expires_at: _timestamp_pb2.Timestamp
    fencing_token: int
    def __init__(self, fencing_token: _Optional[int] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListActionsRequest(_message.Message):
    __slots__ = ["created_before", "created_since", "page_size", "page_token", "state", "thread_id"]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    CREATED_SINCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    created_before: _timestamp_pb2.Timestamp
    created_since: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    state: ActionState
    thread_id: str
    def __init__(self, state: _Optional[_Union[ActionState, str]] = ..., thread_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., created_since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListActionsResponse(_message.Message):
    __slots__ = ["actions", "next_page_token"]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    actions: _containers.RepeatedCompositeFieldContainer[Action]
    next_page_token: str
    def __init__(self, actions: _Optional[_Iterable[_Union[Action, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RejectRequest(_message.Message):
    __slots__ = ["comment", "http_body", "idempotency_key", "payload", "payload_json", "reason", "retryable", "thread_id"]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    HTTP_BODY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    comment: str
    http_body: _httpbody_pb2.HttpBody
    idempotency_key: str
    payload: _struct_pb2.Struct
    payload_json: str
    reason: str
    retryable: bool
    thread_id: str
    def __init__(self, idempotency_key: _Optional[str] = ..., thread_id: _Optional[str] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., payload_json: _Optional[str] = ..., comment: _Optional[str] = ..., reason: _Optional[str] = ..., retryable: bool = ..., http_body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ...) -> None: ...

class RejectResponse(_message.Message):
    __slots__ = ["action"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: Action
    def __init__(self, action: _Optional[_Union[Action, _Mapping]] = ...) -> None: ...

class RequestApprovalRequest(_message.Message):
    __slots__ = ["comment_for_reviewer", "deadline", "idempotency_key", "on_timeout", "payload", "payload_json", "thread_id", "timeout"]
    COMMENT_FOR_REVIEWER_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ON_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    comment_for_reviewer: str
    deadline: _timestamp_pb2.Timestamp
    idempotency_key: str
    on_timeout: DecisionOutcome
    payload: _struct_pb2.Struct
    payload_json: str
    thread_id: str
    timeout: _duration_pb2.Duration
    def __init__(self, idempotency_key: _Optional[str] = ..., thread_id: _Optional[str] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., payload_json: _Optional[str] = ..., deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., on_timeout: _Optional[_Union[DecisionOutcome, str]] = ..., comment_for_reviewer: _Optional[str] = ...) -> None: ...

class RequestApprovalResponse(_message.Message):
    __slots__ = ["action"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: Action
    def __init__(self, action: _Optional[_Union[Action, _Mapping]] = ...) -> None: ...

class WatchActionsRequest(_message.Message):
    __slots__ = ["state"]
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: ActionState
    def __init__(self, state: _Optional[_Union[ActionState, str]] = ...) -> None: ...

class WatchActionsResponse(_message.Message):
    __slots__ = ["action", "kind", "sent_at"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    action: Action
    kind: WatchEventKind
    sent_at: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[_Union[WatchEventKind, str]] = ..., action: _Optional[_Union[Action, _Mapping]] = ..., sent_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WatchDecisionRequest(_message.Message):
    __slots__ = ["idempotency_key", "request_id", "until"]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    request_id: str
    until: WatchUntil
    def __init__(self, request_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., until: _Optional[_Union[WatchUntil, str]] = ...) -> None: ...

class WatchDecisionResponse(_message.Message):
    __slots__ = ["action", "kind", "sent_at"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    action: Action
    kind: WatchEventKind
    sent_at: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[_Union[WatchEventKind, str]] = ..., action: _Optional[_Union[Action, _Mapping]] = ..., sent_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ActionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DecisionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DecisionMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ExecutionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class WatchUntil(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class WatchEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
