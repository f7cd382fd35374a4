"""The errors of the Aegis clients, shared by the REST clients and the gRPC client.

An error answer carries a stable ``reason`` (from the ``google.rpc.ErrorInfo`` in the server's status details);
the exception type is chosen from that reason first and from the HTTP status second, so a REST call and the same
gRPC call raise the same type. The original SDK's methods (``approve``, ``reject``, ``execute``, ``get_status`` of
the async ``AegisClient``) never raise these: they return the ``httpx.Response`` as the original did.
"""

from __future__ import annotations

from typing import Any, Optional


class AegisError(Exception):
    """An error answer from Aegis: HTTP status (the gRPC code's REST equivalent), stable reason, parsed body."""

    def __init__(self, status_code: int, reason: str, message: str, body: Any = None,
                 action: Optional[dict] = None, metadata: Optional[dict] = None):
        super().__init__(f"{status_code} {reason}: {message}")
        self.status_code = status_code
        self.reason = reason
        self.message = message
        self.body = body
        self._action = action
        self.metadata = metadata or {}

    @property
    def action(self) -> Optional[dict]:
        """The stored action the server attached to the error (duplicates, refusals), if any."""
        if self._action is not None:
            return self._action
        return self.body.get("action") if isinstance(self.body, dict) else None


class InvalidRequestError(AegisError):
    """400: bad input; nothing was changed."""


class AuthenticationError(AegisError):
    """401/403: missing, invalid or insufficient credentials."""


class NotFoundError(AegisError):
    """404: no such action for this tenant."""


class AlreadyDecidedError(AegisError):
    """409 ``DUPLICATE_KEY``: the idempotency key is already decided; ``action`` is the stored action, unchanged."""


class NotApprovedError(AegisError):
    """409 ``AWAITING_APPROVAL`` / ``ACTION_REJECTED`` / ``ACTION_EXPIRED``: the action may not be executed (yet)."""


class LeaseHeldError(AegisError):
    """409 ``LEASE_HELD``: another caller is executing the action; ``lease_expires_at`` says until when."""

    @property
    def lease_expires_at(self) -> Optional[str]:
        return self.metadata.get("lease_expires_at")


class LeaseLostError(AegisError):
    """409 ``LEASE_LOST``: the fencing token is stale (the lease expired and was taken over); nothing was stored."""


class PayloadMismatchError(AegisError):
    """422 ``PAYLOAD_MISMATCH``: the key exists with a different payload."""


class QuotaExceededError(AegisError):
    """429: the monthly quota is spent; ``retry_after`` says when it resets (seconds)."""

    def __init__(self, status_code: int, reason: str, message: str, body: Any = None,
                 retry_after: Optional[int] = None, **kwargs: Any):
        super().__init__(status_code, reason, message, body, **kwargs)
        self.retry_after = retry_after


class UnavailableError(AegisError):
    """503 / UNAVAILABLE: the server (or its database) could not be reached; the call may be repeated."""


class ActionRejected(Exception):
    """``guard`` was refused: the action was rejected (or expired) instead of approved.

    ``reason`` is the structured reason the reviewer or policy gave (empty when none), ``retryable`` whether the
    agent may try again with a changed action, ``action`` the decided action.
    """

    def __init__(self, reason: str, retryable: bool, action: Optional[dict] = None):
        super().__init__(f"action rejected: {reason or 'no reason given'} (retryable={retryable})")
        self.reason = reason
        self.retryable = retryable
        self.action = action

    @classmethod
    def from_action(cls, action: dict) -> "ActionRejected":
        decision = action.get("decision") or {}
        reason = decision.get("reason") or ("DECISION_DEADLINE_PASSED" if action.get("state") == "ACTION_STATE_EXPIRED" else "")
        return cls(reason, bool(decision.get("retryable", False)), action)


class ExecutionFailedError(Exception):
    """``guard``: the action's execution failed for good; ``error`` is the stored error (parsed JSON)."""

    def __init__(self, error: Any, action: Optional[dict] = None):
        super().__init__(f"the action's execution failed: {error!r}")
        self.error = error
        self.action = action


class DecisionTimeout(TimeoutError):
    """``wait_for_decision`` / ``guard``: no decision arrived within the timeout (the action stays PENDING)."""


_BY_REASON = {
    "DUPLICATE_KEY": AlreadyDecidedError,
    "PAYLOAD_MISMATCH": PayloadMismatchError,
    "LEASE_HELD": LeaseHeldError,
    "LEASE_LOST": LeaseLostError,
    "AWAITING_APPROVAL": NotApprovedError,
    "ACTION_REJECTED": NotApprovedError,
    "ACTION_EXPIRED": NotApprovedError,
    "QUOTA_EXCEEDED": QuotaExceededError,
}
_BY_STATUS = {400: InvalidRequestError, 401: AuthenticationError, 403: AuthenticationError, 404: NotFoundError,
              409: AlreadyDecidedError, 422: PayloadMismatchError, 429: QuotaExceededError, 503: UnavailableError}


def error_for(status_code: int, reason: str, message: str, body: Any = None, *, action: Optional[dict] = None,
              metadata: Optional[dict] = None, retry_after: Optional[int] = None) -> AegisError:
    """The typed error for an error answer: by stable reason, else by status."""
    kind = _BY_REASON.get(reason) or _BY_STATUS.get(status_code, AegisError)
    if kind is QuotaExceededError:
        return QuotaExceededError(status_code, reason, message, body, retry_after, action=action, metadata=metadata)
    return kind(status_code, reason, message, body, action=action, metadata=metadata)


def error_from_response(status_code: int, headers: Any, body: Any) -> AegisError:
    """The typed error for a REST error answer (``google.rpc.Status`` JSON plus a top-level ``reason``)."""
    reason, message, metadata = "", "", {}
    if isinstance(body, dict):
        message = body.get("message", "")
        for detail in body.get("details") or []:
            if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("google.rpc.ErrorInfo"):
                reason = detail.get("reason", "")
                metadata = detail.get("metadata") or {}
        reason = body.get("reason") or reason
    else:
        message = str(body)
    retry = headers.get("Retry-After") if headers is not None else None
    return error_for(status_code, reason, message, body, metadata=metadata,
                     retry_after=int(retry) if retry and str(retry).isdigit() else None)
