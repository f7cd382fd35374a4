"""``AegisGrpcClient``: the Aegis operations over gRPC (grpc.aio), for agents that want streams and typed messages.

- Errors are the typed errors of ``aegis_hitl.errors``, chosen from the ``google.rpc.ErrorInfo`` reason in the
  status details (``grpc-status-details-bin``); ``error.action`` is the stored action the server attached, as a dict
  in the REST JSON shape.
- Credentials (``authorization: Bearer`` or ``tenant-id``) and a fresh ``x-request-id`` per call are added by one
  client interceptor.
- Calls that fail with UNAVAILABLE are retried by gRPC itself, through the channel's service config (a retry policy
  on ``aegis.hitl.v1.HitlService``); a watch that is cut after it started is reopened by ``watch_decision``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, AsyncIterator, Mapping, Optional, Sequence, Tuple

import grpc
from grpc import aio
from google.protobuf import duration_pb2, json_format

from aegis_hitl._gen import hitl_pb2, hitl_pb2_grpc
from aegis_hitl._guard import TERMINAL, UNDECIDED, GuardMixin, last_of
from aegis_hitl.errors import AegisError, error_for
from google.rpc import error_details_pb2, status_pb2  # noqa: E402  (importable once _gen is imported)

_HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 400, grpc.StatusCode.OUT_OF_RANGE: 400, grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403, grpc.StatusCode.NOT_FOUND: 404, grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409, grpc.StatusCode.FAILED_PRECONDITION: 409, grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503, grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}
_SERVICE = "aegis.hitl.v1.HitlService"


def service_config(max_attempts: int) -> str:
    """The channel's service config: every HitlService call is retried on UNAVAILABLE, with exponential backoff
    (gRPC caps ``max_attempts`` at 5). A stream is retried only until its first message has arrived."""
    return json.dumps({"methodConfig": [{
        "name": [{"service": _SERVICE}],
        "retryPolicy": {
            "maxAttempts": max(2, min(5, max_attempts)),
            "initialBackoff": "0.2s",
            "maxBackoff": "5s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": ["UNAVAILABLE"],
        },
    }]})


class CallerMetadata:
    """Adds the caller's credentials and a fresh ``x-request-id`` to every call (unless the call sets its own).

    grpc.aio files an interceptor under the first call kind it implements only, so ``interceptors()`` returns one
    object per kind (unary and server-streaming), both adding the same metadata.
    """

    def __init__(self, credentials: Sequence[Tuple[str, str]]):
        self._credentials = tuple(credentials)

    def _with_metadata(self, details: aio.ClientCallDetails) -> aio.ClientCallDetails:
        metadata = aio.Metadata(*(details.metadata or ()))
        for key, value in self._credentials:
            # A per-call tenant-id (or authorization) wins over the client's default.
            if key not in metadata:
                metadata.add(key, value)
        if "x-request-id" not in metadata:
            metadata.add("x-request-id", str(uuid.uuid4()))
        return aio.ClientCallDetails(details.method, details.timeout, metadata, details.credentials,
                                     details.wait_for_ready)

    def interceptors(self) -> list:
        """The interceptors to give the channel."""
        return [_UnaryCallerMetadata(self._credentials), _StreamCallerMetadata(self._credentials)]


class _UnaryCallerMetadata(CallerMetadata, aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(self, continuation, client_call_details, request):
        return await continuation(self._with_metadata(client_call_details), request)


class _StreamCallerMetadata(CallerMetadata, aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(self, continuation, client_call_details, request):
        return await continuation(self._with_metadata(client_call_details), request)


def action_dict(action: hitl_pb2.Action) -> dict:
    """An Action in the REST JSON shape (enum names, snake_case), with the payload parsed from its exact JSON."""
    result = json_format.MessageToDict(action, preserving_proto_field_name=True)
    if action.payload_json:
        result["payload"] = json.loads(action.payload_json)
    return result


def error_from_rpc(error: grpc.RpcError) -> AegisError:
    """The typed error for a failed call, from its code and its ``google.rpc.Status`` details."""
    code = error.code()
    reason, metadata, action, details = "", {}, None, []
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        for detail in status_pb2.Status.FromString(value).details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, metadata = info.reason, dict(info.metadata)
            elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
                retry = error_details_pb2.RetryInfo()
                detail.Unpack(retry)
                details.append({"retry_delay": f"{retry.retry_delay.ToTimedelta().total_seconds()}s"})
            elif detail.Is(hitl_pb2.Action.DESCRIPTOR):
                stored = hitl_pb2.Action()
                detail.Unpack(stored)
                action = action_dict(stored)
    status = 422 if reason == "PAYLOAD_MISMATCH" else _HTTP_STATUS.get(code, 500)
    body = {"code": code.value[0], "message": error.details() or "", "reason": reason, "details": details}
    return error_for(status, reason, error.details() or "", body, action=action, metadata=metadata)


def _duration(seconds: Optional[float]) -> Optional[duration_pb2.Duration]:
    if seconds is None:
        return None
    duration = duration_pb2.Duration()
    duration.FromNanoseconds(int(seconds * 1e9))
    return duration


class AegisGrpcClient(GuardMixin):
    """Async gRPC client: ``async with AegisGrpcClient("localhost:8001", tenant_id="acme") as aegis: ...``.

    ``api_key`` is sent as ``authorization: Bearer`` (else ``tenant_id`` as ``tenant-id``); ``thread_id`` is the
    default thread; ``timeout`` bounds each unary call; ``max_retries`` is how often gRPC repeats a call that failed
    with UNAVAILABLE. ``channel_credentials`` (``grpc.ssl_channel_credentials()``) makes a TLS channel. The plain
    calls return ``hitl_pb2`` messages; ``guard`` returns the stored result, as ``AegisClient.guard`` does.
    """

    def __init__(self, target: str = "localhost:8001", *, api_key: Optional[str] = None,
                 tenant_id: Optional[str] = None, thread_id: Optional[str] = None, timeout: float = 10.0,
                 max_retries: int = 3, channel_credentials: Optional[grpc.ChannelCredentials] = None,
                 options: Sequence[Tuple[str, Any]] = ()):
        if api_key:
            credentials = [("authorization", f"Bearer {api_key}")]
        elif tenant_id:
            credentials = [("tenant-id", tenant_id)]
        else:
            raise ValueError("api_key or tenant_id is required")
        self.thread_id = thread_id
        self.timeout = timeout
        channel_options = [("grpc.enable_retries", 1), ("grpc.service_config", service_config(max_retries + 1)),
                           *options]
        interceptors = CallerMetadata(credentials).interceptors()
        if channel_credentials is not None:
            self._channel = aio.secure_channel(target, channel_credentials, options=channel_options,
                                               interceptors=interceptors)
        else:
            self._channel = aio.insecure_channel(target, options=channel_options, interceptors=interceptors)
        self.stub = hitl_pb2_grpc.HitlServiceStub(self._channel)

    async def __aenter__(self) -> "AegisGrpcClient":
        return self

    async def __aexit__(self, *exc: Any) -> bool:
        await self.close()
        return False

    async def close(self) -> None:
        await self._channel.close()

    # --- decisions and reads ----------------------------------------------------------------------------------

    async def approve(self, idempotency_key: str, *, payload: Optional[Mapping[str, Any]] = None,
                      thread_id: Optional[str] = None, comment: str = "", tenant_id: Optional[str] = None
                      ) -> hitl_pb2.Action:
        """Approves (creating if new) the action; ``AlreadyDecidedError`` (with ``.action``) if already decided."""
        request = hitl_pb2.ApproveRequest(idempotency_key=idempotency_key, thread_id=self._thread(thread_id),
                                          payload_json=json.dumps(dict(payload or {})), comment=comment)
        return (await self._unary(self.stub.Approve, request, tenant_id)).action

    async def reject(self, idempotency_key: str, *, payload: Optional[Mapping[str, Any]] = None,
                     thread_id: Optional[str] = None, comment: str = "", reason: str = "", retryable: bool = False,
                     tenant_id: Optional[str] = None) -> hitl_pb2.Action:
        """Rejects (creating if new) the action, with a ``reason`` and whether the agent may retry a changed one."""
        request = hitl_pb2.RejectRequest(idempotency_key=idempotency_key, thread_id=self._thread(thread_id),
                                         payload_json=json.dumps(dict(payload or {})), comment=comment,
                                         reason=reason, retryable=retryable)
        return (await self._unary(self.stub.Reject, request, tenant_id)).action

    async def get_status(self, request_id: str = "", *, idempotency_key: str = "",
                         tenant_id: Optional[str] = None) -> hitl_pb2.Action:
        """One action by ``request_id`` or ``idempotency_key``; ``NotFoundError`` if there is none for this tenant."""
        request = hitl_pb2.GetStatusRequest(request_id=request_id, idempotency_key=idempotency_key)
        return (await self._unary(self.stub.GetStatus, request, tenant_id)).action

    # --- the approval gate ------------------------------------------------------------------------------------

    async def request_approval(self, idempotency_key: str, *, payload: Optional[Mapping[str, Any]] = None,
                               thread_id: Optional[str] = None, timeout_seconds: Optional[float] = None,
                               on_timeout: str = "reject", comment_for_reviewer: str = "",
                               tenant_id: Optional[str] = None) -> hitl_pb2.Action:
        """Holds a new action at the gate (PENDING); idempotent on the key (``PayloadMismatchError`` otherwise)."""
        request = hitl_pb2.RequestApprovalRequest(
            idempotency_key=idempotency_key, thread_id=self._thread(thread_id),
            payload_json=json.dumps(dict(payload or {})), timeout=_duration(timeout_seconds),
            on_timeout=hitl_pb2.DecisionOutcome.Value("DECISION_OUTCOME_" + on_timeout.upper()),
            comment_for_reviewer=comment_for_reviewer)
        return (await self._unary(self.stub.RequestApproval, request, tenant_id)).action

    async def watch_decision(self, request_id: str = "", *, idempotency_key: str = "", until_finished: bool = False,
                             tenant_id: Optional[str] = None) -> AsyncIterator[hitl_pb2.Action]:
        """Yields the action's snapshot, then every transition (heartbeats skipped), until it is decided (or with
        ``until_finished`` until it is COMMITTED, FAILED, REJECTED or EXPIRED). A stream cut by the network or
        dropped by the server (UNAVAILABLE) is reopened; versions already yielded are not yielded again."""
        until = hitl_pb2.WATCH_UNTIL_FINISHED if until_finished else hitl_pb2.WATCH_UNTIL_DECIDED
        request = hitl_pb2.WatchDecisionRequest(request_id=request_id, idempotency_key=idempotency_key, until=until)
        ends = {hitl_pb2.ActionState.Value(s) for s in TERMINAL} if until_finished else None
        seen, attempt = -1, 0
        while True:
            call = self.stub.WatchDecision(request, metadata=self._metadata(tenant_id))
            try:
                async for message in call:
                    if message.kind == hitl_pb2.WATCH_EVENT_KIND_HEARTBEAT or not message.HasField("action"):
                        continue
                    attempt = 0
                    action = message.action
                    if action.version > seen:
                        seen = action.version
                        yield action
                    state_name = hitl_pb2.ActionState.Name(action.state)
                    if (action.state in ends) if ends is not None else (state_name not in UNDECIDED):
                        return
            except aio.AioRpcError as error:
                if error.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL):
                    raise error_from_rpc(error) from None
            finally:
                call.cancel()
            await asyncio.sleep(min(0.5 * 2 ** attempt, 8.0))
            attempt += 1

    async def wait_for_decision(self, request_id: str, *, timeout: Optional[float] = None,
                                tenant_id: Optional[str] = None) -> hitl_pb2.Action:
        """Waits on the stream until the action is decided; ``DecisionTimeout`` after ``timeout`` seconds."""
        return await self._last(request_id, False, timeout, tenant_id)

    # --- the execution guard ----------------------------------------------------------------------------------

    async def begin_execution(self, idempotency_key: str, *, payload: Optional[Mapping[str, Any]] = None,
                              thread_id: Optional[str] = None, lease_ttl: Optional[float] = None,
                              require_approval: bool = True, tenant_id: Optional[str] = None
                              ) -> hitl_pb2.BeginExecutionResponse:
        """The lease on an approved action (STARTED), or its stored result (REPLAYED) or error (FAILED)."""
        request = hitl_pb2.BeginExecutionRequest(
            idempotency_key=idempotency_key, thread_id=thread_id or self.thread_id or "",
            payload_json=json.dumps(dict(payload)) if payload is not None else "", lease_ttl=_duration(lease_ttl),
            require_approval=require_approval)
        return await self._unary(self.stub.BeginExecution, request, tenant_id)

    async def complete_execution(self, idempotency_key: str, fencing_token: int, result: Any, *,
                                 tenant_id: Optional[str] = None) -> hitl_pb2.Action:
        """Stores the result (any JSON value) of a leased execution; ``LeaseLostError`` for a stale token."""
        request = hitl_pb2.CompleteExecutionRequest(idempotency_key=idempotency_key, fencing_token=fencing_token,
                                                    result_json=json.dumps(result))
        return (await self._unary(self.stub.CompleteExecution, request, tenant_id)).action

    async def fail_execution(self, idempotency_key: str, fencing_token: int, error: Any, *, retryable: bool = False,
                             tenant_id: Optional[str] = None) -> hitl_pb2.Action:
        """Records a failed execution (FAILED, or APPROVED again when retryable)."""
        request = hitl_pb2.FailExecutionRequest(idempotency_key=idempotency_key, fencing_token=fencing_token,
                                                error_json=json.dumps(error), retryable=retryable)
        return (await self._unary(self.stub.FailExecution, request, tenant_id)).action

    async def extend_lease(self, idempotency_key: str, fencing_token: int, *, lease_ttl: Optional[float] = None,
                           tenant_id: Optional[str] = None) -> hitl_pb2.Lease:
        """The heartbeat of a long execution."""
        request = hitl_pb2.ExtendLeaseRequest(idempotency_key=idempotency_key, fencing_token=fencing_token,
                                              lease_ttl=_duration(lease_ttl))
        return (await self._unary(self.stub.ExtendLease, request, tenant_id)).lease

    # --- the primitives of guard (GuardMixin), in the REST JSON shape --------------------------------------------

    async def _g_begin(self, key, payload, thread_id, lease_ttl, require_approval, tenant_id) -> dict:
        started = await self.begin_execution(key, payload=payload, thread_id=thread_id, lease_ttl=lease_ttl,
                                             require_approval=require_approval, tenant_id=tenant_id)
        result = json_format.MessageToDict(started, preserving_proto_field_name=True)
        result["action"] = action_dict(started.action)
        return result

    async def _g_request(self, key, payload, thread_id, tenant_id, comment) -> dict:
        return action_dict(await self.request_approval(key, payload=payload, thread_id=thread_id, tenant_id=tenant_id,
                                                       comment_for_reviewer=comment or ""))

    async def _g_complete(self, key, token, value, tenant_id) -> dict:
        return action_dict(await self.complete_execution(key, token, value, tenant_id=tenant_id))

    async def _g_fail(self, key, token, error, retryable, tenant_id) -> dict:
        return action_dict(await self.fail_execution(key, token, error, retryable=retryable, tenant_id=tenant_id))

    async def _g_extend(self, key, token, lease_ttl, tenant_id) -> None:
        await self.extend_lease(key, token, lease_ttl=lease_ttl, tenant_id=tenant_id)

    async def _watch_to_end(self, request_id: str, until_finished: bool, timeout: Optional[float],
                            tenant_id: Optional[str]) -> dict:
        return action_dict(await self._last(request_id, until_finished, timeout, tenant_id))

    # --- internals ----------------------------------------------------------------------------------------------

    async def _last(self, request_id: str, until_finished: bool, timeout: Optional[float],
                    tenant_id: Optional[str]) -> hitl_pb2.Action:
        stream = self.watch_decision(request_id, until_finished=until_finished, tenant_id=tenant_id)
        return await last_of(stream, timeout, request_id) or hitl_pb2.Action()

    def _thread(self, thread_id: Optional[str]) -> str:
        thread = thread_id or self.thread_id
        if not thread:
            raise ValueError("thread_id is required (set on constructor or per call)")
        return thread

    @staticmethod
    def _metadata(tenant_id: Optional[str]) -> Optional[Tuple[Tuple[str, str], ...]]:
        return (("tenant-id", tenant_id),) if tenant_id else None

    async def _unary(self, method: Any, request: Any, tenant_id: Optional[str]) -> Any:
        try:
            return await method(request, timeout=self.timeout, metadata=self._metadata(tenant_id))
        except aio.AioRpcError as error:
            raise error_from_rpc(error) from None
