"""aegis_hitl.grpc.AegisGrpcClient: against a scripted in-process gRPC server (interceptor metadata, retries on
UNAVAILABLE from the service config, typed errors from the status details) and against the running Aegis server."""

import asyncio
import uuid

import grpc
import pytest
import pytest_asyncio
from grpc import aio

from aegis_hitl import ActionRejected, AlreadyDecidedError, NotFoundError, PayloadMismatchError, UnavailableError
from aegis_hitl._gen import hitl_pb2, hitl_pb2_grpc
from aegis_hitl.grpc import AegisGrpcClient
from google.rpc import error_details_pb2, status_pb2  # noqa: E402  (importable once _gen is imported)


class ScriptedHitl(hitl_pb2_grpc.HitlServiceServicer):
    """GetStatus answers UNAVAILABLE `unavailable` times, then the action; Approve answers ALREADY_EXISTS with rich
    details. Records the metadata of every call."""

    def __init__(self, unavailable):
        self.unavailable = unavailable
        self.calls = []

    async def GetStatus(self, request, context):
        self.calls.append(dict(context.invocation_metadata()))
        if len(self.calls) <= self.unavailable:
            await context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")
        return hitl_pb2.GetStatusResponse(action=hitl_pb2.Action(request_id=request.request_id,
                                                                 state=hitl_pb2.ACTION_STATE_APPROVED))

    async def Approve(self, request, context):
        self.calls.append(dict(context.invocation_metadata()))
        status = status_pb2.Status(code=grpc.StatusCode.ALREADY_EXISTS.value[0], message="already decided")
        status.details.add().Pack(error_details_pb2.ErrorInfo(reason="DUPLICATE_KEY", domain="aegis.dev"))
        status.details.add().Pack(hitl_pb2.Action(request_id="r-1", idempotency_key=request.idempotency_key,
                                                  state=hitl_pb2.ACTION_STATE_REJECTED, payload_json='{"n": 1}'))
        await context.abort(grpc.StatusCode.ALREADY_EXISTS, "already decided",
                            trailing_metadata=(("grpc-status-details-bin", status.SerializeToString()),))


@pytest_asyncio.fixture
async def scripted():
    servicer = ScriptedHitl(unavailable=2)
    server = aio.server()
    hitl_pb2_grpc.add_HitlServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield servicer, f"127.0.0.1:{port}"
    await server.stop(None)


@pytest.mark.asyncio
async def test_unavailable_is_retried_by_the_service_config_with_credentials_and_one_request_id(scripted):
    servicer, target = scripted
    async with AegisGrpcClient(target, api_key="sk_live_abc", max_retries=3) as client:
        action = await client.get_status("r-9")
        await client.get_status("r-10")

    assert action.request_id == "r-9" and action.state == hitl_pb2.ACTION_STATE_APPROVED
    assert len(servicer.calls) == 4  # two UNAVAILABLE, the success, then the second call
    assert all(call["authorization"] == "Bearer sk_live_abc" for call in servicer.calls)
    retried = {call["x-request-id"] for call in servicer.calls[:3]}
    assert len(retried) == 1  # the retries of one call share its request id
    assert servicer.calls[3]["x-request-id"] not in retried


@pytest.mark.asyncio
async def test_unavailable_beyond_the_retries_is_a_typed_error(scripted):
    servicer, target = scripted
    servicer.unavailable = 100
    async with AegisGrpcClient(target, tenant_id="acme", max_retries=1) as client:
        with pytest.raises(UnavailableError) as error:
            await client.get_status("r-9")
    assert error.value.status_code == 503
    assert len(servicer.calls) == 2
    assert servicer.calls[0]["tenant-id"] == "acme"


@pytest.mark.asyncio
async def test_errors_are_typed_from_the_status_details(scripted):
    servicer, target = scripted
    async with AegisGrpcClient(target, tenant_id="acme", thread_id="t") as client:
        with pytest.raises(AlreadyDecidedError) as duplicate:
            await client.approve("key-1")
    assert duplicate.value.reason == "DUPLICATE_KEY"
    assert duplicate.value.status_code == 409
    assert duplicate.value.action["state"] == "ACTION_STATE_REJECTED"
    assert duplicate.value.action["payload"] == {"n": 1}


# ── against the running server ─────────────────────────────────────────────────

@pytest.mark.asyncio
async def test_approve_then_duplicate_then_mismatch_and_unknown_are_typed(server):
    key = f"grpc-{uuid.uuid4()}"
    async with AegisGrpcClient(server.grpc_target, tenant_id="acme", thread_id="t-grpc") as client:
        action = await client.approve(key, payload={"amount": 12345678901234567890})
        assert action.state == hitl_pb2.ACTION_STATE_APPROVED
        assert "12345678901234567890" in action.payload_json
        with pytest.raises(AlreadyDecidedError) as duplicate:
            await client.reject(key)
        assert duplicate.value.action["request_id"] == action.request_id
        with pytest.raises(NotFoundError):
            await client.get_status(str(uuid.uuid4()))
        pending = await client.request_approval(f"{key}-gate", payload={"n": 1})
        with pytest.raises(PayloadMismatchError):
            await client.request_approval(f"{key}-gate", payload={"n": 2})
        assert (await client.get_status(idempotency_key=f"{key}-gate")).request_id == pending.request_id


@pytest.mark.asyncio
async def test_watch_decision_yields_the_snapshot_then_the_decision_of_a_second_client(server):
    key = f"grpc-wire-{uuid.uuid4()}"
    async with AegisGrpcClient(server.grpc_target, tenant_id="acme", thread_id="t-grpc") as agent, \
            AegisGrpcClient(server.grpc_target, tenant_id="acme", thread_id="t-grpc") as reviewer:
        pending = await agent.request_approval(key, payload={"amount": 500})
        stream = agent.watch_decision(pending.request_id)
        snapshot = await stream.__anext__()
        assert snapshot.state == hitl_pb2.ACTION_STATE_PENDING
        decided = asyncio.ensure_future(stream.__anext__())
        await reviewer.reject(key, payload={"amount": 500}, reason="NEW_PAYEE", retryable=True)
        action = await asyncio.wait_for(decided, 30)
        with pytest.raises(StopAsyncIteration):
            await stream.__anext__()  # the stream ends after the decision

    assert action.state == hitl_pb2.ACTION_STATE_REJECTED
    assert action.decision.reason == "NEW_PAYEE" and action.decision.retryable


@pytest.mark.asyncio
async def test_guard_over_grpc_runs_once_across_20_callers_and_surfaces_a_rejection(server):
    key = f"grpc-charge-{uuid.uuid4()}"
    runs = []

    async def charge():
        runs.append(1)
        await asyncio.sleep(0.3)
        return {"charge_id": "ch_9"}

    async with AegisGrpcClient(server.grpc_target, tenant_id="acme", thread_id="t-guard") as client:
        results = await asyncio.wait_for(asyncio.gather(*(
            client.guard(key, charge, payload={"cents": 10}, require_approval=False) for _ in range(20))), 120)
        assert runs == [1]
        assert results == [{"charge_id": "ch_9"}] * 20

        refused = f"grpc-refused-{uuid.uuid4()}"
        await client.reject(refused, payload={"cents": 10}, reason="OVER_BUDGET", retryable=False)
        with pytest.raises(ActionRejected) as rejected:
            await client.guard(refused, charge, payload={"cents": 10})
        assert (rejected.value.reason, rejected.value.retryable) == ("OVER_BUDGET", False)
        assert runs == [1]
