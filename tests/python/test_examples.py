"""The examples under examples/ run against the embedded server, each twice: the second run (a restart of the same
agent run) replays what happened instead of doing it again. Run with the interpreter of the test run (scripts/test:
the venv the package was pip-installed into)."""

import asyncio
import json
import os
import subprocess
import sys
import uuid

import httpx
import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples"


@pytest.mark.asyncio
async def test_agent_loop_waits_for_the_reviewer_and_never_repeats_a_side_effect(server, tmp_path):
    tenant, run_id, outbox = f"examples-{uuid.uuid4()}", "run-1", tmp_path / "outbox.txt"
    command = [sys.executable, str(EXAMPLES / "python/agent_loop.py"), "--url", server.rest_url, "--tenant", tenant,
               "--run-id", run_id, "--outbox", str(outbox), "--approval-timeout", "60"]

    async with httpx.AsyncClient(base_url=server.rest_url, timeout=httpx.Timeout(10, read=60),
                                 headers={"Tenant-Id": tenant}) as reviewer:
        # The reviewer watches the tenant's PENDING actions (first line: the watch is live), then starts the agent.
        async with reviewer.stream("GET", "/api/v1/hitl/watch", params={"state": "ACTION_STATE_PENDING"}) as feed:
            lines = feed.aiter_lines()
            await lines.__anext__()
            agent = await asyncio.create_subprocess_exec(*command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            decided = 0
            async for line in lines:
                action = (json.loads(line) if line.strip() else {}).get("action")
                if not action:
                    continue
                headers = {"Thread-Id": run_id, "Idempotency-Key": action["idempotency_key"]}
                if action["payload"]["tool"] == "send_email":
                    answer = await reviewer.post("/api/v1/hitl/approve", headers=headers, json=action["payload"])
                else:
                    answer = await reviewer.post("/api/v1/hitl/reject", headers=headers, json=action["payload"],
                                                 params={"reason": "OVER_LIMIT", "retryable": "false"})
                assert answer.status_code == 202, answer.text
                decided += 1
                if decided == 2:
                    break
        first_out, first_err = await asyncio.wait_for(agent.communicate(), 60)

    second = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert agent.returncode == 0, first_err.decode()
    assert second.returncode == 0, second.stderr
    expected = ['lookup_customer: {"customer": "c-42", "tier": "gold"}',
                'send_email: {"message_id": "m-c-42@example.com"}',
                "refund: rejected (OVER_LIMIT, retryable=False)"]
    assert first_out.decode().splitlines() == expected
    assert second.stdout.splitlines() == expected  # replayed: no new approval needed, nothing sent again
    assert outbox.read_text().splitlines() == ["email c-42@example.com Your refund"]


def test_langgraph_style_nodes_approve_then_execute_once_across_a_rerun(server, tmp_path):
    ledger = tmp_path / "charges.txt"
    env = {**os.environ, "AEGIS_URL": server.rest_url, "AEGIS_TENANT": f"examples-{uuid.uuid4()}"}
    command = [sys.executable, str(EXAMPLES / "python/langgraph_node.py"), "run-42", str(ledger)]

    runs = [subprocess.run(command, capture_output=True, text=True, timeout=60, env=env) for _ in range(2)]

    for run in runs:
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == {"status": "executed", "result": {"charge_id": "ch-run-42-charge"}}
    assert len(ledger.read_text().splitlines()) == 1


def test_dotnet_worker_sends_each_invoice_once_across_a_restart(server, tmp_path):
    dll = ROOT / "examples/dotnet/Aegis.Examples.Worker/bin/Release/net10.0/Aegis.Examples.Worker.dll"
    assert dll.exists(), f"{dll} is not built (scripts/test builds the solution)"
    outbox = tmp_path / "invoices.txt"
    host, port = server.grpc_target.rsplit(":", 1)
    env = {**os.environ, "Aegis__Address": f"http://{host}:{port}", "Aegis__TenantId": f"examples-{uuid.uuid4()}",
           "Aegis__ThreadId": "invoices", "Invoices__Ids": "1,2,3", "Invoices__Outbox": str(outbox),
           "Logging__LogLevel__Default": "Warning", "DOTNET_NOLOGO": "1"}

    runs = [subprocess.run(["dotnet", str(dll)], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
            for _ in range(2)]

    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    assert runs[0].stdout.splitlines() == [f"invoice {i}: receipt r-{i} (sent now)" for i in (1, 2, 3)]
    assert runs[1].stdout.splitlines() == [f"invoice {i}: receipt r-{i} (already sent)" for i in (1, 2, 3)]
    assert outbox.read_text().splitlines() == ["invoice 1", "invoice 2", "invoice 3"]
