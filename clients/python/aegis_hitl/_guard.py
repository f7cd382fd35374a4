"""``guard``: the one-call exactly-once flow, written once for the REST and the gRPC client.

A client mixes in ``GuardMixin`` and provides the primitives below, each speaking in the REST JSON shape (dicts with
``ACTION_STATE_*`` names), which is also what the typed errors carry as ``action``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any, AsyncIterator, Callable, Mapping, Optional

from aegis_hitl.errors import (
    ActionRejected,
    DecisionTimeout,
    ExecutionFailedError,
    LeaseHeldError,
    NotApprovedError,
    NotFoundError,
)

UNDECIDED = {"ACTION_STATE_PENDING", "ACTION_STATE_UNSPECIFIED", None}
TERMINAL = {"ACTION_STATE_REJECTED", "ACTION_STATE_EXPIRED", "ACTION_STATE_COMMITTED", "ACTION_STATE_FAILED"}
_REFUSED = {"ACTION_STATE_REJECTED", "ACTION_STATE_EXPIRED"}


def stored(execution: Optional[dict], field: str) -> Any:
    """The stored result or error of an execution, parsed: the exact ``*_json`` text when present, else the value."""
    execution = execution or {}
    text = execution.get(f"{field}_json")
    return json.loads(text) if text else execution.get(field)


def retry_delay(details: Any) -> float:
    """How long the server says to wait (a ``google.rpc.RetryInfo`` detail), at least 50 ms; 1 s if it says nothing."""
    for detail in details or []:
        delay = (detail.get("retry_delay") or detail.get("retryDelay")) if isinstance(detail, dict) else None
        if isinstance(delay, str) and delay.endswith("s"):
            return max(0.05, float(delay[:-1]))
    return 1.0


async def last_of(stream: AsyncIterator[Any], timeout: Optional[float], what: str) -> Any:
    """The last item of a watch (the decided or finished action); ``DecisionTimeout`` after ``timeout`` seconds."""
    async def last() -> Any:
        result = None
        async for item in stream:
            result = item
        return result

    try:
        return await asyncio.wait_for(last(), timeout)
    except asyncio.TimeoutError:
        raise DecisionTimeout(f"{what}: nothing decisive within {timeout} s") from None


class GuardMixin:
    """Adds ``guard`` to a client that implements the ``_g_*`` primitives and ``_watch_to_end``."""

    async def guard(self, idempotency_key: str, fn: Callable[[], Any], *, payload: Optional[Mapping[str, Any]] = None,
                    require_approval: bool = True, timeout: Optional[float] = None, thread_id: Optional[str] = None,
                    tenant_id: Optional[str] = None, lease_ttl: Optional[float] = None,
                    comment_for_reviewer: Optional[str] = None,
                    retryable: Callable[[BaseException], bool] = lambda exc: False) -> Any:
        """Runs ``fn`` (sync or async) exactly once for this key and returns its stored result.

        With ``require_approval`` the action is first held for a decision (``request_approval``) and waited for
        (``timeout`` seconds in all, then ``DecisionTimeout``); a rejection raises ``ActionRejected`` with the
        decision's ``reason`` and ``retryable``. Then the lease is taken, ``fn`` runs (the lease is extended while it
        does) and its result, any JSON value, is stored. A retry after a crash, or a concurrent caller, gets the
        stored result back without running ``fn``; while another caller holds the lease this one waits for it. If
        ``fn`` raises, the failure is stored (``retryable(exc)`` decides whether the key may run again) and re-raised;
        a key that failed for good raises ``ExecutionFailedError``.
        """
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout

        def remaining() -> Optional[float]:
            return None if deadline is None else max(0.0, deadline - loop.time())

        while True:
            try:
                started = await self._g_begin(idempotency_key, payload, thread_id, lease_ttl, require_approval, tenant_id)
            except NotFoundError:
                if not require_approval:
                    raise
                pending = await self._g_request(idempotency_key, payload, thread_id, tenant_id, comment_for_reviewer)
                await self._until_approved(pending, remaining(), tenant_id)
                continue
            except NotApprovedError as refused:
                if refused.reason != "AWAITING_APPROVAL" or not refused.action:
                    raise ActionRejected.from_action(refused.action or {}) from None
                await self._until_approved(refused.action, remaining(), tenant_id)
                continue
            except LeaseHeldError as held:
                await self._until_lease_ends(held, remaining(), tenant_id)
                if remaining() == 0.0:
                    raise DecisionTimeout(f"{idempotency_key}: still executed by another caller") from None
                continue

            action = started.get("action") or {}
            status = started.get("status")
            if status == "EXECUTION_STATUS_REPLAYED":
                return stored(action.get("execution"), "result")
            if status == "EXECUTION_STATUS_FAILED":
                raise ExecutionFailedError(stored(action.get("execution"), "error"), action)
            return await self._run_leased(idempotency_key, int(started["lease"]["fencing_token"]), fn, lease_ttl,
                                          retryable, tenant_id)

    async def _run_leased(self, key: str, token: int, fn: Callable[[], Any], lease_ttl: Optional[float],
                          retryable: Callable[[BaseException], bool], tenant_id: Optional[str]) -> Any:
        heartbeat = asyncio.create_task(self._heartbeat(key, token, lease_ttl, tenant_id))
        try:
            value = fn()
            if inspect.isawaitable(value):
                value = await value
        except Exception as exc:
            heartbeat.cancel()
            await self._g_fail(key, token, {"type": type(exc).__name__, "message": str(exc)}, retryable(exc), tenant_id)
            raise
        finally:
            heartbeat.cancel()
        # A lost lease shows here: the completion is refused (LeaseLostError) and nothing is stored.
        committed = await self._g_complete(key, token, value, tenant_id)
        return stored(committed.get("execution"), "result")

    async def _heartbeat(self, key: str, token: int, lease_ttl: Optional[float], tenant_id: Optional[str]) -> None:
        # A third of the lease (the server's default lease is 30 s), so two beats may be lost before it ends.
        interval = (lease_ttl or 30.0) / 3
        while True:
            await asyncio.sleep(interval)
            try:
                await self._g_extend(key, token, lease_ttl, tenant_id)
            except Exception:  # noqa: BLE001 - the completion reports a lost lease; the beat just stops
                return

    async def _until_approved(self, action: dict, timeout: Optional[float], tenant_id: Optional[str]) -> None:
        if action.get("state") in UNDECIDED:
            action = await self._watch_to_end(action["request_id"], False, timeout, tenant_id)
        if action.get("state") in _REFUSED:
            raise ActionRejected.from_action(action)

    async def _until_lease_ends(self, held: LeaseHeldError, timeout: Optional[float], tenant_id: Optional[str]) -> None:
        """Waits until the other caller's execution ends (or its lease could have expired); guard then retries."""
        request_id = (held.action or {}).get("request_id") or held.metadata.get("request_id")
        wait = retry_delay(held.body.get("details") if isinstance(held.body, dict) else None)
        if timeout is not None:
            wait = min(wait, timeout)
        if not request_id:
            await asyncio.sleep(wait)
            return
        try:
            await self._watch_to_end(request_id, True, wait, tenant_id)
        except DecisionTimeout:
            pass  # the lease may have expired: BeginExecution takes it over, or says who holds it now
