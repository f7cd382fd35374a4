"""Python code generated from protos/ by scripts/gen-protos. DO NOT EDIT: rerun the script.

protoc's output imports its modules by proto package (``aegis.hitl.v1.hitl_pb2``,
``google.api.annotations_pb2``), so this directory is a sys.path root: importing this package
puts it on sys.path (first, so the vendored protos win over any other ``aegis`` package), and
re-exports the aegis modules under their file names.
"""

import os as _os
import sys as _sys

_ROOT = _os.path.dirname(_os.path.abspath(__file__))
if _ROOT not in _sys.path:
    _sys.path.insert(0, _ROOT)

from aegis.accounts.v1 import accounts_pb2  # noqa: E402
from aegis.accounts.v1 import accounts_pb2_grpc  # noqa: E402
from aegis.api.v1 import rest_pb2  # noqa: E402
from aegis.audit.v1 import audit_pb2  # noqa: E402
from aegis.audit.v1 import audit_pb2_grpc  # noqa: E402
from aegis.billing.v1 import billing_pb2  # noqa: E402
from aegis.billing.v1 import billing_pb2_grpc  # noqa: E402
from aegis.hitl.v1 import hitl_pb2  # noqa: E402
from aegis.hitl.v1 import hitl_pb2_grpc  # noqa: E402
from aegis.mcp.v1 import mcp_pb2  # noqa: E402
from aegis.mcp.v1 import mcp_pb2_grpc  # noqa: E402
from aegis.policy.v1 import policy_pb2  # noqa: E402
from aegis.policy.v1 import policy_pb2_grpc  # noqa: E402
from aegis.webhooks.v1 import webhooks_pb2  # noqa: E402
from aegis.webhooks.v1 import webhooks_pb2_grpc  # noqa: E402

__all__ = [
    "accounts_pb2",
    "accounts_pb2_grpc",
    "rest_pb2",
    "audit_pb2",
    "audit_pb2_grpc",
    "billing_pb2",
    "billing_pb2_grpc",
    "hitl_pb2",
    "hitl_pb2_grpc",
    "mcp_pb2",
    "mcp_pb2_grpc",
    "policy_pb2",
    "policy_pb2_grpc",
    "webhooks_pb2",
    "webhooks_pb2_grpc",
]
