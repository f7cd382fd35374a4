"""An execution worker as a process of its own, for the fault run (tests/Aegis.FaultTests, LeaseHolderProcess).

Takes the execution lease of one key, says so, runs the side effect (says that too), then hangs: the harness kills it
with SIGKILL while it holds the lease. Usage: lease_holder.py HOST:PORT TENANT KEY PAYLOAD_JSON LEASE_SECONDS
"""
import sys
import time

import grpc
from google.protobuf import duration_pb2

from aegis_hitl._gen import hitl_pb2, hitl_pb2_grpc

target, tenant, key, payload, ttl = sys.argv[1:6]
stub = hitl_pb2_grpc.HitlServiceStub(grpc.insecure_channel(target))
response = stub.BeginExecution(
    hitl_pb2.BeginExecutionRequest(
        idempotency_key=key,
        thread_id="fault-exec",
        payload_json=payload,
        require_approval=False,
        lease_ttl=duration_pb2.Duration(seconds=int(ttl)),
    ),
    metadata=[("tenant-id", tenant)],
    timeout=10,
)
print(f"LEASED {hitl_pb2.ExecutionStatus.Name(response.status)} {response.lease.fencing_token}", flush=True)
if response.status == hitl_pb2.EXECUTION_STATUS_STARTED:
    print(f"RAN {response.lease.fencing_token}", flush=True)  # the side effect, under this lease
time.sleep(3600)
