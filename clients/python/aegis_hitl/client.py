"""The async REST client: the original Aegis SDK's ``AegisClient``, plus the approval gate and the execution guard.

The original SDK's methods (``approve``, ``reject``, ``execute``, ``get_status``) behave as in aegis-idempotency
0.1.2: they return the ``httpx.Response`` (202, 409, 429, ...), never raise for a 4xx, retry 5xx with exponential
backoff up to ``max_retries`` and send a fresh ``X-Request-Id`` with every call. The methods added in 0.2
(``request_approval``, ``watch``, ``wait_for_decision``, ``begin/complete/fail_execution``, ``guard``) return the
parsed JSON and raise the typed errors of ``aegis_hitl.errors``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, AsyncIterator, Mapping, Optional

import httpx

from aegis_hitl._guard import TERMINAL, UNDECIDED, GuardMixin, last_of
from aegis_hitl.errors import error_from_response


def _duration(seconds: float) -> str:
    """A protobuf Duration in its JSON form ("30s", "0.500s")."""
    return f"{int(seconds)}s" if float(seconds).is_integer() else f"{seconds:.3f}s"


class AegisClient(GuardMixin):
    """Async client for Aegis over REST, a drop-in for the original SDK (``pip install aegis-idempotency``).

    ``api_key`` is sent as ``Authorization: Bearer``; without one, ``tenant_id`` is sent as ``Tenant-Id`` (trusted
    self-hosted mode). ``thread_id`` is the default thread of every call. ``client`` is an injected
    ``httpx.AsyncClient`` (tests), which this class never closes. Use it as ``async with AegisClient(...) as client``
    (or call ``aclose()``).
    """

    #: How long a watch may stay silent before the connection is presumed dead and reopened. The server sends a
    #: heartbeat every 15 s by default, so silence this long means a dead connection, not an idle action.
    watch_idle_timeout: float = 60.0
    #: The longest pause between two attempts (retries and watch reconnections).
    max_backoff: float = 8.0

    def __init__(
        self,
        base_url: str = "http://localhost:8000",
        *,
        api_key: Optional[str] = None,
        tenant_id: Optional[str] = None,
        thread_id: Optional[str] = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        api_prefix: str = "/api/v1",
        client: Optional[httpx.AsyncClient] = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.tenant_id = tenant_id
        self.thread_id = thread_id
        self.timeout = timeout
        self.max_retries = max_retries
        self.api_prefix = api_prefix.rstrip("/")
        self._external_client = client
        self._client: Optional[httpx.AsyncClient] = None

    async def __aenter__(self) -> "AegisClient":
        self._http()
        return self

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        await self.aclose()
        return False

    async def aclose(self) -> None:
        """Closes the client's own connection pool; an injected ``client`` is left open."""
        if self._client is not None:
            await self._client.aclose()
        self._client = None

    # --- the original SDK's API: returns the httpx.Response --------------------------------------------------

    async def approve(self, idempotency_key: str, *, tenant_id: Optional[str] = None, thread_id: Optional[str] = None,
                      payload: Optional[Mapping[str, Any]] = None) -> httpx.Response:
        """POST /hitl/approve: approves (creating if new) the action with this key. 202 done, 409 already decided."""
        return await self._decide("approve", idempotency_key, tenant_id, thread_id, payload)

    async def reject(self, idempotency_key: str, *, tenant_id: Optional[str] = None, thread_id: Optional[str] = None,
                     payload: Optional[Mapping[str, Any]] = None, reason: Optional[str] = None,
                     retryable: bool = False) -> httpx.Response:
        """POST /hitl/reject: rejects (creating if new) the action with this key. 202 done, 409 already decided.
        ``reason`` and ``retryable`` (new in 0.2) tell a waiting agent why and whether it may try a changed action."""
        params = {"reason": reason, "retryable": "true" if retryable else "false"} if reason or retryable else None
        return await self._decide("reject", idempotency_key, tenant_id, thread_id, payload, params)

    async def execute(self, action: str, idempotency_key: str, *, tenant_id: Optional[str] = None,
                      thread_id: Optional[str] = None, payload: Optional[Mapping[str, Any]] = None) -> httpx.Response:
        """Dispatches to ``approve`` or ``reject``; any other ``action`` is a ValueError."""
        if action not in ("approve", "reject"):
            raise ValueError(f"action must be 'approve' or 'reject', got {action!r}")
        return await self._decide(action, idempotency_key, tenant_id, thread_id, payload)

    async def get_status(self, request_id: str) -> httpx.Response:
        """GET /hitl/status/{request_id}. With credentials configured the whole action comes back (tenant-scoped);
        without any, only its state and decision, as for the original SDK."""
        headers = {"X-Request-Id": str(uuid.uuid4())}
        if self.api_key or self.tenant_id:
            headers.update(self._identity(None))
        return await self._send("GET", f"/hitl/status/{request_id}", headers)

    # --- the approval gate ------------------------------------------------------------------------------------

    async def request_approval(self, idempotency_key: str, *, payload: Optional[Mapping[str, Any]] = None,
                               thread_id: Optional[str] = None, tenant_id: Optional[str] = None,
                               timeout_seconds: Optional[float] = None, on_timeout: str = "reject",
                               comment_for_reviewer: Optional[str] = None) -> dict:
        """Holds a new action at the gate (PENDING) until a reviewer or policy decides it, or until
        ``timeout_seconds`` pass and ``on_timeout`` ("reject" or "approve") applies. Idempotent on the key: the same
        payload returns the stored action, a different one raises ``PayloadMismatchError``."""
        body: dict[str, Any] = {
            "idempotency_key": idempotency_key,
            "thread_id": self._thread(thread_id),
            # json.dumps keeps Python ints exact (arbitrary precision), which the server stores as sent.
            "payload_json": json.dumps(dict(payload or {})),
            "on_timeout": "DECISION_OUTCOME_" + on_timeout.upper(),
        }
        if timeout_seconds is not None:
            body["timeout"] = _duration(timeout_seconds)
        if comment_for_reviewer:
            body["comment_for_reviewer"] = comment_for_reviewer
        return await self._call("POST", "/hitl/requests", tenant_id, body)

    async def watch(self, request_id: str, *, until_finished: bool = False,
                    tenant_id: Optional[str] = None) -> AsyncIterator[dict]:
        """Yields the action's snapshot, then every transition, as the server pushes them (NDJSON; heartbeats are
        skipped). Ends after the decision, or with ``until_finished`` once the action is COMMITTED, FAILED,
        REJECTED or EXPIRED. A dropped connection is reopened with backoff: the new stream's snapshot carries
        whatever happened in between, and versions already seen are not yielded twice. 4xx answers raise."""
        params = {"until": "WATCH_UNTIL_FINISHED"} if until_finished else {}
        done = (lambda a: a.get("state") in TERMINAL) if until_finished else (lambda a: a.get("state") not in UNDECIDED)
        seen = -1
        attempt = 0
        while True:
            headers = {**self._identity(tenant_id), "X-Request-Id": str(uuid.uuid4())}
            try:
                async with self._http().stream(
                        "GET", f"{self.api_prefix}/hitl/watch/{request_id}", headers=headers, params=params,
                        timeout=httpx.Timeout(self.timeout, read=self.watch_idle_timeout)) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        if response.status_code < 500:
                            raise error_from_response(response.status_code, response.headers, _body(response))
                    else:
                        async for line in response.aiter_lines():
                            message = json.loads(line) if line.strip() else None
                            # Heartbeats carry no action; an error line (a watcher the server dropped) neither:
                            # both leave the loop to the reconnect below if the stream then ends.
                            action = message.get("action") if isinstance(message, dict) else None
                            if not action:
                                continue
                            attempt = 0
                            version = int(action.get("version") or 0)
                            if version > seen:
                                seen = version
                                yield action
                            if done(action):
                                return
            except httpx.TransportError:
                pass  # dropped, timed out or refused: reconnect
            await asyncio.sleep(self._delay(attempt))
            attempt += 1

    async def wait_for_decision(self, request_id: str, *, timeout: Optional[float] = None,
                                tenant_id: Optional[str] = None) -> dict:
        """Waits until the action is decided (pushed over the watch, no polling; resumes after a dropped
        connection) and returns it. Raises ``DecisionTimeout`` after ``timeout`` seconds (the action stays PENDING)."""
        return await self._watch_to_end(request_id, False, timeout, tenant_id)

    # --- the execution guard ----------------------------------------------------------------------------------

    async def begin_execution(self, idempotency_key: str, *, payload: Optional[Mapping[str, Any]] = None,
                              thread_id: Optional[str] = None, lease_ttl: Optional[float] = None,
                              require_approval: bool = True, tenant_id: Optional[str] = None) -> dict:
        """Asks for the lease on an approved action: ``{"status": "EXECUTION_STATUS_STARTED", "lease": {...}}`` to
        run it, ``..._REPLAYED`` with the stored result, ``..._FAILED`` with the stored error. ``require_approval=False``
        creates and leases a new key in one step."""
        body: dict[str, Any] = {"idempotency_key": idempotency_key, "require_approval": require_approval}
        if thread_id or self.thread_id:
            body["thread_id"] = thread_id or self.thread_id
        if payload is not None:
            body["payload_json"] = json.dumps(dict(payload))
        if lease_ttl is not None:
            body["lease_ttl"] = _duration(lease_ttl)
        return await self._call("POST", "/hitl/executions/begin", tenant_id, body)

    async def complete_execution(self, idempotency_key: str, fencing_token: int, result: Any, *,
                                 tenant_id: Optional[str] = None) -> dict:
        """Stores the result (any JSON value) of a leased execution; returns the COMMITTED action."""
        body = {"idempotency_key": idempotency_key, "fencing_token": str(fencing_token), "result_json": json.dumps(result)}
        return (await self._call("POST", "/hitl/executions/complete", tenant_id, body))["action"]

    async def fail_execution(self, idempotency_key: str, fencing_token: int, error: Any, *, retryable: bool = False,
                             tenant_id: Optional[str] = None) -> dict:
        """Records a failed execution; returns the action (FAILED, or APPROVED again when retryable)."""
        body = {"idempotency_key": idempotency_key, "fencing_token": str(fencing_token), "error_json": json.dumps(error),
                "retryable": retryable}
        return (await self._call("POST", "/hitl/executions/fail", tenant_id, body))["action"]

    async def extend_lease(self, idempotency_key: str, fencing_token: int, *, lease_ttl: Optional[float] = None,
                           tenant_id: Optional[str] = None) -> dict:
        """The heartbeat of a long execution: moves the lease's end; returns the lease."""
        body: dict[str, Any] = {"idempotency_key": idempotency_key, "fencing_token": str(fencing_token)}
        if lease_ttl is not None:
            body["lease_ttl"] = _duration(lease_ttl)
        return (await self._call("POST", "/hitl/executions/extend", tenant_id, body))["lease"]

    # --- the primitives of guard (GuardMixin) ------------------------------------------------------------------

    async def _g_begin(self, key, payload, thread_id, lease_ttl, require_approval, tenant_id) -> dict:
        return await self.begin_execution(key, payload=payload, thread_id=thread_id, lease_ttl=lease_ttl,
                                          require_approval=require_approval, tenant_id=tenant_id)

    async def _g_request(self, key, payload, thread_id, tenant_id, comment) -> dict:
        return await self.request_approval(key, payload=payload, thread_id=thread_id, tenant_id=tenant_id,
                                           comment_for_reviewer=comment)

    async def _g_complete(self, key, token, value, tenant_id) -> dict:
        return await self.complete_execution(key, token, value, tenant_id=tenant_id)

    async def _g_fail(self, key, token, error, retryable, tenant_id) -> dict:
        return await self.fail_execution(key, token, error, retryable=retryable, tenant_id=tenant_id)

    async def _g_extend(self, key, token, lease_ttl, tenant_id) -> dict:
        return await self.extend_lease(key, token, lease_ttl=lease_ttl, tenant_id=tenant_id)

    # --- internals ----------------------------------------------------------------------------------------------

    async def _watch_to_end(self, request_id: str, until_finished: bool, timeout: Optional[float],
                            tenant_id: Optional[str]) -> dict:
        stream = self.watch(request_id, until_finished=until_finished, tenant_id=tenant_id)
        return await last_of(stream, timeout, request_id) or {}

    def _http(self) -> httpx.AsyncClient:
        if self._external_client is not None:
            return self._external_client
        if self._client is None:
            self._client = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout)
        return self._client

    def _delay(self, attempt: int) -> float:
        return min(0.5 * 2 ** attempt, self.max_backoff)

    def _identity(self, tenant_id: Optional[str]) -> dict:
        if self.api_key:
            return {"Authorization": f"Bearer {self.api_key}"}
        tenant = tenant_id or self.tenant_id
        if not tenant:
            raise ValueError("tenant_id is required when not using api_key (set on constructor or per call)")
        return {"Tenant-Id": tenant}

    def _thread(self, thread_id: Optional[str]) -> str:
        thread = thread_id or self.thread_id
        if not thread:
            raise ValueError("thread_id is required (set on constructor or per call)")
        return thread

    async def _decide(self, verb: str, key: str, tenant_id: Optional[str], thread_id: Optional[str],
                      payload: Optional[Mapping[str, Any]], params: Optional[dict] = None) -> httpx.Response:
        headers = {
            **self._identity(tenant_id),
            "Thread-Id": self._thread(thread_id),
            "Idempotency-Key": key,
            "X-Request-Id": str(uuid.uuid4()),
        }
        return await self._send("POST", f"/hitl/{verb}", headers, dict(payload or {}), params)

    async def _call(self, method: str, path: str, tenant_id: Optional[str], body: Any) -> dict:
        headers = {**self._identity(tenant_id), "X-Request-Id": str(uuid.uuid4())}
        response = await self._send(method, path, headers, body)
        if response.status_code >= 400:
            raise error_from_response(response.status_code, response.headers, _body(response))
        return response.json()

    async def _send(self, method: str, path: str, headers: dict, body: Any = None,
                    params: Optional[dict] = None) -> httpx.Response:
        """One call with retries: 5xx answers and transport failures are repeated with exponential backoff (every
        call here is idempotent on its key), 4xx are returned at once. Retries keep the call's X-Request-Id."""
        content = None
        if body is not None:
            headers = {**headers, "Content-Type": "application/json"}
            content = json.dumps(body)
        attempt = 0
        while True:
            try:
                response = await self._http().request(method, f"{self.api_prefix}{path}", headers=headers,
                                                      content=content, params=params)
                if response.status_code < 500 or attempt >= self.max_retries:
                    return response
            except httpx.TransportError:
                if attempt >= self.max_retries:
                    raise
            await asyncio.sleep(self._delay(attempt))
            attempt += 1


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text

