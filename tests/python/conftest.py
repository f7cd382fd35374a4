"""Fixtures: a real Aegis server process (the built Aegis.Server.dll) on free loopback ports.

``server`` runs on the embedded default (SQLite in a temp dir, trusted Tenant-Id); ``pg_server`` runs
over the test PostgreSQL from scripts/services (a fresh database), when AEGIS_TEST_POSTGRES is set.
"""

import os
import re
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LISTENING = re.compile(r"Aegis listening: REST \(HTTP/1\.1\) http://([\d.]+):(\d+), gRPC \(h2c\) http://([\d.]+):(\d+)")


@dataclass
class Server:
    rest_url: str
    grpc_target: str
    startup_seconds: float


def _server_dll() -> str:
    dll = os.environ.get("AEGIS_SERVER_DLL") or str(ROOT / "src/Aegis.Server/bin/Release/net10.0/Aegis.Server.dll")
    if not Path(dll).exists():
        pytest.fail(f"Aegis.Server.dll not found at {dll}: build the solution first (scripts/test does).")
    return dll


def start_server(extra_env: dict, workdir: str, timeout: float = 60.0):
    """Starts the server and waits for its 'listening' log line; returns (process, Server)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ConnectionStrings__", "Aegis__"))}
    env.update({"Aegis__RestPort": "0", "Aegis__GrpcPort": "0", "DOTNET_NOLOGO": "1"})
    env.update(extra_env)
    started = time.monotonic()
    proc = subprocess.Popen(["dotnet", _server_dll()], cwd=workdir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    found = {}
    lines = []

    def read():
        for line in proc.stdout:
            lines.append(line)
            m = LISTENING.search(line)
            if m and "server" not in found:
                found["server"] = Server(f"http://{m.group(1)}:{m.group(2)}", f"{m.group(3)}:{m.group(4)}",
                                         time.monotonic() - started)
                ready.set()

    ready = threading.Event()
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout):
        proc.kill()
        pytest.fail("server did not start:\n" + "".join(lines[-40:]))
    return proc, found["server"]


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server():
    with tempfile.TemporaryDirectory(prefix="aegis-py-") as data:
        proc, srv = start_server({"Aegis__DataDir": data}, workdir=data)
        yield srv
        stop_server(proc)


@pytest.fixture(scope="session")
def pg_server():
    admin = os.environ.get("AEGIS_TEST_POSTGRES")
    port = os.environ.get("AEGIS_TEST_PG_PORT")
    if not admin or not port:
        pytest.fail("AEGIS_TEST_POSTGRES / AEGIS_TEST_PG_PORT are not set: run through scripts/test.")
    name = "aegis_py_" + uuid.uuid4().hex[:12]
    psql = os.path.join(os.environ.get("AEGIS_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql")
    subprocess.run([psql, "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    conn = f"Host=127.0.0.1;Port={port};Username=postgres;Database={name}"
    with tempfile.TemporaryDirectory(prefix="aegis-py-pg-") as work:
        proc, srv = start_server({"ConnectionStrings__Postgres": conn, "Aegis__Auth__TrustTenantHeader": "true"}, workdir=work)
        yield srv
        stop_server(proc)
