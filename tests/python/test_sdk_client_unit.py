"""Unit tests of aegis_hitl.AegisClient in the style of the original SDK's own suite: no server, an injected
httpx.AsyncClient over httpx.MockTransport, asyncio.sleep patched where the client backs off."""

import json
import unittest.mock

import httpx
import pytest

from aegis_hitl import AegisClient, ActionRejected, DecisionTimeout


def recording(status=202, body=None):
    """A mock client answering every call with `status`, and the list of requests it saw."""
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body if body is not None else {"ok": True})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://test"), seen


# ── routes and headers ─────────────────────────────────────────────────────────

@pytest.mark.asyncio
async def test_approve_posts_the_payload_with_the_sdk_headers():
    mock, seen = recording()
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        response = await client.approve("key-001", payload={"amount": 12345678901234567890})

    assert response.status_code == 202
    request = seen[0]
    assert request.method == "POST"
    assert request.url.path == "/api/v1/hitl/approve"
    assert request.headers["tenant-id"] == "t1"
    assert request.headers["thread-id"] == "th1"
    assert request.headers["idempotency-key"] == "key-001"
    assert request.headers["x-request-id"]
    assert "authorization" not in request.headers
    assert json.loads(request.content) == {"amount": 12345678901234567890}  # every digit sent


@pytest.mark.asyncio
async def test_reject_posts_to_the_reject_route_with_an_empty_object_by_default():
    mock, seen = recording()
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        response = await client.reject("key-002")

    assert response.status_code == 202
    assert seen[0].url.path == "/api/v1/hitl/reject"
    assert json.loads(seen[0].content) == {}


@pytest.mark.asyncio
async def test_api_key_is_sent_as_bearer_and_replaces_the_tenant_header():
    mock, seen = recording()
    async with AegisClient(api_key="sk_live_abc", tenant_id="t1", thread_id="th1", client=mock) as client:
        await client.approve("key-003")

    assert seen[0].headers["authorization"] == "Bearer sk_live_abc"
    assert "tenant-id" not in seen[0].headers


@pytest.mark.asyncio
async def test_get_status_reads_the_status_route():
    mock, seen = recording(200, {"request_id": "r-1", "state": "ACTION_STATE_APPROVED"})
    async with AegisClient(client=mock) as client:
        response = await client.get_status("r-1")

    assert response.status_code == 200
    assert seen[0].method == "GET"
    assert seen[0].url.path == "/api/v1/hitl/status/r-1"
    assert "tenant-id" not in seen[0].headers and "authorization" not in seen[0].headers


# ── execute ────────────────────────────────────────────────────────────────────

@pytest.mark.asyncio
@pytest.mark.parametrize("action", ["approve", "reject"])
async def test_execute_dispatches_to_the_named_route(action):
    mock, seen = recording()
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        await client.execute(action, "key-004", payload={"n": 1})

    assert seen[0].url.path == f"/api/v1/hitl/{action}"
    assert json.loads(seen[0].content) == {"n": 1}


@pytest.mark.asyncio
async def test_execute_with_another_action_is_a_value_error_and_sends_nothing():
    mock, seen = recording()
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        with pytest.raises(ValueError, match="approve.*reject"):
            await client.execute("delete", "key-005")
    assert seen == []


# ── tenant / thread resolution ─────────────────────────────────────────────────

@pytest.mark.asyncio
async def test_per_call_tenant_and_thread_override_the_constructor():
    mock, seen = recording()
    async with AegisClient(tenant_id="default-t", thread_id="default-th", client=mock) as client:
        await client.approve("key-006", tenant_id="override-t", thread_id="override-th")

    assert seen[0].headers["tenant-id"] == "override-t"
    assert seen[0].headers["thread-id"] == "override-th"


@pytest.mark.asyncio
@pytest.mark.parametrize("settings, missing", [({"tenant_id": "t1"}, "thread_id"), ({"thread_id": "th1"}, "tenant_id")])
async def test_a_missing_thread_or_tenant_is_a_value_error_and_sends_nothing(settings, missing):
    mock, seen = recording()
    async with AegisClient(client=mock, **settings) as client:
        with pytest.raises(ValueError, match=missing):
            await client.approve("key-007")
    assert seen == []


