"""wait_for_decision over a connection that breaks: the agent reaches the server through a TCP proxy that the test
cuts after the watch has started; the decision is made while the agent is disconnected, and still arrives."""

import asyncio
import uuid
from urllib.parse import urlsplit

import pytest

from aegis_hitl import AegisClient
from aegis_hitl.grpc import AegisGrpcClient


class CuttableProxy:
    """Forwards loopback TCP connections to the server; ``cut()`` drops every open one (new ones are accepted)."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.writers = set()
        self.handlers = set()
        self.connections = 0
        self.responded = asyncio.Event()  # the server has sent something back (the watch's headers and snapshot)

    async def __aenter__(self):
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        self.cut()
        await asyncio.gather(*self.handlers, return_exceptions=True)

    async def _accept(self, client_reader, client_writer):
        self.handlers.add(asyncio.current_task())
        server_reader, server_writer = await asyncio.open_connection(*self.target)
        self.writers |= {client_writer, server_writer}
        self.connections += 1

        async def pipe(reader, writer, seen=None):
            try:
                while data := await reader.read(65536):
                    if seen is not None:
                        seen.set()
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer, self.responded))

    def cut(self):
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()


async def cut_while_waiting(proxy, waiting, decide):
    """Lets the waiter's watch start, cuts it, decides while it is disconnected, and returns what the waiter got."""
    await asyncio.wait_for(proxy.responded.wait(), 30)  # the watch is open: the server has answered it
    assert not waiting.done()
    before = proxy.connections
    proxy.cut()
    await decide()
    result = await asyncio.wait_for(waiting, 60)
    assert proxy.connections > before  # it reconnected through the proxy
    return result


@pytest.mark.asyncio
async def test_rest_wait_for_decision_resumes_after_the_connection_is_cut(server):
    url = urlsplit(server.rest_url)
    key = f"cut-{uuid.uuid4()}"
    async with CuttableProxy(url.hostname, url.port) as proxy, \
            AegisClient(server.rest_url, tenant_id="acme", thread_id="t-cut") as reviewer, \
            AegisClient(f"http://127.0.0.1:{proxy.port}", tenant_id="acme", thread_id="t-cut") as agent:
        pending = await reviewer.request_approval(key, payload={"amount": 1})
        waiting = asyncio.ensure_future(agent.wait_for_decision(pending["request_id"], timeout=60))

        async def decide():
            assert (await reviewer.approve(key, payload={"amount": 1})).status_code == 202

        decided = await cut_while_waiting(proxy, waiting, decide)

    assert decided["state"] == "ACTION_STATE_APPROVED"


@pytest.mark.asyncio
async def test_grpc_watch_resumes_after_the_connection_is_cut(server):
    host, grpc_port = server.grpc_target.rsplit(":", 1)
    key = f"cut-grpc-{uuid.uuid4()}"
    async with CuttableProxy(host, int(grpc_port)) as proxy, \
            AegisGrpcClient(server.grpc_target, tenant_id="acme", thread_id="t-cut") as reviewer, \
            AegisGrpcClient(f"127.0.0.1:{proxy.port}", tenant_id="acme", thread_id="t-cut") as agent:
        pending = await reviewer.request_approval(key, payload={"amount": 1})
        waiting = asyncio.ensure_future(agent.wait_for_decision(pending.request_id, timeout=60))

        async def decide():
            await reviewer.reject(key, payload={"amount": 1}, reason="CUT_TEST")

        decided = await cut_while_waiting(proxy, waiting, decide)

    assert decided.decision.reason == "CUT_TEST"
