"""The agent side of the gate through SyncAegisClient: request approval, wait on the pushed decision."""

import threading
import uuid

import pytest

from aegis_hitl import PayloadMismatchError, SyncAegisClient


def test_an_agent_waits_on_the_stream_and_hears_the_reviewers_decision(server):
    key = f"wire-{uuid.uuid4()}"
    with SyncAegisClient(server.rest_url, tenant_id="acme") as agent, SyncAegisClient(server.rest_url, tenant_id="acme") as reviewer:
        pending = agent.request_approval(key, "thread-1", {"amount": 12345678901234567890}, timeout_seconds=3600,
                                         comment_for_reviewer="new payee")
        assert pending["state"] == "ACTION_STATE_PENDING"
        assert pending["payload"]["amount"] == 12345678901234567890
        assert agent.request_approval(key, "thread-1", {"amount": 12345678901234567890})["request_id"] == pending["request_id"]
        with pytest.raises(PayloadMismatchError):
            agent.request_approval(key, "thread-1", {"amount": 1})

        stream = agent.watch(pending["request_id"], timeout=30)
        snapshot = next(stream)  # the watch is live (subscribed) once the snapshot has arrived
        assert snapshot["state"] == "ACTION_STATE_PENDING"
        answers = []
        decide = threading.Thread(target=lambda: answers.append(reviewer.reject(key, "thread-1")))
        decide.start()
        decided = next(stream)
        stream.close()
        decide.join(timeout=30)

        assert answers and answers[0]["state"] == "ACTION_STATE_REJECTED"

        assert decided["state"] == "ACTION_STATE_REJECTED"
        assert decided["payload"]["amount"] == 12345678901234567890


def test_wait_for_decision_returns_the_decided_action(server):
    key = f"mail-{uuid.uuid4()}"
    with SyncAegisClient(server.rest_url, tenant_id="acme") as client:
        pending = client.request_approval(key, "thread-2", {"to": "ceo@example.com"})
        client.approve(key, "thread-2")
        decided = client.wait_for_decision(pending["request_id"], timeout=30)
        assert decided["state"] == "ACTION_STATE_APPROVED"
        assert decided["decision"]["outcome"] == "DECISION_OUTCOME_APPROVE"
