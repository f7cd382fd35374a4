"""A plain Python agent loop whose tool calls go through ``AegisClient.guard``.

The "planner" is a fixed plan so the example runs anywhere; in a real agent it is the model's next tool call. Every
tool call gets an idempotency key made of the run id and the step, so re-running the loop after a crash (same run id)
replays what already happened instead of doing it again. Risky tools wait for a reviewer's approval; a rejection comes
back as ``ActionRejected`` with the reviewer's reason and whether a changed call may be tried.

    python examples/python/agent_loop.py --url http://localhost:8000 --tenant acme --run-id run-1 --outbox /tmp/outbox

Approve or reject the pending steps meanwhile, e.g. with
``curl -X POST localhost:8000/api/v1/hitl/approve -H 'Tenant-Id: acme' -H 'Thread-Id: run-1' -H 'Idempotency-Key: run-1-step-1-send_email' -H 'Content-Type: application/json' -d '<the payload>'``
or from the console.
"""

import argparse
import asyncio
import json

from aegis_hitl import ActionRejected, AegisClient

PLAN = [
    {"tool": "lookup_customer", "args": {"customer": "c-42"}, "risky": False},
    {"tool": "send_email", "args": {"to": "c-42@example.com", "subject": "Your refund"}, "risky": True},
    {"tool": "refund", "args": {"customer": "c-42", "cents": 12345678901234567890}, "risky": True},
]


def tools(outbox: str) -> dict:
    """The agent's tools; the side effects are lines appended to the outbox file."""

    def record(line: str) -> None:
        with open(outbox, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def lookup_customer(customer):
        return {"customer": customer, "tier": "gold"}

    def send_email(to, subject):
        record(f"email {to} {subject}")
        return {"message_id": f"m-{to}"}

    def refund(customer, cents):
        record(f"refund {customer} {cents}")
        return {"refund_id": f"rf-{customer}", "cents": cents}

    return {"lookup_customer": lookup_customer, "send_email": send_email, "refund": refund}


async def run(url: str, tenant: str, run_id: str, outbox: str, approval_timeout: float) -> None:
    available = tools(outbox)
    async with AegisClient(url, tenant_id=tenant, thread_id=run_id) as aegis:
        for step, call in enumerate(PLAN):
            key = f"{run_id}-step-{step}-{call['tool']}"
            tool = available[call["tool"]]
            try:
                result = await aegis.guard(key, lambda: tool(**call["args"]), payload=call,
                                           require_approval=call["risky"], timeout=approval_timeout)
            except ActionRejected as rejected:
                print(f"{call['tool']}: rejected ({rejected.reason}, retryable={rejected.retryable})", flush=True)
                if not rejected.retryable:
                    break
                continue
            print(f"{call['tool']}: {json.dumps(result)}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8000")
    parser.add_argument("--tenant", default="acme")
    parser.add_argument("--run-id", default="run-1")
    parser.add_argument("--outbox", default="outbox.txt")
    parser.add_argument("--approval-timeout", type=float, default=3600)
    a = parser.parse_args()
    asyncio.run(run(a.url, a.tenant, a.run_id, a.outbox, a.approval_timeout))
