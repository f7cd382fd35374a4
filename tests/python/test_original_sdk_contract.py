"""Calls the running server exactly as the original Aegis SDK does: raw HTTP with its headers and a JSON
body, and the same through SyncAegisClient. Runs against the embedded default and against PostgreSQL."""

import json
import uuid

import httpx
import pytest

from aegis_hitl import AlreadyDecidedError, InvalidRequestError, NotFoundError, SyncAegisClient


@pytest.fixture(params=["embedded", "postgres"])
def base_url(request, server, pg_server):
    return (server if request.param == "embedded" else pg_server).rest_url


def sdk_headers(tenant, key, thread="thread-1"):
    return {
        "Tenant-Id": tenant,
        "Thread-Id": thread,
        "Idempotency-Key": key,
        "X-Request-Id": str(uuid.uuid4()),
        "Content-Type": "application/json",
    }


def test_approve_is_202_then_409_and_status_reads_it_back(base_url):
    key = f"send-email-{uuid.uuid4()}"
    payload = {"to": "ceo@example.com", "subject": "Q3", "amount": 12345678901234567890}
    with httpx.Client(base_url=base_url, timeout=10) as http:
        first = http.post("/api/v1/hitl/approve", headers=sdk_headers("acme", key), content=json.dumps(payload))
        again = http.post("/api/v1/hitl/approve", headers=sdk_headers("acme", key), content=json.dumps(payload))
        rejected = http.post("/api/v1/hitl/reject", headers=sdk_headers("acme", key), content="{}")

        assert first.status_code == 202
        action = first.json()
        assert action["state"] == "ACTION_STATE_APPROVED"
        assert action["payload"] == payload  # every digit of the amount survives
        assert first.headers["X-Request-Id"]
        assert again.status_code == 409
        assert again.json()["request_id"] == action["request_id"]
        assert again.json()["action"]["state"] == "ACTION_STATE_APPROVED"
        assert rejected.status_code == 409

        with_creds = http.get(f"/api/v1/hitl/status/{action['request_id']}", headers={"Tenant-Id": "acme"})
        assert with_creds.status_code == 200
        assert with_creds.json()["payload"]["amount"] == 12345678901234567890

        # The original client polls status without any credentials: state and decision only.
        anonymous = http.get(f"/api/v1/hitl/status/{action['request_id']}")
        assert anonymous.status_code == 200
        body = anonymous.json()
        assert body["state"] == "ACTION_STATE_APPROVED"
        assert body["decision"]["outcome"] == "DECISION_OUTCOME_APPROVE"
        assert "payload" not in body or not body["payload"]
        assert "ceo@example.com" not in anonymous.text


def test_reject_is_202_and_another_tenant_gets_404(base_url):
    key = f"charge-{uuid.uuid4()}"
    with httpx.Client(base_url=base_url, timeout=10) as http:
        rejected = http.post("/api/v1/hitl/reject", headers=sdk_headers("tenant-a", key), content='{"cents": 500}')
        assert rejected.status_code == 202
        request_id = rejected.json()["request_id"]
        other = http.get(f"/api/v1/hitl/status/{request_id}", headers={"Tenant-Id": "tenant-b"})
        assert other.status_code == 404


def test_bad_input_is_400_with_a_reason(base_url):
    with httpx.Client(base_url=base_url, timeout=10) as http:
        headers = sdk_headers("acme", f"k-{uuid.uuid4()}")
        not_object = http.post("/api/v1/hitl/approve", headers=headers, content="[1, 2, 3]")
        assert not_object.status_code == 400
        assert not_object.json()["reason"] == "PAYLOAD_NOT_OBJECT"
        del headers["Idempotency-Key"]
        no_key = http.post("/api/v1/hitl/approve", headers=headers, content="{}")
        assert no_key.status_code == 400
        assert no_key.json()["reason"] == "IDEMPOTENCY_KEY_REQUIRED"


def test_the_sync_client_wraps_the_contract(base_url):
    key = f"client-{uuid.uuid4()}"
    with SyncAegisClient(base_url, tenant_id="acme") as client:
        action = client.approve(key, "thread-9", {"n": 1})
        assert action["state"] == "ACTION_STATE_APPROVED"
        assert client.get_status(action["request_id"])["idempotency_key"] == key
        with pytest.raises(AlreadyDecidedError) as duplicate:
            client.reject(key, "thread-9", {"n": 1})
        assert duplicate.value.status_code == 409
        assert duplicate.value.reason == "DUPLICATE_KEY"
        assert duplicate.value.action["request_id"] == action["request_id"]
        with pytest.raises(NotFoundError):
            client.get_status(str(uuid.uuid4()))
        with pytest.raises(InvalidRequestError):
            client.approve("", "thread-9", {})
