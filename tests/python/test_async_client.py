"""aegis_hitl.AegisClient (async, REST) against the running server: the original SDK's quickstart, the gate
(request → wait → a second client decides), and guard (once across 50 callers and across crash-and-retry)."""

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from aegis_hitl import ActionRejected, AegisClient, PayloadMismatchError

HERE = Path(__file__).resolve().parent


@pytest.fixture(params=["embedded", "postgres"])
def rest_url(request, server, pg_server):
    """The exactly-once tests run against both storage backends."""
    return (server if request.param == "embedded" else pg_server).rest_url


@pytest.mark.asyncio
async def test_the_original_readme_quickstart_runs_unchanged(server, capsys):
    key = f"idempotency-key-{uuid.uuid4()}"

    async def main():
        async with AegisClient(
            base_url=server.rest_url,
            tenant_id="tenant-abc",
            thread_id="thread-xyz",
        ) as client:
            # Approve an agent action — idempotent, safe to retry
            response = await client.approve(
                key,
                payload={"action": "send_email", "to": "user@example.com"},
            )

            if response.status_code == 202:
                print("Action approved and queued.")
            elif response.status_code == 409:
                print("Duplicate — action was already processed.")

    await main()
    await main()
    assert capsys.readouterr().out.splitlines() == ["Action approved and queued.",
                                                     "Duplicate — action was already processed."]


@pytest.mark.asyncio
async def test_approve_is_202_then_409_with_the_stored_action_and_status_reads_it(rest_url):
    key = f"send-email-{uuid.uuid4()}"
    async with AegisClient(rest_url, tenant_id="acme", thread_id="thread-1") as client:
        first = await client.approve(key, payload={"amount": 12345678901234567890})
        again = await client.reject(key, payload={"amount": 12345678901234567890})
        status = await client.get_status(first.json()["request_id"])

    assert first.status_code == 202
    assert first.json()["state"] == "ACTION_STATE_APPROVED"
    assert again.status_code == 409
    assert again.json()["action"]["request_id"] == first.json()["request_id"]
    assert status.status_code == 200
    assert status.json()["payload"]["amount"] == 12345678901234567890


@pytest.mark.asyncio
async def test_a_decision_by_a_second_client_arrives_at_the_waiting_agent(rest_url):
    key = f"wire-{uuid.uuid4()}"
    async with AegisClient(rest_url, tenant_id="acme", thread_id="t-gate") as agent, \
            AegisClient(rest_url, tenant_id="acme", thread_id="t-gate") as reviewer:
        pending = await agent.request_approval(key, payload={"amount": 500}, comment_for_reviewer="new payee")
        assert pending["state"] == "ACTION_STATE_PENDING"
        assert (await agent.request_approval(key, payload={"amount": 500}))["request_id"] == pending["request_id"]
        with pytest.raises(PayloadMismatchError):
            await agent.request_approval(key, payload={"amount": 501})

        stream = agent.watch(pending["request_id"])
        snapshot = await stream.__anext__()  # the watch is live once its snapshot has arrived
        assert snapshot["state"] == "ACTION_STATE_PENDING"
        decided = asyncio.ensure_future(stream.__anext__())
        assert (await reviewer.approve(key, payload={"amount": 500})).status_code == 202
        action = await asyncio.wait_for(decided, 30)
        await stream.aclose()

        assert action["state"] == "ACTION_STATE_APPROVED"
        assert action["decision"]["outcome"] == "DECISION_OUTCOME_APPROVE"
        again = await agent.wait_for_decision(pending["request_id"], timeout=30)
        assert again["state"] == "ACTION_STATE_APPROVED"


@pytest.mark.asyncio
async def test_guard_runs_the_side_effect_once_across_50_concurrent_callers(rest_url):
    key = f"charge-{uuid.uuid4()}"
    runs = []

    async def charge():
        runs.append(1)
        await asyncio.sleep(0.3)  # hold the lease while the other callers arrive
        return {"charge_id": "ch_1", "cents": 12345678901234567890}

    async with AegisClient(rest_url, tenant_id="acme", thread_id="t-50") as client:
        results = await asyncio.wait_for(asyncio.gather(*(
            client.guard(key, charge, payload={"cents": 12345678901234567890}, require_approval=False, lease_ttl=30)
            for _ in range(50))), 120)

    assert len(runs) == 1
    assert results == [{"charge_id": "ch_1", "cents": 12345678901234567890}] * 50


def run_agent(server, key, log, crash):
    """Runs tests/python/crashing_agent.py in its own process (the same interpreter, so the same aegis_hitl)."""
    return subprocess.run([sys.executable, str(HERE / "crashing_agent.py"), server.rest_url, key, str(log), crash],
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


@pytest.mark.parametrize("crash", ["after", "during"])
def test_guard_retried_after_a_crash_sends_once(server, tmp_path, crash):
    """"after": the agent died right after the side effect and its result were stored: the retry gets the stored
    result without sending. "during": it died inside the side effect, before sending: the retry takes the expired
    lease over and sends, once."""
    key = f"mail-{uuid.uuid4()}"
    log = tmp_path / "sent.log"

    crashed = run_agent(server, key, log, crash)
    retried = run_agent(server, key, log, "none")

    assert crashed.returncode == 17, crashed.stderr
    assert retried.returncode == 0, retried.stderr
    assert log.read_text().splitlines() == ["sent"]
    assert json.loads(retried.stdout) == {"message_id": "m-1"}
    if crash == "after":
        assert json.loads(crashed.stdout) == {"message_id": "m-1"}


@pytest.mark.asyncio
async def test_a_rejection_surfaces_reason_and_retryable_to_guard(server):
    key = f"wire-{uuid.uuid4()}"
    ran = []
    async with AegisClient(server.rest_url, tenant_id="acme", thread_id="t-reject") as agent, \
            AegisClient(server.rest_url, tenant_id="acme", thread_id="t-reject") as reviewer, \
            httpx.AsyncClient(base_url=server.rest_url, timeout=httpx.Timeout(10, read=60)) as inbox:
        # The reviewer's side: the tenant's watch of PENDING actions (its first line says it is live).
        async with inbox.stream("GET", "/api/v1/hitl/watch", params={"state": "ACTION_STATE_PENDING"},
                                headers={"Tenant-Id": "acme"}) as feed:
            lines = feed.aiter_lines()
            await lines.__anext__()
            guarded = asyncio.ensure_future(agent.guard(key, lambda: ran.append(1), payload={"amount": 9000},
                                                        timeout=60))
            async for line in lines:
                message = json.loads(line) if line.strip() else {}
                if (message.get("action") or {}).get("idempotency_key") == key:
                    break
        response = await reviewer.reject(key, payload={"amount": 9000}, reason="OVER_BUDGET", retryable=True)
        assert response.status_code == 202

        with pytest.raises(ActionRejected) as rejected:
            await asyncio.wait_for(guarded, 30)

    assert rejected.value.reason == "OVER_BUDGET"
    assert rejected.value.retryable is True
    assert rejected.value.action["state"] == "ACTION_STATE_REJECTED"
    assert ran == []
