"""Aegis Python client (distribution ``aegis-idempotency``, import ``aegis_hitl``).

- ``AegisClient``: the async REST client, a drop-in for the original SDK (``approve``, ``reject``, ``execute``,
  ``get_status`` return the ``httpx.Response``), plus the approval gate (``request_approval``,
  ``wait_for_decision``) and the exactly-once guard (``guard``, ``begin/complete/fail_execution``).
- ``aegis_hitl.grpc.AegisGrpcClient``: the same operations over gRPC (grpc.aio), with typed errors.
- ``SyncAegisClient``: the synchronous REST client, for scripts.
- The generated gRPC stubs are in ``aegis_hitl._gen`` (``hitl_pb2``, ``hitl_pb2_grpc``).
"""

from aegis_hitl.client import AegisClient
from aegis_hitl.errors import (
    ActionRejected,
    AegisError,
    AlreadyDecidedError,
    AuthenticationError,
    DecisionTimeout,
    ExecutionFailedError,
    InvalidRequestError,
    LeaseHeldError,
    LeaseLostError,
    NotApprovedError,
    NotFoundError,
    PayloadMismatchError,
    QuotaExceededError,
    UnavailableError,
)
from aegis_hitl.sync import SyncAegisClient

__version__ = "0.2.0"

__all__ = [
    "ActionRejected",
    "AegisClient",
    "AegisError",
    "AlreadyDecidedError",
    "AuthenticationError",
    "DecisionTimeout",
    "ExecutionFailedError",
    "InvalidRequestError",
    "LeaseHeldError",
    "LeaseLostError",
    "NotApprovedError",
    "NotFoundError",
    "PayloadMismatchError",
    "QuotaExceededError",
    "SyncAegisClient",
    "UnavailableError",
]