# ── request ids ────────────────────────────────────────────────────────────────

@pytest.mark.asyncio
async def test_every_call_gets_a_fresh_request_id():
    mock, seen = recording()
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        await client.approve("key-009")
        await client.approve("key-010")
        await client.get_status("r-1")

    ids = [r.headers["x-request-id"] for r in seen]
    assert len(set(ids)) == 3


# ── injected client lifecycle ──────────────────────────────────────────────────

@pytest.mark.asyncio
async def test_injected_client_is_left_open():
    external, _ = recording()
    async with AegisClient(tenant_id="t1", thread_id="th1", client=external) as client:
        await client.approve("key-011")

    assert not external.is_closed
    assert (await external.get("/still-usable")).status_code == 202
    await external.aclose()


@pytest.mark.asyncio
async def test_own_client_is_closed_on_exit():
    client = AegisClient("http://test", tenant_id="t1", thread_id="th1")
    async with client:
        own = client._http()
    assert own.is_closed


# ── retries ────────────────────────────────────────────────────────────────────

def flaky(failures, status=500):
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) <= failures:
            return httpx.Response(status, json={"error": "server error"})
        return httpx.Response(202, json={"ok": True})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://test"), calls


async def approve_without_waiting(mock, max_retries):
    """One approve with asyncio.sleep patched (as the original suite does): the response and the patched sleep."""
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock, max_retries=max_retries) as client:
        with unittest.mock.patch("aegis_hitl.client.asyncio.sleep") as sleep:
            return await client.approve("key-backoff"), sleep


@pytest.mark.asyncio
async def test_5xx_is_retried_with_exponential_backoff_and_the_same_request_id():
    mock, calls = flaky(2, status=503)
    response, sleep = await approve_without_waiting(mock, max_retries=3)

    assert response.status_code == 202
    assert len(calls) == 3
    assert [c.args[0] for c in sleep.await_args_list] == [0.5, 1.0]
    assert len({c.headers["x-request-id"] for c in calls}) == 1  # one call, retried


@pytest.mark.asyncio
async def test_5xx_after_max_retries_is_returned_not_raised():
    mock, calls = flaky(10)
    response, sleep = await approve_without_waiting(mock, max_retries=2)

    assert response.status_code == 500
    assert len(calls) == 3
    assert [c.args[0] for c in sleep.await_args_list] == [0.5, 1.0]


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [400, 401, 404, 409, 422, 429])
async def test_4xx_is_returned_at_once_and_never_retried(status):
    mock, calls = flaky(10, status=status)
    response, sleep = await approve_without_waiting(mock, max_retries=3)

    assert response.status_code == status
    assert len(calls) == 1
    sleep.assert_not_awaited()


@pytest.mark.asyncio
async def test_a_refused_connection_is_retried_like_a_5xx():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(202, json={"ok": True})

    mock = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://test")
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        with unittest.mock.patch("aegis_hitl.client.asyncio.sleep"):
            response = await client.approve("key-connect")
    assert response.status_code == 202 and len(calls) == 2


# ── the original README's "Testing without a server" example ───────────────────

@pytest.mark.asyncio
async def test_approve():
    mock_client = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: httpx.Response(202, json={"ok": True})),
        base_url="http://test",
    )
    async with AegisClient(api_key="sk_live_test", thread_id="th1", client=mock_client) as client:
        r = await client.approve("key-001")
    assert r.status_code == 202


# ── the watch: pushed decisions, resumed after a dropped connection ────────────

def action(state, version, **extra):
    return {"request_id": "r-1", "state": state, "version": version, **extra}


class DroppedStream(httpx.AsyncByteStream):
    """An NDJSON body that delivers some lines and then loses the connection."""

    def __init__(self, *lines):
        self.lines = lines

    async def __aiter__(self):
        for line in self.lines:
            yield (json.dumps(line) + "\n").encode()
        raise httpx.ReadError("connection reset by peer")


