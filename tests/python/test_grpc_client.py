"""The generated Python gRPC stubs against the running server (h2c port)."""

import json
import uuid

import grpc
import pytest

# Importing the generated package first puts its directory on sys.path, which makes google.rpc importable.
from aegis_hitl._gen import hitl_pb2, hitl_pb2_grpc
from google.rpc import error_details_pb2, status_pb2  # noqa: E402  (after _gen, see above)


def test_approve_over_grpc_then_duplicate_is_already_exists_with_the_action(server):
    key = f"grpc-{uuid.uuid4()}"
    metadata = (("tenant-id", "acme"),)
    with grpc.insecure_channel(server.grpc_target) as channel:
        stub = hitl_pb2_grpc.HitlServiceStub(channel)
        response = stub.Approve(hitl_pb2.ApproveRequest(idempotency_key=key, thread_id="t",
                                                        payload_json=json.dumps({"amount": 12345678901234567890})),
                                metadata=metadata, timeout=10)
        assert response.action.state == hitl_pb2.ACTION_STATE_APPROVED
        assert "12345678901234567890" in response.action.payload_json

        with pytest.raises(grpc.RpcError) as err:
            stub.Reject(hitl_pb2.RejectRequest(idempotency_key=key, thread_id="t"), metadata=metadata, timeout=10)
        assert err.value.code() == grpc.StatusCode.ALREADY_EXISTS
        details = dict(err.value.trailing_metadata())["grpc-status-details-bin"]
        status = status_pb2.Status.FromString(details)
        info = error_details_pb2.ErrorInfo()
        stored = hitl_pb2.Action()
        assert status.details[0].Unpack(info) and info.reason == "DUPLICATE_KEY"
        assert status.details[1].Unpack(stored) and stored.request_id == response.action.request_id

        got = stub.GetStatus(hitl_pb2.GetStatusRequest(idempotency_key=key), metadata=metadata, timeout=10)
        assert got.action.request_id == response.action.request_id
