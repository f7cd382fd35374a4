"""The synchronous REST client (``SyncAegisClient``), for scripts; the async ``AegisClient`` is the SDK's API.

Every call sends the SDK's headers: ``Idempotency-Key``, ``Thread-Id``, ``X-Request-Id`` and either
``Authorization: Bearer sk_live_...`` or (trusted self-hosted mode) ``Tenant-Id``. The body of a decision
is the action payload itself, a JSON object. Errors are raised as typed exceptions that carry the server's
stable ``reason`` and, for a key that is already decided, the stored action.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Iterator, Mapping, Optional

import httpx

from aegis_hitl.errors import AegisError, error_from_response


class SyncAegisClient:
    """Synchronous REST client (the 0.1 line of this repository's client, kept for scripts).

    ``SyncAegisClient("http://localhost:8000", api_key="sk_live_...")`` or, against a trusted self-hosted server,
    ``SyncAegisClient("http://localhost:8000", tenant_id="acme")``. Errors are raised as typed exceptions
    (``aegis_hitl.errors``) that carry the stable ``reason`` and, for a decided key, the stored action.
    """

    def __init__(self, base_url: str = "http://localhost:8000", *, api_key: Optional[str] = None,
                 tenant_id: Optional[str] = None, timeout: float = 10.0,
                 transport: Optional[httpx.BaseTransport] = None):
        self._auth: dict[str, str] = {}
        if api_key:
            self._auth["Authorization"] = f"Bearer {api_key}"
        elif tenant_id:
            self._auth["Tenant-Id"] = tenant_id
        self._http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> "SyncAegisClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def approve(self, idempotency_key: str, thread_id: str, payload: Optional[Mapping[str, Any]] = None,
                *, request_id: Optional[str] = None) -> dict:
        """Approves (creating if new) the action with this key; returns the stored action."""
        return self._decide("approve", idempotency_key, thread_id, payload, request_id)

    def reject(self, idempotency_key: str, thread_id: str, payload: Optional[Mapping[str, Any]] = None,
               *, request_id: Optional[str] = None) -> dict:
        """Rejects (creating if new) the action with this key; returns the stored action."""
        return self._decide("reject", idempotency_key, thread_id, payload, request_id)

    def request_approval(self, idempotency_key: str, thread_id: str, payload: Optional[Mapping[str, Any]] = None,
                         *, timeout_seconds: Optional[int] = None, on_timeout: str = "reject",
                         comment_for_reviewer: Optional[str] = None) -> dict:
        """Holds a new action at the gate (PENDING) until a reviewer decides it, or until ``timeout_seconds``
        pass and ``on_timeout`` ("reject" or "approve") applies. Idempotent on the key: a retry with the same payload
        returns the stored action; a different payload raises PayloadMismatchError."""
        body: dict[str, Any] = {
            "idempotency_key": idempotency_key,
            "thread_id": thread_id,
            "payload_json": json.dumps(dict(payload or {})),
            "on_timeout": "DECISION_OUTCOME_" + on_timeout.upper(),
        }
        if timeout_seconds is not None:
            body["timeout"] = f"{int(timeout_seconds)}s"
        if comment_for_reviewer:
            body["comment_for_reviewer"] = comment_for_reviewer
        headers = dict(self._auth)
        headers.update({"X-Request-Id": str(uuid.uuid4()), "Content-Type": "application/json"})
        return self._parse(self._http.post("/api/v1/hitl/requests", content=json.dumps(body), headers=headers))

    def watch(self, request_id: str, *, until_finished: bool = False, timeout: Optional[float] = None) -> Iterator[dict]:
        """Yields the action's snapshot, then every transition, as the server streams them (heartbeats are
        skipped); the stream ends after the decision, or with ``until_finished`` after execution ends."""
        params = {"until": "WATCH_UNTIL_FINISHED"} if until_finished else None
        with self._http.stream("GET", f"/api/v1/hitl/watch/{request_id}", headers=self._auth, params=params,
                               timeout=httpx.Timeout(self._http.timeout.connect, read=timeout)) as response:
            if response.status_code >= 400:
                response.read()
                self._parse(response)
            for line in response.iter_lines():
                if not line.strip():
                    continue
                message = json.loads(line)
                if message.get("kind") != "WATCH_EVENT_KIND_HEARTBEAT" and "action" in message:
                    yield message["action"]

    def wait_for_decision(self, request_id: str, *, timeout: Optional[float] = None) -> dict:
        """Blocks until the action is decided (pushed by the server, no polling) and returns it."""
        last: Optional[dict] = None
        for action in self.watch(request_id, timeout=timeout):
            last = action
        if last is None:
            raise AegisError(0, "WATCH_ENDED", "the watch ended without any message", None)
        return last

    def get_status(self, request_id: str) -> dict:
        """Returns the action with this server-assigned id."""
        response = self._http.get(f"/api/v1/hitl/status/{request_id}", headers=self._auth)
        return self._parse(response)

    def _decide(self, verb: str, key: str, thread_id: str, payload: Optional[Mapping[str, Any]],
                request_id: Optional[str]) -> dict:
        headers = dict(self._auth)
        headers.update({
            "Idempotency-Key": key,
            "Thread-Id": thread_id,
            "X-Request-Id": request_id or str(uuid.uuid4()),
            "Content-Type": "application/json",
        })
        # json.dumps keeps Python ints exact (arbitrary precision), which the server stores as sent.
        body = json.dumps(dict(payload or {}))
        return self._parse(self._http.post(f"/api/v1/hitl/{verb}", content=body, headers=headers))

    @staticmethod
    def _parse(response: httpx.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = response.text
        if response.status_code < 400:
            return body
        raise error_from_response(response.status_code, response.headers, body)
