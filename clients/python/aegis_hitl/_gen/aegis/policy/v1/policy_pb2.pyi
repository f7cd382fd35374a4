from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
POLICY_EFFECT_APPROVE: PolicyEffect
POLICY_EFFECT_REJECT: PolicyEffect
POLICY_EFFECT_REQUIRE_HUMAN: PolicyEffect
POLICY_EFFECT_UNSPECIFIED: PolicyEffect
TIMEOUT_OUTCOME_APPROVE: TimeoutOutcome
TIMEOUT_OUTCOME_REJECT: TimeoutOutcome
TIMEOUT_OUTCOME_UNSPECIFIED: TimeoutOutcome

class EvaluatePolicyRequest(_message.Message):
    __slots__ = ["draft", "idempotency_key", "key_name", "payload_json", "role", "thread_id"]
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    draft: SavePolicyRequest
    idempotency_key: str
    key_name: str
    payload_json: str
    role: str
    thread_id: str
    def __init__(self, draft: _Optional[_Union[SavePolicyRequest, _Mapping]] = ..., payload_json: _Optional[str] = ..., thread_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., role: _Optional[str] = ..., key_name: _Optional[str] = ...) -> None: ...

class EvaluatePolicyResponse(_message.Message):
    __slots__ = ["effect", "error", "matched", "policy", "rule", "rule_index"]
    EFFECT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    MATCHED_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    RULE_INDEX_FIELD_NUMBER: _ClassVar[int]
    effect: PolicyEffect
    error: str
    matched: bool
    policy: str
    rule: PolicyRule
    rule_index: int
    def __init__(self, effect: _Optional[_Union[PolicyEffect, str]] = ..., matched: bool = ..., rule_index: _Optional[int] = ..., rule: _Optional[_Union[PolicyRule, _Mapping]] = ..., policy: _Optional[str] = ..., error: _Optional[str] = ...) -> None: ...

class ListPoliciesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListPoliciesResponse(_message.Message):
    __slots__ = ["policies"]
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    policies: _containers.RepeatedCompositeFieldContainer[Policy]
    def __init__(self, policies: _Optional[_Iterable[_Union[Policy, _Mapping]]] = ...) -> None: ...

class Policy(_message.Message):
    __slots__ = ["created_at", "created_by", "name", "rules", "version"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    name: str
    rules: _containers.RepeatedCompositeFieldContainer[PolicyRule]
    version: int
    def __init__(self, name: _Optional[str] = ..., version: _Optional[int] = ..., rules: _Optional[_Iterable[_Union[PolicyRule, _Mapping]]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class PolicyRule(_message.Message):
    __slots__ = ["condition", "effect", "escalate_after", "escalation_group", "name", "on_timeout", "reason", "reject_on_any", "required_approvals", "retryable", "reviewer_group", "timeout"]
    CONDITION_FIELD_NUMBER: _ClassVar[int]
    EFFECT_FIELD_NUMBER: _ClassVar[int]
    ESCALATE_AFTER_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_GROUP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ON_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REJECT_ON_ANY_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_APPROVALS_FIELD_NUMBER: _ClassVar[int]
    RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_GROUP_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    condition: str
    effect: PolicyEffect
    escalate_after: _duration_pb2.Duration
    escalation_group: str
    name: str
    on_timeout: TimeoutOutcome
    reason: str
    reject_on_any: bool
    required_approvals: int
    retryable: bool
    reviewer_group: str
    timeout: _duration_pb2.Duration
    def __init__(self, name: _Optional[str] = ..., condition: _Optional[str] = ..., effect: _Optional[_Union[PolicyEffect, str]] = ..., reason: _Optional[str] = ..., retryable: bool = ..., required_approvals: _Optional[int] = ..., reviewer_group: _Optional[str] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., on_timeout: _Optional[_Union[TimeoutOutcome, str]] = ..., escalate_after: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., escalation_group: _Optional[str] = ..., reject_on_any: bool = ...) -> None: ...

class SavePolicyRequest(_message.Message):
    __slots__ = ["name", "rules"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    name: str
    rules: _containers.RepeatedCompositeFieldContainer[PolicyRule]
    def __init__(self, name: _Optional[str] = ..., rules: _Optional[_Iterable[_Union[PolicyRule, _Mapping]]] = ...) -> None: ...

class SavePolicyResponse(_message.Message):
    __slots__ = ["policy"]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: Policy
    def __init__(self, policy: _Optional[_Union[Policy, _Mapping]] = ...) -> None: ...

class PolicyEffect(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class TimeoutOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
