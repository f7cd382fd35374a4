"""LangGraph-style nodes with Aegis, written like the original SDK's README example.

LangGraph is not installed here, so ``main`` runs the two nodes in order with a three-line driver. With LangGraph the
same node functions are wired as usual::

    graph = StateGraph(AgentState)
    graph.add_node("review", review_node)
    graph.add_node("execute", execute_node)
    graph.add_edge("review", "execute")

``review_node`` is the original example (an approval through the one-call flow; a 409 on a re-run means "already
approved"); ``execute_node`` runs the tool exactly once with ``guard``, so a graph resumed after a crash replays the
stored result instead of charging again.

    AEGIS_URL=http://localhost:8000 AEGIS_TENANT=acme python examples/python/langgraph_node.py run-42 /tmp/charges
"""

import asyncio
import json
import os
import sys
from typing import Any, TypedDict

from aegis_hitl import AegisClient

AEGIS_URL = os.environ.get("AEGIS_URL", "http://localhost:8000")
AEGIS_TENANT = os.environ.get("AEGIS_TENANT", "acme")
AEGIS_KEY = os.environ.get("AEGIS_API_KEY")  # hosted: an sk_live_ key; self-hosted: the tenant header instead


class AgentState(TypedDict, total=False):
    run_id: str
    idempotency_key: str
    action: dict
    status: str
    result: Any
    ledger: str


def client(state: AgentState) -> AegisClient:
    return AegisClient(base_url=AEGIS_URL, api_key=AEGIS_KEY, tenant_id=AEGIS_TENANT, thread_id=state["run_id"])


async def review_node(state: AgentState) -> AgentState:
    async with client(state) as aegis:
        r = await aegis.approve(state["idempotency_key"], payload=state["action"])
        if r.status_code == 409:  # decided before (a re-run of the graph): go by the stored decision
            approved = r.json()["action"]["state"] not in ("ACTION_STATE_REJECTED", "ACTION_STATE_EXPIRED")
        else:
            approved = r.status_code == 202
        if not approved:
            return {**state, "status": "rejected"}
    return {**state, "status": "approved"}


async def execute_node(state: AgentState) -> AgentState:
    if state["status"] != "approved":
        return state

    def charge() -> dict:
        with open(state["ledger"], "a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(state["action"]) + "\n")
        return {"charge_id": f"ch-{state['idempotency_key']}"}

    async with client(state) as aegis:
        result = await aegis.guard(state["idempotency_key"], charge, payload=state["action"])
    return {**state, "status": "executed", "result": result}


async def main(run_id: str, ledger: str) -> AgentState:
    state: AgentState = {"run_id": run_id, "idempotency_key": f"{run_id}-charge", "ledger": ledger,
                         "action": {"tool": "charge_card", "customer": "c-42", "cents": 4200}}
    for node in (review_node, execute_node):
        state = await node(state)
    return state


if __name__ == "__main__":
    final = asyncio.run(main(sys.argv[1], sys.argv[2]))
    print(json.dumps({"status": final["status"], "result": final.get("result")}), flush=True)