@pytest.mark.asyncio
async def test_wait_for_decision_resumes_after_a_dropped_connection_without_losing_the_decision():
    watches = []

    def handler(request):
        watches.append(request)
        if len(watches) == 1:  # snapshot, a heartbeat, then the connection drops before the decision
            return httpx.Response(200, stream=DroppedStream(
                {"kind": "WATCH_EVENT_KIND_SNAPSHOT", "action": action("ACTION_STATE_PENDING", 1)},
                {"kind": "WATCH_EVENT_KIND_HEARTBEAT"}))
        # The decision was made while disconnected: the new stream's snapshot carries it.
        lines = [{"kind": "WATCH_EVENT_KIND_SNAPSHOT", "action": action("ACTION_STATE_APPROVED", 2)}]
        return httpx.Response(200, content="".join(json.dumps(line) + "\n" for line in lines))

    mock = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://test")
    async with AegisClient(tenant_id="t1", client=mock) as client:
        with unittest.mock.patch("aegis_hitl.client.asyncio.sleep") as sleep:
            decided = await client.wait_for_decision("r-1", timeout=5)

    assert decided["state"] == "ACTION_STATE_APPROVED"
    assert [w.url.path for w in watches] == ["/api/v1/hitl/watch/r-1"] * 2
    assert watches[0].headers["tenant-id"] == "t1"
    sleep.assert_awaited_once()


@pytest.mark.asyncio
async def test_watch_does_not_repeat_a_version_seen_before_the_drop():
    streams = [
        DroppedStream({"kind": "WATCH_EVENT_KIND_SNAPSHOT", "action": action("ACTION_STATE_PENDING", 1)}),
        DroppedStream({"kind": "WATCH_EVENT_KIND_SNAPSHOT", "action": action("ACTION_STATE_PENDING", 1)}),
    ]

    def handler(request):
        if streams:
            return httpx.Response(200, stream=streams.pop(0))
        return httpx.Response(200, content=json.dumps(
            {"kind": "WATCH_EVENT_KIND_TRANSITION", "action": action("ACTION_STATE_REJECTED", 2)}) + "\n")

    mock = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://test")
    async with AegisClient(tenant_id="t1", client=mock) as client:
        with unittest.mock.patch("aegis_hitl.client.asyncio.sleep"):
            seen = [a async for a in client.watch("r-1")]

    assert [(a["state"], a["version"]) for a in seen] == [("ACTION_STATE_PENDING", 1), ("ACTION_STATE_REJECTED", 2)]


@pytest.mark.asyncio
async def test_wait_for_decision_times_out_with_decision_timeout():
    def handler(request):
        return httpx.Response(200, stream=DroppedStream(
            {"kind": "WATCH_EVENT_KIND_SNAPSHOT", "action": action("ACTION_STATE_PENDING", 1)}))

    mock = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://test")
    async with AegisClient(tenant_id="t1", client=mock) as client:
        with pytest.raises(DecisionTimeout):
            await client.wait_for_decision("r-1", timeout=0.2)


# ── guard ──────────────────────────────────────────────────────────────────────

@pytest.mark.asyncio
async def test_guard_returns_a_stored_result_without_running_fn():
    stored = {"status": "EXECUTION_STATUS_REPLAYED",
              "action": action("ACTION_STATE_COMMITTED", 4, execution={"result_json": '{"id": 12345678901234567890}'})}
    mock, seen = recording(200, stored)
    ran = []
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        result = await client.guard("key-g", lambda: ran.append(1), payload={"a": 1})

    assert result == {"id": 12345678901234567890}
    assert ran == []
    assert seen[0].url.path == "/api/v1/hitl/executions/begin"
    assert json.loads(seen[0].content)["payload_json"] == '{"a": 1}'


@pytest.mark.asyncio
async def test_guard_raises_action_rejected_with_reason_and_retryable():
    refused = action("ACTION_STATE_REJECTED", 2,
                     decision={"outcome": "DECISION_OUTCOME_REJECT", "reason": "OVER_BUDGET", "retryable": True})
    body = {"code": 9, "message": "rejected", "reason": "ACTION_REJECTED", "action": refused}
    mock, _ = recording(409, body)
    async with AegisClient(tenant_id="t1", thread_id="th1", client=mock) as client:
        with pytest.raises(ActionRejected) as rejected:
            await client.guard("key-r", lambda: None)

    assert rejected.value.reason == "OVER_BUDGET"
    assert rejected.value.retryable is True
    assert rejected.value.action["state"] == "ACTION_STATE_REJECTED"
