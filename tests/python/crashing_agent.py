"""An agent process that can crash, for test_async_client's crash-and-retry tests.

    crashing_agent.py REST_URL KEY LOG MODE

Guards one "send an email" side effect (appending "sent" to LOG) with ``AegisClient.guard`` and prints the result.
MODE ``after``: exits abruptly (code 17) right after guard returned, before the agent could note that the step is
done. MODE ``during``: exits abruptly inside the side effect, before it happened, holding a 1 s lease. ``none``: ends
normally.
"""

import asyncio
import json
import os
import sys

from aegis_hitl import AegisClient


async def main(url: str, key: str, log: str, mode: str) -> None:
    def send_email():
        if mode == "during":
            os._exit(17)
        with open(log, "a", encoding="utf-8") as f:
            f.write("sent\n")
        return {"message_id": "m-1"}

    async with AegisClient(url, tenant_id="acme", thread_id="crash-test") as client:
        result = await client.guard(key, send_email, payload={"to": "ceo@example.com"}, require_approval=False,
                                    lease_ttl=1, timeout=60)
    print(json.dumps(result), flush=True)
    if mode == "after":
        os._exit(17)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
