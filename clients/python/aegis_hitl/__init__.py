"""Aegis Python client.

``AegisClient`` speaks the REST contract of the original Aegis SDK (drop-in: same headers, same routes,
same status codes). The generated gRPC stubs are in ``aegis_hitl._gen`` (``hitl_pb2``, ``hitl_pb2_grpc``).
"""

from aegis_hitl.client import (
    AegisClient,
    AegisError,
    AlreadyDecidedError,
    AuthenticationError,
    InvalidRequestError,
    NotFoundError,
    PayloadMismatchError,
    QuotaExceededError,
)

__all__ = [
    "AegisClient",
    "AegisError",
    "AlreadyDecidedError",
    "AuthenticationError",
    "InvalidRequestError",
    "NotFoundError",
    "PayloadMismatchError",
    "QuotaExceededError",
]
