"""`dotnet run --project src/Aegis.Server` with no configuration: the embedded default starts and answers
the README's curl example. The start-up time is printed (the figure is tracked in bench/RESULTS.md)."""

import json
import tempfile
import uuid

import httpx

from conftest import start_server, stop_server


def test_embedded_default_starts_and_answers_the_readme_example():
    with tempfile.TemporaryDirectory(prefix="aegis-fresh-") as workdir:
        # No settings beyond free ports: the data dir defaults to ./data under the working directory.
        proc, srv = start_server({}, workdir=workdir)
        try:
            print(f"embedded default ready in {srv.startup_seconds:.2f} s")
            response = httpx.post(f"{srv.rest_url}/api/v1/hitl/approve", timeout=10, headers={
                "Tenant-Id": "acme", "Thread-Id": "thread-1", "Idempotency-Key": f"readme-{uuid.uuid4()}",
                "Content-Type": "application/json"}, content=json.dumps({"to": "ceo@example.com"}))
            assert response.status_code == 202
            assert response.json()["state"] == "ACTION_STATE_APPROVED"
        finally:
            stop_server(proc)
        import os
        assert os.path.exists(os.path.join(workdir, "data", "aegis.db"))
